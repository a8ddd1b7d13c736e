#include "tools/https_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TempDir;

// A self-signed certificate and its key, made in memory; the PEM goes to a file for --ca-file.
class TestCertificate {
 public:
  TestCertificate(const std::string& subject_alt_names, const std::string& pem_path)
      : pem_path_(pem_path) {
    key_ = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", const_cast<char*>("P-256"));
    cert_ = X509_new();
    X509_set_version(cert_, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert_), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert_), 3600);
    X509_set_pubkey(cert_, key_);
    X509_NAME* name = X509_get_subject_name(cert_);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("test"), -1, -1, 0);
    X509_set_issuer_name(cert_, name);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
    for (const auto& [nid, value] :
         std::vector<std::pair<int, std::string>>{{NID_basic_constraints, "critical,CA:TRUE"},
                                                  {NID_subject_alt_name, subject_alt_names}}) {
      X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
      X509_add_ext(cert_, extension, -1);
      X509_EXTENSION_free(extension);
    }
    X509_sign(cert_, key_, EVP_sha256());
    FILE* out = std::fopen(pem_path.c_str(), "w");
    PEM_write_X509(out, cert_);
    std::fclose(out);
  }
  ~TestCertificate() {
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }

  SSL_CTX* ServerContext() const {
    SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
    SSL_CTX_use_certificate(ctx, cert_);
    SSL_CTX_use_PrivateKey(ctx, key_);
    return ctx;
  }
  const std::string& pem_path() const { return pem_path_; }

 private:
  std::string pem_path_;
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
};

struct Reply {
  std::string bytes;
  bool close = false;  // close the connection after this reply (whatever its headers say)
  int delay_ms = 0;
};

// A loopback server that answers each request with whatever the test's handler says, over
// TLS when given a context. One connection at a time, which is all the client uses.
class ScriptedServer {
 public:
  explicit ScriptedServer(std::function<Reply(const std::string&)> handler, SSL_CTX* tls = nullptr)
      : handler_(std::move(handler)), tls_(tls) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t length = sizeof(addr);
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &length);
    port_ = ntohs(addr.sin_port);
    listen(listen_fd_, 8);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedServer() {
    shutdown(listen_fd_, SHUT_RDWR);  // wakes accept()
    thread_.join();
    close(listen_fd_);
    SSL_CTX_free(tls_);
  }

  int port() const { return port_; }
  int connections() const { return connections_; }
  std::string sni() {
    std::lock_guard<std::mutex> lock(mutex_);
    return sni_;
  }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    for (;;) {
      const int fd = accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      ++connections_;
      SSL* ssl = nullptr;
      if (tls_ != nullptr) {
        ssl = SSL_new(tls_);
        SSL_set_fd(ssl, fd);
        if (SSL_accept(ssl) != 1) {  // the client refused the certificate
          SSL_free(ssl);
          close(fd);
          continue;
        }
        const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
        std::lock_guard<std::mutex> lock(mutex_);
        sni_ = name == nullptr ? "" : name;
      }
      ServeConnection(fd, ssl);
      if (ssl != nullptr) {
        SSL_shutdown(ssl);
        SSL_free(ssl);
      }
      close(fd);
    }
  }

  void ServeConnection(int fd, SSL* ssl) {
    std::string buffer;
    for (;;) {
      size_t end;
      while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
        char chunk[4096];
        const int n = ssl != nullptr ? SSL_read(ssl, chunk, sizeof(chunk))
                                     : static_cast<int>(read(fd, chunk, sizeof(chunk)));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      size_t body = 0;
      const size_t length_at = buffer.find("Content-Length: ");
      if (length_at != std::string::npos && length_at < end) {
        body = std::stoul(buffer.substr(length_at + 16));
      }
      while (buffer.size() < end + 4 + body) {
        char chunk[4096];
        const int n = ssl != nullptr ? SSL_read(ssl, chunk, sizeof(chunk))
                                     : static_cast<int>(read(fd, chunk, sizeof(chunk)));
        if (n <= 0) return;
        buffer.append(chunk, static_cast<size_t>(n));
      }
      const std::string request = buffer.substr(0, end + 4 + body);
      buffer.erase(0, end + 4 + body);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      const Reply reply = handler_(request);
      if (reply.delay_ms > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(reply.delay_ms));
      if (ssl != nullptr) {
        SSL_write(ssl, reply.bytes.data(), static_cast<int>(reply.bytes.size()));
      } else if (write(fd, reply.bytes.data(), reply.bytes.size()) < 0) {
        return;
      }
      if (reply.close) return;
    }
  }

  std::function<Reply(const std::string&)> handler_;
  SSL_CTX* tls_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> connections_{0};
  std::mutex mutex_;
  std::string sni_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

Reply Ok(const std::string& body) {
  return Reply{"HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) +
               "\r\nContent-Type: text/plain\r\n\r\n" + body};
}

