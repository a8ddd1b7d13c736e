#include "tools/https_client.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace restitution {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr size_t kMaxChunkLine = 1024;
constexpr size_t kMaxTrailerBytes = 16 * 1024;

std::string OpenSslErrors() {
  std::string text;
  unsigned long code = 0;
  while ((code = ERR_get_error()) != 0) {
    char line[256];
    ERR_error_string_n(code, line, sizeof(line));
    if (!text.empty()) text += "; ";
    text += line;
  }
  return text.empty() ? "no detail from OpenSSL" : text;
}

int RemainingMs(SteadyClock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

// Waits until fd is ready for `events` (POLLIN or POLLOUT) or the deadline passes.
Status WaitFor(int fd, short events, SteadyClock::time_point deadline, const std::string& what) {
  for (;;) {
    const int timeout = RemainingMs(deadline);
    if (timeout == 0) return Status::Unavailable("timed out " + what);
    pollfd p{fd, events, 0};
    const int n = poll(&p, 1, timeout);
    if (n > 0) return Status::Ok();
    if (n == 0) return Status::Unavailable("timed out " + what);
    if (errno != EINTR) return Status::Unavailable(what + ": poll: " + std::strerror(errno));
  }
}

bool IsIpLiteral(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), address) == 1 ||
         inet_pton(AF_INET6, host.c_str(), address) == 1;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

Status Malformed(const std::string& what) {
  return Status::Unavailable("malformed HTTP response: " + what);
}

}  // namespace

StatusOr<ServiceUrl> ParseServiceUrl(const std::string& url) {
  const auto bad = [](const std::string& why) {
    return Status::InvalidArgument("url", "invalid service URL: " + why);
  };
  ServiceUrl parsed;
  std::string_view rest = url;
  const std::string lower = Lower(url.substr(0, 8));
  if (lower.rfind("https://", 0) == 0) {
    rest.remove_prefix(8);
  } else if (lower.rfind("http://", 0) == 0) {
    parsed.tls = false;
    parsed.port = 80;
    rest.remove_prefix(7);
  } else {
    return bad("must start with https:// or http://");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) return bad("no query or fragment");
  const size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) return bad("no user name or password");
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed IPv6 literal");
    parsed.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return bad("junk after the IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return bad("empty port");
    }
    unsigned char address[sizeof(in6_addr)];
    if (inet_pton(AF_INET6, parsed.host.c_str(), address) != 1) return bad("bad IPv6 literal");
  } else {
    const size_t colon = authority.find(':');
    parsed.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return bad("empty port");
    }
    for (char c : parsed.host) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') {
        return bad("host name may hold letters, digits, '-' and '.' only");
      }
    }
  }
  if (parsed.host.empty()) return bad("no host");
  if (!port_text.empty()) {
    if (port_text.size() > 5) return bad("port out of range");
    int port = 0;
    for (char c : port_text) {
      if (c < '0' || c > '9') return bad("port is not a number");
      port = port * 10 + (c - '0');
    }
    if (port < 1 || port > 65535) return bad("port out of range");
    parsed.port = port;
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  parsed.prefix = std::string(path);
  return parsed;
}

struct HttpsClient::TlsContext {
  SSL_CTX* ctx = nullptr;
  ~TlsContext() { SSL_CTX_free(ctx); }
};

