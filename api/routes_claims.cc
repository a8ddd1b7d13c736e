// Claims: declare, amend, withdraw, read (with its timeline), the review queue and the
// public statistics of a case.
#include "api/app.h"
#include "api/claim_json.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/authorization.h"
#include "service/cases.h"
#include "service/claim_queries.h"
#include "service/claims.h"
#include "service/claims_export.h"
#include "service/json_input.h"
#include "service/region_code.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

Json TotalsJson(const ClaimTotals& t) {
  return {{"count", t.count},
          {"declared_net", t.declared_net.ToString()},
          {"allowed", t.allowed.ToString()}};
}

Status AddTotals(const ClaimTotals& add, ClaimTotals* sum) {
  sum->count += add.count;
  ASSIGN_OR_RETURN(sum->declared_net, sum->declared_net.Add(add.declared_net));
  ASSIGN_OR_RETURN(sum->allowed, sum->allowed.Add(add.allowed));
  return Status::Ok();
}

int Today() { return ChinaDate(SystemNowMs()); }

StatusOr<ClaimDeclaration> ParseDeclarationBody(const HttpRequest&, const Json* body) {
  return ParseClaimDeclaration(*body, Today());
}

StatusOr<HttpResponse> HandleDeclare(RequestContext& ctx, const ClaimDeclaration& declaration) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  if (ctx.caller().role != Role::kClaimant) {
    return Status::PermissionDenied("only claimants declare claims").WithReason("forbidden");
  }
  ASSIGN_OR_RETURN(ClaimChange change,
                   DeclareClaim(*ctx.db, ctx.app.services(), ctx.caller(), case_id, declaration));
  ctx.ledger_entry = change.entry;
  return JsonResponse(201, ClaimSummaryJson(change.claim));
}

StatusOr<HttpResponse> HandleAmend(RequestContext& ctx, const ClaimDeclaration& declaration) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(ClaimChange change, AmendClaim(*ctx.db, ctx.app.services(), ctx.caller(),
                                                  case_id, claim_id, declaration));
  ctx.ledger_entry = change.entry;
  return JsonResponse(200, ClaimSummaryJson(change.claim));
}

struct NoInput {};
StatusOr<NoInput> ParseNoQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}
StatusOr<NoInput> ParseEmptyBody(const HttpRequest& request, const Json* body) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  if (body != nullptr) {
    JsonReader reader(*body);
    RETURN_IF_ERROR(reader.RejectUnknownKeys({}));
  }
  return NoInput{};
}

StatusOr<HttpResponse> HandleWithdraw(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(ClaimChange change,
                   WithdrawClaim(*ctx.db, ctx.app.services(), ctx.caller(), case_id, claim_id));
  ctx.ledger_entry = change.entry;
  return JsonResponse(200, ClaimSummaryJson(change.claim));
}

// Auditors check figures, not people: they see the claim without the participant's identity.
Json WithoutIdentity(Json declaration) {
  declaration.erase("identity");
  declaration.erase("filer");
  return declaration;
}

StatusOr<HttpResponse> HandleGetClaim(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadVisibleClaim(*ctx.db, ctx.caller(), case_id, claim_id));
  Json body = ClaimSummaryJson(claim);
  ASSIGN_OR_RETURN(Json declaration, ReadDeclaration(*ctx.db, ctx.app.services(), ctx.caller(),
                                                     claim, ctx.request.request_id));
  body["declaration"] =
      ctx.caller().role == Role::kAuditor ? WithoutIdentity(declaration) : declaration;
  ASSIGN_OR_RETURN(std::vector<ClaimEvent> events,
                   ReadClaimEvents(*ctx.db, ctx.app.services(), claim.id));
  const bool auditor = ctx.caller().role == Role::kAuditor;
  Json timeline = Json::array();
  for (const ClaimEvent& e : events) {
    timeline.push_back({{"at", ledger::FormatUtcMillis(e.at_ms)},
                        {"action", e.action},
                        {"actor_role", e.actor_role},
                        {"from_status", e.from_status ? Json(*e.from_status) : Json(nullptr)},
                        {"to_status", e.to_status ? Json(*e.to_status) : Json(nullptr)},
                        {"amount", OptionalMoneyJson(e.amount)},
                        {"reason_code", e.reason_code ? Json(*e.reason_code) : Json(nullptr)},
                        // Notes may name people or quote their papers: not for auditors.
                        {"note", e.note && !auditor ? Json(*e.note) : Json(nullptr)},
                        {"receipt", e.receipt ? ReceiptStatusJson(*e.receipt) : Json(nullptr)}});
  }
  body["timeline"] = timeline;
  return JsonResponse(200, body);
}

