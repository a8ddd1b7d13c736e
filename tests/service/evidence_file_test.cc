#include "service/evidence_file.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

// ---- tiny files built here, byte by byte ---------------------------------------------------

// Bit-at-a-time CRC-32, deliberately not the table the code under test uses.
uint32_t SlowCrc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i)
    out[static_cast<size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  return out;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(data.size())) + type + data + Be32(SlowCrc32(type + data));
}

const std::string kPngSignature("\x89PNG\r\n\x1A\n", 8);

std::string IhdrData(uint32_t width, uint32_t height) {
  // Bit depth 8, colour type 0 (grey), compression 0, filter 0, interlace 0.
  return Be32(width) + Be32(height) + std::string("\x08\x00\x00\x00\x00", 5);
}

// A 1x1 grey PNG: IHDR, IDAT holding the zlib stream of the one scanline "\0\0", IEND.
std::string MinimalPng() {
  const std::string idat("\x78\x01\x63\x60\x00\x00\x00\x02\x00\x01", 10);
  return kPngSignature + PngChunk("IHDR", IhdrData(1, 1)) + PngChunk("IDAT", idat) +
         PngChunk("IEND", "");
}

std::string Segment(uint8_t marker, const std::string& payload) {
  std::string out;
  out += '\xFF';
  out += static_cast<char>(marker);
  const size_t length = payload.size() + 2;
  out += static_cast<char>((length >> 8) & 0xFF);
  out += static_cast<char>(length & 0xFF);
  return out + payload;
}

// SOI, APP0 (JFIF), SOF0 for a 1x1 one-component image, SOS, two bytes of scan data, EOI.
std::string MinimalJpegWithoutEnd() {
  std::string jpeg("\xFF\xD8", 2);
  jpeg += Segment(0xE0, std::string("JFIF\0\x01\x01\x00\x00\x01\x00\x01\x00\x00", 14));
  jpeg += Segment(0xC0, std::string("\x08\x00\x01\x00\x01\x01\x01\x11\x00", 9));
  jpeg += Segment(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6));
  jpeg += std::string("\x12\x34", 2);
  return jpeg;
}

std::string MinimalJpeg() { return MinimalJpegWithoutEnd() + std::string("\xFF\xD9", 2); }

std::string MinimalPdf() {
  return "%PDF-1.4\n"
         "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
         "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
         "trailer << /Root 1 0 R >>\n"
         "%%EOF\n";
}

void ExpectType(const std::string& bytes, EvidenceType expected, const char* what) {
  StatusOr<EvidenceType> type = DetectEvidenceType(bytes, "file");
  ASSERT_TRUE(type.ok()) << what << ": " << type.status().ToString();
  EXPECT_EQ(*type, expected) << what;
}

void ExpectRefused(const std::string& bytes, const char* what) {
  StatusOr<EvidenceType> type = DetectEvidenceType(bytes, "evidence[3]");
  ASSERT_FALSE(type.ok()) << what << " was accepted";
  EXPECT_EQ(type.status().code(), StatusCode::kInvalidArgument) << what;
  EXPECT_EQ(type.status().field(), "evidence[3]") << what;
  EXPECT_EQ(type.status().message(), "must be a PDF, JPEG or PNG file") << what;
}

// ---- detection -----------------------------------------------------------------------------

TEST(EvidenceFileTest, SelfCheckOfTheTestCrc) {
  // The well-known CRC-32 check value, and the constant CRC every IEND chunk carries.
  EXPECT_EQ(SlowCrc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(SlowCrc32("IEND"), 0xAE426082u);
}

TEST(EvidenceFileTest, DetectsMinimalFiles) {
  ExpectType(MinimalPdf(), EvidenceType::kPdf, "pdf");
  ExpectType(MinimalPng(), EvidenceType::kPng, "png");
  ExpectType(MinimalJpeg(), EvidenceType::kJpeg, "jpeg");
}

TEST(EvidenceFileTest, PdfVariants) {
  ExpectType("%PDF-2.0\n%%EOF", EvidenceType::kPdf, "PDF 2.0");
  ExpectType("%PDF-1.7\r\n%%EOF\r\n", EvidenceType::kPdf, "CRLF");
  // Incremental updates and trailing junk after the marker are common; within 1024 bytes it
  // is still found.
  ExpectType(MinimalPdf() + std::string(1000, ' '), EvidenceType::kPdf, "trailing spaces");
  ExpectType("%PDF-1.4\n" + std::string(5000, 'x') + "\n%%EOF\n", EvidenceType::kPdf, "long body");
}

TEST(EvidenceFileTest, JpegVariants) {
  // Up to 16 zero bytes of padding after the end marker.
  ExpectType(MinimalJpeg() + std::string(16, '\0'), EvidenceType::kJpeg, "16 zeros of padding");
  // Fill bytes (extra 0xFF) before a marker are allowed by the standard.
  std::string filled = MinimalJpeg();
  filled.insert(2, "\xFF\xFF");
  ExpectType(filled, EvidenceType::kJpeg, "fill bytes");
  // Progressive frame (SOF2) and a quantisation table segment before it.
  std::string progressive("\xFF\xD8", 2);
  progressive += Segment(0xDB, std::string(65, '\x01'));
  progressive += Segment(0xC2, std::string("\x08\x00\x01\x00\x01\x01\x01\x11\x00", 9));
  progressive += Segment(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6));
  progressive += std::string("\x00\xFF\xD9", 3);
  ExpectType(progressive, EvidenceType::kJpeg, "progressive");
}

