#include "service/claimant_registration.h"

#include <cstdint>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/password_hash.h"
#include "service/message_sender.h"
#include "service/outbox.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kStart = 1750000000000;
constexpr int64_t kSecond = 1000;
constexpr char kPhone[] = "13800138000";
constexpr char kPassword[] = "my own long password";
constexpr char kWarning[] = "工作人员不会向您索要验证码，清退不收取任何费用，谨防诈骗";

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

// Records what would have been texted, instead of texting it.
class RecordingSender : public MessageSender {
 public:
  struct Sent {
    std::string to;
    std::string text;
    int64_t at_ms;
  };
  Status SendSms(const std::string& to, const std::string& text, int64_t at_ms) override {
    if (fail) return Status::Unavailable("gateway down");
    sent.push_back({to, text, at_ms});
    return Status::Ok();
  }
  bool fail = false;
  std::vector<Sent> sent;
};

// The six-digit code inside a verification text.
std::string CodeIn(const std::string& text) {
  std::smatch match;
  static const std::regex kCode("验证码为([0-9]{6})，");
  if (!std::regex_search(text, match, kCode)) throw std::runtime_error("no code in: " + text);
  return match[1];
}

// A different six-digit code.
std::string OtherCode(const std::string& code) {
  std::string other = code;
  other[0] = other[0] == '9' ? '0' : static_cast<char>(other[0] + 1);
  return other;
}

class ClaimantRegistrationTest : public ::testing::Test {
 protected:
  ClaimantRegistrationTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  Status Register(const std::string& phone, const std::string& password = kPassword) {
    return RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
      return RegisterClaimant(db, ctx_, RegistrationRequest{phone, password, "192.0.2.8", "r-1"});
    });
  }

  VerificationResult Verify(const std::string& phone, const std::string& code) {
    VerificationResult result;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(result, VerifyClaimant(db, ctx_, phone, code, "192.0.2.8", "r-2"));
      return Status::Ok();
    });
    if (!status.ok()) throw std::runtime_error(status.ToString());
    return result;
  }

  // Delivers pending messages and returns the code of the last one sent.
  std::string DeliverAndGetCode() {
    const size_t before = sender_.sent.size();
    const int sent = Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_));
    if (sent != 1 || sender_.sent.size() != before + 1) {
      throw std::runtime_error("expected exactly one message, sent " + std::to_string(sent));
    }
    return CodeIn(sender_.sent.back().text);
  }

  SqlRows Query(const std::string& sql, const std::vector<SqlParam>& params = {}) {
    return Must(db_->Query(sql, params));
  }
  int64_t Count(const std::string& sql, const std::vector<SqlParam>& params = {}) {
    return Query(sql, params).at(0).Int(0);
  }
  std::string UserStatus(int64_t user_id) {
    return Query("SELECT status FROM users WHERE id = ?", {user_id}).at(0).Bytes(0);
  }
  int64_t OnlyUserId() {
    SqlRows rows = Query("SELECT id FROM users");
    if (rows.size() != 1) throw std::runtime_error("expected one user");
    return rows[0].Int(0);
  }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  RecordingSender sender_;
};