StatusOr<ClaimQueueFilter> ParseQueue(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"status", "region", "q", "page"}));
  ClaimQueueFilter filter;
  auto status = request.query.find("status");
  if (status != request.query.end()) {
    if (!ParseClaimStatus(status->second)) {
      return Status::InvalidArgument("status", "is not a claim status");
    }
    filter.status = status->second;
  }
  auto region = request.query.find("region");
  if (region != request.query.end()) {
    ASSIGN_OR_RETURN(filter.region, ParseRegionCode(region->second, "region"));
  }
  auto q = request.query.find("q");
  if (q != request.query.end() && !q->second.empty()) {
    if (q->second.size() > 32) return Status::InvalidArgument("q", "is too long");
    filter.query = q->second;
  }
  ASSIGN_OR_RETURN(uint64_t page, OptionalUintParam(request, "page", 1, 1000000));
  if (page == 0) return Status::InvalidArgument("page", "starts at 1");
  filter.page = static_cast<int>(page);
  return filter;
}

StatusOr<HttpResponse> HandleQueue(RequestContext& ctx, const ClaimQueueFilter& filter) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  if (ctx.caller().role != Role::kOfficer && ctx.caller().role != Role::kCourt &&
      ctx.caller().role != Role::kAuditor) {
    return Status::PermissionDenied("the review queue is for the case's staff and auditors")
        .WithReason("forbidden");
  }
  RETURN_IF_ERROR(RequireCaseStaff(*ctx.db, ctx.caller(), case_id));
  ASSIGN_OR_RETURN(ClaimQueuePage page,
                   ReadClaimQueue(*ctx.db, *ctx.app.services().keys, case_id, filter, Today()));
  Json items = Json::array();
  for (const ClaimQueueItem& item : page.items) {
    const bool discrepancy = item.book_net && *item.book_net != item.declared_net;
    items.push_back({{"id", item.id},
                     {"status", item.status},
                     {"region", item.region},
                     {"filed_as", item.filed_as},
                     {"late", item.late},
                     {"version", item.version},
                     {"declared_principal", item.declared_principal.ToString()},
                     {"declared_returns", item.declared_returns.ToString()},
                     {"declared_net", item.declared_net.ToString()},
                     {"allowed_amount", OptionalMoneyJson(item.allowed)},
                     {"book_net", OptionalMoneyJson(item.book_net)},
                     {"discrepancy", discrepancy},
                     {"created_at", ledger::FormatUtcMillis(item.created_at_ms)},
                     {"updated_at", ledger::FormatUtcMillis(item.updated_at_ms)}});
  }
  return JsonResponse(200, {{"items", items},
                            {"totals", TotalsJson(page.totals)},
                            {"page", page.page},
                            {"page_size", page.page_size}});
}

StatusOr<HttpResponse> HandleStats(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(CaseView c, LoadCase(*ctx.db, case_id));
  ASSIGN_OR_RETURN(CaseClaimStats stats, ReadCaseClaimStats(*ctx.db, case_id));
  Json by_status = Json::object();
  for (const auto& [status, totals] : stats.by_status) by_status[status] = TotalsJson(totals);
  Json by_region = Json::object();
  for (const std::string& region : c.settings.regions) {
    Json statuses = Json::object();
    ClaimTotals region_total;
    auto found = stats.by_region.find(region);
    if (found != stats.by_region.end()) {
      for (const auto& [status, totals] : found->second) {
        statuses[status] = TotalsJson(totals);
        if (status != "withdrawn") RETURN_IF_ERROR(AddTotals(totals, &region_total));
      }
    }
    by_region[region] = {{"total", TotalsJson(region_total)}, {"by_status", statuses}};
  }
  Json objections = Json::object();
  for (const auto& [reason, counts] : stats.objections_by_reason) {
    objections[reason] = {
        {"open", counts.open}, {"upheld", counts.upheld}, {"adjusted", counts.adjusted}};
  }
  return JsonResponse(200, {{"case_id", case_id},
                            {"total", TotalsJson(stats.all)},
                            {"late", stats.late},
                            {"by_status", by_status},
                            {"by_region", by_region},
                            {"objections_by_reason", objections}});
}

