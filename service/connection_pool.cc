#include "service/connection_pool.h"

#include <cassert>

namespace restitution {
namespace {

// An idle connection older than this is probed before use: the server may have restarted
// or closed it (wait_timeout) while it sat in the pool.
constexpr std::chrono::seconds kProbeAfterIdle(5);

}  // namespace

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Release(std::move(connection_));
}

ConnectionPool::ConnectionPool(DbConfig config) : config_(std::move(config)) {
  assert(config_.pool_size > 0);
}

StatusOr<PooledConnection> ConnectionPool::Acquire() {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.acquire_timeout_ms);
  std::unique_ptr<DbConnection> reused;
  std::chrono::steady_clock::time_point idle_since;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const size_t bound = static_cast<size_t>(config_.pool_size);
    bool have_slot = freed_.wait_until(lock, deadline, [&] {
      return !idle_.empty() || static_cast<size_t>(in_use_) + idle_.size() < bound;
    });
    if (!have_slot) return Status::Unavailable("all database connections are busy");
    ++in_use_;
    if (!idle_.empty()) {
      reused = std::move(idle_.back().connection);
      idle_since = idle_.back().since;
      idle_.pop_back();
    }
  }
  // Past this point the slot is ours: every failure path must give it back.
  if (reused != nullptr) {
    const bool fresh = std::chrono::steady_clock::now() - idle_since < kProbeAfterIdle;
    if (fresh || reused->Ping()) return PooledConnection(this, std::move(reused));
    reused.reset();  // dead: replace it below
  }
  StatusOr<std::unique_ptr<DbConnection>> opened = DbConnection::Open(config_);
  if (!opened.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --in_use_;
    freed_.notify_one();
    return opened.status();
  }
  return PooledConnection(this, std::move(opened).value());
}

void ConnectionPool::Release(std::unique_ptr<DbConnection> connection) {
  if (connection->in_transaction()) connection->Rollback();  // a handler forgot; never leak locks
  std::lock_guard<std::mutex> lock(mu_);
  assert(in_use_ > 0);
  --in_use_;
  if (!connection->broken()) {
    idle_.push_back({std::move(connection), std::chrono::steady_clock::now()});
  }
  freed_.notify_one();
}

PoolStats ConnectionPool::Stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return PoolStats{config_.pool_size, in_use_, static_cast<int>(idle_.size())};
}

}  // namespace restitution