TEST_F(ClaimantRegistrationTest, RegisterCreatesAPendingUserWithAnEncryptedPhone) {
  Status status = Register("138 0013 8000");
  ASSERT_TRUE(status.ok()) << status.ToString();

  SqlRows users = Query(
      "SELECT id, login_hash, username, phone_enc, role, status, password_hash, created_by, "
      "created_at_ms, activated_at_ms FROM users");
  ASSERT_EQ(users.size(), 1u);
  const SqlRow& user = users[0];
  EXPECT_EQ(user.Bytes(1), keys_.keys().BlindIndex("login", kPhone));
  EXPECT_TRUE(user.IsNull(2));
  ASSERT_FALSE(user.IsNull(3));
  EXPECT_EQ(user.Bytes(4), "claimant");
  EXPECT_EQ(user.Bytes(5), "pending");
  EXPECT_TRUE(crypto::VerifyPassword(kPassword, user.Bytes(6)));
  EXPECT_TRUE(user.IsNull(7));
  EXPECT_EQ(user.Int(8), kStart);
  EXPECT_TRUE(user.IsNull(9));
  // The phone is stored only encrypted: its digits appear nowhere in the row.
  for (size_t i = 0; i < user.size(); ++i) {
    EXPECT_EQ(user.Bytes(i).find(kPhone), std::string::npos) << "column " << i;
    EXPECT_EQ(user.Bytes(i).find("0013"), std::string::npos) << "column " << i;
  }
  EXPECT_EQ(Must(keys_.keys().Open("users.phone", user.Bytes(3))), kPhone);

  SqlRows codes = Query(
      "SELECT user_id, created_at_ms, expires_at_ms, attempts, consumed_at_ms FROM "
      "verification_codes");
  ASSERT_EQ(codes.size(), 1u);
  EXPECT_EQ(codes[0].Int(0), user.Int(0));
  EXPECT_EQ(codes[0].Int(1), kStart);
  EXPECT_EQ(codes[0].Int(2), kStart + 10 * 60 * kSecond);
  EXPECT_EQ(codes[0].Int(3), 0);
  EXPECT_TRUE(codes[0].IsNull(4));

  SqlRows outbox =
      Query("SELECT channel, recipient_enc, body_enc, sent_at_ms, attempts FROM outbox");
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].Bytes(0), "sms");
  EXPECT_EQ(outbox[0].Bytes(1).find(kPhone), std::string::npos);
  EXPECT_EQ(outbox[0].Bytes(2).find("验证码"), std::string::npos);
  EXPECT_TRUE(outbox[0].IsNull(3));
  EXPECT_EQ(outbox[0].Int(4), 0);

  SqlRows events = Query("SELECT event, user_id, role, detail FROM security_events");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].Bytes(0), "verification_code_sent");
  EXPECT_EQ(events[0].Int(1), user.Int(0));
  EXPECT_EQ(events[0].Bytes(2), "claimant");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events WHERE CONCAT_WS('|', client_address, "
                  "request_id, route, detail) LIKE '%0013%'"),
            0);
}

TEST_F(ClaimantRegistrationTest, DeliveryTextsTheCodeOnceWithTheWarning) {
  ASSERT_TRUE(Register(kPhone).ok());
  now_ += 2 * kSecond;
  StatusOr<int> sent = DeliverPendingMessages(tdb_.pool(), ctx_, sender_);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  EXPECT_EQ(*sent, 1);
  ASSERT_EQ(sender_.sent.size(), 1u);
  const RecordingSender::Sent& message = sender_.sent[0];
  EXPECT_EQ(message.to, kPhone);
  EXPECT_EQ(message.at_ms, now_);
  const std::string code = CodeIn(message.text);
  EXPECT_EQ(code.size(), 6u);
  EXPECT_NE(message.text.find(kWarning), std::string::npos) << message.text;
  EXPECT_EQ(message.text, VerificationMessage(code, 10));

  SqlRows outbox = Query("SELECT sent_at_ms, attempts FROM outbox");
  ASSERT_EQ(outbox.size(), 1u);
  EXPECT_EQ(outbox[0].OptionalInt(0), std::optional<int64_t>(now_));
  EXPECT_EQ(outbox[0].Int(1), 1);

  // Nothing is sent twice.
  StatusOr<int> again = DeliverPendingMessages(tdb_.pool(), ctx_, sender_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, 0);
  EXPECT_EQ(sender_.sent.size(), 1u);
}

TEST_F(ClaimantRegistrationTest, FailedDeliveryIsRetriedLater) {
  ASSERT_TRUE(Register(kPhone).ok());
  sender_.fail = true;
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  SqlRows outbox = Query("SELECT sent_at_ms, attempts FROM outbox");
  EXPECT_TRUE(outbox[0].IsNull(0));
  EXPECT_EQ(outbox[0].Int(1), 1);
  sender_.fail = false;
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 1);
  ASSERT_EQ(sender_.sent.size(), 1u);
  outbox = Query("SELECT sent_at_ms, attempts FROM outbox");
  EXPECT_FALSE(outbox[0].IsNull(0));
  EXPECT_EQ(outbox[0].Int(1), 2);
}

