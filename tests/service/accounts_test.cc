#include "service/accounts.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/password_hash.h"
#include "crypto/sha256.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kStart = 1750000000000;  // a fixed "now" for the manual clock
constexpr int64_t kSecond = 1000;
constexpr char kPassword[] = "correct horse battery";
constexpr char kWrongPassword[] = "Tr0ub4dor&3-wrong";

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

bool IsBase64Url(const std::string& text) {
  for (char c : text) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  SqlRows Query(const std::string& sql, const std::vector<SqlParam>& params = {}) {
    return Must(db_->Query(sql, params));
  }
  int64_t Count(const std::string& sql, const std::vector<SqlParam>& params = {}) {
    return Query(sql, params).at(0).Int(0);
  }

  UserView MakeStaff(const std::string& username, const std::string& role = "officer") {
    return Must(CreateStaffUser(*db_, ctx_, 0, username, kPassword, role));
  }

  LoginResult LoginAs(const std::string& username, const std::string& password,
                      const std::string& address = "198.51.100.7") {
    return Must(Login(*db_, ctx_, LoginAttempt{username, password, address, "req-1"}));
  }

  // failures and locked_until_ms of a throttle row, or {-1, -1} when there is none.
  std::pair<int64_t, int64_t> Throttle(const std::string& scope, const std::string& hash) {
    SqlRows rows = Query(
        "SELECT failures, locked_until_ms FROM login_throttle WHERE scope = ? AND "
        "subject_hash = ?",
        {scope, hash});
    if (rows.empty()) return {-1, -1};
    return {rows[0].Int(0), rows[0].Int(1)};
  }
  std::string AccountHash(const std::string& username) { return LoginHash(ctx_, username); }
  std::string AddressHash(const std::string& address) {
    return keys_.keys().BlindIndex("address", address);
  }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
};

// ---------------------------------------------------------------------------------------
// CreateStaffUser

TEST_F(AccountsTest, CreateStaffUserStoresAnActiveAccountWithAHashedPassword) {
  StatusOr<UserView> user = CreateStaffUser(*db_, ctx_, 0, "officer.li", kPassword, "officer");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_GT(user->id, 0);
  EXPECT_EQ(user->username, "officer.li");
  EXPECT_EQ(user->role, Role::kOfficer);

  SqlRows rows = Query(
      "SELECT login_hash, username, phone_enc, role, status, password_hash, created_by, "
      "created_at_ms, activated_at_ms FROM users WHERE id = ?",
      {user->id});
  ASSERT_EQ(rows.size(), 1u);
  const SqlRow& row = rows[0];
  EXPECT_EQ(row.Bytes(0), keys_.keys().BlindIndex("login", "officer.li"));
  EXPECT_EQ(row.Bytes(1), "officer.li");
  EXPECT_TRUE(row.IsNull(2));
  EXPECT_EQ(row.Bytes(3), "officer");
  EXPECT_EQ(row.Bytes(4), "active");
  const std::string hash = row.Bytes(5);
  EXPECT_NE(hash, kPassword);
  EXPECT_EQ(hash.find(kPassword), std::string::npos);
  EXPECT_TRUE(crypto::VerifyPassword(kPassword, hash));
  EXPECT_FALSE(crypto::VerifyPassword(kWrongPassword, hash));
  EXPECT_TRUE(row.IsNull(6));  // the bootstrap admin's 0 is stored as NULL
  EXPECT_EQ(row.Int(7), kStart);
  EXPECT_EQ(row.Int(8), kStart);
}

TEST_F(AccountsTest, CreateStaffUserRecordsCreatorAndEveryStaffRole) {
  UserView admin = MakeStaff("root.admin", "admin");
  EXPECT_EQ(admin.role, Role::kAdmin);
  const std::vector<std::pair<std::string, Role>> roles = {
      {"officer", Role::kOfficer}, {"court", Role::kCourt}, {"auditor", Role::kAuditor}};
  for (const auto& [name, role] : roles) {
    StatusOr<UserView> user =
        CreateStaffUser(*db_, ctx_, admin.id, "user." + name, kPassword, name);
    ASSERT_TRUE(user.ok()) << name << ": " << user.status().ToString();
    EXPECT_EQ(user->role, role);
    SqlRows rows = Query("SELECT role, created_by FROM users WHERE id = ?", {user->id});
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].Bytes(0), name);
    EXPECT_EQ(rows[0].OptionalInt(1), std::optional<int64_t>(admin.id));
  }
}

