// The HTTP request and response as the rest of api/ sees them: plain values, copied out of
// Pistache on the reactor thread so a worker can own them.
#ifndef RESTITUTION_API_HTTP_TYPES_H_
#define RESTITUTION_API_HTTP_TYPES_H_

#include <chrono>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace restitution {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client_address;  // X-Real-IP from the local nginx, else the peer address
  std::string request_id;
  std::chrono::steady_clock::time_point received_at;

  // Header value or "" (names are matched case-insensitively).
  std::string Header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

}  // namespace restitution

#endif  // RESTITUTION_API_HTTP_TYPES_H_
