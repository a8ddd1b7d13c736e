#include "service/idempotency.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "crypto/sha256.h"
#include "service/transaction.h"
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

class IdempotencyTest : public ::testing::Test {
 protected:
  IdempotencyTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  // One request as a handler runs it: look the key up (reserving it when new) and, when it is
  // new, do the work and save `response`, all in one transaction. Returns what the lookup found.
  StatusOr<std::optional<StoredResponse>> Handle(const IdempotencyScope& scope,
                                                 const StoredResponse& response) {
    std::optional<StoredResponse> found;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(found, LookupIdempotentResponse(db, ctx_, scope));
      if (found) return Status::Ok();
      return SaveIdempotentResponse(db, ctx_, scope, response);
    });
    if (!status.ok()) return status;
    return found;
  }

  int64_t Rows() { return Must(db_->Query("SELECT COUNT(*) FROM idempotency_keys"))[0].Int(0); }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
};

const IdempotencyScope kScope{42, "key-7f3a", "POST /api/v1/claimants/register {\"phone\":1}"};

TEST_F(IdempotencyTest, NewKeyIsNotFoundAndIsReservedUntilRollback) {
  ASSERT_TRUE(db_->Begin().ok());
  StatusOr<std::optional<StoredResponse>> found = LookupIdempotentResponse(*db_, ctx_, kScope);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_FALSE(found->has_value());
  SqlRows rows = Must(db_->Query(
      "SELECT user_id, key_hash, request_hash, status_code, response_enc, created_at_ms FROM "
      "idempotency_keys"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 42);
  EXPECT_EQ(rows[0].Bytes(1), crypto::Sha256(kScope.key));
  EXPECT_EQ(rows[0].Bytes(2), crypto::Sha256(kScope.request_fingerprint));
  EXPECT_EQ(rows[0].Int(3), 0);  // reserved, no response yet
  EXPECT_EQ(rows[0].Bytes(4), "");
  EXPECT_EQ(rows[0].Int(5), kStart);
  db_->Rollback();
  EXPECT_EQ(Rows(), 0);
}

TEST_F(IdempotencyTest, SavedResponseIsReturnedForTheSameRequest) {
  const std::string body = "{\"token\":\"s3cr3t-t0ken\",\"name\":\"张三\"}";
  StatusOr<std::optional<StoredResponse>> first =
      Handle(kScope, StoredResponse{201, body, std::nullopt});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE(first->has_value());

  now_ += 60 * 1000;
  StatusOr<std::optional<StoredResponse>> repeat =
      Handle(kScope, StoredResponse{500, "other", std::nullopt});
  ASSERT_TRUE(repeat.ok()) << repeat.status().ToString();
  ASSERT_TRUE(repeat->has_value());
  EXPECT_EQ((*repeat)->status_code, 201);
  EXPECT_EQ((*repeat)->body, body);

  // A repeat neither consumes nor replaces the stored response.
  StatusOr<std::optional<StoredResponse>> third =
      Handle(kScope, StoredResponse{500, "other", std::nullopt});
  ASSERT_TRUE(third.ok());
  ASSERT_TRUE(third->has_value());
  EXPECT_EQ((*third)->status_code, 201);
  EXPECT_EQ((*third)->body, body);
  EXPECT_EQ(Rows(), 1);
}

TEST_F(IdempotencyTest, StoredRowHoldsOnlyHashesAndCiphertext) {
  const std::string body = "{\"token\":\"s3cr3t-t0ken\"}";
  ASSERT_TRUE(Handle(kScope, StoredResponse{200, body, std::nullopt}).ok());
  SqlRows rows = Must(db_->Query(
      "SELECT user_id, key_hash, request_hash, status_code, response_enc, created_at_ms FROM "
      "idempotency_keys"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 42);
  EXPECT_EQ(rows[0].Bytes(1), crypto::Sha256(kScope.key));
  EXPECT_EQ(rows[0].Bytes(2), crypto::Sha256(kScope.request_fingerprint));
  EXPECT_EQ(rows[0].Int(3), 200);
  const std::string& sealed = rows[0].Bytes(4);
  EXPECT_NE(sealed, body);
  EXPECT_GT(sealed.size(), body.size());
  EXPECT_EQ(sealed.find("s3cr3t"), std::string::npos);
  EXPECT_EQ(sealed.find("token"), std::string::npos);
  EXPECT_EQ(Must(keys_.keys().Open("idempotency.response", sealed)), body);
  EXPECT_EQ(rows[0].Int(5), kStart);
}

TEST_F(IdempotencyTest, EmptyAndBinaryBodiesRoundTrip) {
  const IdempotencyScope empty_scope{1, "empty", "DELETE /x"};
  ASSERT_TRUE(Handle(empty_scope, StoredResponse{204, "", std::nullopt}).ok());
  std::optional<StoredResponse> empty =
      Must(Handle(empty_scope, StoredResponse{500, "x", std::nullopt}));
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->status_code, 204);
  EXPECT_EQ(empty->body, "");

  const std::string binary("\0\xff\x01 body", 8);
  const IdempotencyScope binary_scope{1, "binary", "POST /y"};
  ASSERT_TRUE(Handle(binary_scope, StoredResponse{200, binary, std::nullopt}).ok());
  std::optional<StoredResponse> found =
      Must(Handle(binary_scope, StoredResponse{500, "x", std::nullopt}));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->body, binary);
}

