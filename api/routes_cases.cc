// Cases: POST/GET /api/v1/cases, GET /api/v1/cases/{case}, case membership and status.
#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/authorization.h"
#include "service/cases.h"
#include "service/json_input.h"
#include "service/region_names.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

Json CaseJson(const CaseView& c) {
  const CaseInput& s = c.settings;
  return {{"id", c.id},
          {"case_number", s.case_number},
          {"name", s.name},
          {"lead_region", s.lead_region},
          {"regions", s.regions},
          {"region_names", RegionNamesJson(s.regions)},
          {"status", std::string(CaseStatusName(c.status))},
          {"registration_opens", ledger::FormatUtcMillis(s.registration_opens_ms)},
          {"registration_closes", ledger::FormatUtcMillis(s.registration_closes_ms)},
          {"supplementary_closes", s.supplementary_closes_ms
                                       ? Json(ledger::FormatUtcMillis(*s.supplementary_closes_ms))
                                       : Json(nullptr)},
          {"objection_window_days", s.objection_window_days},
          {"countersign_threshold", s.countersign_threshold.ToString()}};
}

StatusOr<CaseInput> ParseCreateCase(const HttpRequest&, const Json* body) {
  return ParseCaseInput(*body);
}

StatusOr<HttpResponse> HandleCreateCase(RequestContext& ctx, const CaseInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kManageCases));
  QueuedEntry entry;
  ASSIGN_OR_RETURN(CaseView c,
                   CreateCase(*ctx.db, ctx.app.services(), ctx.caller(), input, &entry));
  ctx.ledger_entry = entry;
  return JsonResponse(201, CaseJson(c));
}

struct NoBody {};
StatusOr<NoBody> ParseNothing(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoBody{};
}

StatusOr<HttpResponse> HandleListCases(RequestContext& ctx, const NoBody&) {
  ASSIGN_OR_RETURN(std::vector<CaseView> cases, ListCases(*ctx.db));
  Json list = Json::array();
  for (const CaseView& c : cases) list.push_back(CaseJson(c));
  return JsonResponse(200, {{"cases", list}});
}

StatusOr<HttpResponse> HandleGetCase(RequestContext& ctx, const NoBody&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(CaseView c, LoadCase(*ctx.db, case_id));
  return JsonResponse(200, CaseJson(c));
}

struct MemberInput {
  int64_t user_id = 0;
  std::string role;
};

StatusOr<MemberInput> ParseMember(const HttpRequest&, const Json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"user_id", "role"}));
  MemberInput input;
  ASSIGN_OR_RETURN(input.user_id, reader.RequiredInteger("user_id", 1, 9223372036854775807LL));
  ASSIGN_OR_RETURN(input.role, reader.RequiredString("role", 16));
  return input;
}

StatusOr<HttpResponse> HandleAddMember(RequestContext& ctx, const MemberInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kManageCases));
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  QueuedEntry entry;
  RETURN_IF_ERROR(AddCaseMember(*ctx.db, ctx.app.services(), ctx.caller(), case_id, input.user_id,
                                input.role, &entry));
  ctx.ledger_entry = entry;
  return JsonResponse(201,
                      {{"case_id", case_id}, {"user_id", input.user_id}, {"role", input.role}});
}

// The administrator manages the members; the case's own staff and auditors may see them
// (who can countersign, whom to ask).
StatusOr<HttpResponse> HandleListMembers(RequestContext& ctx, const NoBody&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  if (!Require(ctx.caller(), Permission::kManageCases).ok()) {
    RETURN_IF_ERROR(RequireCaseStaff(*ctx.db, ctx.caller(), case_id));
  }
  ASSIGN_OR_RETURN(std::vector<CaseMember> members, ListCaseMembers(*ctx.db, case_id));
  Json list = Json::array();
  for (const CaseMember& m : members) {
    list.push_back({{"user_id", m.user_id},
                    {"username", m.username},
                    {"role", m.role},
                    {"added_at", ledger::FormatUtcMillis(m.added_at_ms)}});
  }
  return JsonResponse(200, {{"case_id", case_id}, {"members", list}});
}

StatusOr<HttpResponse> HandleRemoveMember(RequestContext& ctx, const NoBody&) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kManageCases));
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t user_id, ParsePathId(ctx.path_params, "user", "case member"));
  QueuedEntry entry;
  RETURN_IF_ERROR(
      RemoveCaseMember(*ctx.db, ctx.app.services(), ctx.caller(), case_id, user_id, &entry));
  ctx.ledger_entry = entry;
  return JsonResponse(200, {{"case_id", case_id}, {"user_id", user_id}, {"removed", true}});
}

struct StatusInput {
  std::string status;
};

StatusOr<StatusInput> ParseStatus(const HttpRequest&, const Json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"status"}));
  StatusInput input;
  ASSIGN_OR_RETURN(input.status, reader.RequiredString("status", 16));
  return input;
}

StatusOr<HttpResponse> HandleChangeStatus(RequestContext& ctx, const StatusInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kManageCases));
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  QueuedEntry entry;
  ASSIGN_OR_RETURN(CaseView c, ChangeCaseStatus(*ctx.db, ctx.app.services(), ctx.caller(), case_id,
                                                input.status, &entry));
  ctx.ledger_entry = entry;
  return JsonResponse(200, CaseJson(c));
}

}  // namespace

void RegisterCaseRoutes(Router& router) {
  router.Add(MakeRoute<CaseInput>("POST", "/api/v1/cases", Access::kAuthenticated, ParseCreateCase,
                                  HandleCreateCase));
  router.Add(ReplicaOk(MakeRoute<NoBody>("GET", "/api/v1/cases", Access::kPublic, ParseNothing,
                                         HandleListCases, /*json_body=*/false)));
  router.Add(ReplicaOk(MakeRoute<NoBody>("GET", "/api/v1/cases/{case}", Access::kPublic,
                                         ParseNothing, HandleGetCase, /*json_body=*/false)));
  router.Add(MakeRoute<MemberInput>("POST", "/api/v1/cases/{case}/members", Access::kAuthenticated,
                                    ParseMember, HandleAddMember));
  router.Add(MakeRoute<NoBody>("GET", "/api/v1/cases/{case}/members", Access::kAuthenticated,
                               ParseNothing, HandleListMembers, /*json_body=*/false));
  router.Add(MakeRoute<NoBody>("DELETE", "/api/v1/cases/{case}/members/{user}",
                               Access::kAuthenticated, ParseNothing, HandleRemoveMember,
                               /*json_body=*/false));
  router.Add(MakeRoute<StatusInput>("POST", "/api/v1/cases/{case}/status", Access::kAuthenticated,
                                    ParseStatus, HandleChangeStatus));
}

}  // namespace restitution
