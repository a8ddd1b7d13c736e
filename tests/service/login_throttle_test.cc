#include "service/login_throttle.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;
using testing::TestKeys;

constexpr int64_t kStart = 1750000000000;
constexpr int64_t kSecond = 1000;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

class LoginThrottleTest : public ::testing::Test {
 protected:
  LoginThrottleTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
    subject_ = ThrottleSubject{"account", keys_.keys().BlindIndex("login", "officer.li")};
  }

  void Fail(const ThrottleSubject& subject) {
    Status status = RecordLoginFailure(*db_, ctx_, subject);
    if (!status.ok()) throw std::runtime_error(status.ToString());
  }
  // {failures, last_failure_at_ms, locked_until_ms}, or all -1 when there is no row.
  std::vector<int64_t> Row(const ThrottleSubject& subject) {
    SqlRows rows =
        Must(db_->Query("SELECT failures, last_failure_at_ms, locked_until_ms FROM login_throttle "
                        "WHERE scope = ? AND subject_hash = ?",
                        {subject.scope, subject.subject_hash}));
    if (rows.empty()) return {-1, -1, -1};
    return {rows[0].Int(0), rows[0].Int(1), rows[0].Int(2)};
  }

  TestDatabase tdb_;
  TestKeys keys_;
  int64_t now_ = kStart;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  ThrottleSubject subject_;
};

TEST_F(LoginThrottleTest, UnknownSubjectIsNotThrottled) {
  EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok());
  EXPECT_EQ(Row(subject_), (std::vector<int64_t>{-1, -1, -1}));
}

TEST_F(LoginThrottleTest, FailuresAreCountedPerScopeAndSubject) {
  Fail(subject_);
  now_ += 10;
  Fail(subject_);
  EXPECT_EQ(Row(subject_), (std::vector<int64_t>{2, kStart + 10, 0}));
  // The same hash under the other scope, and another subject, are separate.
  const ThrottleSubject address{"address", subject_.subject_hash};
  const ThrottleSubject other{"account", keys_.keys().BlindIndex("login", "officer.wang")};
  EXPECT_EQ(Row(address)[0], -1);
  Fail(address);
  EXPECT_EQ(Row(address)[0], 1);
  EXPECT_EQ(Row(other)[0], -1);
  EXPECT_EQ(Row(subject_)[0], 2);
  EXPECT_TRUE(CheckThrottle(*db_, ctx_, other).ok());
}

TEST_F(LoginThrottleTest, BackOffDoublesFromTheThirdFailure) {
  // After n failures the next attempt waits 2^(n-3) seconds (n >= 3).
  for (int n = 1; n <= 9; ++n) {
    now_ += 1000 * kSecond;  // well past any wait
    ASSERT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok()) << "before failure " << n;
    Fail(subject_);
    const int64_t failed_at = now_;
    const int64_t wait_ms = n < 3 ? 0 : (int64_t{1} << (n - 3)) * kSecond;
    if (wait_ms == 0) {
      EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok()) << "after failure " << n;
      continue;
    }
    Status at_once = CheckThrottle(*db_, ctx_, subject_);
    EXPECT_EQ(at_once.code(), StatusCode::kTooManyAttempts) << "after failure " << n;
    EXPECT_EQ(at_once.retry_after_seconds(), wait_ms / kSecond) << "after failure " << n;
    now_ = failed_at + wait_ms - 1;
    Status almost = CheckThrottle(*db_, ctx_, subject_);
    EXPECT_EQ(almost.code(), StatusCode::kTooManyAttempts) << "after failure " << n;
    EXPECT_EQ(almost.retry_after_seconds(), 1);
    now_ = failed_at + wait_ms;
    EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok()) << "after failure " << n;
  }
  EXPECT_EQ(Row(subject_)[0], 9);
}

