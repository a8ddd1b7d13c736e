// A small blocking HTTP/1.1 client over OpenSSL 3, for restitutionctl's remote audit: one
// keep-alive connection to one service, requests one at a time.
//
// TLS is verified the ordinary way: the peer's chain against the system trust store (or a
// given CA file, for the self-signed certificate deploy/run-local.sh makes), and its name
// against the host of the URL (SNI and SSL_set1_host; IP literals through the certificate's
// IP addresses). Every request has a deadline and every response a size cap, since the
// auditor is talking to a service it does not trust.
#ifndef RESTITUTION_TOOLS_HTTPS_CLIENT_H_
#define RESTITUTION_TOOLS_HTTPS_CLIENT_H_

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "crypto/status.h"

namespace restitution {

struct HttpsClientOptions {
  std::string ca_file;     // PEM bundle to trust instead of the system store; "" for the system's
  bool insecure = false;   // no certificate or name check at all: the caller must warn loudly
  int timeout_ms = 30000;  // per request: connecting, sending and reading the whole response
  size_t max_header_bytes = 64 * 1024;
  size_t max_body_bytes = 256 * 1024 * 1024;
};

struct HttpReply {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined with ", "
  std::string body;                            // de-chunked
};

// The parts of a base URL: "https://host[:port][/prefix]" or "http://...".
struct ServiceUrl {
  bool tls = true;
  std::string host;  // without the brackets of an IPv6 literal
  int port = 443;
  std::string prefix;  // "" or "/something", never ending in '/'
};

// InvalidArgument for anything else: other schemes, user info, a query or fragment, a bad port.
StatusOr<ServiceUrl> ParseServiceUrl(const std::string& url);

class HttpsClient {
 public:
  // Sets up TLS (loads the trust store) without connecting. InvalidArgument for a bad URL or
  // an unreadable CA file.
  static StatusOr<std::unique_ptr<HttpsClient>> Create(const std::string& base_url,
                                                       HttpsClientOptions options = {});
  ~HttpsClient();
  HttpsClient(const HttpsClient&) = delete;
  HttpsClient& operator=(const HttpsClient&) = delete;

  // One request; path (with its query) is appended to the URL's prefix. Connects when needed
  // and retries once on a fresh connection when a kept-alive one turns out to be closed.
  // Unavailable when the service cannot be reached, the TLS check fails, the deadline passes
  // or the response is malformed or too large; any HTTP status is a reply.
  StatusOr<HttpReply> Request(const std::string& method, const std::string& path,
                              const std::string& body = "",
                              const std::vector<std::pair<std::string, std::string>>& headers = {});

  const ServiceUrl& url() const { return url_; }

 private:
  class Connection;
  struct TlsContext;

  HttpsClient(ServiceUrl url, HttpsClientOptions options, std::unique_ptr<TlsContext> tls);
  StatusOr<HttpReply> RequestOnce(const std::string& request, bool head, bool* reused,
                                  bool* sent_any_reply_byte);

  const ServiceUrl url_;
  const HttpsClientOptions options_;
  std::unique_ptr<TlsContext> tls_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace restitution

#endif  // RESTITUTION_TOOLS_HTTPS_CLIENT_H_
