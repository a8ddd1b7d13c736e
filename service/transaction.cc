#include "service/transaction.h"

#include <chrono>
#include <thread>

#include "crypto/random.h"

namespace restitution {

Status RunInTransaction(ConnectionPool& pool, const TransactionFn& fn,
                        const TransactionOptions& options) {
  Status last = Status::Unavailable("transaction not attempted");
  for (int attempt = 1; attempt <= options.max_attempts; ++attempt) {
    if (attempt > 1) {
      // Randomised, growing back-off so two transactions that deadlocked do not meet again.
      const uint64_t cap_ms = 5ull << (attempt - 1);
      std::this_thread::sleep_for(std::chrono::milliseconds(1 + crypto::RandomUniform(cap_ms)));
    }
    ASSIGN_OR_RETURN(PooledConnection connection, pool.Acquire());
    Status status = connection->Begin();
    if (status.ok()) status = fn(*connection);
    if (!status.ok()) {
      // 1205 rolls back only the statement, so the whole transaction is rolled back here.
      connection->Rollback();
      const bool lost_before_commit =
          status.code() == StatusCode::kUnavailable && connection->broken();
      if (status.code() == StatusCode::kAborted || lost_before_commit) {
        last = status;
        continue;
      }
      return status;
    }
    status = connection->Commit();
    if (status.ok()) return status;
    if (status.code() == StatusCode::kAborted) {
      last = status;
      continue;
    }
    // The connection died during COMMIT: the outcome is unknown, so it is not retried.
    return Status::Unavailable("database connection lost during commit; outcome unknown");
  }
  return Status::Unavailable("database busy, try again (" + last.message() + ")");
}

}  // namespace restitution
