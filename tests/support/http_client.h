// A small blocking HTTP/1.1 client for end-to-end tests: real sockets to a real restitutiond.
#ifndef RESTITUTION_TESTS_SUPPORT_HTTP_CLIENT_H_
#define RESTITUTION_TESTS_SUPPORT_HTTP_CLIENT_H_

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace restitution::testing {

struct ClientResponse {
  int status = 0;                              // 0: no response (connection failed or closed)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;

  nlohmann::json Json() const;     // discarded value if the body is not JSON
  std::string ErrorCode() const;   // .error.code or ""
  std::string ErrorField() const;  // .error.field or ""
};

class HttpClient {
 public:
  explicit HttpClient(int port) : port_(port) {}

  // One request on a fresh connection (Connection: close).
  ClientResponse Send(const std::string& method, const std::string& path,
                      const std::string& body = "",
                      const std::vector<std::pair<std::string, std::string>>& headers = {}) const;
  // Sends raw bytes and reads until the server closes or answers one response.
  ClientResponse SendRaw(const std::string& bytes) const;
  // Several requests on one keep-alive connection; one response each.
  std::vector<ClientResponse> SendKeepAlive(const std::vector<std::string>& paths) const;

  ClientResponse Get(const std::string& path, const std::string& token = "") const;
  ClientResponse PostJson(const std::string& path, const nlohmann::json& body,
                          const std::string& token = "",
                          const std::string& idempotency_key = "") const;

 private:
  int port_;
};

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SUPPORT_HTTP_CLIENT_H_
