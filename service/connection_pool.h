// A bounded pool of database connections. A request holds at most one connection at a time.
// Connections are opened lazily, probed before reuse after sitting idle, and dropped (then
// replaced on demand) when broken, so the pool heals by itself after a database restart.
#ifndef RESTITUTION_SERVICE_CONNECTION_POOL_H_
#define RESTITUTION_SERVICE_CONNECTION_POOL_H_

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "crypto/status.h"
#include "service/db_config.h"
#include "service/db_connection.h"

namespace restitution {

class ConnectionPool;

// A borrowed connection, given back when this handle goes out of scope.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool* pool, std::unique_ptr<DbConnection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  DbConnection& operator*() { return *connection_; }
  DbConnection* operator->() { return connection_.get(); }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<DbConnection> connection_;
};

struct PoolStats {
  int size = 0;    // the bound
  int in_use = 0;  // borrowed now
  int idle = 0;    // open and waiting
};

class ConnectionPool {
 public:
  explicit ConnectionPool(DbConfig config);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // Waits up to config.acquire_timeout_ms for a free slot: Unavailable when none frees up or
  // the database cannot be reached.
  StatusOr<PooledConnection> Acquire();
  PoolStats Stats() const;
  const DbConfig& config() const { return config_; }

 private:
  friend class PooledConnection;
  struct Idle {
    std::unique_ptr<DbConnection> connection;
    std::chrono::steady_clock::time_point since;
  };
  void Release(std::unique_ptr<DbConnection> connection);

  const DbConfig config_;
  mutable std::mutex mu_;
  std::condition_variable freed_;
  std::vector<Idle> idle_;  // guarded by mu_
  int in_use_ = 0;          // guarded by mu_; in_use_ + idle_.size() <= pool_size
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CONNECTION_POOL_H_
