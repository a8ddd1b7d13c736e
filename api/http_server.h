// HttpServer: Pistache on the reactor threads, our WorkerPool for everything that touches
// the database. The reactor only copies the request, matches the route, enforces size limits
// and parses/validates the body; a worker runs the rest and sends the response itself
// (ResponseWriter is movable). No exception ever reaches Pistache.
#ifndef RESTITUTION_API_HTTP_SERVER_H_
#define RESTITUTION_API_HTTP_SERVER_H_

#include <atomic>
#include <memory>

#include "api/app.h"
#include "api/worker_pool.h"
#include "crypto/status.h"

namespace Pistache::Http {
class Endpoint;
}  // namespace Pistache::Http

namespace restitution {

struct ServerState;

class HttpServer {
 public:
  explicit HttpServer(App& app);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds config().listen_address:backend_port and serves on background threads.
  Status Start();
  // Refuses new requests (503), finishes every request already accepted, then closes.
  void Stop();

 private:
  App& app_;
  std::shared_ptr<ServerState> state_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
};

}  // namespace restitution

#endif  // RESTITUTION_API_HTTP_SERVER_H_
