// Review (专案组) and objections (异议): request-info, confirm, countersign, reject; lodging,
// resolving and listing objections. Every change answers with the claim's summary and the
// receipt of its ledger entry.
#include "api/app.h"
#include "api/claim_json.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/claim_review.h"
#include "service/claims.h"
#include "service/json_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kClaimPath[] = "/api/v1/cases/{case}/claims/{id}";

std::string ClaimPath(const char* suffix) { return std::string(kClaimPath) + suffix; }

struct ClaimRef {
  int64_t case_id = 0;
  int64_t claim_id = 0;
};

StatusOr<ClaimRef> ParseClaimRef(const RequestContext& ctx) {
  ClaimRef ref;
  ASSIGN_OR_RETURN(ref.case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(ref.claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  return ref;
}

// The objection's facts; the free text only when the caller may read it.
Json ObjectionJson(const ObjectionRecord& o,
                   const std::optional<std::string>& reason = std::nullopt,
                   const std::optional<std::string>& resolution_note = std::nullopt,
                   bool with_text = false) {
  Json json = {{"id", o.id},
               {"claim_id", o.claim_id},
               {"status", o.status},
               {"reason_code", o.reason_code},
               {"disputed_decision", o.disputed_decision},
               {"requested_amount", OptionalMoneyJson(o.requested)},
               {"outcome", o.outcome ? Json(*o.outcome) : Json(nullptr)},
               {"lodged_at", ledger::FormatUtcMillis(o.lodged_at_ms)},
               {"resolved_at", OptionalTimeJson(o.resolved_at_ms)}};
  if (with_text) {
    json["reason"] = reason ? Json(*reason) : Json(nullptr);
    json["resolution_note"] = resolution_note ? Json(*resolution_note) : Json(nullptr);
  }
  return json;
}

// Parsers run on the reactor thread: the body only, no I/O.
template <typename Input>
std::function<StatusOr<Input>(const HttpRequest&, const Json*)> BodyParser(
    StatusOr<Input> (*parse)(const Json&)) {
  return [parse](const HttpRequest& request, const Json* body) -> StatusOr<Input> {
    RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
    return parse(*body);
  };
}

struct NoInput {};
StatusOr<NoInput> ParseEmptyBody(const HttpRequest& request, const Json* body) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  if (body != nullptr) {
    JsonReader reader(*body);
    RETURN_IF_ERROR(reader.RejectUnknownKeys({}));
  }
  return NoInput{};
}
StatusOr<NoInput> ParseNoQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}

HttpResponse ClaimChanged(RequestContext& ctx, const ClaimChange& change) {
  ctx.ledger_entry = change.entry;
  return JsonResponse(200, ClaimSummaryJson(change.claim));
}

StatusOr<HttpResponse> HandleRequestInfo(RequestContext& ctx, const InfoRequestInput& input) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(ClaimChange change, RequestClaimInfo(*ctx.db, ctx.app.services(), ctx.caller(),
                                                        ref.case_id, ref.claim_id, input));
  return ClaimChanged(ctx, change);
}

StatusOr<HttpResponse> HandleConfirm(RequestContext& ctx, const ConfirmInput& input) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(ClaimChange change, ConfirmClaim(*ctx.db, ctx.app.services(), ctx.caller(),
                                                    ref.case_id, ref.claim_id, input));
  return ClaimChanged(ctx, change);
}

StatusOr<HttpResponse> HandleCountersign(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(ClaimChange change, CountersignClaim(*ctx.db, ctx.app.services(), ctx.caller(),
                                                        ref.case_id, ref.claim_id));
  return ClaimChanged(ctx, change);
}

StatusOr<HttpResponse> HandleReject(RequestContext& ctx, const RejectInput& input) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(ClaimChange change, RejectClaim(*ctx.db, ctx.app.services(), ctx.caller(),
                                                   ref.case_id, ref.claim_id, input));
  return ClaimChanged(ctx, change);
}

StatusOr<HttpResponse> HandleLodgeObjection(RequestContext& ctx, const ObjectionInput& input) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(ObjectionChange change, LodgeObjection(*ctx.db, ctx.app.services(), ctx.caller(),
                                                          ref.case_id, ref.claim_id, input));
  ctx.ledger_entry = change.entry;
  Json body = ClaimSummaryJson(change.claim);
  body["objection"] = ObjectionJson(change.objection, input.reason, std::nullopt, true);
  return JsonResponse(201, body);
}

StatusOr<HttpResponse> HandleResolveObjection(RequestContext& ctx, const ResolveInput& input) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(int64_t objection_id, ParsePathId(ctx.path_params, "oid", "objection"));
  ASSIGN_OR_RETURN(ObjectionChange change,
                   ResolveObjection(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                    ref.claim_id, objection_id, input));
  ctx.ledger_entry = change.entry;
  Json body = ClaimSummaryJson(change.claim);
  body["objection"] = ObjectionJson(change.objection);
  return JsonResponse(200, body);
}

StatusOr<HttpResponse> HandleListObjections(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(ClaimRef ref, ParseClaimRef(ctx));
  ASSIGN_OR_RETURN(std::vector<ObjectionView> views,
                   ListObjections(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                  ref.claim_id, ctx.request.request_id));
  const bool with_text = ctx.caller().role != Role::kAuditor;
  Json list = Json::array();
  for (const ObjectionView& v : views) {
    list.push_back(ObjectionJson(v.record, v.reason, v.resolution_note, with_text));
  }
  return JsonResponse(200, {{"claim_id", ref.claim_id}, {"objections", list}});
}

}  // namespace

void RegisterClaimReviewRoutes(Router& router) {
  router.Add(MakeRoute<InfoRequestInput>("POST", ClaimPath("/request-info"), Access::kAuthenticated,
                                         BodyParser(&ParseInfoRequestInput), HandleRequestInfo));
  router.Add(MakeRoute<ConfirmInput>("POST", ClaimPath("/confirm"), Access::kAuthenticated,
                                     BodyParser(&ParseConfirmInput), HandleConfirm));
  router.Add(MakeRoute<NoInput>("POST", ClaimPath("/countersign"), Access::kAuthenticated,
                                ParseEmptyBody, HandleCountersign, /*json_body=*/false));
  router.Add(MakeRoute<RejectInput>("POST", ClaimPath("/reject"), Access::kAuthenticated,
                                    BodyParser(&ParseRejectInput), HandleReject));
  router.Add(MakeRoute<ObjectionInput>("POST", ClaimPath("/objections"), Access::kAuthenticated,
                                       BodyParser(&ParseObjectionInput), HandleLodgeObjection));
  router.Add(MakeRoute<NoInput>("GET", ClaimPath("/objections"), Access::kAuthenticated,
                                ParseNoQuery, HandleListObjections, /*json_body=*/false));
  router.Add(MakeRoute<ResolveInput>("POST", ClaimPath("/objections/{oid}/resolve"),
                                     Access::kAuthenticated, BodyParser(&ParseResolveInput),
                                     HandleResolveObjection));
}

}  // namespace restitution