// One TCP connection, with TLS or without, and the bytes read but not yet consumed.
class HttpsClient::Connection {
 public:
  static StatusOr<std::unique_ptr<Connection>> Open(const ServiceUrl& url, SSL_CTX* ctx,
                                                    bool verify, SteadyClock::time_point deadline) {
    const std::string where = url.host + ":" + std::to_string(url.port);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    addrinfo* addresses = nullptr;
    const int resolved =
        getaddrinfo(url.host.c_str(), std::to_string(url.port).c_str(), &hints, &addresses);
    if (resolved != 0) {
      return Status::Unavailable("cannot resolve " + url.host + ": " + gai_strerror(resolved));
    }
    std::string errors;
    int fd = -1;
    for (addrinfo* a = addresses; a != nullptr && fd < 0; a = a->ai_next) {
      fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      Status connected = Status::Ok();
      if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
          connected = Status::Unavailable(std::strerror(errno));
        } else {
          connected = WaitFor(fd, POLLOUT, deadline, "connecting to " + where);
          int error = 0;
          socklen_t length = sizeof(error);
          if (connected.ok() &&
              (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0)) {
            connected = Status::Unavailable(std::strerror(error != 0 ? error : errno));
          }
        }
      }
      if (!connected.ok()) {
        errors += (errors.empty() ? "" : "; ") + connected.message();
        close(fd);
        fd = -1;
      }
    }
    freeaddrinfo(addresses);
    if (fd < 0) return Status::Unavailable("cannot connect to " + where + ": " + errors);
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    std::unique_ptr<Connection> connection(new Connection(fd));
    if (ctx != nullptr) RETURN_IF_ERROR(connection->Handshake(url, ctx, verify, deadline));
    return connection;
  }

  ~Connection() {
    if (ssl_ != nullptr) SSL_free(ssl_);
    close(fd_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status Write(std::string_view data, SteadyClock::time_point deadline) {
    while (!data.empty()) {
      ssize_t n = 0;
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int written = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        if (written <= 0) {
          RETURN_IF_ERROR(AwaitTls(written, deadline, "sending the request"));
          continue;
        }
        n = written;
      } else {
        n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
        if (n < 0) {
          if (errno == EINTR) continue;
          if (errno != EAGAIN && errno != EWOULDBLOCK) {
            return Status::Unavailable(std::string("sending the request: ") + std::strerror(errno));
          }
          RETURN_IF_ERROR(WaitFor(fd_, POLLOUT, deadline, "sending the request"));
          continue;
        }
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }

  // Appends what arrives to buffer; false at the end of the stream.
  StatusOr<bool> Fill(SteadyClock::time_point deadline) {
    char chunk[16384];
    for (;;) {
      if (ssl_ != nullptr) {
        ERR_clear_error();
        const int n = SSL_read(ssl_, chunk, sizeof(chunk));
        if (n > 0) {
          buffer.append(chunk, static_cast<size_t>(n));
          return true;
        }
        const int error = SSL_get_error(ssl_, n);
        if (error == SSL_ERROR_ZERO_RETURN) return false;
        if (error == SSL_ERROR_SSL || error == SSL_ERROR_SYSCALL) {
          // A peer that closes without close_notify: an end, but one that may have cut the
          // response short. Only a response without a length depends on it (see ReadToEnd).
          ERR_clear_error();
          clean_eof_ = false;
          return false;
        }
        RETURN_IF_ERROR(AwaitTls(n, deadline, "reading the response"));
        continue;
      }
      const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n > 0) {
        buffer.append(chunk, static_cast<size_t>(n));
        return true;
      }
      if (n == 0) return false;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) {
        return Status::Unavailable(std::string("reading the response: ") + std::strerror(errno));
      }
      RETURN_IF_ERROR(WaitFor(fd_, POLLIN, deadline, "reading the response"));
    }
  }

  bool clean_eof() const { return clean_eof_; }

  std::string buffer;  // received, not yet consumed

 private:
  explicit Connection(int fd) : fd_(fd) {}

  Status Handshake(const ServiceUrl& url, SSL_CTX* ctx, bool verify,
                   SteadyClock::time_point deadline) {
    ssl_ = SSL_new(ctx);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) {
      return Status::Unavailable("TLS set-up failed: " + OpenSslErrors());
    }
    const bool ip = IsIpLiteral(url.host);
    // SNI is for names only (RFC 6066 section 3).
    // SSL_set_tlsext_host_name spelled out: the macro's C cast trips -Wold-style-cast.
    if (!ip && SSL_ctrl(ssl_, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                        const_cast<char*>(url.host.c_str())) != 1) {
      return Status::Unavailable("TLS set-up failed: " + OpenSslErrors());
    }
    if (verify) {
      const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), url.host.c_str())
                         : SSL_set1_host(ssl_, url.host.c_str());
      if (set != 1) return Status::Unavailable("TLS set-up failed: " + OpenSslErrors());
      SSL_set_hostflags(ssl_, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    }
    const std::string what = "TLS handshake with " + url.host + ":" + std::to_string(url.port);
    for (;;) {
      ERR_clear_error();
      const int result = SSL_connect(ssl_);
      if (result == 1) break;
      const int error = SSL_get_error(ssl_, result);
      if (error != SSL_ERROR_WANT_READ && error != SSL_ERROR_WANT_WRITE) {
        const long verified = SSL_get_verify_result(ssl_);
        if (verify && verified != X509_V_OK) {
          return Status::Unavailable(what + " failed: certificate verification failed: " +
                                     X509_verify_cert_error_string(verified));
        }
        return Status::Unavailable(what + " failed: " + OpenSslErrors());
      }
      RETURN_IF_ERROR(WaitFor(fd_, error == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, deadline,
                              "in the " + what));
    }
    return Status::Ok();
  }

  // After an SSL_read or SSL_write that returned `result` <= 0: waits for the socket when
  // OpenSSL asks to, fails otherwise.
  Status AwaitTls(int result, SteadyClock::time_point deadline, const std::string& what) {
    const int error = SSL_get_error(ssl_, result);
    if (error == SSL_ERROR_WANT_READ) return WaitFor(fd_, POLLIN, deadline, what);
    if (error == SSL_ERROR_WANT_WRITE) return WaitFor(fd_, POLLOUT, deadline, what);
    return Status::Unavailable(what + ": TLS error: " + OpenSslErrors());
  }

  int fd_;
  SSL* ssl_ = nullptr;
  bool clean_eof_ = true;
};

