// Background upkeep inside restitutiond: delivers outbox messages a request could not deliver
// right after its commit, and deletes expired sessions and idempotency records. Every pass is
// bounded (LIMIT), so one pass never holds locks for long.
#ifndef RESTITUTION_API_MAINTENANCE_H_
#define RESTITUTION_API_MAINTENANCE_H_

#include <condition_variable>
#include <mutex>
#include <thread>

#include "api/app.h"

namespace restitution {

class Maintenance {
 public:
  explicit Maintenance(App& app);
  ~Maintenance();  // Stop()
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

  void Stop();
  // One pass, exposed for tests.
  static void RunOnce(App& app);

 private:
  void Loop();

  App& app_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace restitution

#endif  // RESTITUTION_API_MAINTENANCE_H_
