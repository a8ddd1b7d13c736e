#include "tests/support/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstring>

namespace restitution::testing {
namespace {

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval timeout{30, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool WriteAll(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Reads one response from fd, keeping any surplus bytes in *buffer for the next one.
ClientResponse ReadResponse(int fd, std::string* buffer) {
  ClientResponse response;
  auto fill = [&]() {
    char chunk[16384];
    ssize_t n = recv(fd, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer->append(chunk, static_cast<size_t>(n));
    return true;
  };
  size_t header_end;
  while ((header_end = buffer->find("\r\n\r\n")) == std::string::npos) {
    if (!fill()) return response;
  }
  const std::string head = buffer->substr(0, header_end);
  size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) return response;
  response.status = std::atoi(status_line.substr(9, 3).c_str());
  size_t pos = line_end == std::string::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t end = head.find("\r\n", pos);
    if (end == std::string::npos) end = head.size();
    const std::string line = head.substr(pos, end - pos);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      response.headers[Lower(line.substr(0, colon))] = value;
    }
    pos = end + 2;
  }
  buffer->erase(0, header_end + 4);
  size_t length = 0;
  auto it = response.headers.find("content-length");
  if (it != response.headers.end()) length = std::strtoul(it->second.c_str(), nullptr, 10);
  while (buffer->size() < length) {
    if (!fill()) break;
  }
  response.body = buffer->substr(0, length);
  buffer->erase(0, std::min(length, buffer->size()));
  return response;
}

std::string BuildRequest(const std::string& method, const std::string& path,
                         const std::string& body,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         bool keep_alive) {
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += keep_alive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
  request += "\r\n" + body;
  return request;
}

}  // namespace

nlohmann::json ClientResponse::Json() const { return nlohmann::json::parse(body, nullptr, false); }

std::string ClientResponse::ErrorCode() const {
  nlohmann::json json = Json();
  if (json.is_object() && json.contains("error") && json["error"].is_object() &&
      json["error"].contains("code") && json["error"]["code"].is_string()) {
    return json["error"]["code"];
  }
  return "";
}

std::string ClientResponse::ErrorField() const {
  nlohmann::json json = Json();
  if (json.is_object() && json.contains("error") && json["error"].is_object() &&
      json["error"].contains("field") && json["error"]["field"].is_string()) {
    return json["error"]["field"];
  }
  return "";
}

ClientResponse HttpClient::SendRaw(const std::string& bytes) const {
  int fd = Connect(port_);
  if (fd < 0) return {};
  std::string buffer;
  ClientResponse response = WriteAll(fd, bytes) ? ReadResponse(fd, &buffer) : ClientResponse{};
  close(fd);
  return response;
}

ClientResponse HttpClient::Send(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) const {
  return SendRaw(BuildRequest(method, path, body, headers, false));
}

std::vector<ClientResponse> HttpClient::SendKeepAlive(const std::vector<std::string>& paths) const {
  std::vector<ClientResponse> responses;
  int fd = Connect(port_);
  if (fd < 0) return responses;
  std::string buffer;
  for (const std::string& path : paths) {
    if (!WriteAll(fd, BuildRequest("GET", path, "", {}, true))) break;
    responses.push_back(ReadResponse(fd, &buffer));
  }
  close(fd);
  return responses;
}

ClientResponse HttpClient::Get(const std::string& path, const std::string& token) const {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  return Send("GET", path, "", headers);
}

ClientResponse HttpClient::PostJson(const std::string& path, const nlohmann::json& body,
                                    const std::string& token,
                                    const std::string& idempotency_key) const {
  std::vector<std::pair<std::string, std::string>> headers = {{"Content-Type", "application/json"}};
  if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
  if (!idempotency_key.empty()) headers.emplace_back("Idempotency-Key", idempotency_key);
  return Send("POST", path, body.dump(), headers);
}

}  // namespace restitution::testing
