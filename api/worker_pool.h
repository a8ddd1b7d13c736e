// A fixed set of threads with a bounded queue. Database work runs here, never on Pistache's
// reactor threads; when the queue is full TrySubmit refuses at once (the caller answers 503
// with Retry-After) instead of letting requests pile up without bound.
#ifndef RESTITUTION_API_WORKER_POOL_H_
#define RESTITUTION_API_WORKER_POOL_H_

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace restitution {

class WorkerPool {
 public:
  WorkerPool(int threads, size_t queue_limit);
  ~WorkerPool();  // Shutdown()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool is shutting down.
  bool TrySubmit(std::function<void()> task);
  // Stops accepting, runs everything already queued, joins the threads. Idempotent.
  void Shutdown();
  size_t queued() const;
  int busy() const;

 private:
  void Run();

  const size_t queue_limit_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> queue_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  int busy_ = 0;                             // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace restitution

#endif  // RESTITUTION_API_WORKER_POOL_H_
