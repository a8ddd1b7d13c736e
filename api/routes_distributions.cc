// Distribution runs (清退批次): draft, endorse, approve, cancel, execute; the payment batch and
// the bank's results; a claim's statement; the public's view of every executed round.
#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "crypto/encoding.h"
#include "ledger/entry.h"
#include "service/claim_statement.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/json_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kRunsPath[] = "/api/v1/cases/{case}/distributions";

std::string RunPath(const char* suffix) { return std::string(kRunsPath) + "/{id}" + suffix; }

Json TimeOrNull(const std::optional<int64_t>& ms) {
  return ms ? Json(ledger::FormatUtcMillis(*ms)) : Json(nullptr);
}
Json IntOrNull(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json RunJson(const DistributionRun& r) {
  return {{"id", r.id},
          {"case_id", r.case_id},
          {"status", r.status},
          {"round", r.round_no ? Json(*r.round_no) : Json(nullptr)},
          {"amount", r.amount.ToString()},
          {"min_payment", r.min_payment.ToString()},
          {"record_date", FormatYmd(r.record_date)},
          {"pool_before", r.pool_before.ToString()},
          {"totals",
           {{"paid", r.paid.ToString()},
            {"reserved", r.reserved.ToString()},
            {"deferred", r.deferred.ToString()},
            {"surplus", r.surplus.ToString()},
            {"recognised", r.recognised.ToString()},
            {"prior", r.prior.ToString()}}},
          {"counts",
           {{"claims", r.claims},
            {"paid", r.paid_count},
            {"reserved", r.reserved_count},
            {"deferred", r.deferred_count}}},
          {"ratio", r.ratio},
          {"level", r.level},
          {"level_exact", {{"numerator", r.level_numerator}, {"denominator", r.level_denominator}}},
          {"fingerprint", crypto::HexEncode(r.fingerprint)},
          {"stale", r.stale ? Json(*r.stale) : Json(nullptr)},
          {"ledger_chunks", r.chunks},
          {"drafted_by", r.drafted_by},
          {"drafted_at", ledger::FormatUtcMillis(r.drafted_at_ms)},
          {"endorsed_by", IntOrNull(r.endorsed_by)},
          {"endorsed_at", TimeOrNull(r.endorsed_at_ms)},
          {"approved_by", IntOrNull(r.approved_by)},
          {"approved_at", TimeOrNull(r.approved_at_ms)},
          {"order_reference", r.order_reference ? Json(*r.order_reference) : Json(nullptr)},
          {"executed_by", IntOrNull(r.executed_by)},
          {"executed_at", TimeOrNull(r.executed_at_ms)},
          {"cancelled_by", IntOrNull(r.cancelled_by)},
          {"cancelled_at", TimeOrNull(r.cancelled_at_ms)},
          {"payments", {{"lines", r.payment_lines}, {"open", r.payment_lines_open}}},
          {"reconciled", r.reconciled()}};
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

template <typename Input>
std::function<StatusOr<Input>(const HttpRequest&, const Json*)> BodyParser(
    StatusOr<Input> (*parse)(const Json&)) {
  return [parse](const HttpRequest& request, const Json* body) -> StatusOr<Input> {
    RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
    return parse(*body);
  };
}

struct RunRef {
  int64_t case_id = 0;
  int64_t run_id = 0;
};
StatusOr<RunRef> ParseRunRef(const RequestContext& ctx) {
  RunRef ref;
  ASSIGN_OR_RETURN(ref.case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(ref.run_id, ParsePathId(ctx.path_params, "id", "distribution"));
  return ref;
}

HttpResponse RunChanged(RequestContext& ctx, const RunChange& change, int status = 200) {
  ctx.ledger_entry = change.entry;
  return JsonResponse(status, RunJson(change.run));
}

StatusOr<HttpResponse> HandleDraft(RequestContext& ctx, const DraftInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(RunChange change,
                   DraftDistribution(*ctx.db, ctx.app.services(), ctx.caller(), case_id, input));
  return RunChanged(ctx, change, 201);
}

StatusOr<HttpResponse> HandleList(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(std::vector<DistributionRun> runs,
                   ListDistributions(*ctx.db, ctx.caller(), case_id));
  Json list = Json::array();
  for (const DistributionRun& r : runs) list.push_back(RunJson(r));
  return JsonResponse(200, {{"distributions", list}});
}

StatusOr<HttpResponse> HandleGet(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(DistributionRun run,
                   GetDistribution(*ctx.db, ctx.caller(), ref.case_id, ref.run_id));
  return JsonResponse(200, RunJson(run));
}

struct PageInput {
  int page = 1;
};
StatusOr<PageInput> ParsePage(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"page"}));
  ASSIGN_OR_RETURN(uint64_t page, OptionalUintParam(request, "page", 1, 100000));
  if (page == 0) return Status::InvalidArgument("page", "starts at 1");
  return PageInput{static_cast<int>(page)};
}

