// End-to-end: a real restitutiond process on a real MariaDB, spoken to over TCP. Covers the
// JSON error shape for every status the API uses, idempotent replay, body limits, request ids.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <thread>
#include <vector>

#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";

class HttpApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_token_ = server_.LoginToken("admin", kAdminPassword);
    ASSERT_FALSE(admin_token_.empty());
  }

  // Registers and verifies a claimant; returns their token.
  std::string ClaimantToken(const std::string& phone, const std::string& password) {
    HttpClient client = server_.client();
    ClientResponse registered =
        client.PostJson("/api/v1/claimants/register", {{"phone", phone}, {"password", password}});
    EXPECT_EQ(registered.status, 202) << registered.body;
    std::smatch code;
    const std::string text = server_.LastSmsText();
    EXPECT_TRUE(std::regex_search(text, code, std::regex("[0-9]{6}"))) << text;
    ClientResponse verified =
        client.PostJson("/api/v1/claimants/verify", {{"phone", phone}, {"code", code.str()}});
    EXPECT_EQ(verified.status, 200) << verified.body;
    return server_.LoginToken(phone, password);
  }

  ServerProcess server_;
  std::string admin_token_;
};

void ExpectError(const ClientResponse& response, int status, const std::string& code,
                 const std::string& field = "") {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.headers.count("content-type"), 1u);
  EXPECT_NE(response.headers.at("content-type").find("application/json"), std::string::npos);
  EXPECT_EQ(response.ErrorCode(), code) << response.body;
  nlohmann::json json = response.Json();
  ASSERT_TRUE(json.is_object()) << response.body;
  EXPECT_TRUE(json["error"]["message"].is_string()) << response.body;
  if (!field.empty()) {
    EXPECT_EQ(response.ErrorField(), field) << response.body;
  }
}

TEST_F(HttpApiTest, HealthAndReadiness) {
  HttpClient client = server_.client();
  ClientResponse health = client.Get("/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.Json()["status"], "alive");
  ClientResponse ready = client.Get("/readyz");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(ready.Json()["status"], "ready");
}

TEST_F(HttpApiTest, EveryResponseHasARequestId) {
  HttpClient client = server_.client();
  for (const ClientResponse& response :
       {client.Get("/healthz"), client.Get("/nowhere"), client.Get("/api/v1/me")}) {
    ASSERT_EQ(response.headers.count("x-request-id"), 1u);
    EXPECT_TRUE(std::regex_match(response.headers.at("x-request-id"), std::regex("[0-9a-f]{32}")));
  }
  // A well-formed id from the proxy is kept; a hostile one is replaced.
  ClientResponse kept = client.Send("GET", "/healthz", "", {{"X-Request-Id", "abcdef0123456789"}});
  EXPECT_EQ(kept.headers.at("x-request-id"), "abcdef0123456789");
  ClientResponse replaced = client.Send("GET", "/healthz", "", {{"X-Request-Id", "a\"b c"}});
  EXPECT_NE(replaced.headers.at("x-request-id"), "a\"b c");
}

TEST_F(HttpApiTest, UnknownRouteIs404AndWrongMethodIs405) {
  HttpClient client = server_.client();
  ExpectError(client.Get("/api/v1/nothing-here"), 404, "not_found");
  ClientResponse wrong = client.Send("DELETE", "/api/v1/auth/login");
  ExpectError(wrong, 405, "method_not_allowed");
  EXPECT_EQ(wrong.headers.at("allow"), "POST");
}

TEST_F(HttpApiTest, MalformedBodiesAre400NamingTheField) {
  HttpClient client = server_.client();
  auto post = [&](const std::string& body) {
    return client.Send("POST", "/api/v1/auth/login", body, {{"Content-Type", "application/json"}});
  };
  ExpectError(post("{not json"), 400, "validation_failed");
  ExpectError(post("[1,2]"), 400, "validation_failed");
  ExpectError(post(""), 400, "validation_failed");
  ExpectError(post(R"({"username":"a","username":"b","password":"x"})"), 400, "validation_failed",
              "username");
  ExpectError(post(R"({"username":"admin"})"), 400, "validation_failed", "password");
  ExpectError(post(R"({"username":5,"password":"x"})"), 400, "validation_failed", "username");
  ExpectError(post(R"({"username":"admin","password":"x","extra":1})"), 400, "validation_failed",
              "extra");
  ExpectError(post("{\"username\":\"\xff\xfe\",\"password\":\"x\"}"), 400, "validation_failed");
  ExpectError(client.PostJson("/api/v1/claimants/register",
                              {{"phone", "12345"}, {"password", "long enough pw"}}),
              400, "validation_failed", "phone");
}

TEST_F(HttpApiTest, OversizedBodyIs413AndServerStaysUp) {
  HttpClient client = server_.client();
  const std::string big = "{\"username\":\"" + std::string(2 << 20, 'a') + "\",\"password\":\"x\"}";
  ClientResponse response =
      client.Send("POST", "/api/v1/auth/login", big, {{"Content-Type", "application/json"}});
  // Beyond Pistache's own buffer the connection may be cut; either way no 5xx and no crash.
  if (response.status != 0) {
    EXPECT_EQ(response.status, 413) << response.body;
  }
  const std::string just_over =
      "{\"username\":\"" + std::string((1 << 20) + 10, 'a') + "\",\"password\":\"x\"}";
  ExpectError(
      client.Send("POST", "/api/v1/auth/login", just_over, {{"Content-Type", "application/json"}}),
      413, "payload_too_large");
  EXPECT_EQ(client.Get("/healthz").status, 200);
}

TEST_F(HttpApiTest, MissingOrBadTokenIs401) {
  HttpClient client = server_.client();
  ExpectError(client.Get("/api/v1/me"), 401, "unauthenticated");
  ExpectError(client.Get("/api/v1/me", "not-a-real-token"), 401, "unauthenticated");
  ExpectError(client.Get("/api/v1/me", std::string(43, 'A')), 401, "unauthenticated");
  ClientResponse me = client.Get("/api/v1/me", admin_token_);
  EXPECT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.Json()["role"], "admin");
}

