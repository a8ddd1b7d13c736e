// GET /api/v1/audit/pii-access: the personal-data access log, for auditors.
#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/authorization.h"
#include "service/pii_access_log.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr uint64_t kMaxId = 9223372036854775807ULL;

StatusOr<PiiAccessFilter> ParseFilter(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(
      request, {"user_id", "case_id", "claim_id", "since", "before_id", "limit"}));
  PiiAccessFilter filter;
  for (const auto& [name, slot] :
       {std::pair<const char*, std::optional<int64_t>*>{"user_id", &filter.user_id},
        {"case_id", &filter.case_id},
        {"claim_id", &filter.claim_id}}) {
    if (request.query.count(name) != 0) {
      ASSIGN_OR_RETURN(uint64_t value, RequiredUintParam(request, name, kMaxId));
      *slot = static_cast<int64_t>(value);
    }
  }
  ASSIGN_OR_RETURN(uint64_t since, OptionalUintParam(request, "since", 0, kMaxId));
  ASSIGN_OR_RETURN(uint64_t before, OptionalUintParam(request, "before_id", 0, kMaxId));
  ASSIGN_OR_RETURN(uint64_t limit, OptionalUintParam(request, "limit", 100, 1000));
  if (limit == 0) return Status::InvalidArgument("limit", "must be from 1 to 1000");
  filter.since_ms = static_cast<int64_t>(since);
  filter.before_id = static_cast<int64_t>(before);
  filter.limit = static_cast<int>(limit);
  return filter;
}

StatusOr<HttpResponse> HandlePiiAccess(RequestContext& ctx, const PiiAccessFilter& filter) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kReadAccessLog));
  ASSIGN_OR_RETURN(std::vector<PiiAccess> rows, ReadPiiAccessLog(*ctx.db, filter));
  Json list = Json::array();
  for (const PiiAccess& a : rows) {
    list.push_back({{"id", a.id},
                    {"at", ledger::FormatUtcMillis(a.at_ms)},
                    {"user_id", a.user_id},
                    {"role", a.role},
                    {"case_id", a.case_id ? Json(*a.case_id) : Json(nullptr)},
                    {"claim_id", a.claim_id ? Json(*a.claim_id) : Json(nullptr)},
                    {"what", a.what},
                    {"request_id", a.request_id ? Json(*a.request_id) : Json(nullptr)}});
  }
  return JsonResponse(200, {{"accesses", list}});
}

}  // namespace

void RegisterAuditRoutes(Router& router) {
  router.Add(MakeRoute<PiiAccessFilter>("GET", "/api/v1/audit/pii-access", Access::kAuthenticated,
                                        ParseFilter, HandlePiiAccess, /*json_body=*/false));
}

}  // namespace restitution