TEST_F(AccountsTest, DuplicateUsernameIsUsernameTaken) {
  UserView first = MakeStaff("officer.li");
  StatusOr<UserView> again =
      CreateStaffUser(*db_, ctx_, 0, "officer.li", "another password 123", "auditor");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kConflict);
  EXPECT_EQ(again.status().reason(), "username_taken");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 1);
  SqlRows rows = Query("SELECT role FROM users WHERE id = ?", {first.id});
  EXPECT_EQ(rows[0].Bytes(0), "officer");
}

TEST_F(AccountsTest, ClaimantRoleIsRefusedAsARule) {
  StatusOr<UserView> user = CreateStaffUser(*db_, ctx_, 0, "someone", kPassword, "claimant");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(user.status().field(), "role");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
}

TEST_F(AccountsTest, UnknownRoleIsInvalid) {
  for (const char* role : {"superuser", "Admin", "", "officer "}) {
    StatusOr<UserView> user = CreateStaffUser(*db_, ctx_, 0, "someone", kPassword, role);
    ASSERT_FALSE(user.ok()) << role;
    EXPECT_EQ(user.status().code(), StatusCode::kInvalidArgument) << role;
    EXPECT_EQ(user.status().field(), "role") << role;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
}

TEST_F(AccountsTest, BadUsernamesAreRefused) {
  const std::vector<std::string> bad = {
      "",         "ab",     std::string(65, 'a'), "1officer", "Officer",   "officer li",
      "li@court", "李警官", ".officer",           "off\tcer", "officer/x", std::string("ab\0c", 4)};
  for (const std::string& username : bad) {
    StatusOr<UserView> user = CreateStaffUser(*db_, ctx_, 0, username, kPassword, "officer");
    ASSERT_FALSE(user.ok()) << "accepted \"" << username << "\"";
    EXPECT_EQ(user.status().code(), StatusCode::kInvalidArgument) << username;
    EXPECT_EQ(user.status().field(), "username") << username;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);
}

TEST_F(AccountsTest, UsernameBoundsAndCharactersAccepted) {
  for (const std::string& username :
       {std::string("abc"), std::string(64, 'z'), std::string("a.b_c-9"), std::string("x123")}) {
    StatusOr<UserView> user = CreateStaffUser(*db_, ctx_, 0, username, kPassword, "officer");
    ASSERT_TRUE(user.ok()) << username << ": " << user.status().ToString();
    EXPECT_EQ(user->username, username);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 4);
}

TEST_F(AccountsTest, PasswordPolicy) {
  StatusOr<UserView> short_password =
      CreateStaffUser(*db_, ctx_, 0, "officer.li", "123456789", "officer");
  ASSERT_FALSE(short_password.ok());
  EXPECT_EQ(short_password.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(short_password.status().field(), "password");

  StatusOr<UserView> long_password =
      CreateStaffUser(*db_, ctx_, 0, "officer.li", std::string(129, 'p'), "officer");
  ASSERT_FALSE(long_password.ok());
  EXPECT_EQ(long_password.status().field(), "password");

  StatusOr<UserView> same_as_name =
      CreateStaffUser(*db_, ctx_, 0, "administrator", "AdminiSTRATOR", "admin");
  ASSERT_FALSE(same_as_name.ok());
  EXPECT_EQ(same_as_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(same_as_name.status().field(), "password");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM users"), 0);

  EXPECT_TRUE(CreateStaffUser(*db_, ctx_, 0, "exactly.ten", "1234567890", "officer").ok());
  EXPECT_TRUE(CreateStaffUser(*db_, ctx_, 0, "exactly.max", std::string(128, 'p'), "officer").ok());

  ctx_.policy.password_min_length = 16;
  Status policy = CheckPasswordPolicy(ctx_, std::string(15, 'p'));
  EXPECT_EQ(policy.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(policy.field(), "password");
  EXPECT_NE(policy.message().find("16"), std::string::npos);
  EXPECT_TRUE(CheckPasswordPolicy(ctx_, std::string(16, 'p')).ok());
}

TEST_F(AccountsTest, LoginHashNormalisesNamesAndPhones) {
  EXPECT_EQ(LoginHash(ctx_, "Officer.Li"), LoginHash(ctx_, "officer.li"));
  EXPECT_EQ(LoginHash(ctx_, "officer.li"), keys_.keys().BlindIndex("login", "officer.li"));
  EXPECT_EQ(LoginHash(ctx_, "+86 138-0013-8000"), keys_.keys().BlindIndex("login", "13800138000"));
  EXPECT_EQ(LoginHash(ctx_, "138 0013 8000"), LoginHash(ctx_, "13800138000"));
  EXPECT_NE(LoginHash(ctx_, "officer.li"), LoginHash(ctx_, "officer.wang"));
  EXPECT_EQ(LoginHash(ctx_, "x").size(), 32u);
}

// ---------------------------------------------------------------------------------------
// Login

TEST_F(AccountsTest, LoginSucceedsAndStoresOnlyTheTokensHash) {
  UserView user = MakeStaff("officer.li");
  now_ += 5 * kSecond;
  LoginResult result = LoginAs("officer.li", kPassword, "203.0.113.5");
  ASSERT_TRUE(result.refusal.ok()) << result.refusal.ToString();
  EXPECT_EQ(result.user.id, user.id);
  EXPECT_EQ(result.user.username, "officer.li");
  EXPECT_EQ(result.user.role, Role::kOfficer);
  const std::string& token = result.session.token;
  ASSERT_EQ(token.size(), 43u);
  EXPECT_TRUE(IsBase64Url(token)) << token;
  EXPECT_EQ(result.session.expires_at_ms, now_ + int64_t{8 * 3600} * kSecond);

  SqlRows sessions = Query(
      "SELECT token_hash, user_id, created_at_ms, expires_at_ms, revoked_at_ms "
      "FROM sessions");
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].Bytes(0), crypto::Sha256(token));
  EXPECT_EQ(sessions[0].Bytes(0).find(token), std::string::npos);
  EXPECT_EQ(sessions[0].Int(1), user.id);
  EXPECT_EQ(sessions[0].Int(2), now_);
  EXPECT_EQ(sessions[0].Int(3), result.session.expires_at_ms);
  EXPECT_TRUE(sessions[0].IsNull(4));

  SqlRows events = Query(
      "SELECT at_ms, event, user_id, role, client_address, request_id, route, detail FROM "
      "security_events");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].Int(0), now_);
  EXPECT_EQ(events[0].Bytes(1), "login");
  EXPECT_EQ(events[0].Int(2), user.id);
  EXPECT_EQ(events[0].Bytes(3), "officer");
  EXPECT_EQ(events[0].Bytes(4), "203.0.113.5");
  EXPECT_EQ(events[0].Bytes(5), "req-1");
  EXPECT_EQ(events[0].Bytes(6), "POST /api/v1/auth/login");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM login_throttle"), 0);

  // Two logins give two different tokens.
  LoginResult second = LoginAs("officer.li", kPassword);
  ASSERT_TRUE(second.refusal.ok());
  EXPECT_NE(second.session.token, token);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 2);
}

