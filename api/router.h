// Routes: method + path pattern ("/api/v1/cases/{case}/claims/{id}") -> handler. The table is
// built once before the server starts and only read afterwards, so reactor and worker threads
// share it without locks (Pistache's own Router mutates its map per request).
#ifndef RESTITUTION_API_ROUTER_H_
#define RESTITUTION_API_ROUTER_H_

#include <any>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http_types.h"
#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/principal.h"

namespace restitution {

class App;

// Everything a handler sees. db is the request's transaction (null for routes that do not
// touch the database).
struct RequestContext {
  const HttpRequest& request;
  std::map<std::string, std::string> path_params;
  std::optional<Principal> principal;
  DbConnection* db = nullptr;
  App& app;
  const std::any& input;  // what the route's parser produced on the reactor thread
  // Set by handlers that queued outbox messages, so they are delivered after commit.
  bool deliver_messages = false;
  // Set by handlers whose change appended a ledger entry: the response gets its receipt.
  std::optional<QueuedEntry> ledger_entry;

  const Principal& caller() const { return *principal; }
};

enum class Access {
  kPublic,         // no session needed
  kAuthenticated,  // a valid bearer token; the handler checks role and object
};

// A handler's answer. An error Status rolls the transaction back; an HttpResponse commits it,
// whatever its HTTP status (a refused login still counts the failure).
using RouteHandler = std::function<StatusOr<HttpResponse>(RequestContext&)>;
// Runs on the reactor thread before the request is queued: parse and validate, no I/O.
using RouteParser = std::function<StatusOr<std::any>(const HttpRequest&, const nlohmann::json*)>;

struct Route {
  std::string method;
  std::string pattern;
  Access access = Access::kAuthenticated;
  bool uses_database = true;
  bool json_body = false;  // the body must be a JSON object (parsed strictly before parse)
  RouteParser parse;       // optional
  RouteHandler handle;
  // Uploads (evidence files, books CSV) take raw bodies up to this size; 0 means the JSON
  // limit (config max_json_body_bytes). Never above config max_upload_bytes.
  size_t max_body_bytes = 0;
  // May run on the read replica (config db_replica) when the request has no bearer token:
  // public, non-money GETs only (deploy/SCALING.md); App refuses to start otherwise.
  bool replica_ok = false;
};

// The route with replica_ok set: router.Add(ReplicaOk(MakeRoute<...>(...))).
inline Route ReplicaOk(Route route) {
  route.replica_ok = true;
  return route;
}

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;  // for 405 when the path exists
};

class Router {
 public:
  void Add(Route route);
  RouteMatch Match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Builds the typed parse/handle pair of a route whose input is a struct.
template <typename Input>
Route MakeRoute(std::string method, std::string pattern, Access access,
                std::function<StatusOr<Input>(const HttpRequest&, const nlohmann::json*)> parse,
                std::function<StatusOr<HttpResponse>(RequestContext&, const Input&)> handle,
                bool json_body = true) {
  Route route;
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.access = access;
  route.json_body = json_body;
  route.parse = [parse](const HttpRequest& request,
                        const nlohmann::json* body) -> StatusOr<std::any> {
    StatusOr<Input> input = parse(request, body);
    if (!input.ok()) return input.status();
    return std::any(std::move(input).value());
  };
  route.handle = [handle](RequestContext& ctx) -> StatusOr<HttpResponse> {
    return handle(ctx, std::any_cast<const Input&>(ctx.input));
  };
  return route;
}

}  // namespace restitution

#endif  // RESTITUTION_API_ROUTER_H_
