// multipart/form-data (service/multipart.h), the upload parser in front of evidence files and
// seized books. The input's first line is the Content-Type value, the rest is the body.
// Invariants: parts lie inside the body, in order, without overlap, and never contain the
// delimiter; the limits hold; accepted parts written back out in the plain form browsers use
// parse to the same parts; percent-decoding inverts PercentEncodeAttrChars.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/multipart.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution {
namespace {

constexpr char kFallbackBoundary[] = "----fuzzBoundary7MA4YWxk";

bool HeaderSafe(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
  }
  return true;
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// The parts as a browser would send them, or "" when a value cannot travel in a header.
std::string Render(const std::vector<MultipartPart>& parts, std::string_view body,
                   std::string_view boundary) {
  std::string out;
  for (const MultipartPart& part : parts) {
    if (!HeaderSafe(part.name) || !HeaderSafe(part.content_type) ||
        (part.filename && !HeaderSafe(*part.filename))) {
      return "";
    }
    out += "--" + std::string(boundary) +
           "\r\nContent-Disposition: form-data; name=" + Quoted(part.name);
    if (part.filename) out += "; filename=" + Quoted(*part.filename);
    out += "\r\n";
    if (!part.content_type.empty()) out += "Content-Type: " + part.content_type + "\r\n";
    out += "\r\n";
    out += part.Content(body);
    out += "\r\n";
  }
  return out + "--" + std::string(boundary) + "--\r\n";
}

void CheckBody(std::string_view body, std::string_view boundary) {
  const MultipartLimits limits;
  const StatusOr<std::vector<MultipartPart>> parsed =
      ParseMultipartFormData(body, boundary, limits);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument, parsed.status().ToString());
    return;
  }
  const std::vector<MultipartPart>& parts = *parsed;
  FUZZ_CHECK(!parts.empty() || body.substr(0, 2) == "--", "a form starts with a delimiter");
  FUZZ_CHECK(parts.size() <= limits.max_parts, "at most max_parts");
  const std::string delimiter = "\r\n--" + std::string(boundary);
  size_t end = 0;
  for (const MultipartPart& part : parts) {
    FUZZ_CHECK(!part.name.empty(), "every part has a name");
    FUZZ_CHECK(
        part.offset >= end && part.offset <= body.size() && part.size <= body.size() - part.offset,
        "parts lie inside the body, in order");
    end = part.offset + part.size;
    FUZZ_CHECK(part.Content(body).find(delimiter) == std::string_view::npos,
               "no part contains the delimiter");
  }

  const std::string rendered = Render(parts, body, boundary);
  if (rendered.empty()) return;
  const StatusOr<std::vector<MultipartPart>> again =
      ParseMultipartFormData(rendered, boundary, limits);
  FUZZ_CHECK(again.ok() && again->size() == parts.size(),
             "the parts written back parse: " + again.status().ToString());
  for (size_t i = 0; i < parts.size(); ++i) {
    const MultipartPart& a = parts[i];
    const MultipartPart& b = (*again)[i];
    FUZZ_CHECK(a.name == b.name && a.filename == b.filename && a.content_type == b.content_type &&
                   a.Content(body) == b.Content(rendered),
               "the same part after a round trip");
  }

  const StatusOr<SingleFileForm> form =
      ParseSingleFileForm(body, boundary, "file", {"note", "kind"}, limits);
  if (form.ok()) {
    FUZZ_CHECK(form->file.name == "file" && form->file.filename.has_value(), "the file part");
    for (const auto& [name, value] : form->fields) {
      FUZZ_CHECK(name == "note" || name == "kind", "only the fields asked for");
      FUZZ_CHECK(value.size() <= limits.max_field_bytes, "fields are bounded");
    }
  } else {
    FUZZ_CHECK(form.status().code() == StatusCode::kInvalidArgument, form.status().ToString());
  }
}

void CheckPercent(std::string_view text) {
  for (bool plus_is_space : {false, true}) {
    const StatusOr<std::string> decoded = PercentDecode(text, plus_is_space, "q");
    if (!decoded.ok()) {
      FUZZ_CHECK(decoded.status().code() == StatusCode::kInvalidArgument &&
                     decoded.status().field() == "q",
                 "InvalidArgument naming the field");
      continue;
    }
    FUZZ_CHECK(decoded->size() <= text.size(), "decoding never grows the text");
    const std::string encoded = PercentEncodeAttrChars(*decoded);
    const StatusOr<std::string> back = PercentDecode(encoded, false, "q");
    FUZZ_CHECK(back.ok() && *back == *decoded, "PercentDecode inverts PercentEncodeAttrChars");
  }
}

}  // namespace
}  // namespace restitution

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text = restitution::fuzz::AsText(data + 1, size - 1);
  if (data[0] % 4 == 0) {
    restitution::CheckPercent(text);
    return 0;
  }
  const size_t newline = text.find('\n');
  const std::string_view content_type = text.substr(0, newline);
  const std::string_view body =
      newline == std::string_view::npos ? std::string_view() : text.substr(newline + 1);
  const restitution::StatusOr<std::string> boundary =
      restitution::MultipartFormDataBoundary(content_type);
  if (boundary.ok()) {
    FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70, "boundary length");
    FUZZ_CHECK(restitution::IsMultipartFormData(content_type), "a boundary means form-data");
  }
  restitution::CheckBody(body, boundary.ok() ? *boundary : restitution::kFallbackBoundary);
  return 0;
}
