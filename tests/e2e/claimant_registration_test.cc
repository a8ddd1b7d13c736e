// End-to-end: a claimant registers with a phone number, verifies with the texted code and logs
// in with the phone number as username — over HTTP against a real restitutiond and MariaDB.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kPhone[] = "13800138000";
constexpr char kPassword[] = "my claimant password";

std::string CodeIn(const std::string& text) {
  std::smatch match;
  return std::regex_search(text, match, std::regex("[0-9]{6}")) ? match.str() : "";
}

int SmsCount(const ServerProcess& server) {
  std::ifstream in(server.var_dir() + "/outbox/sms.log");
  int lines = 0;
  std::string line;
  while (std::getline(in, line)) lines += line.empty() ? 0 : 1;
  return lines;
}

class ClaimantRegistrationTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(server_.started()) << server_.Log(); }
  ServerProcess server_;
};

TEST_F(ClaimantRegistrationTest, RegisterVerifyAndLogInWithThePhoneNumber) {
  HttpClient client = server_.client();
  ClientResponse registered =
      client.PostJson("/api/v1/claimants/register", {{"phone", kPhone}, {"password", kPassword}});
  ASSERT_EQ(registered.status, 202) << registered.body;
  EXPECT_EQ(registered.Json()["status"], "code_sent");

  // The message went through the outbox to sms.log: to, text, time.
  std::ifstream in(server_.var_dir() + "/outbox/sms.log");
  std::string line;
  std::getline(in, line);
  nlohmann::json sms = nlohmann::json::parse(line, nullptr, false);
  ASSERT_TRUE(sms.is_object()) << line;
  EXPECT_EQ(sms["to"], kPhone);
  EXPECT_TRUE(sms["time"].is_string());
  const std::string text = sms["text"];
  const std::string code = CodeIn(text);
  ASSERT_EQ(code.size(), 6u) << text;
  EXPECT_NE(text.find("不会向您索要验证码"), std::string::npos) << "anti-fraud warning missing";

  // Not verified yet: the right password does not open the account.
  ClientResponse early =
      client.PostJson("/api/v1/auth/login", {{"username", kPhone}, {"password", kPassword}});
  EXPECT_EQ(early.status, 401);
  EXPECT_EQ(early.ErrorCode(), "account_not_verified");

  ClientResponse verified =
      client.PostJson("/api/v1/claimants/verify", {{"phone", "+86 138-0013-8000"}, {"code", code}});
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.Json()["user"]["role"], "claimant");

  ClientResponse login =
      client.PostJson("/api/v1/auth/login", {{"username", kPhone}, {"password", kPassword}});
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.Json()["user"]["role"], "claimant");
  EXPECT_EQ(login.Json()["token"].get<std::string>().size(), 43u);
  ClientResponse me = client.Get("/api/v1/me", login.Json()["token"]);
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.Json()["role"], "claimant");

  // The code is single use.
  ClientResponse again =
      client.PostJson("/api/v1/claimants/verify", {{"phone", kPhone}, {"code", code}});
  EXPECT_EQ(again.status, 422);
  EXPECT_EQ(again.ErrorCode(), "invalid_code");
}

TEST_F(ClaimantRegistrationTest, PhoneIsStoredEncryptedNeverInClear) {
  HttpClient client = server_.client();
  ASSERT_EQ(
      client.PostJson("/api/v1/claimants/register", {{"phone", kPhone}, {"password", kPassword}})
          .status,
      202);
  auto db = server_.database().Connect();
  StatusOr<SqlRows> rows = db->Query(
      "SELECT COUNT(*) FROM users WHERE phone_enc IS NOT NULL AND LOCATE(?, phone_enc) = 0 AND "
      "username IS NULL",
      {std::string(kPhone)});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ((*rows)[0].Int(0), 1);
  StatusOr<SqlRows> outbox = db->Query(
      "SELECT COUNT(*) FROM outbox WHERE LOCATE(?, recipient_enc) = 0 AND sent_at_ms "
      "IS NOT NULL",
      {std::string(kPhone)});
  EXPECT_EQ((*outbox)[0].Int(0), 1);
}

TEST_F(ClaimantRegistrationTest, WrongCodesAreCountedThenRefused429) {
  HttpClient client = server_.client();
  ASSERT_EQ(
      client.PostJson("/api/v1/claimants/register", {{"phone", kPhone}, {"password", kPassword}})
          .status,
      202);
  const std::string code = CodeIn(server_.LastSmsText());
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    ClientResponse r =
        client.PostJson("/api/v1/claimants/verify", {{"phone", kPhone}, {"code", wrong}});
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.ErrorField(), "code");
  }
  ClientResponse locked =
      client.PostJson("/api/v1/claimants/verify", {{"phone", kPhone}, {"code", code}});
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.headers.count("retry-after"), 1u);
  ClientResponse login =
      client.PostJson("/api/v1/auth/login", {{"username", kPhone}, {"password", kPassword}});
  EXPECT_EQ(login.ErrorCode(), "account_not_verified");
}

TEST_F(ClaimantRegistrationTest, ResendingACodeTooSoonIs429) {
  HttpClient client = server_.client();
  const nlohmann::json body = {{"phone", kPhone}, {"password", kPassword}};
  ASSERT_EQ(client.PostJson("/api/v1/claimants/register", body).status, 202);
  ClientResponse again = client.PostJson("/api/v1/claimants/register", body);
  EXPECT_EQ(again.status, 429) << again.body;
  EXPECT_EQ(again.ErrorCode(), "too_many_attempts");
  EXPECT_EQ(SmsCount(server_), 1);
}

TEST_F(ClaimantRegistrationTest, ARegisteredNumberGetsTheSameAnswerAndNothingChanges) {
  HttpClient client = server_.client();
  ASSERT_EQ(
      client.PostJson("/api/v1/claimants/register", {{"phone", kPhone}, {"password", kPassword}})
          .status,
      202);
  const std::string code = CodeIn(server_.LastSmsText());
  ASSERT_EQ(client.PostJson("/api/v1/claimants/verify", {{"phone", kPhone}, {"code", code}}).status,
            200);
  // Someone else tries to register the same number with their own password.
  ClientResponse hijack = client.PostJson("/api/v1/claimants/register",
                                          {{"phone", kPhone}, {"password", "attacker password"}});
  EXPECT_EQ(hijack.status, 202);
  EXPECT_EQ(hijack.Json()["status"], "code_sent");
  EXPECT_EQ(SmsCount(server_), 1);  // nothing sent, nothing revealed
  EXPECT_EQ(server_.LoginToken(kPhone, "attacker password"), "");
  EXPECT_NE(server_.LoginToken(kPhone, kPassword), "");
}

}  // namespace
}  // namespace restitution::testing