TEST_F(AccountsTest, LoginIsCaseInsensitiveOnTheUsername) {
  UserView user = MakeStaff("officer.li");
  LoginResult result = LoginAs("OFFICER.Li", kPassword);
  ASSERT_TRUE(result.refusal.ok()) << result.refusal.ToString();
  EXPECT_EQ(result.user.id, user.id);
}

TEST_F(AccountsTest, LoginInsideATransactionCommits) {
  MakeStaff("officer.li");
  LoginResult result;
  Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(result, Login(db, ctx_, LoginAttempt{"officer.li", kPassword, "a", "r"}));
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  ASSERT_TRUE(result.refusal.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions WHERE token_hash = ?",
                  {crypto::Sha256(result.session.token)}),
            1);
}

TEST_F(AccountsTest, WrongPasswordIsRefusedCountedAndLoggedWithoutSecrets) {
  UserView user = MakeStaff("officer.wang");
  StatusOr<LoginResult> result =
      Login(*db_, ctx_, LoginAttempt{"officer.wang", kWrongPassword, "203.0.113.9", "req-9"});
  ASSERT_TRUE(result.ok()) << result.status().ToString();  // a refusal is not an error
  EXPECT_EQ(result->refusal.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(result->refusal.reason(), "invalid_credentials");
  EXPECT_TRUE(result->session.token.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);

  EXPECT_EQ(Throttle("account", AccountHash("officer.wang")),
            std::make_pair(int64_t{1}, int64_t{0}));
  EXPECT_EQ(Throttle("address", AddressHash("203.0.113.9")),
            std::make_pair(int64_t{1}, int64_t{0}));
  EXPECT_EQ(Count("SELECT last_failure_at_ms FROM login_throttle WHERE scope = 'account'"), kStart);

  SqlRows events = Query("SELECT event, user_id, client_address, request_id FROM security_events");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].Bytes(0), "login_failed");
  EXPECT_EQ(events[0].Int(1), user.id);
  EXPECT_EQ(events[0].Bytes(2), "203.0.113.9");
  EXPECT_EQ(events[0].Bytes(3), "req-9");
  // Neither the password tried nor the name typed is kept anywhere in the event.
  SqlRows all = Query(
      "SELECT CONCAT_WS('|', at_ms, event, user_id, role, client_address, request_id, route, "
      "detail) FROM security_events");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].Bytes(0).find(kWrongPassword), std::string::npos) << all[0].Bytes(0);
  EXPECT_EQ(all[0].Bytes(0).find("wang"), std::string::npos) << all[0].Bytes(0);

  // A second failure increments the same rows.
  now_ += kSecond;
  LoginResult again = LoginAs("officer.wang", kWrongPassword, "203.0.113.9");
  EXPECT_EQ(again.refusal.reason(), "invalid_credentials");
  EXPECT_EQ(Throttle("account", AccountHash("officer.wang")).first, 2);
  EXPECT_EQ(Throttle("address", AddressHash("203.0.113.9")).first, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM login_throttle"), 2);
}

