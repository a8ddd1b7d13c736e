#include "service/multipart.h"

#include <cstdint>
#include <utility>

namespace restitution {
namespace {

constexpr size_t kMaxBoundary = 70;
constexpr char kCrlf[] = "\r\n";

Status Malformed(const std::string& problem) {
  return Status::InvalidArgument("", "the multipart/form-data body " + problem);
}

Status BadContentType(const std::string& problem) {
  return Status::InvalidArgument("Content-Type", problem);
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = AsciiLower(c);
  return out;
}

bool IsAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// RFC 9110 tchar.
bool IsTokenChar(char c) {
  if (IsAlnum(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 8187 attr-char.
bool IsAttrChar(char c) {
  if (IsAlnum(c)) return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '&':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 2046 bchars (space allowed, though not last).
bool IsBoundaryChar(char c) {
  if (IsAlnum(c)) return true;
  switch (c) {
    case '\'':
    case '(':
    case ')':
    case '+':
    case '_':
    case ',':
    case '-':
    case '.':
    case '/':
    case ':':
    case '=':
    case '?':
    case ' ':
      return true;
    default:
      return false;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsOws(char c) { return c == ' ' || c == '\t'; }

std::string_view TrimOws(std::string_view text) {
  while (!text.empty() && IsOws(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsOws(text.back())) text.remove_suffix(1);
  return text;
}

// A header value: `main *( OWS ";" OWS name "=" ( token / quoted-string ) ) OWS`, where main
// is a token (or type "/" subtype). Parameter names are lower-cased; a name given twice is
// refused. Problems are described for `Fail` to wrap.
struct HeaderValue {
  std::string main;
  std::vector<std::pair<std::string, std::string>> params;

  const std::string* Find(const std::string& name) const {
    for (const auto& [n, v] : params) {
      if (n == name) return &v;
    }
    return nullptr;
  }
};

class ValueParser {
 public:
  explicit ValueParser(std::string_view text) : text_(text) {}

  // Returns "" on success, else what is wrong.
  std::string Parse(bool media_type, HeaderValue* out) {
    SkipOws();
    out->main = Lower(Token());
    if (out->main.empty()) return "has no type";
    if (media_type) {
      if (!Take('/')) return "is not a media type";
      const std::string subtype = Lower(Token());
      if (subtype.empty()) return "is not a media type";
      out->main += "/" + subtype;
    }
    while (true) {
      SkipOws();
      if (AtEnd()) return "";
      if (!Take(';')) return "has text where a parameter should start";
      SkipOws();
      const std::string name = Lower(Token());
      if (name.empty()) return "has a parameter without a name";
      if (!Take('=')) return "has a parameter without a value (" + name + ")";
      std::string value;
      if (Peek() == '"') {
        if (!QuotedString(&value)) return "has an unterminated quoted string";
      } else {
        value = std::string(Token());
        if (value.empty()) return "has a parameter without a value (" + name + ")";
      }
      if (out->Find(name) != nullptr) return "names the parameter " + name + " twice";
      out->params.emplace_back(name, std::move(value));
    }
  }

 private:
  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  bool Take(char c) {
    if (Peek() != c || AtEnd()) return false;
    ++pos_;
    return true;
  }
  void SkipOws() {
    while (!AtEnd() && IsOws(text_[pos_])) ++pos_;
  }
  std::string_view Token() {
    const size_t start = pos_;
    while (!AtEnd() && IsTokenChar(text_[pos_])) ++pos_;
    return text_.substr(start, pos_ - start);
  }
  // After the opening quote: qdtext (HTAB, SP, visible ASCII but '"' and '\', bytes >= 0x80),
  // with "\\" and "\"" as escapes and any other backslash kept as it is.
  bool QuotedString(std::string* out) {
    ++pos_;  // the opening quote
    while (!AtEnd()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c == '\\' && !AtEnd() && (text_[pos_] == '"' || text_[pos_] == '\\')) {
        out->push_back(text_[pos_++]);
        continue;
      }
      out->push_back(c);
    }
    return false;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

Status CheckBoundary(std::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) {
    return BadContentType("boundary must be 1 to 70 characters");
  }
  for (char c : boundary) {
    if (!IsBoundaryChar(c)) return BadContentType("boundary has a character RFC 2046 forbids");
  }
  if (boundary.back() == ' ') return BadContentType("boundary must not end in a space");
  return Status::Ok();
}

// filename* = charset "'" [ language ] "'" value-chars (RFC 8187); only UTF-8.
StatusOr<std::string> DecodeExtValue(std::string_view text) {
  const Status bad = Malformed("has a filename* that is not UTF-8''<percent-encoded name>");
  const size_t first = text.find('\'');
  if (first == std::string_view::npos) return bad;
  const size_t second = text.find('\'', first + 1);
  if (second == std::string_view::npos) return bad;
  if (Lower(text.substr(0, first)) != "utf-8") return bad;
  const std::string_view language = text.substr(first + 1, second - first - 1);
  for (char c : language) {
    if (!IsAlnum(c) && c != '-') return bad;
  }
  const std::string_view encoded = text.substr(second + 1);
  for (char c : encoded) {
    if (!IsAttrChar(c) && c != '%') return bad;
  }
  StatusOr<std::string> decoded = PercentDecode(encoded, /*plus_is_space=*/false, "");
  if (!decoded.ok()) return bad;
  return decoded;
}

Status ParseDisposition(std::string_view value, MultipartPart* part) {
  HeaderValue parsed;
  const std::string problem = ValueParser(value).Parse(/*media_type=*/false, &parsed);
  if (!problem.empty()) return Malformed("has a part whose Content-Disposition " + problem);
  if (parsed.main != "form-data") {
    return Malformed("has a part whose Content-Disposition is not form-data");
  }
  const std::string* name = parsed.Find("name");
  if (name == nullptr || name->empty()) return Malformed("has a part without a name");
  part->name = *name;
  if (const std::string* filename = parsed.Find("filename")) part->filename = *filename;
  if (const std::string* extended = parsed.Find("filename*")) {
    ASSIGN_OR_RETURN(std::string decoded, DecodeExtValue(*extended));
    part->filename = std::move(decoded);
  }
  return Status::Ok();
}

// The header block of one part: lines ending in CRLF, without the terminating empty line.
Status ParsePartHeaders(std::string_view block, MultipartPart* part) {
  // Folding (a line starting with whitespace continues the one before) is refused before any
  // line is read, so the error names it rather than the half line before it.
  if (block.find("\r\n ") != std::string_view::npos ||
      block.find("\r\n\t") != std::string_view::npos || (!block.empty() && IsOws(block.front()))) {
    return Malformed("has a folded header line");
  }
  bool seen_disposition = false;
  bool seen_type = false;
  bool seen_encoding = false;
  while (!block.empty()) {
    const size_t end = block.find(kCrlf);
    // The block was cut at a CRLF, so every line has one.
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(end + 2);
    for (char c : line) {
      const auto byte = static_cast<uint8_t>(c);
      if (c == '\r' || c == '\n') return Malformed("has a bare CR or LF in a part's headers");
      if ((byte < 0x20 && c != '\t') || byte == 0x7F) {
        return Malformed("has a control character in a part's headers");
      }
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) return Malformed("has a header line without a colon");
    const std::string_view name = line.substr(0, colon);
    if (name.empty()) return Malformed("has a header line without a name");
    for (char c : name) {
      if (!IsTokenChar(c)) return Malformed("has a header name with a forbidden character");
    }
    const std::string_view value = TrimOws(line.substr(colon + 1));
    const std::string lower = Lower(name);
    if (lower == "content-disposition") {
      if (seen_disposition) return Malformed("has a part with two Content-Disposition headers");
      seen_disposition = true;
      RETURN_IF_ERROR(ParseDisposition(value, part));
    } else if (lower == "content-type") {
      if (seen_type) return Malformed("has a part with two Content-Type headers");
      seen_type = true;
      part->content_type = std::string(value);
    } else if (lower == "content-transfer-encoding") {
      if (seen_encoding) {
        return Malformed("has a part with two Content-Transfer-Encoding headers");
      }
      seen_encoding = true;
      const std::string encoding = Lower(value);
      if (encoding != "binary" && encoding != "8bit" && encoding != "7bit") {
        return Malformed("has a part with a Content-Transfer-Encoding other than binary");
      }
    }
    // Any other header field is ignored (RFC 7578 §4.8).
  }
  if (!seen_disposition) return Malformed("has a part without Content-Disposition");
  return Status::Ok();
}

// A client's field name goes into an error only when it is short, plain ASCII: it may be
// anything, invalid UTF-8 included.
std::string EchoableName(const std::string& name) {
  if (name.size() > 64) return "";
  for (char c : name) {
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '.') return "";
  }
  return name;
}

}  // namespace

bool IsMultipartFormData(std::string_view content_type) {
  const size_t semicolon = content_type.find(';');
  return Lower(TrimOws(content_type.substr(0, semicolon))) == "multipart/form-data";
}

StatusOr<std::string> MultipartFormDataBoundary(std::string_view content_type) {
  HeaderValue parsed;
  const std::string problem = ValueParser(content_type).Parse(/*media_type=*/true, &parsed);
  if (!problem.empty()) return BadContentType(problem);
  if (parsed.main != "multipart/form-data") {
    return BadContentType("must be multipart/form-data");
  }
  const std::string* boundary = parsed.Find("boundary");
  if (boundary == nullptr) return BadContentType("has no boundary");
  RETURN_IF_ERROR(CheckBoundary(*boundary));
  return *boundary;
}

StatusOr<std::vector<MultipartPart>> ParseMultipartFormData(std::string_view body,
                                                            std::string_view boundary,
                                                            const MultipartLimits& limits) {
  RETURN_IF_ERROR(CheckBoundary(boundary));
  const std::string dash_boundary = "--" + std::string(boundary);
  const std::string delimiter = kCrlf + dash_boundary;
  if (body.substr(0, dash_boundary.size()) != dash_boundary) {
    return Malformed("must start with its boundary");
  }
  std::vector<MultipartPart> parts;
  size_t pos = dash_boundary.size();  // just after a boundary
  while (true) {
    const std::string_view after = body.substr(pos, 2);
    if (after == "--") {
      if (parts.empty()) return Malformed("has no parts");
      const std::string_view epilogue = body.substr(pos + 2);
      if (!epilogue.empty() && epilogue != kCrlf) {
        return Malformed("has data after its closing boundary");
      }
      return parts;
    }
    if (after != kCrlf) {
      return parts.empty() ? Malformed("must have CRLF after its first boundary")
                           : Malformed("contains its boundary inside a part");
    }
    pos += 2;
    if (parts.size() >= limits.max_parts) {
      return Malformed("has more than " + std::to_string(limits.max_parts) + " parts");
    }
    // The header block ends at an empty line. Only the first max_header_bytes are searched,
    // so a part without one costs no scan of the whole body.
    size_t content_start = 0;
    std::string_view block;
    if (body.substr(pos, 2) == kCrlf) {
      content_start = pos + 2;
    } else {
      const size_t end = body.substr(pos, limits.max_header_bytes).find("\r\n\r\n");
      if (end == std::string_view::npos) {
        return Malformed("has a part whose headers are unterminated or longer than " +
                         std::to_string(limits.max_header_bytes) + " bytes");
      }
      block = body.substr(pos, end + 2);
      content_start = pos + end + 4;
    }
    MultipartPart part;
    RETURN_IF_ERROR(ParsePartHeaders(block, &part));
    const size_t next = body.find(delimiter, content_start);
    if (next == std::string_view::npos) return Malformed("ends without its closing boundary");
    part.offset = content_start;
    part.size = next - content_start;
    parts.push_back(std::move(part));
    pos = next + delimiter.size();
  }
}

StatusOr<SingleFileForm> ParseSingleFileForm(std::string_view body, std::string_view boundary,
                                             const std::string& file_field,
                                             const std::vector<std::string>& fields,
                                             const MultipartLimits& limits) {
  ASSIGN_OR_RETURN(std::vector<MultipartPart> parts,
                   ParseMultipartFormData(body, boundary, limits));
  SingleFileForm form;
  bool have_file = false;
  for (MultipartPart& part : parts) {
    if (part.name == file_field) {
      if (have_file) return Status::InvalidArgument(file_field, "send one file per request");
      if (!part.filename) {
        return Status::InvalidArgument(file_field, "must be a file part (with a filename)");
      }
      form.file = std::move(part);
      have_file = true;
      continue;
    }
    bool known = false;
    for (const std::string& field : fields) known = known || part.name == field;
    if (!known) {
      return Status::InvalidArgument(EchoableName(part.name),
                                     "is not a field of this form (unknown form field)");
    }
    if (part.filename) return Status::InvalidArgument(part.name, "must be a field, not a file");
    if (part.size > limits.max_field_bytes) {
      return Status::InvalidArgument(part.name, "is too long");
    }
    if (!form.fields.emplace(part.name, std::string(part.Content(body))).second) {
      return Status::InvalidArgument(part.name, "is given twice");
    }
  }
  if (!have_file) return Status::InvalidArgument(file_field, "is required");
  return form;
}

StatusOr<std::string> PercentDecode(std::string_view text, bool plus_is_space,
                                    const std::string& field) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      const bool complete = i + 2 < text.size();
      const int high = complete ? HexValue(text[i + 1]) : -1;
      const int low = complete ? HexValue(text[i + 2]) : -1;
      if (high < 0 || low < 0) {
        return Status::InvalidArgument(field, "has a '%' not followed by two hex digits");
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PercentEncodeAttrChars(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char c : text) {
    if (IsAttrChar(c)) {
      out.push_back(c);
    } else {
      const auto byte = static_cast<uint8_t>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0F]);
    }
  }
  return out;
}

}  // namespace restitution