TEST_F(HttpApiTest, WrongPasswordIs401AndLogoutRevokes) {
  HttpClient client = server_.client();
  ExpectError(client.PostJson("/api/v1/auth/login",
                              {{"username", "admin"}, {"password", "wrong password!"}}),
              401, "invalid_credentials");
  const std::string token = server_.LoginToken("admin", kAdminPassword);
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(client.PostJson("/api/v1/auth/logout", nlohmann::json::object(), token).status, 200);
  ExpectError(client.Get("/api/v1/me", token), 401, "unauthenticated");
}

TEST_F(HttpApiTest, ClaimantIsRefused403OnStaffCreationAndItIsRecorded) {
  const std::string claimant = ClaimantToken("13800138000", "claimant password 1");
  ASSERT_FALSE(claimant.empty());
  HttpClient client = server_.client();
  ExpectError(client.PostJson(
                  "/api/v1/users",
                  {{"username", "officer1"}, {"password", "officer password"}, {"role", "officer"}},
                  claimant),
              403, "forbidden");
  auto db = server_.database().Connect();
  StatusOr<SqlRows> rows = db->Query(
      "SELECT COUNT(*) FROM security_events WHERE event = 'access_denied' AND route = 'POST "
      "/api/v1/users' AND role = 'claimant'");
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 1);
  StatusOr<SqlRows> users = db->Query("SELECT COUNT(*) FROM users WHERE username = 'officer1'");
  EXPECT_EQ((*users)[0].Int(0), 0);
}