TEST_F(ClaimantRegistrationTest, RolledBackRegistrationTextsNobody) {
  Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
    RETURN_IF_ERROR(RegisterClaimant(db, ctx_, RegistrationRequest{kPhone, kPassword, "", ""}));
    return Status::Conflict("something later in the request failed");
  });
  EXPECT_EQ(status.code(), StatusCode::kConflict);
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
  EXPECT_TRUE(sender_.sent.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 0);
}

TEST_F(ClaimantRegistrationTest, RightCodeActivatesTheAccount) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  const int64_t user_id = OnlyUserId();
  now_ += 30 * kSecond;
  VerificationResult result = Verify(kPhone, code);
  ASSERT_TRUE(result.refusal.ok()) << result.refusal.ToString();
  EXPECT_EQ(result.user.id, user_id);
  EXPECT_EQ(result.user.role, Role::kClaimant);
  EXPECT_EQ(result.user.username, "");
  SqlRows users = Query("SELECT status, activated_at_ms FROM users");
  EXPECT_EQ(users[0].Bytes(0), "active");
  EXPECT_EQ(users[0].OptionalInt(1), std::optional<int64_t>(now_));
  SqlRows codes = Query("SELECT consumed_at_ms, attempts FROM verification_codes");
  EXPECT_EQ(codes[0].OptionalInt(0), std::optional<int64_t>(now_));
  EXPECT_EQ(codes[0].Int(1), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events WHERE event = 'claimant_activated' AND "
                  "user_id = ?",
                  {user_id}),
            1);

  // The claimant can now log in with the phone number and the password.
  LoginResult login =
      Must(Login(*db_, ctx_, LoginAttempt{"+86 138 0013 8000", kPassword, "192.0.2.8", "r"}));
  ASSERT_TRUE(login.refusal.ok()) << login.refusal.ToString();
  EXPECT_EQ(login.user.id, user_id);
  EXPECT_EQ(login.user.role, Role::kClaimant);
}

