#include "service/transaction.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

void MustOk(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

void CreateTable(const TestDatabase& tdb) {
  std::unique_ptr<DbConnection> db = tdb.Connect();
  MustOk(db->Exec("CREATE TABLE t (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL) "
                  "ENGINE=InnoDB")
             .status());
}

int64_t Count(const TestDatabase& tdb) {
  std::unique_ptr<DbConnection> db = tdb.Connect();
  return Must(db->Query("SELECT COUNT(*) FROM t"))[0].Int(0);
}

// Counts down once per party; Wait returns true when all have arrived, false on timeout.
class Rendezvous {
 public:
  explicit Rendezvous(int parties) : remaining_(parties) {}
  bool ArriveAndWait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    if (--remaining_ <= 0) {
      all_.notify_all();
      return true;
    }
    return all_.wait_for(lock, timeout, [&] { return remaining_ <= 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable all_;
  int remaining_;
};

TEST(TransactionTest, CommitsWhenFnSucceeds) {
  TestDatabase tdb;
  CreateTable(tdb);
  int calls = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
    ++calls;
    EXPECT_TRUE(db.in_transaction());
    RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {1, 10}).status());
    return db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {2, 20}).status();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(calls, 1);
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT id, v FROM t ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(1), 10);
  EXPECT_EQ(rows[1].Int(1), 20);
  // The connection went back to the pool outside any transaction.
  PoolStats stats = tdb.pool().Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 1);
}

TEST(TransactionTest, RollsBackAndReturnsFnsErrorUnchanged) {
  TestDatabase tdb;
  CreateTable(tdb);
  int calls = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
    ++calls;
    RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {1, 10}).status());
    return Status::RuleViolated("amount", "over the limit").WithReason("over_limit");
  });
  EXPECT_EQ(status.code(), StatusCode::kRuleViolated);
  EXPECT_EQ(status.field(), "amount");
  EXPECT_EQ(status.message(), "over the limit");
  EXPECT_EQ(status.reason(), "over_limit");
  EXPECT_EQ(calls, 1);  // only races are retried
  EXPECT_EQ(Count(tdb), 0);
}

TEST(TransactionTest, DatabaseErrorInsideFnRollsBackEarlierWrites) {
  TestDatabase tdb;
  CreateTable(tdb);
  {
    std::unique_ptr<DbConnection> db = tdb.Connect();
    ASSERT_TRUE(db->Exec("INSERT INTO t (id, v) VALUES (7, 70)").ok());
  }
  int calls = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
    ++calls;
    RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {1, 10}).status());
    return db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {7, 71}).status();  // duplicate
  });
  EXPECT_EQ(status.code(), StatusCode::kConflict);
  EXPECT_EQ(status.reason(), "duplicate_key");
  EXPECT_EQ(calls, 1);
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT id, v FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 7);
  EXPECT_EQ(rows[0].Int(1), 70);
}

TEST(TransactionTest, AlwaysAbortedStopsAtMaxAttemptsAsUnavailable) {
  TestDatabase tdb;
  CreateTable(tdb);
  int calls = 0;
  TransactionOptions options;
  options.max_attempts = 3;
  Status status = RunInTransaction(
      tdb.pool(),
      [&](DbConnection& db) -> Status {
        ++calls;
        RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {calls, 1}).status());
        return Status::Aborted("simulated deadlock");
      },
      options);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_GT(status.retry_after_seconds(), 0);
  EXPECT_NE(status.message().find("simulated deadlock"), std::string::npos) << status.message();
  EXPECT_EQ(Count(tdb), 0);  // every attempt was rolled back
}

TEST(TransactionTest, DefaultMaxAttemptsIsFive) {
  TestDatabase tdb;
  int calls = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection&) -> Status {
    ++calls;
    return Status::Aborted("lock wait timeout");
  });
  EXPECT_EQ(calls, 5);
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
}

TEST(TransactionTest, AbortedOnceThenSucceedsCommitsOnlyTheSecondAttempt) {
  TestDatabase tdb;
  CreateTable(tdb);
  int calls = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
    ++calls;
    RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {calls, calls}).status());
    if (calls == 1) return Status::Aborted("lost a race");
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(calls, 2);
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT id FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 2);
}