TEST_F(HttpApiTest, AdminCreatesStaff201ThenDuplicateIs409AndClaimantRoleIs422) {
  HttpClient client = server_.client();
  ClientResponse created = client.PostJson(
      "/api/v1/users",
      {{"username", "officer1"}, {"password", "officer password"}, {"role", "officer"}},
      admin_token_);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["username"], "officer1");
  EXPECT_EQ(created.Json()["role"], "officer");
  EXPECT_GT(created.Json()["id"].get<int64_t>(), 0);
  ExpectError(client.PostJson(
                  "/api/v1/users",
                  {{"username", "officer1"}, {"password", "officer password"}, {"role", "court"}},
                  admin_token_),
              409, "username_taken");
  ExpectError(client.PostJson(
                  "/api/v1/users",
                  {{"username", "someone"}, {"password", "officer password"}, {"role", "claimant"}},
                  admin_token_),
              422, "rule_violated", "role");
  ExpectError(client.PostJson("/api/v1/users",
                              {{"username", "someone"}, {"password", "short"}, {"role", "court"}},
                              admin_token_),
              400, "validation_failed", "password");
  const std::string officer = server_.LoginToken("officer1", "officer password");
  ASSERT_FALSE(officer.empty());
  ExpectError(
      client.PostJson("/api/v1/users",
                      {{"username", "other"}, {"password", "officer password"}, {"role", "admin"}},
                      officer),
      403, "forbidden");
}

TEST_F(HttpApiTest, IdempotentReplayReturnsFirstResponseAndChangesNothing) {
  HttpClient client = server_.client();
  const nlohmann::json body = {
      {"username", "court1"}, {"password", "court password 1"}, {"role", "court"}};
  ClientResponse first = client.PostJson("/api/v1/users", body, admin_token_, "key-123");
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.headers.count("idempotent-replayed"), 0u);
  ClientResponse second = client.PostJson("/api/v1/users", body, admin_token_, "key-123");
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.body, first.body);
  EXPECT_EQ(second.headers.at("idempotent-replayed"), "true");
  auto db = server_.database().Connect();
  StatusOr<SqlRows> count = db->Query("SELECT COUNT(*) FROM users WHERE username = 'court1'");
  EXPECT_EQ((*count)[0].Int(0), 1);
  // The same key for a different request is a client bug.
  nlohmann::json other = body;
  other["username"] = "court2";
  ExpectError(client.PostJson("/api/v1/users", other, admin_token_, "key-123"), 422,
              "idempotency_key_reused", "Idempotency-Key");
  // A malformed key is refused before anything runs.
  ExpectError(client.PostJson("/api/v1/users", other, admin_token_, std::string(129, 'k')), 400,
              "validation_failed", "Idempotency-Key");
  StatusOr<SqlRows> none = db->Query("SELECT COUNT(*) FROM users WHERE username = 'court2'");
  EXPECT_EQ((*none)[0].Int(0), 0);
}