StatusOr<HttpResponse> HandleAllocations(RequestContext& ctx, const PageInput& input) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(AllocationsPage page,
                   ListAllocations(*ctx.db, ctx.caller(), ref.case_id, ref.run_id, input.page));
  Json rows = Json::array();
  for (const AllocationRow& a : page.rows) {
    rows.push_back({{"claim_id", a.claim_id},
                    {"claim_status", a.disputed ? "disputed" : "confirmed"},
                    {"recognised", a.recognised.ToString()},
                    {"prior", a.prior.ToString()},
                    {"pay", a.pay.ToString()},
                    {"reserve", a.reserve.ToString()},
                    {"deferred", a.deferred.ToString()}});
  }
  return JsonResponse(200, {{"allocations", rows},
                            {"page", page.page},
                            {"page_size", kAllocationsPageSize},
                            {"total", page.total}});
}

StatusOr<HttpResponse> HandleEndorse(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(RunChange change, EndorseDistribution(*ctx.db, ctx.app.services(), ctx.caller(),
                                                         ref.case_id, ref.run_id));
  return RunChanged(ctx, change);
}

StatusOr<HttpResponse> HandleApprove(RequestContext& ctx, const ApproveInput& input) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(RunChange change, ApproveDistribution(*ctx.db, ctx.app.services(), ctx.caller(),
                                                         ref.case_id, ref.run_id, input));
  return RunChanged(ctx, change);
}

StatusOr<HttpResponse> HandleCancel(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(RunChange change, CancelDistribution(*ctx.db, ctx.app.services(), ctx.caller(),
                                                        ref.case_id, ref.run_id));
  return RunChanged(ctx, change);
}

StatusOr<HttpResponse> HandleExecute(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(RunChange change, ExecuteDistribution(*ctx.db, ctx.app.services(), ctx.caller(),
                                                         ref.case_id, ref.run_id));
  return RunChanged(ctx, change);
}

struct ExportInput {
  int64_t after = 0;
  int limit = kMaxPaymentsExportRows;
};
StatusOr<ExportInput> ParseExport(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"after", "limit"}));
  ExportInput input;
  ASSIGN_OR_RETURN(uint64_t after, OptionalUintParam(request, "after", 0, 9223372036854775807ULL));
  ASSIGN_OR_RETURN(uint64_t limit, OptionalUintParam(request, "limit", kMaxPaymentsExportRows,
                                                     kMaxPaymentsExportRows));
  if (limit == 0) return Status::InvalidArgument("limit", "must be at least 1");
  input.after = static_cast<int64_t>(after);
  input.limit = static_cast<int>(limit);
  return input;
}

StatusOr<HttpResponse> HandlePaymentsCsv(RequestContext& ctx, const ExportInput& input) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(PaymentsExport exported,
                   ExportPayments(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                  ref.run_id, input.after, input.limit, ctx.request.request_id));
  HttpResponse response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(exported.csv);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"payments-case-" +
                                                           std::to_string(ref.case_id) + "-run-" +
                                                           std::to_string(ref.run_id) + ".csv\"");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  response.headers.emplace_back("X-Rows", std::to_string(exported.rows));
  response.headers.emplace_back("X-Total", exported.total.ToString());
  if (exported.next_after != 0) {
    response.headers.emplace_back("X-Next-After", std::to_string(exported.next_after));
  }
  ctx.ledger_entry = exported.entry;
  return response;
}

StatusOr<std::vector<PaymentResultInput>> ParseResultsBody(const HttpRequest& request,
                                                           const Json* body) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return ParsePaymentResults(*body);
}

