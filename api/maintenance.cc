#include "api/maintenance.h"

#include <chrono>

#include "service/log.h"
#include "service/outbox.h"
#include "service/transaction.h"

namespace restitution {
namespace {

constexpr auto kInterval = std::chrono::seconds(2);
constexpr int64_t kIdempotencyKeepMs = 24LL * 3600 * 1000;
constexpr int64_t kExpiredSessionKeepMs = 7LL * 24 * 3600 * 1000;
constexpr int kDeleteBatch = 1000;

}  // namespace

Maintenance::Maintenance(App& app) : app_(app), thread_([this] { Loop(); }) {}

Maintenance::~Maintenance() { Stop(); }

void Maintenance::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Maintenance::RunOnce(App& app) {
  StatusOr<int> sent = DeliverPendingMessages(app.pool(), app.services(), app.sender());
  if (!sent.ok()) {
    Log(LogLevel::kWarn, "outbox delivery failed", {{"error", sent.status().ToString()}});
  }
  const int64_t now = app.services().NowMs();
  Status cleaned = RunInTransaction(app.pool(), [&](DbConnection& db) -> Status {
    RETURN_IF_ERROR(db.Exec("DELETE FROM idempotency_keys WHERE created_at_ms < ? LIMIT ?",
                            {now - kIdempotencyKeepMs, kDeleteBatch})
                        .status());
    return db
        .Exec("DELETE FROM sessions WHERE expires_at_ms < ? LIMIT ?",
              {now - kExpiredSessionKeepMs, kDeleteBatch})
        .status();
  });
  if (!cleaned.ok()) Log(LogLevel::kWarn, "cleanup failed", {{"error", cleaned.ToString()}});
}

void Maintenance::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    RunOnce(app_);
    lock.lock();
    wake_.wait_for(lock, kInterval, [this] { return stopping_; });
  }
}

}  // namespace restitution