TEST_F(AccountsTest, UnknownUserIsRefusedLikeAWrongPassword) {
  MakeStaff("officer.li");
  LoginResult result = LoginAs("nobody.here", kPassword);
  EXPECT_EQ(result.refusal.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(result.refusal.reason(), "invalid_credentials");
  EXPECT_EQ(result.refusal.message(), LoginAs("officer.li", kWrongPassword).refusal.message());
  EXPECT_EQ(Throttle("account", AccountHash("nobody.here")).first, 1);
  SqlRows events = Query(
      "SELECT event, user_id, CONCAT_WS('|', role, client_address, request_id, "
      "route, detail) FROM security_events ORDER BY id");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].Bytes(0), "login_failed");
  EXPECT_TRUE(events[0].IsNull(1));
  EXPECT_EQ(events[0].Bytes(2).find("nobody"), std::string::npos);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
}

TEST_F(AccountsTest, SuccessClearsTheAccountsFailuresButNotTheAddresses) {
  MakeStaff("officer.li");
  LoginAs("officer.li", kWrongPassword, "192.0.2.1");
  LoginAs("officer.li", kWrongPassword, "192.0.2.1");
  ASSERT_EQ(Throttle("account", AccountHash("officer.li")).first, 2);
  LoginResult ok = LoginAs("officer.li", kPassword, "192.0.2.1");
  ASSERT_TRUE(ok.refusal.ok()) << ok.refusal.ToString();
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, -1);
  EXPECT_EQ(Throttle("address", AddressHash("192.0.2.1")).first, 2);
}