StatusOr<HttpResponse> HandlePaymentResults(RequestContext& ctx,
                                            const std::vector<PaymentResultInput>& input) {
  ASSIGN_OR_RETURN(RunRef ref, ParseRunRef(ctx));
  ASSIGN_OR_RETURN(PaymentResultsOutcome outcome,
                   RecordPaymentResults(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                        ref.run_id, input));
  if (outcome.entry) ctx.ledger_entry = *outcome.entry;
  return JsonResponse(200, {{"distribution", ref.run_id},
                            {"applied", outcome.applied},
                            {"unchanged", outcome.unchanged},
                            {"open_lines", outcome.open_lines},
                            {"reconciled", outcome.reconciled}});
}

StatusOr<HttpResponse> HandleStatement(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(int64_t claim_id, ParsePathId(ctx.path_params, "id", "claim"));
  ASSIGN_OR_RETURN(Json statement, ReadClaimStatement(*ctx.db, ctx.caller(), case_id, claim_id));
  HttpResponse response = JsonResponse(200, statement);
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

StatusOr<HttpResponse> HandlePublic(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(std::vector<PublicRound> rounds, ListPublicRounds(*ctx.db, case_id));
  Json list = Json::array();
  for (const PublicRound& r : rounds) {
    list.push_back({{"round", r.round_no},
                    {"distribution", r.run_id},
                    {"executed_at", ledger::FormatUtcMillis(r.executed_at_ms)},
                    {"record_date", FormatYmd(r.record_date)},
                    {"pool_before", r.pool_before.ToString()},
                    {"amount", r.amount.ToString()},
                    {"paid", r.paid.ToString()},
                    {"reserved", r.reserved.ToString()},
                    {"deferred", r.deferred.ToString()},
                    {"surplus", r.surplus.ToString()},
                    {"ratio", r.ratio},
                    {"level", r.level},
                    {"number_paid", r.paid_count},
                    {"number_reserved", r.reserved_count},
                    {"claims", r.claims}});
  }
  return JsonResponse(200, {{"case_id", case_id}, {"rounds", list}});
}

}  // namespace

void RegisterDistributionRoutes(Router& router) {
  // The literal "public" is registered before "{id}", which would otherwise take it.
  router.Add(MakeRoute<NoInput>("GET", std::string(kRunsPath) + "/public", Access::kPublic,
                                ParseNoQuery, HandlePublic, /*json_body=*/false));
  router.Add(MakeRoute<DraftInput>("POST", kRunsPath, Access::kAuthenticated,
                                   BodyParser(&ParseDraftInput), HandleDraft));
  router.Add(MakeRoute<NoInput>("GET", kRunsPath, Access::kAuthenticated, ParseNoQuery, HandleList,
                                /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("GET", RunPath(""), Access::kAuthenticated, ParseNoQuery, HandleGet,
                                /*json_body=*/false));
  router.Add(MakeRoute<PageInput>("GET", RunPath("/allocations"), Access::kAuthenticated, ParsePage,
                                  HandleAllocations, /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("POST", RunPath("/endorse"), Access::kAuthenticated, ParseEmptyBody,
                                HandleEndorse, /*json_body=*/false));
  router.Add(MakeRoute<ApproveInput>("POST", RunPath("/approve"), Access::kAuthenticated,
                                     BodyParser(&ParseApproveInput), HandleApprove));
  router.Add(MakeRoute<NoInput>("POST", RunPath("/cancel"), Access::kAuthenticated, ParseEmptyBody,
                                HandleCancel, /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("POST", RunPath("/execute"), Access::kAuthenticated, ParseEmptyBody,
                                HandleExecute, /*json_body=*/false));
  router.Add(MakeRoute<ExportInput>("GET", RunPath("/payments.csv"), Access::kAuthenticated,
                                    ParseExport, HandlePaymentsCsv, /*json_body=*/false));
  router.Add(MakeRoute<std::vector<PaymentResultInput>>("POST", RunPath("/payment-results"),
                                                        Access::kAuthenticated, ParseResultsBody,
                                                        HandlePaymentResults));
  router.Add(MakeRoute<NoInput>("GET", "/api/v1/cases/{case}/claims/{id}/statement",
                                Access::kAuthenticated, ParseNoQuery, HandleStatement,
                                /*json_body=*/false));
}

}  // namespace restitution
