#include "api/replica_monitor.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/support/test_database.h"

namespace restitution {
namespace {

using std::chrono::milliseconds;

// Two fresh databases stand for the primary and the replica: the monitor only compares their
// ledger heads, so moving a head by hand is a write the replica has not received yet.
void SetLedgerSize(testing::TestDatabase& db, int64_t size) {
  auto connection = db.Connect();
  ASSERT_TRUE(connection->Exec("UPDATE ledger_head SET size = ? WHERE id = 1", {size}).ok());
}

TEST(ReplicaMonitorTest, CaughtUpReplicaIsUsable) {
  testing::TestDatabase primary;
  testing::TestDatabase replica;
  ReplicaMonitor monitor(primary.pool(), replica.pool(), 60000, milliseconds(0));
  EXPECT_EQ(monitor.Cached().state, ReplicaState::kUnknown);
  EXPECT_TRUE(monitor.Usable());
  const ReplicaStatus status = monitor.Check();
  EXPECT_EQ(status.state, ReplicaState::kOk);
  EXPECT_EQ(status.replica_size, 0);
  EXPECT_EQ(status.primary_size, 0);
  EXPECT_GE(status.lag_ms, 0);
}

TEST(ReplicaMonitorTest, ReplicaBehindForLongerThanMaxLagIsLeftForThePrimary) {
  testing::TestDatabase primary;
  testing::TestDatabase replica;
  ReplicaMonitor monitor(primary.pool(), replica.pool(), 1000, milliseconds(0));
  ASSERT_TRUE(monitor.Usable());
  SetLedgerSize(primary, 5);
  // Behind, but current as of the previous probe: still usable.
  ReplicaStatus status = monitor.Check();
  EXPECT_EQ(status.state, ReplicaState::kOk);
  EXPECT_EQ(status.primary_size, 5);
  EXPECT_EQ(status.replica_size, 0);
  std::this_thread::sleep_for(milliseconds(1100));
  EXPECT_FALSE(monitor.Usable());
  status = monitor.Cached();
  EXPECT_EQ(status.state, ReplicaState::kLagging);
  EXPECT_GT(status.lag_ms, 1000);
  // Caught up again.
  SetLedgerSize(replica, 5);
  EXPECT_TRUE(monitor.Usable());
  EXPECT_EQ(monitor.Cached().state, ReplicaState::kOk);
}

TEST(ReplicaMonitorTest, ReplicaFirstSeenBehindIsLagging) {
  testing::TestDatabase primary;
  testing::TestDatabase replica;
  SetLedgerSize(primary, 3);
  ReplicaMonitor monitor(primary.pool(), replica.pool(), 60000, milliseconds(0));
  // Nothing shows when it was last current: not used until it catches up.
  EXPECT_FALSE(monitor.Usable());
  EXPECT_EQ(monitor.Cached().state, ReplicaState::kLagging);
}

TEST(ReplicaMonitorTest, UnreachableReplicaIsLeftForThePrimaryUntilTheNextProbe) {
  testing::TestDatabase primary;
  DbConfig gone = primary.config();
  gone.socket = "/nonexistent/replica.sock";
  gone.host.clear();
  ConnectionPool replica(gone);
  ReplicaMonitor monitor(primary.pool(), replica, 60000, milliseconds(0));
  EXPECT_FALSE(monitor.Usable());
  const ReplicaStatus status = monitor.Cached();
  EXPECT_EQ(status.state, ReplicaState::kUnreachable);
  EXPECT_FALSE(status.error.empty());
  EXPECT_STREQ(ReplicaStateName(status.state), "unreachable");
}

TEST(ReplicaMonitorTest, ReportedFailureHoldsUntilTheNextProbe) {
  testing::TestDatabase primary;
  testing::TestDatabase replica;
  ReplicaMonitor monitor(primary.pool(), replica.pool(), 60000, milliseconds(60000));
  ASSERT_TRUE(monitor.Usable());
  monitor.ReportUnreachable("connection refused");
  EXPECT_FALSE(monitor.Usable());  // the cached answer: no probe within the interval
  EXPECT_EQ(monitor.Cached().state, ReplicaState::kUnreachable);
}

}  // namespace
}  // namespace restitution
