// ReplicaMonitor: may public reads go to the read replica right now? The replica is used only
// while it answers and is at most max_lag_ms behind the primary. Lag is estimated from the
// ledger head (every change to public data appends to the ledger), probed at most once per
// probe interval by whichever request finds the last probe stale; everyone else reads the
// cached answer. Needs no privilege beyond SELECT on the service's own database.
#ifndef RESTITUTION_API_REPLICA_MONITOR_H_
#define RESTITUTION_API_REPLICA_MONITOR_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "service/connection_pool.h"

namespace restitution {

enum class ReplicaState {
  kUnknown,      // not probed yet
  kOk,           // answering, within max_lag_ms
  kLagging,      // answering, too far behind: reads go to the primary
  kUnreachable,  // the last probe or read could not use it: reads go to the primary
};

const char* ReplicaStateName(ReplicaState state);

struct ReplicaStatus {
  ReplicaState state = ReplicaState::kUnknown;
  int64_t lag_ms = -1;        // upper estimate, to about one probe interval; -1 unknown
  int64_t replica_size = -1;  // the replica's ledger_head.size at the last probe
  int64_t primary_size = -1;  // the primary's, read just before
  std::string error;          // why kUnreachable
};

class ReplicaMonitor {
 public:
  using SteadyClock = std::chrono::steady_clock;
  ReplicaMonitor(ConnectionPool& primary, ConnectionPool& replica, int max_lag_ms,
                 std::chrono::milliseconds probe_interval = std::chrono::milliseconds(1000));
  ReplicaMonitor(const ReplicaMonitor&) = delete;
  ReplicaMonitor& operator=(const ReplicaMonitor&) = delete;

  // True when a public read may run on the replica now; probes first when the last probe is
  // older than the interval (one caller probes, the others use the cached state).
  bool Usable();
  // A read on the replica failed for want of a connection: the primary until the next probe.
  void ReportUnreachable(const std::string& error);
  // Probes if stale, then the state (for /readyz).
  ReplicaStatus Check();
  // The cached state, without probing (for /metrics).
  ReplicaStatus Cached() const;

 private:
  struct Observation {
    SteadyClock::time_point at;
    int64_t primary_size;
  };
  void ProbeIfStale();
  void Evaluate(SteadyClock::time_point now);  // from history_ and status_.replica_size

  ConnectionPool& primary_;
  ConnectionPool& replica_;
  const std::chrono::milliseconds max_lag_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  bool probing_ = false;                // guarded by mu_
  SteadyClock::time_point last_probe_;  // guarded by mu_
  bool probed_ = false;                 // guarded by mu_
  ReplicaStatus status_;                // guarded by mu_
  std::deque<Observation> history_;     // guarded by mu_; primary sizes, oldest first
};

}  // namespace restitution

#endif  // RESTITUTION_API_REPLICA_MONITOR_H_
