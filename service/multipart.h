// multipart/form-data (RFC 7578, over the multipart syntax of RFC 2046 §5.1), parsed strictly:
// browsers, curl and the common HTTP libraries all write exactly this subset, and anything
// looser only helps a request mean two things to two parsers (a proxy, a scanner, us).
//
//   - The body starts with the first delimiter: no preamble. After the close delimiter comes
//     nothing or exactly one CRLF: no epilogue.
//   - Lines end in CRLF; a bare LF or CR in a header block is refused. Delimiters carry no
//     transport padding.
//   - The boundary must not occur inside a part: "CRLF--boundary" followed by anything but
//     CRLF or "--" is refused, as is a body that ends without the close delimiter.
//   - Header lines are `token ":" value`, no obsolete line folding, no control characters
//     (tab aside); bytes above 0x7F are allowed in values, because browsers send file names
//     as raw UTF-8. Each part has exactly one Content-Disposition of type form-data with a
//     non-empty name; Content-Type at most once; Content-Transfer-Encoding at most once and
//     only 7bit, 8bit or binary. Other header fields are ignored (RFC 7578 §4.8).
//   - Disposition parameters are tokens or quoted strings, each name at most once. Inside a
//     quoted string a backslash escapes only '"' and '\'; before any other character it is a
//     literal backslash, so a Windows path sent unescaped ("C:\Users\a.pdf") survives for
//     the caller to cut down to its last component. filename* (RFC 5987/8187, UTF-8 only) is
//     accepted and wins over filename.
//
// The parser is pure: it never copies part contents, only reports where they are.
#ifndef RESTITUTION_SERVICE_MULTIPART_H_
#define RESTITUTION_SERVICE_MULTIPART_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace restitution {

struct MultipartLimits {
  size_t max_parts = 8;
  // One part's header block, its terminating empty line included.
  size_t max_header_bytes = 8 * 1024;
  // A plain (non-file) field's value, for ParseSingleFileForm.
  size_t max_field_bytes = 1024;
};

struct MultipartPart {
  std::string name;                     // Content-Disposition name: the form field
  std::optional<std::string> filename;  // as sent (not sanitised); set for file parts
  std::string content_type;             // as sent, or "" when absent
  size_t offset = 0;                    // where the content starts in the body
  size_t size = 0;                      // its length in bytes

  std::string_view Content(std::string_view body) const { return body.substr(offset, size); }
};

// True when a Content-Type header value names multipart/form-data (case-insensitive, with or
// without parameters).
bool IsMultipartFormData(std::string_view content_type);

// The boundary parameter of a "multipart/form-data; boundary=…" Content-Type value, unquoted.
// InvalidArgument naming "Content-Type" when the type is another one, or the boundary is
// missing, given twice, empty, longer than 70 characters, ends in a space or uses characters
// outside RFC 2046's bchars.
StatusOr<std::string> MultipartFormDataBoundary(std::string_view content_type);

// The parts in body order. Malformed structure is InvalidArgument with an empty field (the
// body as a whole, as for malformed JSON); more parts than limits.max_parts, or a header block
// above limits.max_header_bytes, likewise.
StatusOr<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view body,
                                                            std::string_view boundary,
                                                            const MultipartLimits& limits = {});

// A form carrying one file: exactly one part named `file_field` with a filename, and plain
// fields (no filename) named in `fields`, each at most once and at most max_field_bytes long.
// InvalidArgument naming the field at fault: file_field when the file is missing, sent twice or
// sent without a filename; a plain field sent twice, as a file, or too long; an unknown field
// (named only when it is short plain ASCII, else the body as a whole).
struct SingleFileForm {
  MultipartPart file;
  std::map<std::string, std::string> fields;  // the plain fields present, by name
};
StatusOr<SingleFileForm> ParseSingleFileForm(std::string_view body, std::string_view boundary,
                                             const std::string& file_field,
                                             const std::vector<std::string>& fields,
                                             const MultipartLimits& limits = {});

// Percent-decoding (RFC 3986 §2.1): "%" must be followed by two hex digits; with
// plus_is_space (query strings, application/x-www-form-urlencoded) '+' is a space.
// InvalidArgument naming `field` otherwise. The result is bytes: validate them as UTF-8 where
// text is expected.
StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space,
                                    const std::string& field);

// RFC 8187 ext-value encoding of UTF-8 text for a header parameter such as filename*: every
// byte outside attr-char (ALPHA, DIGIT, !#$&+-.^_`|~) as %XX, upper-case hex.
std::string PercentEncodeAttrChars(std::string_view text);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_MULTIPART_H_
