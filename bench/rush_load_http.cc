#include "bench/rush_load_http.h"

#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace restitution::bench {
namespace {

constexpr size_t kMaxHeadBytes = 64 * 1024;
constexpr size_t kMaxChunkLine = 1024;
constexpr int kMaxInterimAnswers = 8;  // 1xx answers before the real one

std::string OpenSslErrors() {
  std::string text;
  for (int n = 0; n < 8; ++n) {  // the queue is short; bound it anyway
    const unsigned long code = ERR_get_error();
    if (code == 0) break;
    char line[256];
    ERR_error_string_n(code, line, sizeof(line));
    text += (text.empty() ? "" : "; ") + std::string(line);
  }
  ERR_clear_error();
  return text.empty() ? "no detail from OpenSSL" : text;
}

Status Malformed(const std::string& what) {
  return Status::Unavailable("malformed HTTP answer: " + what);
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool ContainsIgnoringCase(std::string_view text, std::string_view word) {
  for (size_t at = 0; at + word.size() <= text.size(); ++at) {
    if (EqualsIgnoringCase(text.substr(at, word.size()), word)) return true;
  }
  return false;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// A decimal (base 10) or chunk-size (base 16) number of at most 15 digits; -1 if malformed.
long long ParseNumber(std::string_view text, int base) {
  if (text.empty() || text.size() > 15) return -1;
  long long value = 0;
  for (char c : text) {
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (digit < 0) return -1;
    value = value * base + digit;
  }
  return value;
}

// The parts of an answer's head that matter here.
struct Head {
  int status = 0;
  bool close = false;
  bool chunked = false;
  long long content_length = -1;  // -1: none given
  bool replayed = false;
};

StatusOr<Head> ParseHead(std::string_view text) {
  Head head;
  const size_t line_end = std::min(text.find("\r\n"), text.size());
  const std::string_view status_line = text.substr(0, line_end);
  if (status_line.size() < 12 || status_line.substr(0, 7) != "HTTP/1." || status_line[8] != ' ' ||
      (status_line.size() > 12 && status_line[12] != ' ')) {
    return Malformed("bad status line");
  }
  head.status = static_cast<int>(ParseNumber(status_line.substr(9, 3), 10));
  if (head.status < 100) return Malformed("bad status code");
  head.close = status_line[7] == '0';  // HTTP/1.0 closes unless told otherwise; nginx says 1.1
  size_t pos = line_end + 2;
  while (pos < text.size()) {
    const size_t end = std::min(text.find("\r\n", pos), text.size());
    const std::string_view line = text.substr(pos, end - pos);
    pos = end + 2;
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return Malformed("bad header line");
    const std::string_view name = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (EqualsIgnoringCase(name, "content-length")) {
      head.content_length = ParseNumber(value, 10);
      if (head.content_length < 0) return Malformed("bad Content-Length");
    } else if (EqualsIgnoringCase(name, "transfer-encoding")) {
      if (!EqualsIgnoringCase(value, "chunked")) return Malformed("unsupported transfer coding");
      head.chunked = true;
    } else if (EqualsIgnoringCase(name, "connection")) {
      head.close = ContainsIgnoringCase(value, "close");
    } else if (EqualsIgnoringCase(name, "idempotent-replayed")) {
      head.replayed = true;
    }
  }
  return head;
}

}  // namespace

StatusOr<std::unique_ptr<TlsClient>> TlsClient::Create(const std::string& ca_file,
                                                       const std::string& server_ip) {
  SSL_CTX* context = SSL_CTX_new(TLS_client_method());
  if (context == nullptr) return Status::Internal("SSL_CTX_new: " + OpenSslErrors());
  std::unique_ptr<TlsClient> client(new TlsClient(context, server_ip));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
  if (SSL_CTX_load_verify_locations(context, ca_file.c_str(), nullptr) != 1) {
    return Status::InvalidArgument("ca", "cannot load " + ca_file + ": " + OpenSslErrors());
  }
  return client;
}

TlsClient::~TlsClient() { SSL_CTX_free(context_); }

StatusOr<std::unique_ptr<HttpConnection>> HttpConnection::Open(const TlsClient& tls,
                                                               const sockaddr_in& source,
                                                               const sockaddr_in& server,
                                                               int timeout_ms) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Unavailable(std::string("socket: ") + std::strerror(errno));
  std::unique_ptr<HttpConnection> connection(new HttpConnection(fd));
  const int one = 1;
  // Blocking calls that give up: connect and send honour SO_SNDTIMEO, reads SO_RCVTIMEO.
  timeval timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  // The port is picked at connect, per destination: thousands of connections from one source
  // address would otherwise exhaust its ephemeral ports at bind.
  setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<const sockaddr*>(&source), sizeof(source)) != 0) {
    return Status::Unavailable(std::string("bind: ") + std::strerror(errno));
  }
  if (connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof(server)) != 0) {
    return Status::Unavailable(std::string("connect: ") + std::strerror(errno));
  }
  RETURN_IF_ERROR(connection->Handshake(tls));
  return connection;
}