StatusOr<std::unique_ptr<HttpsClient>> HttpsClient::Create(const std::string& base_url,
                                                           HttpsClientOptions options) {
  ASSIGN_OR_RETURN(ServiceUrl url, ParseServiceUrl(base_url));
  // OpenSSL writes to the socket with write(2), which cannot be told MSG_NOSIGNAL: without
  // this a service that closes early would kill the auditor with SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  auto tls = std::make_unique<TlsContext>();
  if (url.tls) {
    tls->ctx = SSL_CTX_new(TLS_client_method());
    if (tls->ctx == nullptr) return Status::Internal("SSL_CTX_new: " + OpenSslErrors());
    SSL_CTX_set_min_proto_version(tls->ctx, TLS1_2_VERSION);
    if (options.insecure) {
      SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_NONE, nullptr);
    } else {
      SSL_CTX_set_verify(tls->ctx, SSL_VERIFY_PEER, nullptr);
      const int loaded = options.ca_file.empty() ? SSL_CTX_set_default_verify_paths(tls->ctx)
                                                 : SSL_CTX_load_verify_locations(
                                                       tls->ctx, options.ca_file.c_str(), nullptr);
      if (loaded != 1) {
        return Status::InvalidArgument(
            "ca_file", "cannot load " +
                           (options.ca_file.empty() ? "the system trust store" : options.ca_file) +
                           ": " + OpenSslErrors());
      }
    }
  }
  return std::unique_ptr<HttpsClient>(
      new HttpsClient(std::move(url), std::move(options), std::move(tls)));
}

HttpsClient::HttpsClient(ServiceUrl url, HttpsClientOptions options,
                         std::unique_ptr<TlsContext> tls)
    : url_(std::move(url)), options_(std::move(options)), tls_(std::move(tls)) {}

HttpsClient::~HttpsClient() = default;