TEST_F(LoginThrottleTest, LockThresholdLocksAndResetsTheCount) {
  ctx_.policy.lock_after_failures = 4;
  ctx_.policy.lock_seconds = 30;
  ctx_.policy.slow_after_failures = 100;  // no back-off in this test
  for (int i = 0; i < 3; ++i) {
    now_ += kSecond;
    Fail(subject_);
    EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok());
  }
  now_ += kSecond;
  Fail(subject_);
  EXPECT_EQ(Row(subject_), (std::vector<int64_t>{0, now_, now_ + 30 * kSecond}));
  Status locked = CheckThrottle(*db_, ctx_, subject_);
  EXPECT_EQ(locked.code(), StatusCode::kTooManyAttempts);
  EXPECT_EQ(locked.retry_after_seconds(), 30);
  const int64_t locked_at = now_;
  now_ = locked_at + 30 * kSecond;
  EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok());
  // After the lock the count starts again: one more failure does not lock.
  Fail(subject_);
  EXPECT_EQ(Row(subject_)[0], 1);
  EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok());
}

TEST_F(LoginThrottleTest, FailuresOlderThanAnHourAreForgotten) {
  for (int i = 0; i < 5; ++i) Fail(subject_);
  EXPECT_EQ(CheckThrottle(*db_, ctx_, subject_).code(), StatusCode::kTooManyAttempts);
  now_ = kStart + 3600 * kSecond;
  Status at_the_hour = CheckThrottle(*db_, ctx_, subject_);
  EXPECT_TRUE(at_the_hour.ok()) << at_the_hour.ToString();  // 4 s back-off long past anyway
  now_ = kStart + 3600 * kSecond + 1;
  EXPECT_TRUE(CheckThrottle(*db_, ctx_, subject_).ok());
  Fail(subject_);
  EXPECT_EQ(Row(subject_)[0], 1);
}

TEST_F(LoginThrottleTest, ClearRemovesOnlyThatSubject) {
  const ThrottleSubject address{"address", keys_.keys().BlindIndex("address", "192.0.2.1")};
  Fail(subject_);
  Fail(address);
  ASSERT_TRUE(ClearLoginFailures(*db_, subject_).ok());
  EXPECT_EQ(Row(subject_)[0], -1);
  EXPECT_EQ(Row(address)[0], 1);
  EXPECT_TRUE(ClearLoginFailures(*db_, subject_).ok());  // clearing nothing is fine
}

// Once a subject has a row, concurrent failures lock it and every one is counted.
TEST_F(LoginThrottleTest, ConcurrentFailuresOnAnExistingRowAreCountedExactly) {
  ctx_.policy.lock_after_failures = 1000;
  Fail(subject_);
  constexpr int kThreads = 6;
  constexpr int kEach = 5;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status status = RunInTransaction(
            tdb_.pool(), [&](DbConnection& db) { return RecordLoginFailure(db, ctx_, subject_); });
        if (!status.ok()) ++errors;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(Row(subject_)[0], 1 + kThreads * kEach);
}

// The very first failures of a subject arrive at once (a burst of guesses against a fresh
// account): there is no row to lock yet, and still every one must be counted.
TEST_F(LoginThrottleTest, ConcurrentFirstFailuresAreCountedExactly) {
  ctx_.policy.lock_after_failures = 1000;
  constexpr int kThreads = 6;
  {
    // Open the connections beforehand so the transactions really overlap.
    std::vector<PooledConnection> warm;
    for (int i = 0; i < kThreads; ++i) warm.push_back(Must(tdb_.pool().Acquire()));
  }
  std::atomic<int> ready{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      ++ready;
      while (ready.load() < kThreads) std::this_thread::yield();
      Status status = RunInTransaction(
          tdb_.pool(), [&](DbConnection& db) { return RecordLoginFailure(db, ctx_, subject_); });
      if (!status.ok()) ++errors;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(Row(subject_)[0], kThreads);
}

}  // namespace
}  // namespace restitution
