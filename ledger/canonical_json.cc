#include "ledger/canonical_json.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "ledger/utf8.h"

namespace restitution::ledger {

namespace {

using Json = nlohmann::json;

// Object keys compare as unsigned bytes, shorter prefix first (memcmp order). Spelled out
// rather than left to std::map's ordering so the canonical order never depends on how the
// JSON library happens to store objects.
bool KeyBytesLess(const std::string& a, const std::string& b) {
  const int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  return c != 0 ? c < 0 : a.size() < b.size();
}

Status AppendString(const std::string& s, std::string* out) {
  if (!IsValidUtf8(s)) return Status::InvalidArgument("", "string is not valid UTF-8");
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : s) {
    const unsigned char byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out->append("\\u00");
          out->push_back(kHex[byte >> 4]);
          out->push_back(kHex[byte & 0xf]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
  return Status::Ok();
}

Status Append(const Json& value, int depth, std::string* out) {
  switch (value.type()) {
    case Json::value_t::null:
      out->append("null");
      return Status::Ok();
    case Json::value_t::boolean:
      out->append(value.get<bool>() ? "true" : "false");
      return Status::Ok();
    case Json::value_t::number_integer:
      out->append(std::to_string(value.get<int64_t>()));
      return Status::Ok();
    case Json::value_t::number_unsigned: {
      const uint64_t u = value.get<uint64_t>();
      if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Status::InvalidArgument("",
                                       "integer " + std::to_string(u) + " is larger than 2^63 - 1");
      }
      out->append(std::to_string(u));
      return Status::Ok();
    }
    case Json::value_t::number_float:
      return Status::InvalidArgument("", "floating-point numbers are not allowed");
    case Json::value_t::string:
      return AppendString(value.get_ref<const std::string&>(), out);
    case Json::value_t::array: {
      if (depth >= kMaxCanonicalJsonDepth) {
        return Status::InvalidArgument("", "JSON is nested too deeply");
      }
      out->push_back('[');
      bool first = true;
      for (const Json& element : value) {
        if (!first) out->push_back(',');
        first = false;
        RETURN_IF_ERROR(Append(element, depth + 1, out));
      }
      out->push_back(']');
      return Status::Ok();
    }
    case Json::value_t::object: {
      if (depth >= kMaxCanonicalJsonDepth) {
        return Status::InvalidArgument("", "JSON is nested too deeply");
      }
      std::vector<std::pair<const std::string*, const Json*>> members;
      members.reserve(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) {
        members.emplace_back(&it.key(), &it.value());
      }
      std::sort(members.begin(), members.end(),
                [](const auto& a, const auto& b) { return KeyBytesLess(*a.first, *b.first); });
      out->push_back('{');
      bool first = true;
      for (const auto& [key, member] : members) {
        if (!first) out->push_back(',');
        first = false;
        RETURN_IF_ERROR(AppendString(*key, out));
        out->push_back(':');
        RETURN_IF_ERROR(Append(*member, depth + 1, out));
      }
      out->push_back('}');
      return Status::Ok();
    }
    case Json::value_t::binary:
      return Status::InvalidArgument("", "binary values are not JSON");
    case Json::value_t::discarded:
      break;
  }
  return Status::InvalidArgument("", "not a JSON value");
}

}  // namespace

StatusOr<std::string> CanonicalJson(const nlohmann::json& value) {
  std::string out;
  RETURN_IF_ERROR(Append(value, 0, &out));
  return out;
}

StatusOr<nlohmann::json> ParseCanonicalJson(std::string_view bytes) {
  // nlohmann's parser is iterative, so deep input cannot overflow the stack here; the depth
  // limit is enforced by the re-encoding below.
  Json value = Json::parse(bytes.begin(), bytes.end(), /*cb=*/nullptr,
                           /*allow_exceptions=*/false, /*ignore_comments=*/false);
  if (value.is_discarded()) return Status::InvalidArgument("", "not valid JSON");
  ASSIGN_OR_RETURN(std::string canonical, CanonicalJson(value));
  if (canonical != bytes) return Status::InvalidArgument("", "JSON is not in canonical form");
  return value;
}

}  // namespace restitution::ledger