TEST(EvidenceFileTest, NameDoesNotMatterOnlyContent) {
  // An upload called "statement.pdf" that holds a PNG is a PNG (the detector never sees the
  // name), and a PNG-named PDF is a PDF.
  ExpectType(MinimalPng(), EvidenceType::kPng, "png content");
  ExpectType(MinimalPdf(), EvidenceType::kPdf, "pdf content");
}

TEST(EvidenceFileTest, RefusesPdfFakes) {
  ExpectRefused("%PDF-1.4\n1 0 obj << >> endobj\n", "no %%EOF");
  ExpectRefused("%PDF-1.4\n%%EOF" + std::string(1100, ' '), "%%EOF further than 1024 from end");
  ExpectRefused("%PDF-3.0\n%%EOF\n", "unknown major version");
  ExpectRefused("%PDF-1.", "header only");
  ExpectRefused(" %PDF-1.4\n%%EOF\n", "leading space");
  ExpectRefused("%pdf-1.4\n%%EOF\n", "lower case");
}

TEST(EvidenceFileTest, RefusesPngFakes) {
  const std::string png = MinimalPng();
  ExpectRefused(png.substr(0, png.size() - 12), "IEND missing");
  ExpectRefused(png.substr(0, png.size() - 1), "IEND cut short");
  ExpectRefused(png.substr(0, 20), "truncated in IHDR");
  ExpectRefused(kPngSignature, "signature only");
  ExpectRefused(png + "GIF89a", "data after IEND");
  ExpectRefused(png + png, "two PNGs glued together");

  std::string bad_crc = png;
  bad_crc[8 + 8 + 13] ^= 1;  // first byte of IHDR's CRC
  ExpectRefused(bad_crc, "IHDR CRC wrong");
  std::string bad_data = png;
  bad_data[8 + 8] ^= 1;  // width changed, CRC not
  ExpectRefused(bad_data, "IHDR data changed");
  std::string bad_iend = png;
  bad_iend[bad_iend.size() - 1] ^= 1;
  ExpectRefused(bad_iend, "IEND CRC wrong");

  ExpectRefused(kPngSignature + PngChunk("IDAT", "x") + PngChunk("IHDR", IhdrData(1, 1)) +
                    PngChunk("IEND", ""),
                "IHDR not first");
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(1, 1) + "x") + PngChunk("IEND", ""),
                "IHDR of length 14");
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(0, 1)) + PngChunk("IEND", ""),
                "zero width");
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(1, 1)) + PngChunk("IEND", "x"),
                "IEND with data");
  // A chunk whose length claims more than the file holds.
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(1, 1)) + Be32(0x7FFFFFFF) + "IDAT" +
                    PngChunk("IEND", ""),
                "chunk length beyond the end");
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(1, 1)) + Be32(0xFFFFFFFF) + "IDAT" +
                    PngChunk("IEND", ""),
                "chunk length above 2^31");
  ExpectRefused(kPngSignature + PngChunk("IHDR", IhdrData(1, 1)) + PngChunk("ID1T", "") +
                    PngChunk("IEND", ""),
                "chunk type not letters");
}