struct ExportInput {
  int64_t after = 0;
  int limit = kMaxExportRows;
};

StatusOr<ExportInput> ParseExport(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"after", "limit"}));
  ExportInput input;
  ASSIGN_OR_RETURN(uint64_t after, OptionalUintParam(request, "after", 0, 9223372036854775807ULL));
  ASSIGN_OR_RETURN(uint64_t limit,
                   OptionalUintParam(request, "limit", kMaxExportRows, kMaxExportRows));
  if (limit == 0) return Status::InvalidArgument("limit", "must be at least 1");
  input.after = static_cast<int64_t>(after);
  input.limit = static_cast<int>(limit);
  return input;
}

StatusOr<HttpResponse> HandleExport(RequestContext& ctx, const ExportInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  const Role role = ctx.caller().role;
  if (role != Role::kOfficer && role != Role::kCourt && role != Role::kAuditor) {
    return Status::PermissionDenied("the claims register is for the case's staff and auditors")
        .WithReason("forbidden");
  }
  ASSIGN_OR_RETURN(ClaimsExport exported,
                   ExportClaims(*ctx.db, ctx.app.services(), ctx.caller(), case_id, input.after,
                                input.limit, ctx.request.request_id));
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(exported.csv);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"claims-case-" +
                                                           std::to_string(case_id) + ".csv\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  response.headers.emplace_back("X-Rows", std::to_string(exported.rows));
  if (exported.next_after != 0) {
    response.headers.emplace_back("X-Next-After", std::to_string(exported.next_after));
  }
  // The export is on the ledger: its receipt arrives in X-Ledger-Index / X-Ledger-Leaf-Hash.
  ctx.ledger_entry = exported.entry;
  return response;
}

StatusOr<HttpResponse> HandleMyClaims(RequestContext& ctx, const NoInput&) {
  if (ctx.caller().role != Role::kClaimant) {
    return Status::PermissionDenied("only claimants have claims of their own")
        .WithReason("forbidden");
  }
  ASSIGN_OR_RETURN(std::vector<ClaimRecord> claims, ListOwnClaims(*ctx.db, ctx.caller()));
  Json list = Json::array();
  for (const ClaimRecord& c : claims) list.push_back(ClaimSummaryJson(c));
  return JsonResponse(200, {{"claims", list}});
}

}  // namespace

void RegisterClaimRoutes(Router& router) {
  router.Add(MakeRoute<ExportInput>("GET", "/api/v1/cases/{case}/claims.csv",
                                    Access::kAuthenticated, ParseExport, HandleExport,
                                    /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/me/claims", Access::kAuthenticated, ParseNoQuery,
                                HandleMyClaims, /*json_body=*/false));
  router.Add(MakeRoute<ClaimDeclaration>("POST", "/api/v1/cases/{case}/claims",
                                         Access::kAuthenticated, ParseDeclarationBody,
                                         HandleDeclare));
  router.Add(MakeRoute<ClaimQueueFilter>("GET", "/api/v1/cases/{case}/claims",
                                         Access::kAuthenticated, ParseQueue, HandleQueue,
                                         /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/claims/{id}", Access::kAuthenticated,
                                ParseNoQuery, HandleGetClaim, /*json_body=*/false));
  router.Add(MakeRoute<ClaimDeclaration>("PUT", "/api/v1/cases/{case}/claims/{id}",
                                         Access::kAuthenticated, ParseDeclarationBody,
                                         HandleAmend));
  router.Add(MakeRoute<NoInput>("POST", "/api/v1/cases/{case}/claims/{id}/withdraw",
                                Access::kAuthenticated, ParseEmptyBody, HandleWithdraw,
                                /*json_body=*/false));
  router.Add(ReplicaOk(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/stats", Access::kPublic,
                                          ParseNoQuery, HandleStats, /*json_body=*/false)));
}

}  // namespace restitution