Status HttpConnection::Handshake(const TlsClient& tls) {
  ssl_ = SSL_new(tls.context());
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
    return Status::Unavailable("TLS set-up: " + OpenSslErrors());
  }
  // An IP literal has no SNI (RFC 6066); the certificate must name the address instead.
  if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), tls.server_ip().c_str()) != 1) {
    return Status::Unavailable("TLS set-up: " + OpenSslErrors());
  }
  ERR_clear_error();
  if (SSL_connect(ssl_) != 1) {
    const long verified = SSL_get_verify_result(ssl_);
    if (verified != X509_V_OK) {
      return Status::Unavailable(std::string("TLS handshake: certificate verification failed: ") +
                                 X509_verify_cert_error_string(verified));
    }
    return Status::Unavailable("TLS handshake: " + OpenSslErrors() + " (" + std::strerror(errno) +
                               ")");
  }
  return Status::Ok();
}

HttpConnection::~HttpConnection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  close(fd_);
}

// Appends what arrives to buffer_; an error at the end of the stream or past the deadline.
Status HttpConnection::Fill() {
  if (Steady::now() > deadline_) return Status::Unavailable("timed out reading the answer");
  char chunk[16384];
  ERR_clear_error();
  errno = 0;
  const int n = SSL_read(ssl_, chunk, sizeof(chunk));
  if (n > 0) {
    buffer_.append(chunk, static_cast<size_t>(n));
    return Status::Ok();
  }
  const int error = SSL_get_error(ssl_, n);
  if (error == SSL_ERROR_ZERO_RETURN)
    return Status::Unavailable("the server closed the connection");
  if (error == SSL_ERROR_WANT_READ) return Status::Unavailable("timed out reading the answer");
  return Status::Unavailable("reading the answer: " + OpenSslErrors() +
                             (errno != 0 ? std::string(" (") + std::strerror(errno) + ")" : ""));
}

// The head of the next answer (status line and headers), consumed from the buffer.
StatusOr<std::string> HttpConnection::ReadHead() {
  size_t end;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (buffer_.size() > kMaxHeadBytes) return Malformed("head too large");
    RETURN_IF_ERROR(Fill());
  }
  if (end > kMaxHeadBytes) return Malformed("head too large");
  std::string head = buffer_.substr(0, end);
  buffer_.erase(0, end + 4);
  return head;
}

Status HttpConnection::ReadChunked(std::string* body) {
  // Each round reads one chunk; the body bound limits the rounds.
  for (;;) {
    size_t line_end;
    while ((line_end = buffer_.find("\r\n")) == std::string::npos) {
      if (buffer_.size() > kMaxChunkLine) return Malformed("chunk size line too long");
      RETURN_IF_ERROR(Fill());
    }
    std::string_view size_text(buffer_.data(), line_end);
    const long long size = ParseNumber(Trim(size_text.substr(0, size_text.find(';'))), 16);
    if (size < 0) return Malformed("bad chunk size");
    buffer_.erase(0, line_end + 2);
    if (size == 0) break;
    if (static_cast<size_t>(size) > kMaxBodyBytes - body->size()) {
      return Malformed("body larger than 1 MiB");
    }
    const size_t length = static_cast<size_t>(size);
    while (buffer_.size() < length + 2) RETURN_IF_ERROR(Fill());
    if (buffer_.compare(length, 2, "\r\n") != 0) return Malformed("chunk without its CRLF");
    body->append(buffer_, 0, length);
    buffer_.erase(0, length + 2);
  }
  // Trailer fields, if any, up to the empty line that ends the message.
  for (size_t trailer_bytes = 0;;) {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos) {
      if (buffer_.size() > kMaxHeadBytes) return Malformed("trailers too large");
      RETURN_IF_ERROR(Fill());
    }
    trailer_bytes += end + 2;
    if (trailer_bytes > kMaxHeadBytes) return Malformed("trailers too large");
    buffer_.erase(0, end + 2);
    if (end == 0) return Status::Ok();
  }
}

StatusOr<HttpAnswer> HttpConnection::Exchange(const std::string& request, int timeout_ms) {
  deadline_ = Steady::now() + std::chrono::milliseconds(timeout_ms);
  reusable_ = false;  // until the answer has been read whole
  ERR_clear_error();
  // One SSL_write: the socket is blocking and OpenSSL 3 writes the whole buffer by default.
  if (SSL_write(ssl_, request.data(), static_cast<int>(request.size())) <= 0) {
    return Status::Unavailable("sending the request: " + OpenSslErrors());
  }
  Head head;
  for (int interim = 0;; ++interim) {
    if (interim > kMaxInterimAnswers) return Malformed("too many interim answers");
    ASSIGN_OR_RETURN(std::string text, ReadHead());
    ASSIGN_OR_RETURN(head, ParseHead(text));
    if (head.status >= 200) break;
  }
  HttpAnswer answer;
  answer.status = head.status;
  answer.replayed = head.replayed;
  if (head.status == 204 || head.status == 304) {
    // No body.
  } else if (head.chunked) {
    RETURN_IF_ERROR(ReadChunked(&answer.body));
  } else if (head.content_length >= 0) {
    if (static_cast<size_t>(head.content_length) > kMaxBodyBytes) {
      return Malformed("body larger than 1 MiB");
    }
    const size_t length = static_cast<size_t>(head.content_length);
    while (buffer_.size() < length) RETURN_IF_ERROR(Fill());
    answer.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
  } else {
    return Malformed("an answer without a length");  // nginx always gives one
  }
  // Bytes beyond the answer mean the two sides disagree about framing: start afresh.
  reusable_ = !head.close && buffer_.empty();
  return answer;
}

}  // namespace restitution::bench
