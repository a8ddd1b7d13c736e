#include "service/connection_pool.h"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::TestDatabase;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

int64_t ConnectionId(DbConnection& db) {
  return Must(db.Query("SELECT CONNECTION_ID()"))[0].Int(0);
}

void Kill(const TestDatabase& tdb, int64_t connection_id) {
  std::unique_ptr<DbConnection> killer = tdb.Connect();
  StatusOr<int64_t> killed = killer->Exec("KILL CONNECTION " + std::to_string(connection_id));
  if (!killed.ok()) throw std::runtime_error(killed.status().ToString());
}

DbConfig SmallPool(const TestDatabase& tdb, int size, int timeout_ms) {
  DbConfig config = tdb.config();
  config.pool_size = size;
  config.acquire_timeout_ms = timeout_ms;
  return config;
}

TEST(ConnectionPoolTest, StartsEmptyAndOpensLazily) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 3, 200));
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.size, 3);
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 0);
  EXPECT_EQ(pool.config().pool_size, 3);
}

TEST(ConnectionPoolTest, IsBoundedAndThirdAcquireTimesOut) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 2, 200));
  StatusOr<PooledConnection> first = pool.Acquire();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  StatusOr<PooledConnection> second = pool.Acquire();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(ConnectionId(**first), ConnectionId(**second));
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 2);
  EXPECT_EQ(stats.idle, 0);

  const auto start = steady_clock::now();
  StatusOr<PooledConnection> third = pool.Acquire();
  const auto waited = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.status().code(), StatusCode::kUnavailable);
  EXPECT_GE(waited.count(), 190);
  EXPECT_LT(waited.count(), 1500);
  stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 2);  // the failed acquire took nothing
  EXPECT_EQ(stats.idle, 0);
}

TEST(ConnectionPoolTest, ReleasedConnectionIsIdleAndReused) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 2, 200));
  int64_t id = 0;
  {
    StatusOr<PooledConnection> held = pool.Acquire();
    ASSERT_TRUE(held.ok());
    id = ConnectionId(**held);
    PoolStats stats = pool.Stats();
    EXPECT_EQ(stats.in_use, 1);
    EXPECT_EQ(stats.idle, 0);
  }
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 1);
  StatusOr<PooledConnection> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(ConnectionId(**again), id);
  stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 1);
  EXPECT_EQ(stats.idle, 0);
}

TEST(ConnectionPoolTest, WaitingAcquireGetsAConnectionReleasedByAnotherThread) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 1, 5000));
  auto held = std::make_optional(pool.Acquire());
  ASSERT_TRUE(held->ok());
  const int64_t id = ConnectionId(***held);
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(150));
    held.reset();
  });
  const auto start = steady_clock::now();
  StatusOr<PooledConnection> waited = pool.Acquire();
  const auto elapsed = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
  releaser.join();
  ASSERT_TRUE(waited.ok()) << waited.status().ToString();
  EXPECT_EQ(ConnectionId(**waited), id);
  EXPECT_GE(elapsed.count(), 100);
  EXPECT_LT(elapsed.count(), 4000);
}

TEST(ConnectionPoolTest, UnreachableDatabaseIsUnavailableAndGivesTheSlotBack) {
  DbConfig config;
  config.socket = "/nonexistent/restitution-test/mysqld.sock";
  config.pool_size = 1;
  config.acquire_timeout_ms = 100;
  ConnectionPool pool(config);
  for (int i = 0; i < 3; ++i) {
    StatusOr<PooledConnection> acquired = pool.Acquire();
    ASSERT_FALSE(acquired.ok());
    EXPECT_EQ(acquired.status().code(), StatusCode::kUnavailable);
    PoolStats stats = pool.Stats();
    EXPECT_EQ(stats.in_use, 0);
    EXPECT_EQ(stats.idle, 0);
  }
}

TEST(ConnectionPoolTest, BrokenConnectionIsDroppedOnRelease) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 2, 200));
  {
    StatusOr<PooledConnection> held = pool.Acquire();
    ASSERT_TRUE(held.ok());
    Kill(tdb, ConnectionId(**held));
    StatusOr<SqlRows> lost = (*held)->Query("SELECT 1");
    ASSERT_FALSE(lost.ok());
    EXPECT_TRUE((*held)->broken());
  }
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 0);
  StatusOr<PooledConnection> fresh = pool.Acquire();
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(Must((*fresh)->Query("SELECT 1"))[0].Int(0), 1);
}