TEST_F(IdempotencyTest, SameKeyForADifferentRequestIsRefused) {
  ASSERT_TRUE(Handle(kScope, StoredResponse{201, "{}", std::nullopt}).ok());
  IdempotencyScope other = kScope;
  other.request_fingerprint += " ";
  StatusOr<std::optional<StoredResponse>> found =
      Handle(other, StoredResponse{201, "changed", std::nullopt});
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(found.status().reason(), "idempotency_key_reused");
  EXPECT_EQ(found.status().field(), "Idempotency-Key");
  // The original response is untouched.
  EXPECT_EQ(Must(Handle(kScope, StoredResponse{500, "", std::nullopt}))->body, "{}");
  EXPECT_EQ(Rows(), 1);
}

TEST_F(IdempotencyTest, KeysAreScopedPerUser) {
  ASSERT_TRUE(Handle(kScope, StoredResponse{201, "mine", std::nullopt}).ok());
  IdempotencyScope someone_else = kScope;
  someone_else.user_id = 43;
  EXPECT_FALSE(Must(Handle(someone_else, StoredResponse{200, "theirs", std::nullopt})).has_value());
  EXPECT_EQ(Must(Handle(kScope, StoredResponse{500, "", std::nullopt}))->body, "mine");
  EXPECT_EQ(Must(Handle(someone_else, StoredResponse{500, "", std::nullopt}))->body, "theirs");
  // Keys differing only in case are different keys.
  IdempotencyScope upper = kScope;
  upper.key = "KEY-7F3A";
  EXPECT_FALSE(Must(Handle(upper, StoredResponse{200, "upper", std::nullopt})).has_value());
  EXPECT_EQ(Rows(), 3);
}

TEST_F(IdempotencyTest, SaveWithoutReservationIsAnError) {
  Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
    return SaveIdempotentResponse(db, ctx_, kScope, StoredResponse{201, "x", std::nullopt});
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.ToString();
  EXPECT_EQ(Rows(), 0);
}

TEST_F(IdempotencyTest, RolledBackRequestFreesTheKey) {
  Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(std::optional<StoredResponse> found,
                     LookupIdempotentResponse(db, ctx_, kScope));
    EXPECT_FALSE(found.has_value());
    RETURN_IF_ERROR(
        SaveIdempotentResponse(db, ctx_, kScope, StoredResponse{201, "x", std::nullopt}));
    return Status::Conflict("the change itself failed");
  });
  EXPECT_EQ(status.code(), StatusCode::kConflict) << status.ToString();
  EXPECT_EQ(Rows(), 0);
  // The client's retry is treated as new.
  StatusOr<std::optional<StoredResponse>> retry =
      Handle(kScope, StoredResponse{201, "y", std::nullopt});
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_FALSE(retry->has_value());
  EXPECT_EQ(Must(Handle(kScope, StoredResponse{500, "", std::nullopt}))->body, "y");
}

// Two requests with the same key at once: the second waits for the first and then replays
// its response instead of doing the work a second time.
TEST_F(IdempotencyTest, ConcurrentRequestWaitsAndReplaysTheFirstResponse) {
  std::unique_ptr<DbConnection> first = tdb_.Connect();
  ASSERT_TRUE(first->Begin().ok());
  ASSERT_FALSE(Must(LookupIdempotentResponse(*first, ctx_, kScope)).has_value());

  StatusOr<std::optional<StoredResponse>> second = Status::Internal("not run");
  std::thread other([&] { second = Handle(kScope, StoredResponse{201, "second", std::nullopt}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let it block on the row
  ASSERT_TRUE(
      SaveIdempotentResponse(*first, ctx_, kScope, StoredResponse{201, "first", std::nullopt})
          .ok());
  ASSERT_TRUE(first->Commit().ok());
  other.join();

  ASSERT_TRUE(second.ok()) << second.status().ToString();
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->body, "first");
  EXPECT_EQ(Rows(), 1);
}

// A reservation that was committed without a response (a handler that forgot to save) reads
// as "in progress": Aborted, so it is never mistaken for a new key.
TEST_F(IdempotencyTest, CommittedReservationWithoutResponseIsInProgress) {
  ASSERT_TRUE(db_->Begin().ok());
  ASSERT_FALSE(Must(LookupIdempotentResponse(*db_, ctx_, kScope)).has_value());
  ASSERT_TRUE(db_->Commit().ok());
  std::unique_ptr<DbConnection> other = tdb_.Connect();
  ASSERT_TRUE(other->Begin().ok());
  StatusOr<std::optional<StoredResponse>> found = LookupIdempotentResponse(*other, ctx_, kScope);
  ASSERT_FALSE(found.ok());
  EXPECT_EQ(found.status().code(), StatusCode::kAborted);
  other->Rollback();
}

TEST(ValidateIdempotencyKeyTest, Bounds) {
  EXPECT_TRUE(ValidateIdempotencyKey("a").ok());
  EXPECT_TRUE(ValidateIdempotencyKey(std::string(128, 'k')).ok());
  EXPECT_TRUE(ValidateIdempotencyKey("550e8400-e29b-41d4-a716-446655440000").ok());
  EXPECT_TRUE(ValidateIdempotencyKey("!~{}[]\"'\\").ok());

  for (const std::string& bad :
       {std::string(), std::string(129, 'k'), std::string("has space"), std::string("tab\t"),
        std::string("new\nline"), std::string("del\x7f"), std::string("nul\0", 4), std::string("é"),
        std::string("键")}) {
    Status status = ValidateIdempotencyKey(bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << "\"" << bad << "\"";
    EXPECT_EQ(status.field(), "Idempotency-Key");
  }
}

}  // namespace
}  // namespace restitution
