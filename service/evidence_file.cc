#include "service/evidence_file.h"

#include <array>
#include <cstdint>
#include <string>

#include "ledger/utf8.h"
#include "service/input_rules.h"

namespace restitution {
namespace {

constexpr size_t kMaxFilenameBytes = 200;
// Whole paths are accepted (only their last component is kept), but not unbounded ones.
constexpr size_t kMaxFilenameInput = 4096;

Status NotEvidence(const std::string& field) {
  return Status::InvalidArgument(field, "must be a PDF, JPEG or PNG file")
      .WithRule(rules::kFileType);
}

uint8_t Byte(std::string_view bytes, size_t pos) { return static_cast<uint8_t>(bytes[pos]); }

uint32_t BigEndian32(std::string_view bytes, size_t pos) {
  return (uint32_t{Byte(bytes, pos)} << 24) | (uint32_t{Byte(bytes, pos + 1)} << 16) |
         (uint32_t{Byte(bytes, pos + 2)} << 8) | uint32_t{Byte(bytes, pos + 3)};
}

size_t BigEndian16(std::string_view bytes, size_t pos) {
  return (size_t{Byte(bytes, pos)} << 8) | size_t{Byte(bytes, pos + 1)};
}

// ---- PDF -------------------------------------------------------------------------------

bool IsPdf(std::string_view bytes) {
  constexpr size_t kHeader = 7;  // "%PDF-1."
  constexpr size_t kTail = 1024;
  if (bytes.size() < kHeader) return false;
  const std::string_view header = bytes.substr(0, kHeader);
  if (header != "%PDF-1." && header != "%PDF-2.") return false;
  // The header itself must not double as the end marker.
  const size_t tail_start = bytes.size() > kHeader + kTail ? bytes.size() - kTail : kHeader;
  return bytes.substr(tail_start).find("%%EOF") != std::string_view::npos;
}

// ---- JPEG ------------------------------------------------------------------------------

bool IsStartOfFrame(uint8_t marker) {
  // C0-CF are frame headers except C4 (DHT), C8 (reserved, JPG) and CC (DAC).
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
}

bool IsJpeg(std::string_view bytes) {
  if (bytes.size() < 4 || Byte(bytes, 0) != 0xFF || Byte(bytes, 1) != 0xD8 ||
      Byte(bytes, 2) != 0xFF) {
    return false;
  }
  // Some cameras and uploaders pad the file after its end marker with a few zero bytes.
  size_t end = bytes.size();
  for (int padding = 0; padding < 16 && end > 0 && Byte(bytes, end - 1) == 0; ++padding) --end;
  if (end < 4 || Byte(bytes, end - 2) != 0xFF || Byte(bytes, end - 1) != 0xD9) return false;
  const size_t limit = end - 2;  // where the end-of-image marker starts

  // Walk the segments between start-of-image and start-of-scan; every length is checked
  // against what is left, so the walk can neither read out of bounds nor loop.
  size_t pos = 2;
  bool seen_frame = false;
  while (true) {
    if (pos >= limit || Byte(bytes, pos) != 0xFF) return false;
    while (pos < limit && Byte(bytes, pos) == 0xFF) ++pos;  // fill bytes before a marker
    if (pos >= limit) return false;
    const uint8_t marker = Byte(bytes, pos++);
    // Stuffed zero, a second SOI, an early EOI, and the markers that belong inside scan data
    // (TEM, RST0-7) cannot appear here in a well-formed file.
    if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || marker == 0xD9 ||
        (marker >= 0xD0 && marker <= 0xD7)) {
      return false;
    }
    if (limit - pos < 2) return false;
    const size_t length = BigEndian16(bytes, pos);  // counts its own two bytes
    if (length < 2 || limit - pos < length) return false;
    if (IsStartOfFrame(marker)) seen_frame = true;
    pos += length;
    if (marker == 0xDA) return seen_frame;  // start of scan: entropy-coded data follows
  }
}

// ---- PNG -------------------------------------------------------------------------------

// CRC-32 as PNG (and zlib, and ISO 3309) define it: reflected polynomial 0xEDB88320.
constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

uint32_t Crc32(std::string_view data) {
  uint32_t c = 0xFFFFFFFFu;
  for (char ch : data) c = kCrcTable[(c ^ static_cast<uint8_t>(ch)) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool IsPng(std::string_view bytes) {
  constexpr std::string_view kSignature("\x89PNG\r\n\x1A\n", 8);
  constexpr size_t kChunkOverhead = 12;  // length, type, CRC
  if (bytes.substr(0, kSignature.size()) != kSignature) return false;
  size_t pos = kSignature.size();
  bool first = true;
  while (true) {
    if (bytes.size() - pos < kChunkOverhead) return false;
    const uint32_t length = BigEndian32(bytes, pos);
    if (length > 0x7FFFFFFFu || bytes.size() - pos - kChunkOverhead < length) return false;
    const std::string_view type = bytes.substr(pos + 4, 4);
    for (char c : type) {
      if (!IsAsciiLetter(c)) return false;
    }
    // The CRC covers the type and the data.
    const std::string_view covered = bytes.substr(pos + 4, 4 + size_t{length});
    const uint32_t stored_crc = BigEndian32(bytes, pos + 8 + length);
    if (first) {
      if (type != "IHDR" || length != 13 || Crc32(covered) != stored_crc) return false;
      const uint32_t width = BigEndian32(bytes, pos + 8);
      const uint32_t height = BigEndian32(bytes, pos + 12);
      if (width == 0 || height == 0 || width > 0x7FFFFFFFu || height > 0x7FFFFFFFu) return false;
      first = false;
    } else if (type == "IEND") {
      // Nothing may follow IEND: a PNG with something appended could be two files in one.
      return length == 0 && Crc32(covered) == stored_crc && pos + kChunkOverhead == bytes.size();
    }
    pos += kChunkOverhead + length;
  }
}

// ---- file names ------------------------------------------------------------------------

bool IsWindowsReserved(char c) {
  return c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}

}  // namespace

StatusOr<EvidenceType> DetectEvidenceType(std::string_view bytes, const std::string& field) {
  if (bytes.size() > kMaxEvidenceBytes) {
    return Status::TooLarge("an evidence file may be at most 10 MiB");
  }
  if (IsPdf(bytes)) return EvidenceType::kPdf;
  if (IsJpeg(bytes)) return EvidenceType::kJpeg;
  if (IsPng(bytes)) return EvidenceType::kPng;
  return NotEvidence(field);
}

std::string_view EvidenceMimeType(EvidenceType type) {
  switch (type) {
    case EvidenceType::kPdf:
      return "application/pdf";
    case EvidenceType::kJpeg:
      return "image/jpeg";
    case EvidenceType::kPng:
      return "image/png";
  }
  return "application/octet-stream";
}

std::string_view EvidenceExtension(EvidenceType type) {
  switch (type) {
    case EvidenceType::kPdf:
      return "pdf";
    case EvidenceType::kJpeg:
      return "jpg";
    case EvidenceType::kPng:
      return "png";
  }
  return "bin";
}

std::string_view EvidenceTypeName(EvidenceType type) {
  switch (type) {
    case EvidenceType::kPdf:
      return "pdf";
    case EvidenceType::kJpeg:
      return "jpeg";
    case EvidenceType::kPng:
      return "png";
  }
  return "";
}

std::optional<EvidenceType> ParseEvidenceTypeName(std::string_view name) {
  for (EvidenceType type : {EvidenceType::kPdf, EvidenceType::kJpeg, EvidenceType::kPng}) {
    if (EvidenceTypeName(type) == name) return type;
  }
  return std::nullopt;
}

StatusOr<std::string> SanitizeEvidenceFilename(std::string_view name, const std::string& field) {
  const Status too_long = Status::InvalidArgument(
      field, "is too long (at most " + std::to_string(kMaxFilenameBytes) + " bytes)");
  if (name.size() > kMaxFilenameInput) return too_long;
  // The whole input is checked, not just the part kept: a NUL or an invalid byte anywhere
  // means the client is not sending a file name.
  if (!ledger::IsValidUtf8(name)) return Status::InvalidArgument(field, "is not valid UTF-8");
  if (ledger::HasControlOrInvisibleCharacter(name)) {
    return Status::InvalidArgument(field, "must not contain control characters");
  }
  // '/' and '\' are ASCII and so never part of a multi-byte UTF-8 sequence.
  const size_t slash = name.find_last_of("/\\");
  std::string_view base = slash == std::string_view::npos ? name : name.substr(slash + 1);
  while (!base.empty() && base.front() == ' ') base.remove_prefix(1);
  while (!base.empty() && base.back() == ' ') base.remove_suffix(1);
  // "", ".", "..", "...": nothing that names a file (and the last two name directories).
  if (base.find_first_not_of('.') == std::string_view::npos) {
    return Status::InvalidArgument(field, "must name a file");
  }
  if (base.size() > kMaxFilenameBytes) return too_long;
  std::string kept(base);
  for (char& c : kept) {
    if (IsWindowsReserved(c)) c = '_';
  }
  return kept;
}

}  // namespace restitution