TEST_F(AccountsTest, BackOffAfterThreeFailuresEvenWithTheRightPassword) {
  UserView user = MakeStaff("officer.li");
  for (int i = 0; i < 3; ++i) {
    now_ += 100;
    LoginResult failed = LoginAs("officer.li", kWrongPassword);
    ASSERT_EQ(failed.refusal.reason(), "invalid_credentials") << "attempt " << i;
  }
  const int64_t third_failure = now_;
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, 3);

  // Inside the 1 s window: refused before the password is even looked at.
  now_ = third_failure + 500;
  LoginResult throttled = LoginAs("officer.li", kPassword);
  EXPECT_EQ(throttled.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_GT(throttled.refusal.retry_after_seconds(), 0);
  EXPECT_EQ(throttled.refusal.retry_after_seconds(), 1);
  EXPECT_TRUE(throttled.session.token.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, 3);  // not counted again
  SqlRows events = Query(
      "SELECT event, detail, user_id FROM security_events ORDER BY id DESC "
      "LIMIT 1");
  EXPECT_EQ(events[0].Bytes(0), "login_throttled");
  EXPECT_EQ(events[0].Bytes(1), "account");

  // A fourth failure doubles the wait to 2 s.
  now_ = third_failure + 1000;
  ASSERT_EQ(LoginAs("officer.li", kWrongPassword).refusal.reason(), "invalid_credentials");
  const int64_t fourth_failure = now_;
  now_ = fourth_failure + 1999;
  LoginResult still = LoginAs("officer.li", kPassword);
  EXPECT_EQ(still.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(still.refusal.retry_after_seconds(), 1);
  now_ = fourth_failure + 1000;
  EXPECT_EQ(LoginAs("officer.li", kPassword).refusal.retry_after_seconds(), 1);

  // After the wait the right password works and the account starts again from zero.
  now_ = fourth_failure + 2000;
  LoginResult ok = LoginAs("officer.li", kPassword);
  ASSERT_TRUE(ok.refusal.ok()) << ok.refusal.ToString();
  EXPECT_EQ(ok.user.id, user.id);
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, -1);
}

TEST_F(AccountsTest, TenFailuresLockTheAccountForFifteenMinutes) {
  MakeStaff("officer.li");
  for (int i = 1; i <= 10; ++i) {
    now_ += 300 * kSecond;  // longer than any back-off, so every attempt is judged
    LoginResult failed = LoginAs("officer.li", kWrongPassword);
    ASSERT_EQ(failed.refusal.reason(), "invalid_credentials")
        << "attempt " << i << ": " << failed.refusal.ToString();
  }
  const int64_t locked_at = now_;
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")),
            std::make_pair(int64_t{0}, locked_at + 15 * 60 * kSecond));

  now_ = locked_at + kSecond;
  LoginResult locked = LoginAs("officer.li", kPassword);
  EXPECT_EQ(locked.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(locked.refusal.retry_after_seconds(), 15 * 60 - 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);

  now_ = locked_at + 15 * 60 * kSecond - 1;
  LoginResult almost = LoginAs("officer.li", kPassword);
  EXPECT_EQ(almost.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(almost.refusal.retry_after_seconds(), 1);

  now_ = locked_at + 15 * 60 * kSecond;
  LoginResult unlocked = LoginAs("officer.li", kPassword);
  ASSERT_TRUE(unlocked.refusal.ok()) << unlocked.refusal.ToString();
  EXPECT_EQ(unlocked.session.token.size(), 43u);
}

TEST_F(AccountsTest, OldFailuresAreForgottenAfterAnHour) {
  MakeStaff("officer.li");
  for (int i = 0; i < 3; ++i) {
    now_ += 100;
    LoginAs("officer.li", kWrongPassword);
  }
  now_ += 3600 * kSecond + 1;
  LoginResult failed = LoginAs("officer.li", kWrongPassword);
  EXPECT_EQ(failed.refusal.reason(), "invalid_credentials");
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, 1);  // counted afresh
}