// Two transactions lock rows 1 and 2 in opposite orders. InnoDB picks a victim (error 1213);
// RunInTransaction must retry it so that both finally commit.
TEST(TransactionTest, RealDeadlockIsRetriedAndBothCommit) {
  TestDatabase tdb;
  CreateTable(tdb);
  {
    std::unique_ptr<DbConnection> db = tdb.Connect();
    ASSERT_TRUE(db->Exec("INSERT INTO t (id, v) VALUES (1, 0), (2, 0)").ok());
  }
  Rendezvous both_hold_first_lock(2);
  std::atomic<bool> rendezvous_ok{true};

  auto worker = [&](int first, int second, int* attempts, Status* result) {
    *result = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
      ++*attempts;
      RETURN_IF_ERROR(db.Exec("UPDATE t SET v = v + 1 WHERE id = ?", {first}).status());
      if (*attempts == 1) {
        // Only the first attempts meet: each now holds one row and wants the other's.
        if (!both_hold_first_lock.ArriveAndWait(std::chrono::seconds(10))) {
          rendezvous_ok = false;
        }
      }
      return db.Exec("UPDATE t SET v = v + 1 WHERE id = ?", {second}).status();
    });
  };
  int attempts_a = 0;
  int attempts_b = 0;
  Status result_a;
  Status result_b;
  std::thread a(worker, 1, 2, &attempts_a, &result_a);
  std::thread b(worker, 2, 1, &attempts_b, &result_b);
  a.join();
  b.join();

  ASSERT_TRUE(rendezvous_ok.load());
  EXPECT_TRUE(result_a.ok()) << result_a.ToString();
  EXPECT_TRUE(result_b.ok()) << result_b.ToString();
  // Exactly one of them was the deadlock victim and ran again.
  EXPECT_GT(std::max(attempts_a, attempts_b), 1) << attempts_a << " " << attempts_b;
  EXPECT_EQ(std::min(attempts_a, attempts_b), 1) << attempts_a << " " << attempts_b;
  // Both increments of both transactions are in, and nothing of the victim's first attempt.
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT id, v FROM t ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].Int(1), 2);
  EXPECT_EQ(rows[1].Int(1), 2);
}

// The connection dies before COMMIT is sent: nothing was committed, so the transaction is
// safely retried on a fresh connection.
TEST(TransactionTest, ConnectionLostBeforeCommitIsRetriedOnAFreshConnection) {
  TestDatabase tdb;
  CreateTable(tdb);
  int calls = 0;
  int64_t first_connection = 0;
  int64_t second_connection = 0;
  Status status = RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
    ++calls;
    ASSIGN_OR_RETURN(SqlRows id, db.Query("SELECT CONNECTION_ID()"));
    RETURN_IF_ERROR(db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {calls, 1}).status());
    if (calls == 1) {
      first_connection = id[0].Int(0);
      std::unique_ptr<DbConnection> killer = tdb.Connect();
      RETURN_IF_ERROR(killer->Exec("KILL CONNECTION " + std::to_string(first_connection)).status());
      // The next statement finds the connection gone.
      return db.Exec("INSERT INTO t (id, v) VALUES (?, ?)", {100, 1}).status();
    }
    second_connection = id[0].Int(0);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(calls, 2);
  EXPECT_NE(first_connection, second_connection);
  std::unique_ptr<DbConnection> db = tdb.Connect();
  SqlRows rows = Must(db->Query("SELECT id FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 2);
  // The dead connection was dropped, not returned to the pool.
  PoolStats stats = tdb.pool().Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 1);
}

TEST(TransactionTest, PoolExhaustedIsUnavailableWithoutCallingFn) {
  TestDatabase tdb;
  DbConfig config = tdb.config();
  config.pool_size = 1;
  config.acquire_timeout_ms = 100;
  ConnectionPool pool(config);
  StatusOr<PooledConnection> held = pool.Acquire();
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  int calls = 0;
  Status status = RunInTransaction(pool, [&](DbConnection&) -> Status {
    ++calls;
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace restitution