TEST_F(HttpApiTest, ConcurrentRequestsWithOneIdempotencyKeyCreateOneUser) {
  HttpClient client = server_.client();
  const nlohmann::json body = {
      {"username", "auditor1"}, {"password", "auditor password"}, {"role", "auditor"}};
  std::vector<std::thread> threads;
  std::atomic<int> created{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      ClientResponse r = client.PostJson("/api/v1/users", body, admin_token_, "same-key");
      if (r.status == 201) ++created;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(created.load(), 6);  // every caller sees the one first response
  auto db = server_.database().Connect();
  StatusOr<SqlRows> count = db->Query("SELECT COUNT(*) FROM users WHERE username = 'auditor1'");
  EXPECT_EQ((*count)[0].Int(0), 1);
}

TEST_F(HttpApiTest, RepeatedLoginFailuresAre429WithRetryAfter) {
  HttpClient client = server_.client();
  const nlohmann::json wrong = {{"username", "admin"}, {"password", "not the password"}};
  for (int i = 0; i < 3; ++i) {
    ExpectError(client.PostJson("/api/v1/auth/login", wrong), 401, "invalid_credentials");
  }
  ClientResponse throttled =
      client.PostJson("/api/v1/auth/login", {{"username", "admin"}, {"password", kAdminPassword}});
  ExpectError(throttled, 429, "too_many_attempts");
  ASSERT_EQ(throttled.headers.count("retry-after"), 1u);
  EXPECT_GE(std::stoi(throttled.headers.at("retry-after")), 1);
}

TEST_F(HttpApiTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::vector<ClientResponse> responses =
      server_.client().SendKeepAlive({"/healthz", "/readyz", "/healthz"});
  ASSERT_EQ(responses.size(), 3u);
  for (const ClientResponse& r : responses) EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(HttpApiTest, MetricsCountRequestsByRouteAndStatus) {
  HttpClient client = server_.client();
  client.Get("/healthz");
  client.Get("/api/v1/me");
  ClientResponse metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("restitution_http_requests_total{route=\"GET /healthz\","
                              "method=\"GET\",status=\"200\"}"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("status=\"401\""), std::string::npos);
  EXPECT_NE(metrics.body.find("restitution_http_request_duration_ms_bucket"), std::string::npos);
  EXPECT_NE(metrics.body.find("restitution_db_pool_size 8"), std::string::npos);
}

TEST_F(HttpApiTest, AccessLogHasOneLinePerRequestAndNoSecrets) {
  HttpClient client = server_.client();
  const std::string token = server_.LoginToken("admin", kAdminPassword);
  client.PostJson("/api/v1/claimants/register",
                  {{"phone", "13912345678"}, {"password", "secret claimant pw"}});
  client.Get("/api/v1/me", token);
  // The access line is written after the response has gone out: give it a moment.
  std::string log = server_.Log();
  for (int i = 0; i < 100 && log.find("\"route\":\"GET /api/v1/me\"") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    log = server_.Log();
  }
  EXPECT_EQ(log.find(kAdminPassword), std::string::npos);
  EXPECT_EQ(log.find("secret claimant pw"), std::string::npos);
  EXPECT_EQ(log.find("13912345678"), std::string::npos);
  EXPECT_EQ(log.find(token), std::string::npos);
  EXPECT_NE(log.find("\"route\":\"GET /api/v1/me\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"status\":200"), std::string::npos);
}

TEST_F(HttpApiTest, OpenApiDocumentIsServed) {
  ClientResponse doc = server_.client().Get("/api/v1/openapi.json");
  ASSERT_EQ(doc.status, 200);
  nlohmann::json json = doc.Json();
  ASSERT_TRUE(json.is_object());
  EXPECT_EQ(json["openapi"], "3.0.3");
  EXPECT_TRUE(json["paths"].contains("/api/v1/auth/login"));
}

TEST_F(HttpApiTest, ServerStopsCleanlyOnSigterm) { EXPECT_EQ(server_.Stop(), 0) << server_.Log(); }

TEST(HttpApiOverloadTest, FullWorkerQueueAnswers503WithRetryAfter) {
  // One worker, one queue slot and a deliberately slow password hash: a burst must overflow.
  ServerProcess server({{"RESTITUTION_WORKER_THREADS", "1"},
                        {"RESTITUTION_WORKER_QUEUE_LIMIT", "1"},
                        {"RESTITUTION_SCRYPT_LOG2_N", "17"}});
  ASSERT_TRUE(server.started()) << server.Log();
  HttpClient client = server.client();
  std::vector<std::thread> threads;
  std::atomic<int> unavailable{0};
  std::atomic<int> server_errors{0};
  std::atomic<bool> retry_after_seen{false};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      ClientResponse r = client.PostJson(
          "/api/v1/claimants/register",
          {{"phone", "1370000000" + std::to_string(i)}, {"password", "a long password"}});
      if (r.status == 503) {
        ++unavailable;
        if (r.headers.count("retry-after") == 1 && r.ErrorCode() == "unavailable") {
          retry_after_seen = true;
        }
      } else if (r.status >= 500 || r.status == 0) {
        ++server_errors;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_GT(unavailable.load(), 0);
  EXPECT_TRUE(retry_after_seen.load());
  EXPECT_EQ(server_errors.load(), 0);
  EXPECT_EQ(client.Get("/healthz").status, 200);
}

}  // namespace
}  // namespace restitution::testing
