// Evidence files a claimant uploads (bank statements, receipts, contracts, an agent's power of
// attorney): PDF, JPEG or PNG, recognised by their content and never by their name, because
// officers open these files and a name is whatever the uploader says it is.
//
// The checks are structural, not a full decode: enough that a renamed executable, an HTML page,
// an archive or a truncated upload is refused at the door with a message the claimant can act
// on, while every file a phone, scanner or office program writes passes.
#ifndef RESTITUTION_SERVICE_EVIDENCE_FILE_H_
#define RESTITUTION_SERVICE_EVIDENCE_FILE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

// Per file; the HTTP layer answers 413 above it (DetectEvidenceType also refuses it).
constexpr size_t kMaxEvidenceBytes = size_t{10} * 1024 * 1024;
// Per claim, evidence and authority documents together.
constexpr size_t kMaxEvidencePerClaim = 20;

enum class EvidenceType { kPdf, kJpeg, kPng };

// By content:
//   PDF   starts with "%PDF-1." or "%PDF-2." and has "%%EOF" within its last 1024 bytes;
//   JPEG  starts FF D8 FF, ends FF D9 (up to 16 zero bytes of padding after it allowed), and
//         its marker segments up to the first start-of-scan are well formed and include a
//         frame header;
//   PNG   the 8-byte signature, IHDR first (length 13, correct CRC-32, non-zero size), a chain
//         of chunks whose lengths add up, and IEND (correct CRC-32) as the very last bytes.
// Anything else, the empty file included, is InvalidArgument(field, "must be a PDF, JPEG or
// PNG file"); more than kMaxEvidenceBytes is TooLarge.
StatusOr<EvidenceType> DetectEvidenceType(std::string_view bytes, const std::string& field);

// "application/pdf", "image/jpeg", "image/png".
std::string_view EvidenceMimeType(EvidenceType type);
// Without the dot: "pdf", "jpg", "png".
std::string_view EvidenceExtension(EvidenceType type);
// The stored name (claim_evidence.media_type): "pdf", "jpeg", "png".
std::string_view EvidenceTypeName(EvidenceType type);
std::optional<EvidenceType> ParseEvidenceTypeName(std::string_view name);

// The name to keep and show for an uploaded file. Browsers and scripts may send a whole path
// ("C:\Users\x\对账单.pdf", "../../etc/passwd"): only the last component after '/' or '\' is
// kept, with surrounding ASCII spaces removed, and the characters Windows forbids in names and
// that would need quoting in a Content-Disposition header (< > : " | ? *) become '_'. Chinese
// and other non-ASCII text is kept as it is. Refused with InvalidArgument naming `field`:
// invalid UTF-8 ("is not valid UTF-8"), control characters anywhere, including the invisible
// Unicode format characters that can disguise an extension such as U+202E ("must not contain
// control characters"), nothing left, or only dots ("must name a file"), and a kept name of
// more than 200 bytes ("is too long (at most 200 bytes)").
StatusOr<std::string> SanitizeEvidenceFilename(std::string_view name, const std::string& field);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_EVIDENCE_FILE_H_