TEST(EvidenceFileTest, RefusesJpegFakes) {
  const std::string jpeg = MinimalJpeg();
  ExpectRefused(MinimalJpegWithoutEnd(), "no end marker");
  ExpectRefused(jpeg.substr(0, jpeg.size() - 1), "end marker cut");
  ExpectRefused(jpeg + std::string(17, '\0'), "17 zeros of padding");
  ExpectRefused(jpeg + "x", "junk after the end marker");
  ExpectRefused(std::string("\xFF\xD8\xFF\xD9", 4), "nothing between SOI and EOI");
  ExpectRefused(std::string("\xFF\xD8\xFF", 3), "SOI only");

  // No frame header before the scan.
  std::string no_frame("\xFF\xD8", 2);
  no_frame += Segment(0xE0, "JFIF");
  no_frame += Segment(0xDA, std::string("\x01\x01\x00\x00\x3F\x00", 6));
  no_frame += std::string("\x12\xFF\xD9", 3);
  ExpectRefused(no_frame, "no SOF");

  // Segments but no start of scan before the end marker.
  std::string no_scan("\xFF\xD8", 2);
  no_scan += Segment(0xE0, "JFIF");
  no_scan += Segment(0xC0, std::string("\x08\x00\x01\x00\x01\x01\x01\x11\x00", 9));
  no_scan += std::string("\xFF\xD9", 2);
  ExpectRefused(no_scan, "no SOS");

  // A segment length running past the end marker.
  std::string overrun("\xFF\xD8\xFF\xE0\x7F\xFF", 6);
  overrun += std::string("JFIF\xFF\xD9", 6);
  ExpectRefused(overrun, "segment longer than the file");

  std::string short_length("\xFF\xD8\xFF\xE0\x00\x01", 6);
  short_length += std::string("\xFF\xD9", 2);
  ExpectRefused(short_length, "segment length below 2");

  std::string not_a_marker = jpeg;
  not_a_marker[2] = '\x00';  // the byte after SOI must start a marker
  ExpectRefused(not_a_marker, "no marker after SOI");

  std::string restart = jpeg;
  restart.insert(2, "\xFF\xD0");
  ExpectRefused(restart, "restart marker before the scan");
}