std::unique_ptr<HttpsClient> MustCreate(const std::string& url, HttpsClientOptions options = {}) {
  StatusOr<std::unique_ptr<HttpsClient>> client = HttpsClient::Create(url, options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

std::string Url(const char* scheme, const char* host, int port) {
  return std::string(scheme) + "://" + host + ":" + std::to_string(port);
}

TEST(ParseServiceUrlTest, AcceptsWhatTheAuditNeeds) {
  StatusOr<ServiceUrl> url = ParseServiceUrl("https://ledger.example.org");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->tls);
  EXPECT_EQ(url->host, "ledger.example.org");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->prefix, "");
  url = ParseServiceUrl("HTTP://127.0.0.1:8080/restitution/");
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(url->tls);
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->prefix, "/restitution");
  url = ParseServiceUrl("https://[::1]:8443");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 8443);
}

TEST(ParseServiceUrlTest, RefusesTheRest) {
  for (const char* bad :
       {"ftp://x", "127.0.0.1:8443", "https://", "https://user:pw@host", "https://host:0",
        "https://host:65536", "https://host:80x", "https://host:", "https://host/?q=1",
        "https://host#f", "https://[::1", "https://[nothost]:1", "https://ho st"}) {
    EXPECT_FALSE(ParseServiceUrl(bad).ok()) << bad;
  }
}

TEST(HttpsClientTest, ContentLengthResponsesShareOneConnection) {
  ScriptedServer server([](const std::string& request) {
    return Ok(request.rfind("GET /api/v1/a ", 0) == 0 ? "first" : "second");
  });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  StatusOr<HttpReply> a = client->Request("GET", "/api/v1/a", "", {{"Authorization", "Bearer t"}});
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->status, 200);
  EXPECT_EQ(a->body, "first");
  EXPECT_EQ(a->headers.at("content-type"), "text/plain");
  StatusOr<HttpReply> b = client->Request("GET", "/api/v1/b");
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->body, "second");
  EXPECT_EQ(server.connections(), 1);
  const std::vector<std::string> requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_NE(requests[0].find("Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\n"),
            std::string::npos);
  EXPECT_NE(requests[0].find("Authorization: Bearer t\r\n"), std::string::npos);
}

TEST(HttpsClientTest, PostSendsItsBody) {
  ScriptedServer server(
      [](const std::string& request) { return Ok(request.substr(request.find("\r\n\r\n") + 4)); });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  StatusOr<HttpReply> reply =
      client->Request("POST", "/login", "{\"a\":1}", {{"Content-Type", "application/json"}});
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->body, "{\"a\":1}");
}

TEST(HttpsClientTest, ChunkedResponsesAreReassembled) {
  ScriptedServer server([](const std::string&) {
    return Reply{
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        "5;ext=1\r\nhello\r\n6\r\n world\r\nA\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n"};
  });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  for (int i = 0; i < 2; ++i) {
    StatusOr<HttpReply> reply = client->Request("GET", "/");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->body, "hello world0123456789");
  }
  EXPECT_EQ(server.connections(), 1) << "the trailer must be consumed, keeping the connection";
}

TEST(HttpsClientTest, ErrorStatusesAreReplies) {
  ScriptedServer server([](const std::string&) {
    return Reply{"HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\n{}"};
  });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->status, 403);
}

TEST(HttpsClientTest, AKeptAliveConnectionClosedByTheServerIsReplaced) {
  ScriptedServer server([](const std::string&) {
    Reply reply = Ok("x");
    reply.close = true;  // without saying so in a Connection header
    return reply;
  });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  ASSERT_TRUE(client->Request("GET", "/").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  StatusOr<HttpReply> again = client->Request("GET", "/");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->body, "x");
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpsClientTest, ConnectionCloseAndCloseDelimitedBodies) {
  ScriptedServer server([](const std::string&) {
    return Reply{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", true};
  });
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", server.port()));
  for (int i = 0; i < 2; ++i) {
    StatusOr<HttpReply> reply = client->Request("GET", "/");
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->body, "until the end");
  }
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpsClientTest, OversizedAndMalformedResponsesAreRefused) {
  const std::vector<std::string> bad = {
      "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + std::string(1000, 'x'),
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3E8\r\n" + std::string(1000, 'x') +
          "\r\n0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nX-Big: " + std::string(2000, 'h') + "\r\nContent-Length: 0\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\nx",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd",
      "SSH-2.0-OpenSSH\r\n\r\n",
      "HTTP/1.1 2000 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nBad Header\r\n\r\n",
  };
  for (const std::string& bytes : bad) {
    ScriptedServer server([&](const std::string&) { return Reply{bytes, true}; });
    HttpsClientOptions options;
    options.max_body_bytes = 100;
    options.max_header_bytes = 1024;
    std::unique_ptr<HttpsClient> client =
        MustCreate(Url("http", "127.0.0.1", server.port()), options);
    StatusOr<HttpReply> reply = client->Request("GET", "/");
    EXPECT_FALSE(reply.ok()) << bytes.substr(0, 80);
    if (!reply.ok()) {
      EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable) << reply.status().ToString();
    }
  }
}