TEST_F(AccountsTest, OneAddressIsThrottledAcrossDifferentUsernames) {
  UserView user = MakeStaff("officer.li");
  const std::string attacker = "203.0.113.66";
  int i = 0;
  for (const char* name : {"guess.one", "guess.two", "guess.three"}) {
    now_ += 10;
    LoginResult failed = LoginAs(name, kWrongPassword, attacker);
    ASSERT_EQ(failed.refusal.reason(), "invalid_credentials") << name;
    EXPECT_EQ(Throttle("account", AccountHash(name)).first, 1) << name;
    EXPECT_EQ(Throttle("address", AddressHash(attacker)).first, ++i);
  }
  const int64_t last_failure = now_;

  // A fourth name, even with its right password, waits: the address is slowed down.
  now_ = last_failure + 10;
  LoginResult throttled = LoginAs("officer.li", kPassword, attacker);
  EXPECT_EQ(throttled.refusal.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(throttled.refusal.retry_after_seconds(), 1);
  SqlRows events = Query("SELECT event, detail FROM security_events ORDER BY id DESC LIMIT 1");
  EXPECT_EQ(events[0].Bytes(0), "login_throttled");
  EXPECT_EQ(events[0].Bytes(1), "address");
  EXPECT_EQ(Throttle("account", AccountHash("officer.li")).first, -1);

  // Another address is not affected.
  LoginResult elsewhere = LoginAs("officer.li", kPassword, "198.51.100.200");
  ASSERT_TRUE(elsewhere.refusal.ok()) << elsewhere.refusal.ToString();
  EXPECT_EQ(elsewhere.user.id, user.id);

  // And the slowed address may try again after the back-off.
  now_ = last_failure + 1000;
  LoginResult later = LoginAs("officer.li", kPassword, attacker);
  EXPECT_TRUE(later.refusal.ok()) << later.refusal.ToString();
}

TEST_F(AccountsTest, InactiveAccountsCannotLogIn) {
  UserView user = MakeStaff("officer.li");
  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'disabled' WHERE id = ?", {user.id}).ok());
  LoginResult disabled = LoginAs("officer.li", kPassword);
  EXPECT_EQ(disabled.refusal.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(disabled.refusal.reason(), "account_disabled");
  EXPECT_TRUE(disabled.session.token.empty());

  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'pending' WHERE id = ?", {user.id}).ok());
  LoginResult pending = LoginAs("officer.li", kPassword);
  EXPECT_EQ(pending.refusal.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(pending.refusal.reason(), "account_not_verified");

  EXPECT_EQ(Count("SELECT COUNT(*) FROM sessions"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM security_events WHERE event = 'login_refused_inactive' "
                  "AND user_id = ?",
                  {user.id}),
            2);
}

TEST_F(AccountsTest, WeakerStoredHashIsUpgradedOnLogin) {
  UserView user = MakeStaff("officer.li");
  const std::string before = Query("SELECT password_hash FROM users")[0].Bytes(0);
  ctx_.policy.scrypt.log2_n = 11;
  ASSERT_TRUE(crypto::PasswordHashNeedsUpgrade(before, ctx_.policy.scrypt));
  LoginResult result = LoginAs("officer.li", kPassword);
  ASSERT_TRUE(result.refusal.ok()) << result.refusal.ToString();
  const std::string after =
      Query("SELECT password_hash FROM users WHERE id = ?", {user.id})[0].Bytes(0);
  EXPECT_NE(after, before);
  EXPECT_FALSE(crypto::PasswordHashNeedsUpgrade(after, ctx_.policy.scrypt));
  EXPECT_TRUE(crypto::VerifyPassword(kPassword, after));
  // A failed login does not touch the hash.
  ctx_.policy.scrypt.log2_n = 12;
  LoginAs("officer.li", kWrongPassword);
  EXPECT_EQ(Query("SELECT password_hash FROM users WHERE id = ?", {user.id})[0].Bytes(0), after);
}

}  // namespace
}  // namespace restitution