TEST(EvidenceFileTest, RefusesOtherFiles) {
  ExpectRefused("", "empty");
  ExpectRefused("<!DOCTYPE html><html><body>%PDF-1.4 %%EOF</body></html>", "HTML");
  ExpectRefused(std::string("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10) + std::string(40, 'z') +
                    std::string("PK\x05\x06", 4) + std::string(18, '\0'),
                "zip");
  ExpectRefused(std::string("MZ\x90\x00", 4) + std::string(60, '\0'), "Windows executable");
  ExpectRefused("GIF89a\x01\x00\x01\x00", "GIF");
  ExpectRefused(std::string("\x7F"
                            "ELF\x02\x01\x01",
                            7),
                "ELF");
  ExpectRefused("just some text", "text");
  ExpectRefused(std::string(100, '\0'), "zeros");
}

TEST(EvidenceFileTest, TooLarge) {
  std::string big = MinimalPdf();
  big.insert(9, std::string(kMaxEvidenceBytes, ' '));
  StatusOr<EvidenceType> type = DetectEvidenceType(big, "file");
  ASSERT_FALSE(type.ok());
  EXPECT_EQ(type.status().code(), StatusCode::kTooLarge);

  std::string exactly = "%PDF-1.4\n" + std::string(kMaxEvidenceBytes - 15, ' ') + "%%EOF\n";
  ASSERT_EQ(exactly.size(), kMaxEvidenceBytes);
  ExpectType(exactly, EvidenceType::kPdf, "exactly at the limit");
}

TEST(EvidenceFileTest, Limits) {
  EXPECT_EQ(kMaxEvidenceBytes, 10u * 1024u * 1024u);
  EXPECT_EQ(kMaxEvidencePerClaim, 20u);
}

TEST(EvidenceFileTest, MimeTypesExtensionsAndNames) {
  EXPECT_EQ(EvidenceMimeType(EvidenceType::kPdf), "application/pdf");
  EXPECT_EQ(EvidenceMimeType(EvidenceType::kJpeg), "image/jpeg");
  EXPECT_EQ(EvidenceMimeType(EvidenceType::kPng), "image/png");
  EXPECT_EQ(EvidenceExtension(EvidenceType::kPdf), "pdf");
  EXPECT_EQ(EvidenceExtension(EvidenceType::kJpeg), "jpg");
  EXPECT_EQ(EvidenceExtension(EvidenceType::kPng), "png");
  for (EvidenceType type : {EvidenceType::kPdf, EvidenceType::kJpeg, EvidenceType::kPng}) {
    std::optional<EvidenceType> parsed = ParseEvidenceTypeName(EvidenceTypeName(type));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_EQ(EvidenceTypeName(EvidenceType::kJpeg), "jpeg");  // the claim_evidence enum value
  EXPECT_FALSE(ParseEvidenceTypeName("jpg").has_value());
  EXPECT_FALSE(ParseEvidenceTypeName("PDF").has_value());
  EXPECT_FALSE(ParseEvidenceTypeName("").has_value());
}

// ---- file names ----------------------------------------------------------------------------

TEST(EvidenceFileTest, FilenameKeepsLastComponent) {
  const std::vector<std::pair<std::string, std::string>> kept = {
      {"statement.pdf", "statement.pdf"},
      {"../../etc/passwd", "passwd"},
      {"..\\..\\a.pdf", "a.pdf"},
      {"C:\\Users\\张三\\Desktop\\银行流水.jpg", "银行流水.jpg"},
      {"/home/user/docs/receipt 2019.png", "receipt 2019.png"},
      {"a/b\\c/d.pdf", "d.pdf"},
      {"对账单（2019年）.pdf", "对账单（2019年）.pdf"},
      {"阿依古丽·买买提-转账凭证.jpeg", "阿依古丽·买买提-转账凭证.jpeg"},
      {"  padded.pdf  ", "padded.pdf"},
      {".hidden", ".hidden"},
      {"a..b.pdf", "a..b.pdf"},
      {"C:a.pdf", "C_a.pdf"},
      {"what?.pdf", "what_.pdf"},
      {"say \"hi\" <now>|*.pdf", "say _hi_ _now___.pdf"},
      {std::string(4000, 'd') + "/x.pdf", "x.pdf"},  // a long path, a short name
  };
  for (const auto& [input, expected] : kept) {
    StatusOr<std::string> name = SanitizeEvidenceFilename(input, "filename");
    ASSERT_TRUE(name.ok()) << input << ": " << name.status().ToString();
    EXPECT_EQ(*name, expected) << input;
  }
}

TEST(EvidenceFileTest, FilenameRefusals) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"", "must name a file"},
      {"   ", "must name a file"},
      {".", "must name a file"},
      {"..", "must name a file"},
      {"...", "must name a file"},
      {"../..", "must name a file"},
      {"a/", "must name a file"},
      {"a\\", "must name a file"},
      {"dir/.", "must name a file"},
      {"dir/ .. ", "must name a file"},
      {std::string("a\0.pdf", 6), "must not contain control characters"},
      {std::string("a.pdf\0.png", 10), "must not contain control characters"},
      {std::string("dir\0/a.pdf", 10), "must not contain control characters"},
      {"a\tb.pdf", "must not contain control characters"},
      {"a\nb.pdf", "must not contain control characters"},
      {"a\x7F.pdf", "must not contain control characters"},
      {"a\xC2\x85.pdf", "must not contain control characters"},  // U+0085 NEL
      {"invoice\xE2\x80\xAE"
       "fdp.exe",
       "must not contain control characters"},                       // U+202E
      {"a\xE2\x80\x8B.pdf", "must not contain control characters"},  // U+200B
      {"a\xE2\x81\xA6.pdf", "must not contain control characters"},  // U+2066
      {"\xEF\xBB\xBF"
       "a.pdf",
       "must not contain control characters"},  // U+FEFF
      {"\xFF.pdf", "is not valid UTF-8"},
      {"\xC0\xAF.pdf", "is not valid UTF-8"},                  // overlong '/'
      {"\xE5\xAF.pdf", "is not valid UTF-8"},                  // truncated sequence
      {"\xB6\xD4\xD5\xCB\xB5\xA5.pdf", "is not valid UTF-8"},  // GBK "对账单"
      {std::string(201, 'a'), "is too long (at most 200 bytes)"},
      {std::string(4097, 'a'), "is too long (at most 200 bytes)"},
  };
  for (const auto& [input, message] : refused) {
    StatusOr<std::string> name = SanitizeEvidenceFilename(input, "evidence[0].filename");
    ASSERT_FALSE(name.ok()) << "accepted \"" << input << "\" as \"" << *name << "\"";
    EXPECT_EQ(name.status().code(), StatusCode::kInvalidArgument) << input;
    EXPECT_EQ(name.status().field(), "evidence[0].filename") << input;
    EXPECT_EQ(name.status().message(), message) << input;
  }
}

TEST(EvidenceFileTest, FilenameLengthCountsBytes) {
  // 66 three-byte characters and ".pd" is 201 bytes; 66 and ".p" is 200.
  std::string chinese;
  for (int i = 0; i < 66; ++i) chinese += "账";
  EXPECT_TRUE(SanitizeEvidenceFilename(chinese + ".p", "f").ok());
  EXPECT_FALSE(SanitizeEvidenceFilename(chinese + ".pd", "f").ok());
  EXPECT_TRUE(SanitizeEvidenceFilename("dir/" + std::string(200, 'a'), "f").ok());
}

}  // namespace
}  // namespace restitution
