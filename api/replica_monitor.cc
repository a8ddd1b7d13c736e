#include "api/replica_monitor.h"

#include <optional>

#include "service/log.h"
#include "service/transaction.h"

namespace restitution {
namespace {

// Bounds the history: one observation per probe, so this covers max_lag_ms at any interval
// the configuration allows (max_lag_ms <= 3,600,000, interval >= 1 s in production).
constexpr size_t kMaxObservations = 4096;

// Logs the replica's state at the end of a probe that changed it.
struct LogChange {
  ReplicaState before;
  const ReplicaStatus* after;
  ~LogChange() {
    if (after->state == before) return;
    Log(after->state == ReplicaState::kOk ? LogLevel::kInfo : LogLevel::kWarn,
        "read replica state changed",
        {{"state", ReplicaStateName(after->state)},
         {"lag_ms", std::to_string(after->lag_ms)},
         {"error", after->error}});
  }
};

StatusOr<int64_t> LedgerSize(ConnectionPool& pool) {
  int64_t size = 0;
  Status status = RunInTransaction(
      pool,
      [&](DbConnection& db) -> Status {
        ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT size FROM ledger_head WHERE id = 1", {}));
        size = rows.empty() ? 0 : rows[0].Int(0);
        return Status::Ok();
      },
      TransactionOptions{1});
  if (!status.ok()) return status;
  return size;
}

}  // namespace

const char* ReplicaStateName(ReplicaState state) {
  switch (state) {
    case ReplicaState::kOk:
      return "ok";
    case ReplicaState::kLagging:
      return "lagging";
    case ReplicaState::kUnreachable:
      return "unreachable";
    case ReplicaState::kUnknown:
      break;
  }
  return "unknown";
}

ReplicaMonitor::ReplicaMonitor(ConnectionPool& primary, ConnectionPool& replica, int max_lag_ms,
                               std::chrono::milliseconds probe_interval)
    : primary_(primary), replica_(replica), max_lag_(max_lag_ms), interval_(probe_interval) {}

bool ReplicaMonitor::Usable() {
  ProbeIfStale();
  std::lock_guard<std::mutex> lock(mu_);
  return status_.state == ReplicaState::kOk;
}

void ReplicaMonitor::ReportUnreachable(const std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  status_.state = ReplicaState::kUnreachable;
  status_.error = error;
  last_probe_ = SteadyClock::now();
  probed_ = true;
}

ReplicaStatus ReplicaMonitor::Check() {
  ProbeIfStale();
  return Cached();
}

ReplicaStatus ReplicaMonitor::Cached() const {
  std::lock_guard<std::mutex> lock(mu_);
  return status_;
}

void ReplicaMonitor::ProbeIfStale() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (probing_ || (probed_ && SteadyClock::now() - last_probe_ < interval_)) return;
    probing_ = true;
  }
  // The primary first: a replica size read afterwards that is at least this large proves the
  // replica held everything the primary had at `at`.
  const SteadyClock::time_point at = SteadyClock::now();
  StatusOr<int64_t> primary = LedgerSize(primary_);
  StatusOr<int64_t> replica = LedgerSize(replica_);
  std::lock_guard<std::mutex> lock(mu_);
  const ReplicaState before = status_.state;
  probing_ = false;
  probed_ = true;
  last_probe_ = SteadyClock::now();
  LogChange log_change{before, &status_};
  if (primary.ok()) {
    status_.primary_size = *primary;
    history_.push_back(Observation{at, *primary});
    if (history_.size() > kMaxObservations) history_.pop_front();
  }
  if (!replica.ok()) {
    status_.state = ReplicaState::kUnreachable;
    status_.error = replica.status().ToString();
    status_.lag_ms = -1;
    return;
  }
  status_.replica_size = *replica;
  status_.error.clear();
  Evaluate(last_probe_);
}

void ReplicaMonitor::Evaluate(SteadyClock::time_point now) {
  // Observations older than max_lag_ms matter only through the newest of them.
  while (history_.size() >= 2 && now - history_[1].at > max_lag_) history_.pop_front();
  // The replica is current as of the newest observation whose size it has reached.
  std::optional<SteadyClock::time_point> current_as_of;
  for (const Observation& o : history_) {
    if (o.primary_size <= status_.replica_size) current_as_of = o.at;
  }
  if (!current_as_of) {
    // Behind everything seen in the window (or nothing seen): at least that far behind.
    status_.lag_ms =
        history_.empty()
            ? -1
            : std::chrono::duration_cast<std::chrono::milliseconds>(now - history_.front().at)
                  .count();
    status_.state = ReplicaState::kLagging;
    return;
  }
  status_.lag_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - *current_as_of).count();
  status_.state = now - *current_as_of > max_lag_ ? ReplicaState::kLagging : ReplicaState::kOk;
}

}  // namespace restitution