StatusOr<HttpReply> HttpsClient::Request(
    const std::string& method, const std::string& path, const std::string& body,
    const std::vector<std::pair<std::string, std::string>>& headers) {
  if (path.empty() || path.front() != '/') {
    return Status::InvalidArgument("path", "must start with '/'");
  }
  const bool ipv6 = url_.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + url_.host + "]" : url_.host;
  if (url_.port != (url_.tls ? 443 : 80)) host += ":" + std::to_string(url_.port);
  std::string request = method + " " + url_.prefix + path + " HTTP/1.1\r\nHost: " + host +
                        "\r\nUser-Agent: restitutionctl\r\nAccept: */*\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;

  // A kept-alive connection the server has since closed fails before any reply byte; the
  // request is then sent again on a fresh one. Only for requests that are safe to repeat.
  const bool repeatable = method == "GET" || method == "HEAD";
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    bool got_reply_byte = false;
    StatusOr<HttpReply> reply = RequestOnce(request, method == "HEAD", &reused, &got_reply_byte);
    if (reply.ok()) return reply;
    connection_.reset();
    if (attempt == 0 && repeatable && reused && !got_reply_byte) continue;
    return reply.status();
  }
}

StatusOr<HttpReply> HttpsClient::RequestOnce(const std::string& request, bool head, bool* reused,
                                             bool* got_reply_byte) {
  const SteadyClock::time_point deadline =
      SteadyClock::now() + std::chrono::milliseconds(options_.timeout_ms);
  *reused = connection_ != nullptr;
  if (connection_ == nullptr) {
    ASSIGN_OR_RETURN(connection_, Connection::Open(url_, tls_->ctx, !options_.insecure, deadline));
  }
  Connection& c = *connection_;
  c.buffer.clear();
  RETURN_IF_ERROR(c.Write(request, deadline));

  const auto fill = [&]() -> Status {
    ASSIGN_OR_RETURN(bool more, c.Fill(deadline));
    if (!more) return Status::Unavailable("the service closed the connection mid-response");
    *got_reply_byte = true;
    return Status::Ok();
  };

  HttpReply reply;
  bool http10 = false;
  for (;;) {  // interim 1xx responses come before the real one
    size_t header_end;
    while ((header_end = c.buffer.find("\r\n\r\n")) == std::string::npos) {
      if (c.buffer.size() > options_.max_header_bytes) return Malformed("headers too large");
      RETURN_IF_ERROR(fill());
    }
    if (header_end > options_.max_header_bytes) return Malformed("headers too large");
    const std::string head_text = c.buffer.substr(0, header_end);
    c.buffer.erase(0, header_end + 4);
    size_t line_end = head_text.find("\r\n");
    const std::string status_line = head_text.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 7, "HTTP/1.") != 0 ||
        status_line[8] != ' ' || !std::isdigit(static_cast<unsigned char>(status_line[9])) ||
        !std::isdigit(static_cast<unsigned char>(status_line[10])) ||
        !std::isdigit(static_cast<unsigned char>(status_line[11])) ||
        (status_line.size() > 12 && status_line[12] != ' ')) {
      return Malformed("bad status line");
    }
    http10 = status_line[7] == '0';
    reply.status = std::stoi(status_line.substr(9, 3));
    reply.headers.clear();
    size_t pos = line_end == std::string::npos ? head_text.size() : line_end + 2;
    while (pos < head_text.size()) {
      size_t end = head_text.find("\r\n", pos);
      if (end == std::string::npos) end = head_text.size();
      const std::string_view line(head_text.data() + pos, end - pos);
      pos = end + 2;
      const size_t colon = line.find(':');
      if (colon == 0 || colon == std::string_view::npos ||
          !std::all_of(line.begin(), line.begin() + static_cast<std::ptrdiff_t>(colon),
                       IsTokenChar)) {
        return Malformed("bad header line");
      }
      const std::string name = Lower(std::string(line.substr(0, colon)));
      const std::string value(Trim(line.substr(colon + 1)));
      auto [it, inserted] = reply.headers.emplace(name, value);
      if (!inserted) it->second += ", " + value;
    }
    if (reply.status >= 100 && reply.status < 200 && reply.status != 101) continue;
    break;
  }

  const auto header = [&](const char* name) -> std::string {
    auto it = reply.headers.find(name);
    return it == reply.headers.end() ? "" : Lower(it->second);
  };
  bool keep_alive = !http10 && header("connection").find("close") == std::string::npos;
  const std::string transfer_encoding = header("transfer-encoding");
  const std::string content_length = header("content-length");
  const bool no_body = head || reply.status == 204 || reply.status == 304 || reply.status < 200;

  if (no_body) {
    // Nothing to read.
  } else if (!transfer_encoding.empty()) {
    if (transfer_encoding != "chunked") {
      return Malformed("unsupported transfer coding \"" + transfer_encoding + "\"");
    }
    for (;;) {
      size_t line_end;
      while ((line_end = c.buffer.find("\r\n")) == std::string::npos) {
        if (c.buffer.size() > kMaxChunkLine) return Malformed("chunk size line too long");
        RETURN_IF_ERROR(fill());
      }
      std::string_view size_text(c.buffer.data(), line_end);
      size_text = Trim(size_text.substr(0, size_text.find(';')));
      if (size_text.empty() || size_text.size() > 15) return Malformed("bad chunk size");
      size_t size = 0;
      for (char ch : size_text) {
        const int digit = std::isdigit(static_cast<unsigned char>(ch)) ? ch - '0'
                          : (ch >= 'a' && ch <= 'f')                   ? ch - 'a' + 10
                          : (ch >= 'A' && ch <= 'F')                   ? ch - 'A' + 10
                                                                       : -1;
        if (digit < 0) return Malformed("bad chunk size");
        size = size * 16 + static_cast<size_t>(digit);
      }
      c.buffer.erase(0, line_end + 2);
      if (size == 0) {
        // Trailer fields, then the empty line that ends the message.
        size_t trailer_bytes = 0;
        for (;;) {
          size_t end;
          while ((end = c.buffer.find("\r\n")) == std::string::npos) {
            if (c.buffer.size() > kMaxTrailerBytes) return Malformed("trailers too large");
            RETURN_IF_ERROR(fill());
          }
          trailer_bytes += end + 2;
          if (trailer_bytes > kMaxTrailerBytes) return Malformed("trailers too large");
          c.buffer.erase(0, end + 2);
          if (end == 0) break;
        }
        break;
      }
      if (size > options_.max_body_bytes - reply.body.size()) {
        return Malformed("body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
      }
      while (c.buffer.size() < size + 2) RETURN_IF_ERROR(fill());
      if (c.buffer.compare(size, 2, "\r\n") != 0) return Malformed("chunk not followed by CRLF");
      reply.body.append(c.buffer, 0, size);
      c.buffer.erase(0, size + 2);
    }
  } else if (!content_length.empty()) {
    if (content_length.size() > 15 ||
        !std::all_of(content_length.begin(), content_length.end(),
                     [](char ch) { return ch >= '0' && ch <= '9'; })) {
      return Malformed("bad Content-Length");
    }
    const size_t length = std::stoull(content_length);
    if (length > options_.max_body_bytes) {
      return Malformed("body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
    }
    while (c.buffer.size() < length) RETURN_IF_ERROR(fill());
    reply.body = c.buffer.substr(0, length);
    c.buffer.erase(0, length);
  } else {
    // Delimited by the end of the connection: only a clean TLS close proves it complete.
    keep_alive = false;
    for (;;) {
      if (c.buffer.size() > options_.max_body_bytes) {
        return Malformed("body larger than " + std::to_string(options_.max_body_bytes) + " bytes");
      }
      ASSIGN_OR_RETURN(bool more, c.Fill(deadline));
      if (!more) break;
    }
    if (!c.clean_eof()) return Malformed("connection cut without a TLS close");
    reply.body = std::move(c.buffer);
    c.buffer.clear();
  }
  // Bytes beyond the response mean the two sides disagree about framing: start afresh.
  if (!keep_alive || !c.buffer.empty()) connection_.reset();
  return reply;
}

}  // namespace restitution
