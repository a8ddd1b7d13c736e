// rush_load's client side: one keep-alive HTTP/1.1 connection over TLS from a chosen loopback
// source address, blocking, one request at a time. nginx limits requests per source address,
// so a rush has to come from many; each connection binds its own before connecting.
#ifndef RESTITUTION_BENCH_RUSH_LOAD_HTTP_H_
#define RESTITUTION_BENCH_RUSH_LOAD_HTTP_H_

#include <netinet/in.h>

#include <memory>
#include <string>

#include "bench/bench_support.h"
#include "crypto/status.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace restitution::bench {

// Every answer larger than this is refused as an error: the service's answers are small.
constexpr size_t kMaxBodyBytes = 1 << 20;

struct HttpAnswer {
  int status = 0;
  std::string body;       // de-chunked
  bool replayed = false;  // the Idempotent-Replayed header was there
};

// The client's TLS settings, shared by every connection: the server's chain is verified
// against the CA file and its certificate must name the server's IP address.
class TlsClient {
 public:
  // InvalidArgument when the CA file cannot be loaded.
  static StatusOr<std::unique_ptr<TlsClient>> Create(const std::string& ca_file,
                                                     const std::string& server_ip);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  SSL_CTX* context() const { return context_; }
  const std::string& server_ip() const { return server_ip_; }

 private:
  TlsClient(SSL_CTX* context, std::string server_ip)
      : context_(context), server_ip_(std::move(server_ip)) {}
  SSL_CTX* context_;
  std::string server_ip_;
};

class HttpConnection {
 public:
  // Binds to `source`, connects to `server` and completes the TLS handshake, all within
  // timeout_ms. Unavailable on any failure.
  static StatusOr<std::unique_ptr<HttpConnection>> Open(const TlsClient& tls,
                                                        const sockaddr_in& source,
                                                        const sockaddr_in& server, int timeout_ms);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends a whole request and reads its answer within timeout_ms. Unavailable on a network
  // error or a malformed or oversized answer; the connection is unusable afterwards.
  StatusOr<HttpAnswer> Exchange(const std::string& request, int timeout_ms);

  // False after an error or when the server said it closes (Connection: close).
  bool reusable() const { return reusable_; }

 private:
  explicit HttpConnection(int fd) : fd_(fd) {}
  Status Handshake(const TlsClient& tls);
  Status Fill();
  StatusOr<std::string> ReadHead();
  Status ReadChunked(std::string* body);

  int fd_;
  SSL* ssl_ = nullptr;
  std::string buffer_;  // received, not yet consumed
  bool reusable_ = true;
  Steady::time_point deadline_;  // of the exchange under way
};

}  // namespace restitution::bench

#endif  // RESTITUTION_BENCH_RUSH_LOAD_HTTP_H_
