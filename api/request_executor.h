// Runs one matched request on a worker thread: authenticate the caller, honour
// Idempotency-Key, run the handler inside one database transaction (retried on deadlock),
// record authorization denials, deliver outbox messages after commit. Never throws.
#ifndef RESTITUTION_API_REQUEST_EXECUTOR_H_
#define RESTITUTION_API_REQUEST_EXECUTOR_H_

#include <any>
#include <map>
#include <optional>
#include <string>

#include "api/app.h"
#include "api/http_types.h"
#include "api/router.h"

namespace restitution {

struct ExecutionOutcome {
  std::optional<int64_t> user_id;  // for the access log
};

HttpResponse ExecuteRequest(App& app, const HttpRequest& request, const Route& route,
                            const std::map<std::string, std::string>& path_params,
                            const std::any& input, ExecutionOutcome* outcome);

// The bearer token of an "Authorization: Bearer …" header, or "" if absent or another scheme.
std::string BearerToken(const HttpRequest& request);

}  // namespace restitution

#endif  // RESTITUTION_API_REQUEST_EXECUTOR_H_
