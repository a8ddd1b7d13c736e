// Liveness, readiness, metrics and the API description.
#include "api/app.h"
#include "api/json_response.h"
#include "api/openapi.h"
#include "service/migrations.h"

namespace restitution {

void RegisterHealthRoutes(Router& router) {
  router.Add(Route{"GET", "/healthz", Access::kPublic, /*uses_database=*/false, false, nullptr,
                   [](RequestContext&) -> StatusOr<HttpResponse> {
                     return JsonResponse(200, {{"status", "alive"}});
                   }});
  router.Add(Route{"GET", "/readyz", Access::kPublic, /*uses_database=*/true, false, nullptr,
                   [](RequestContext& ctx) -> StatusOr<HttpResponse> {
                     ASSIGN_OR_RETURN(bool current, MigrationsCurrent(*ctx.db));
                     if (!current) {
                       return Status::Unavailable(
                           "database schema is not current; run "
                           "restitutionctl migrate",
                           5);
                     }
                     nlohmann::json body = {{"status", "ready"}};
                     // Reported, never failing readiness: without it reads use the primary.
                     if (ReplicaMonitor* monitor = ctx.app.replica_monitor()) {
                       const ReplicaStatus replica = monitor->Check();
                       body["replica"] = {{"state", ReplicaStateName(replica.state)},
                                          {"lag_ms", replica.lag_ms},
                                          {"ledger_size", replica.replica_size},
                                          {"primary_ledger_size", replica.primary_size}};
                     }
                     return JsonResponse(200, body);
                   }});
  router.Add(Route{"GET", "/metrics", Access::kPublic, /*uses_database=*/false, false, nullptr,
                   [](RequestContext& ctx) -> StatusOr<HttpResponse> {
                     HttpResponse response;
                     response.content_type = "text/plain; version=0.0.4";
                     response.body = ctx.app.metrics().RenderPrometheus();
                     return response;
                   }});
  router.Add(Route{"GET", "/api/v1/openapi.json", Access::kPublic, /*uses_database=*/false, false,
                   nullptr, [](RequestContext&) -> StatusOr<HttpResponse> {
                     HttpResponse response;
                     response.body = std::string(OpenApiDocument());
                     return response;
                   }});
}

}  // namespace restitution
