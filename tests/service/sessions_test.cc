#include "service/sessions.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/sha256.h"
#include "service/accounts.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kStart = 1750000000000;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

class SessionsTest : public ::testing::Test {
 protected:
  SessionsTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
    user_ = Must(CreateStaffUser(*db_, ctx_, 0, "court.zhao", "a long enough password", "court"));
  }

  void ExpectRefused(const std::string& token) {
    StatusOr<Principal> principal = AuthenticateToken(*db_, ctx_, token);
    ASSERT_FALSE(principal.ok()) << "accepted token \"" << token << "\"";
    EXPECT_EQ(principal.status().code(), StatusCode::kUnauthenticated);
    EXPECT_EQ(principal.status().reason(), "unauthenticated");
  }

  void ExpectAccepted(const std::string& token) {
    StatusOr<Principal> principal = AuthenticateToken(*db_, ctx_, token);
    ASSERT_TRUE(principal.ok()) << principal.status().ToString();
    EXPECT_EQ(principal->user_id, user_.id);
    EXPECT_EQ(principal->role, Role::kCourt);
  }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  UserView user_;
};

TEST_F(SessionsTest, CreateSessionStoresTheHashAndExpiry) {
  ctx_.policy.session_ttl_seconds = 600;
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  ASSERT_EQ(session.token.size(), 43u);
  EXPECT_EQ(session.expires_at_ms, kStart + 600 * 1000);
  StatusOr<std::string> raw = crypto::Base64UrlDecode(session.token);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->size(), 32u);
  SqlRows rows = Must(db_->Query(
      "SELECT token_hash, user_id, created_at_ms, expires_at_ms, revoked_at_ms FROM sessions"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), crypto::Sha256(session.token));
  EXPECT_EQ(rows[0].Int(1), user_.id);
  EXPECT_EQ(rows[0].Int(2), kStart);
  EXPECT_EQ(rows[0].Int(3), kStart + 600 * 1000);
  EXPECT_TRUE(rows[0].IsNull(4));
}

TEST_F(SessionsTest, ValidTokenAuthenticates) {
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  ExpectAccepted(session.token);
  now_ += 3600 * 1000;
  ExpectAccepted(session.token);
}

TEST_F(SessionsTest, ExpiredTokenIsRefused) {
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  now_ = session.expires_at_ms - 1;
  ExpectAccepted(session.token);
  now_ = session.expires_at_ms;
  ExpectRefused(session.token);
  now_ = session.expires_at_ms + 24 * 3600 * 1000;
  ExpectRefused(session.token);
}

TEST_F(SessionsTest, RevokedTokenIsRefused) {
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  NewSession other = Must(CreateSession(*db_, ctx_, user_.id));
  now_ += 1000;
  ASSERT_TRUE(RevokeSession(*db_, ctx_, session.token).ok());
  ExpectRefused(session.token);
  ExpectAccepted(other.token);  // only that session ends
  SqlRows rows = Must(db_->Query("SELECT revoked_at_ms FROM sessions WHERE token_hash = ?",
                                 {crypto::Sha256(session.token)}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].OptionalInt(0), std::optional<int64_t>(kStart + 1000));
  // Revoking again keeps the first revocation time.
  now_ += 1000;
  ASSERT_TRUE(RevokeSession(*db_, ctx_, session.token).ok());
  rows = Must(db_->Query("SELECT revoked_at_ms FROM sessions WHERE token_hash = ?",
                         {crypto::Sha256(session.token)}));
  EXPECT_EQ(rows[0].Int(0), kStart + 1000);
  // Revoking an unknown token is harmless.
  EXPECT_TRUE(RevokeSession(*db_, ctx_, "unknown").ok());
  ExpectAccepted(other.token);
}

TEST_F(SessionsTest, GarbageTokensAreRefused) {
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  std::string altered = session.token;
  altered[10] = altered[10] == 'A' ? 'B' : 'A';
  const std::vector<std::string> garbage = {
      "",
      "abc",
      altered,
      session.token + "A",
      session.token.substr(0, 42),
      crypto::Base64UrlEncode(crypto::RandomBytes(32)),
      std::string(43, '\0'),
      crypto::Sha256(session.token),                     // the stored hash is not a token
      crypto::HexEncode(crypto::Sha256(session.token)),  //  nor is its hex
      "' OR '1'='1' -- xxxxxxxxxxxxxxxxxxxxxxxxxxx",
  };
  for (const std::string& token : garbage) ExpectRefused(token);
  ExpectAccepted(session.token);
}

TEST_F(SessionsTest, DisabledOrPendingUsersTokenIsRefused) {
  NewSession session = Must(CreateSession(*db_, ctx_, user_.id));
  ExpectAccepted(session.token);
  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'disabled' WHERE id = ?", {user_.id}).ok());
  ExpectRefused(session.token);
  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'pending' WHERE id = ?", {user_.id}).ok());
  ExpectRefused(session.token);
  ASSERT_TRUE(db_->Exec("UPDATE users SET status = 'active' WHERE id = ?", {user_.id}).ok());
  ExpectAccepted(session.token);
}

TEST_F(SessionsTest, TokenNamesItsOwnUserAndRole) {
  UserView auditor =
      Must(CreateStaffUser(*db_, ctx_, 0, "auditor.sun", "another long password", "auditor"));
  NewSession mine = Must(CreateSession(*db_, ctx_, user_.id));
  NewSession theirs = Must(CreateSession(*db_, ctx_, auditor.id));
  ExpectAccepted(mine.token);
  StatusOr<Principal> principal = AuthenticateToken(*db_, ctx_, theirs.token);
  ASSERT_TRUE(principal.ok());
  EXPECT_EQ(principal->user_id, auditor.id);
  EXPECT_EQ(principal->role, Role::kAuditor);
}

TEST_F(SessionsTest, SessionForUnknownUserIsRefusedByTheDatabase) {
  StatusOr<NewSession> session = CreateSession(*db_, ctx_, user_.id + 1000);
  ASSERT_FALSE(session.ok());
  EXPECT_EQ(session.status().code(), StatusCode::kInternal);  // foreign key
  EXPECT_EQ(Must(db_->Query("SELECT COUNT(*) FROM sessions"))[0].Int(0), 0);
}

}  // namespace
}  // namespace restitution