TEST_F(ClaimantRegistrationTest, PendingAccountCannotLogIn) {
  ASSERT_TRUE(Register(kPhone).ok());
  LoginResult login = Must(Login(*db_, ctx_, LoginAttempt{kPhone, kPassword, "192.0.2.8", "r"}));
  EXPECT_EQ(login.refusal.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(login.refusal.reason(), "account_not_verified");
}

TEST_F(ClaimantRegistrationTest, WrongCodeIsRefusedAndCounted) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  VerificationResult wrong = Verify(kPhone, OtherCode(code));
  EXPECT_EQ(wrong.refusal.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(wrong.refusal.reason(), "invalid_code");
  EXPECT_EQ(wrong.refusal.field(), "code");
  EXPECT_EQ(Count("SELECT attempts FROM verification_codes"), 1);
  EXPECT_EQ(UserStatus(OnlyUserId()), "pending");
  // A later right code still works.
  VerificationResult right = Verify(kPhone, code);
  EXPECT_TRUE(right.refusal.ok()) << right.refusal.ToString();
  EXPECT_EQ(UserStatus(OnlyUserId()), "active");
}

TEST_F(ClaimantRegistrationTest, TooManyWrongCodesBlockEvenTheRightOne) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  ASSERT_EQ(ctx_.policy.code_max_attempts, 5);
  for (int i = 0; i < 5; ++i) {
    VerificationResult wrong = Verify(kPhone, OtherCode(code));
    ASSERT_EQ(wrong.refusal.reason(), "invalid_code") << "attempt " << i;
  }
  EXPECT_EQ(Count("SELECT attempts FROM verification_codes"), 5);
  VerificationResult right = Verify(kPhone, code);
  EXPECT_EQ(right.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_GT(right.refusal.retry_after_seconds(), 0);
  EXPECT_EQ(UserStatus(OnlyUserId()), "pending");
  EXPECT_EQ(Count("SELECT attempts FROM verification_codes"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes WHERE consumed_at_ms IS NOT NULL"), 0);
}

TEST_F(ClaimantRegistrationTest, ExpiredCodeIsRefused) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  now_ = kStart + 10 * 60 * kSecond;  // expires_at_ms itself
  VerificationResult expired = Verify(kPhone, code);
  EXPECT_EQ(expired.refusal.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(expired.refusal.reason(), "invalid_code");
  EXPECT_EQ(UserStatus(OnlyUserId()), "pending");
}

TEST_F(ClaimantRegistrationTest, CodeJustBeforeExpiryWorks) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  now_ = kStart + 10 * 60 * kSecond - 1;
  VerificationResult result = Verify(kPhone, code);
  EXPECT_TRUE(result.refusal.ok()) << result.refusal.ToString();
}

TEST_F(ClaimantRegistrationTest, CodeIsSingleUse) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string code = DeliverAndGetCode();
  ASSERT_TRUE(Verify(kPhone, code).refusal.ok());
  VerificationResult again = Verify(kPhone, code);
  EXPECT_EQ(again.refusal.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(again.refusal.reason(), "invalid_code");
  // Even if the account were pending again, the consumed code would not count twice.
  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'pending'").ok());
  VerificationResult reused = Verify(kPhone, code);
  EXPECT_EQ(reused.refusal.reason(), "invalid_code");
  EXPECT_EQ(UserStatus(OnlyUserId()), "pending");
}

TEST_F(ClaimantRegistrationTest, MalformedInputIsInvalidArgument) {
  ASSERT_TRUE(Register(kPhone).ok());
  for (const char* code : {"12345", "1234567", "abcdef", "12 456", ""}) {
    StatusOr<VerificationResult> result = VerifyClaimant(*db_, ctx_, kPhone, code, "", "");
    ASSERT_FALSE(result.ok()) << code;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(result.status().field(), "code");
  }
  StatusOr<VerificationResult> bad_phone = VerifyClaimant(*db_, ctx_, "12345", "123456", "", "");
  ASSERT_FALSE(bad_phone.ok());
  EXPECT_EQ(bad_phone.status().field(), "phone");
  EXPECT_EQ(Count("SELECT attempts FROM verification_codes"), 0);

  Status bad_register = Register("not a phone");
  EXPECT_EQ(bad_register.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_register.field(), "phone");
  Status short_password = Register("13900139000", "short");
  EXPECT_EQ(short_password.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_password.field(), "password");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
}

TEST_F(ClaimantRegistrationTest, UnknownPhoneVerificationIsJustAWrongCode) {
  VerificationResult result = Verify("13900139000", "123456");
  EXPECT_EQ(result.refusal.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(result.refusal.reason(), "invalid_code");
}

TEST_F(ClaimantRegistrationTest, ReRegisteringWithinAMinuteIsTooManyAttempts) {
  ASSERT_TRUE(Register(kPhone).ok());
  const std::string first_code = DeliverAndGetCode();
  now_ += 20 * kSecond;
  Status again = Register(kPhone, "a different password");
  EXPECT_EQ(again.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(again.retry_after_seconds(), 40);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1);
  // The password did not change either.
  EXPECT_TRUE(
      crypto::VerifyPassword(kPassword, Query("SELECT password_hash FROM users")[0].Bytes(0)));

  // After the minute, a new code replaces the old one and the password is the new one.
  now_ = kStart + 60 * kSecond;
  Status later = Register("+86 138 0013 8000", "a different password");
  ASSERT_TRUE(later.ok()) << later.ToString();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes"), 2);
  const std::string second_code = DeliverAndGetCode();
  EXPECT_TRUE(crypto::VerifyPassword("a different password",
                                     Query("SELECT password_hash FROM users")[0].Bytes(0)));
  if (second_code != first_code) {
    VerificationResult stale = Verify(kPhone, first_code);
    EXPECT_EQ(stale.refusal.reason(), "invalid_code");
  }
  VerificationResult fresh = Verify(kPhone, second_code);
  EXPECT_TRUE(fresh.refusal.ok()) << fresh.refusal.ToString();
}

TEST_F(ClaimantRegistrationTest, AtMostFiveCodesPerHour) {
  for (int i = 0; i < 5; ++i) {
    Status status = Register(kPhone);
    ASSERT_TRUE(status.ok()) << "code " << i << ": " << status.ToString();
    now_ += 61 * kSecond;
  }
  Status sixth = Register(kPhone);
  EXPECT_EQ(sixth.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(sixth.retry_after_seconds(), 3600);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes"), 5);
  // An hour after the first code, one more is allowed.
  now_ = kStart + 3600 * kSecond + 1;
  EXPECT_TRUE(Register(kPhone).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes"), 6);
}

TEST_F(ClaimantRegistrationTest, RegisteringAnActivePhoneAnswersOkAndChangesNothing) {
  ASSERT_TRUE(Register(kPhone).ok());
  ASSERT_TRUE(Verify(kPhone, DeliverAndGetCode()).refusal.ok());
  const std::string hash_before = Query("SELECT password_hash FROM users")[0].Bytes(0);
  const int64_t events_before = Count("SELECT COUNT(*) FROM security_events");

  now_ += 5 * 60 * kSecond;
  Status status = Register("138-0013-8000", "an attacker's password");
  EXPECT_TRUE(status.ok()) << status.ToString();
  // Within the resend window it answers exactly the same.
  now_ += kSecond;
  EXPECT_TRUE(Register(kPhone, "an attacker's password").ok());

  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
  SqlRows users = Query("SELECT status, password_hash FROM users");
  EXPECT_EQ(users[0].Bytes(0), "active");
  EXPECT_EQ(users[0].Bytes(1), hash_before);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM outbox"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events"), events_before);
  EXPECT_EQ(Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_)), 0);
}

TEST_F(ClaimantRegistrationTest, PhoneFormatsMapToTheSameAccount) {
  ASSERT_TRUE(Register("+86 138-0013-8000").ok());
  const std::string code = DeliverAndGetCode();
  EXPECT_EQ(sender_.sent.back().to, kPhone);  // texted in normalised form
  const int64_t user_id = OnlyUserId();
  for (const char* variant : {"8613800138000", "138 0013 8000", "+8613800138000"}) {
    now_ += 61 * kSecond;
    ASSERT_TRUE(Register(variant).ok()) << variant;
    EXPECT_EQ(OnlyUserId(), user_id) << variant;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM verification_codes WHERE user_id = ?", {user_id}), 4);
  // Delivers the three newer codes; the latest one verifies under yet another spelling.
  const int sent = Must(DeliverPendingMessages(tdb_.pool(), ctx_, sender_));
  EXPECT_EQ(sent, 3);
  for (const RecordingSender::Sent& message : sender_.sent) EXPECT_EQ(message.to, kPhone);
  VerificationResult result = Verify("138-0013-8000", CodeIn(sender_.sent.back().text));
  EXPECT_TRUE(result.refusal.ok()) << result.refusal.ToString();
  EXPECT_EQ(result.user.id, user_id);
  (void)code;
}

TEST_F(ClaimantRegistrationTest, VerificationMessageText) {
  const std::string text = VerificationMessage("042917", 10);
  EXPECT_NE(text.find("042917"), std::string::npos);
  EXPECT_NE(text.find("10分钟内有效"), std::string::npos);
  EXPECT_NE(text.find(kWarning), std::string::npos);
  EXPECT_EQ(CodeIn(text), "042917");
}

}  // namespace
}  // namespace restitution

namespace restitution {
namespace {

// Two people (or one impatient person) registering the same new phone at once: neither gets
// a duplicate-key error; both answers are the ordinary "code sent", and one account exists.
TEST_F(ClaimantRegistrationTest, ConcurrentFirstRegistrationsOfOnePhoneBothSucceed) {
  constexpr int kThreads = 4;
  std::vector<Status> results(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] { results[i] = Register("13700137000"); });
  }
  for (std::thread& t : threads) t.join();
  for (const Status& result : results) {
    EXPECT_TRUE(result.ok() || result.code() == StatusCode::kTooManyAttempts) << result.ToString();
    EXPECT_NE(result.code(), StatusCode::kConflict) << result.ToString();
  }
  EXPECT_TRUE(results[0].ok() || results[1].ok() || results[2].ok() || results[3].ok());
  EXPECT_EQ(Must(db_->Query("SELECT COUNT(*) FROM users WHERE role = 'claimant'"))[0].Int(0), 1);
}

}  // namespace
}  // namespace restitution
