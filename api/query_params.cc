#include "api/query_params.h"

#include <cstring>

namespace restitution {

std::string PercentDecode(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex(text[i + 1]);
      const int low = hex(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

Status RejectUnknownQueryParams(const HttpRequest& request,
                                std::initializer_list<const char*> allowed) {
  for (const auto& [name, value] : request.query) {
    bool known = false;
    for (const char* a : allowed) known = known || name == a;
    if (!known) return Status::InvalidArgument(name, "unknown query parameter");
  }
  return Status::Ok();
}

StatusOr<uint64_t> RequiredUintParam(const HttpRequest& request, const std::string& name,
                                     uint64_t max) {
  auto it = request.query.find(name);
  if (it == request.query.end()) return Status::InvalidArgument(name, "is required");
  const std::string& text = it->second;
  const Status bad =
      Status::InvalidArgument(name, "must be a whole number from 0 to " + std::to_string(max));
  if (text.empty() || text.size() > 20) return bad;
  if (text.size() > 1 && text[0] == '0') return bad;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return bad;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (digit > max || value > (max - digit) / 10) return bad;
    value = value * 10 + digit;
  }
  return value;
}

StatusOr<uint64_t> OptionalUintParam(const HttpRequest& request, const std::string& name,
                                     uint64_t default_value, uint64_t max) {
  if (request.query.find(name) == request.query.end()) return default_value;
  return RequiredUintParam(request, name, max);
}

StatusOr<int64_t> ParsePathId(const std::map<std::string, std::string>& params,
                              const std::string& name, const std::string& what) {
  auto it = params.find(name);
  const Status absent = Status::NotFound(what + " not found");
  if (it == params.end()) return absent;
  HttpRequest probe;
  probe.query[name] = it->second;
  StatusOr<uint64_t> id = RequiredUintParam(probe, name, 9223372036854775807ULL);
  if (!id.ok() || *id == 0) return absent;
  return static_cast<int64_t>(*id);
}

}  // namespace restitution