TEST(HttpsClientTest, ASilentServerTimesOut) {
  ScriptedServer server([](const std::string&) {
    Reply reply = Ok("late");
    reply.delay_ms = 1500;
    return reply;
  });
  HttpsClientOptions options;
  options.timeout_ms = 200;
  std::unique_ptr<HttpsClient> client =
      MustCreate(Url("http", "127.0.0.1", server.port()), options);
  const auto start = std::chrono::steady_clock::now();
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_FALSE(reply.ok());
  EXPECT_NE(reply.status().message().find("timed out"), std::string::npos)
      << reply.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1400));
}

TEST(HttpsClientTest, NobodyListeningIsUnavailable) {
  int port = 0;
  {
    ScriptedServer gone([](const std::string&) { return Ok(""); });
    port = gone.port();
  }
  std::unique_ptr<HttpsClient> client = MustCreate(Url("http", "127.0.0.1", port));
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(reply.status().message().find("cannot connect"), std::string::npos);
}

class HttpsClientTlsTest : public ::testing::Test {
 protected:
  TempDir dir_;
  TestCertificate local_{"DNS:localhost,IP:127.0.0.1", dir_.path() + "/local.pem"};
  TestCertificate other_{"DNS:other.example", dir_.path() + "/other.pem"};
};

TEST_F(HttpsClientTlsTest, TrustsTheGivenCaFileForTheRightNameAndAddress) {
  ScriptedServer server([](const std::string&) { return Ok("over tls"); }, local_.ServerContext());
  HttpsClientOptions options;
  options.ca_file = local_.pem_path();
  for (const char* host : {"localhost", "127.0.0.1"}) {
    std::unique_ptr<HttpsClient> client = MustCreate(Url("https", host, server.port()), options);
    for (int i = 0; i < 2; ++i) {
      StatusOr<HttpReply> reply = client->Request("GET", "/");
      ASSERT_TRUE(reply.ok()) << host << ": " << reply.status().ToString();
      EXPECT_EQ(reply->body, "over tls");
    }
  }
  EXPECT_EQ(server.connections(), 2) << "one kept-alive TLS connection per client";
  EXPECT_EQ(server.sni(), "") << "no SNI for an IP address (the last client)";
}

TEST_F(HttpsClientTlsTest, SendsTheHostNameAsSni) {
  ScriptedServer server([](const std::string&) { return Ok("x"); }, local_.ServerContext());
  HttpsClientOptions options;
  options.ca_file = local_.pem_path();
  std::unique_ptr<HttpsClient> client =
      MustCreate(Url("https", "localhost", server.port()), options);
  ASSERT_TRUE(client->Request("GET", "/").ok());
  EXPECT_EQ(server.sni(), "localhost");
}

TEST_F(HttpsClientTlsTest, RefusesAnUntrustedCertificate) {
  ScriptedServer server([](const std::string&) { return Ok("x"); }, local_.ServerContext());
  std::unique_ptr<HttpsClient> client = MustCreate(Url("https", "localhost", server.port()));
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_FALSE(reply.ok());
  EXPECT_NE(reply.status().message().find("certificate verification failed"), std::string::npos)
      << reply.status().ToString();
}

TEST_F(HttpsClientTlsTest, RefusesACertificateForAnotherName) {
  ScriptedServer server([](const std::string&) { return Ok("x"); }, other_.ServerContext());
  HttpsClientOptions options;
  options.ca_file = other_.pem_path();
  for (const char* host : {"localhost", "127.0.0.1"}) {
    std::unique_ptr<HttpsClient> client = MustCreate(Url("https", host, server.port()), options);
    StatusOr<HttpReply> reply = client->Request("GET", "/");
    ASSERT_FALSE(reply.ok()) << host;
    EXPECT_NE(reply.status().message().find("certificate verification failed"), std::string::npos)
        << reply.status().ToString();
  }
}

TEST_F(HttpsClientTlsTest, InsecureSkipsTheChecks) {
  ScriptedServer server([](const std::string&) { return Ok("unchecked"); }, other_.ServerContext());
  HttpsClientOptions options;
  options.insecure = true;
  std::unique_ptr<HttpsClient> client =
      MustCreate(Url("https", "localhost", server.port()), options);
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->body, "unchecked");
}

TEST_F(HttpsClientTlsTest, CloseDelimitedBodyNeedsACleanTlsClose) {
  ScriptedServer server(
      [](const std::string&) {
        return Reply{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it", true};
      },
      local_.ServerContext());
  HttpsClientOptions options;
  options.ca_file = local_.pem_path();
  std::unique_ptr<HttpsClient> client =
      MustCreate(Url("https", "localhost", server.port()), options);
  StatusOr<HttpReply> reply = client->Request("GET", "/");
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->body, "all of it");
}

TEST_F(HttpsClientTlsTest, UnreadableCaFileIsRefusedUpFront) {
  HttpsClientOptions options;
  options.ca_file = dir_.path() + "/missing.pem";
  EXPECT_EQ(HttpsClient::Create("https://localhost:1", options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace restitution