TEST(ConnectionPoolTest, ReleaseRollsBackAForgottenTransaction) {
  TestDatabase tdb;
  {
    std::unique_ptr<DbConnection> db = tdb.Connect();
    ASSERT_TRUE(db->Exec("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB").ok());
  }
  ConnectionPool pool(SmallPool(tdb, 1, 200));
  {
    StatusOr<PooledConnection> held = pool.Acquire();
    ASSERT_TRUE(held.ok());
    ASSERT_TRUE((*held)->Begin().ok());
    ASSERT_TRUE((*held)->Exec("INSERT INTO t (id) VALUES (1)").ok());
  }
  std::unique_ptr<DbConnection> observer = tdb.Connect();
  EXPECT_EQ(Must(observer->Query("SELECT COUNT(*) FROM t"))[0].Int(0), 0);
  // The row lock was released too: another connection may take that key at once.
  EXPECT_TRUE(observer->Exec("INSERT INTO t (id) VALUES (1)").ok());
  StatusOr<PooledConnection> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE((*again)->in_transaction());
  EXPECT_TRUE((*again)->Begin().ok());
}

// A connection killed on the server while idle in the pool (server restart, wait_timeout, an
// admin's KILL): the next transaction must still succeed, on a replacement connection.
TEST(ConnectionPoolTest, IdleConnectionKilledServerSideIsReplaced) {
  TestDatabase tdb;
  {
    std::unique_ptr<DbConnection> db = tdb.Connect();
    ASSERT_TRUE(db->Exec("CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB").ok());
  }
  ConnectionPool pool(SmallPool(tdb, 1, 500));
  int64_t killed_id = 0;
  {
    StatusOr<PooledConnection> held = pool.Acquire();
    ASSERT_TRUE(held.ok());
    killed_id = ConnectionId(**held);
  }
  ASSERT_EQ(pool.Stats().idle, 1);
  Kill(tdb, killed_id);

  int calls = 0;
  int64_t used_id = 0;
  Status status = RunInTransaction(pool, [&](DbConnection& db) -> Status {
    ++calls;
    ASSIGN_OR_RETURN(SqlRows id, db.Query("SELECT CONNECTION_ID()"));
    used_id = id[0].Int(0);
    return db.Exec("INSERT INTO t (id) VALUES (?)", {42}).status();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(calls, 1);
  EXPECT_NE(used_id, killed_id);
  std::unique_ptr<DbConnection> observer = tdb.Connect();
  SqlRows rows = Must(observer->Query("SELECT id FROM t"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), 42);
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_EQ(stats.idle, 1);
}

// After sitting idle for a while a connection is probed before it is handed out, so even a
// plain Acquire (no transaction retry) gets a live connection.
TEST(ConnectionPoolTest, LongIdleKilledConnectionIsProbedAndReplacedOnAcquire) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 1, 500));
  int64_t killed_id = 0;
  {
    StatusOr<PooledConnection> held = pool.Acquire();
    ASSERT_TRUE(held.ok());
    killed_id = ConnectionId(**held);
  }
  Kill(tdb, killed_id);
  std::this_thread::sleep_for(milliseconds(5300));  // past the pool's probe-after-idle age
  StatusOr<PooledConnection> acquired = pool.Acquire();
  ASSERT_TRUE(acquired.ok()) << acquired.status().ToString();
  EXPECT_FALSE((*acquired)->broken());
  StatusOr<SqlRows> id = (*acquired)->Query("SELECT CONNECTION_ID()");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_NE((*id)[0].Int(0), killed_id);
}

TEST(ConnectionPoolTest, ConcurrentUsersNeverExceedTheBound) {
  TestDatabase tdb;
  ConnectionPool pool(SmallPool(tdb, 2, 5000));
  std::atomic<int> max_in_use{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        StatusOr<PooledConnection> held = pool.Acquire();
        if (!held.ok()) {
          ++failures;
          continue;
        }
        const int in_use = pool.Stats().in_use;
        int seen = max_in_use.load();
        while (in_use > seen && !max_in_use.compare_exchange_weak(seen, in_use)) {
        }
        if (!(*held)->Query("SELECT SLEEP(0.01)").ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(max_in_use.load(), 2);
  EXPECT_GE(max_in_use.load(), 1);
  PoolStats stats = pool.Stats();
  EXPECT_EQ(stats.in_use, 0);
  EXPECT_LE(stats.idle, 2);
}

}  // namespace
}  // namespace restitution
