// Recovered assets: recording, valuations, liquidations (sales, early sales), a frozen deposit
// taken into the pool, release, reversal of a wrong liquidation, and the reads. Every change
// answers with the asset and the receipt of its ledger entry; changes that move money also
// list the pool transfers they made.
#include "api/app.h"
#include "api/claim_json.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/asset_lifecycle.h"
#include "service/assets.h"
#include "service/clock.h"
#include "service/json_input.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kAssetsPath[] = "/api/v1/cases/{case}/assets";
constexpr char kAssetPath[] = "/api/v1/cases/{case}/assets/{id}";

std::string AssetPath(const char* suffix) { return std::string(kAssetPath) + suffix; }

// Dates given by officers may not lie in the future (China time).
int Today() { return ChinaDate(SystemNowMs()); }

struct AssetRef {
  int64_t case_id = 0;
  int64_t asset_id = 0;
};

StatusOr<AssetRef> ParseAssetRef(const RequestContext& ctx) {
  AssetRef ref;
  ASSIGN_OR_RETURN(ref.case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(ref.asset_id, ParsePathId(ctx.path_params, "id", "asset"));
  return ref;
}

Json AssetJson(const AssetRecord& a) {
  return {{"id", a.id},
          {"case_id", a.case_id},
          {"kind", std::string(AssetKindName(a.kind))},
          {"source", std::string(AssetSourceName(a.source))},
          {"status", std::string(AssetStatusName(a.status))},
          {"description", a.description},
          {"latest_valuation", OptionalMoneyJson(a.latest_valuation)},
          {"created_by", a.created_by},
          {"created_at", ledger::FormatUtcMillis(a.created_at_ms)},
          {"updated_at", ledger::FormatUtcMillis(a.updated_at_ms)},
          {"released_at", OptionalTimeJson(a.released_at_ms)}};
}

Json ValuationJson(const ValuationRecord& v) {
  return {{"id", v.id},
          {"amount", v.amount.ToString()},
          {"appraiser", v.appraiser},
          {"date", FormatYmdDate(v.date)},
          {"recorded_by", v.recorded_by},
          {"recorded_at", ledger::FormatUtcMillis(v.recorded_at_ms)}};
}

Json LiquidationJson(const LiquidationRecord& l) {
  return {{"id", l.id},
          {"method", l.method},
          {"proceeds", l.proceeds.ToString()},
          {"costs", l.costs.ToString()},
          {"net", l.net().ToString()},
          {"date", FormatYmdDate(l.date)},
          {"early_sale", l.early_sale},
          {"early_sale_reason", l.early_sale_reason
                                    ? Json(std::string(EarlySaleReasonName(*l.early_sale_reason)))
                                    : Json(nullptr)},
          {"previous_status", std::string(AssetStatusName(l.previous_status))},
          {"recorded_by", l.recorded_by},
          {"recorded_at", ledger::FormatUtcMillis(l.recorded_at_ms)},
          {"reversed", l.reversed_at_ms.has_value()},
          {"reversed_at", OptionalTimeJson(l.reversed_at_ms)}};
}

HttpResponse AssetChanged(RequestContext& ctx, const AssetChange& change, int status) {
  ctx.ledger_entry = change.entry;
  Json body = AssetJson(change.asset);
  if (change.valuation) body["valuation"] = ValuationJson(*change.valuation);
  if (change.liquidation) body["liquidation"] = LiquidationJson(*change.liquidation);
  body["transfers"] = TransfersJson(change.transfers);
  return JsonResponse(status, body);
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
template <typename Input>
std::function<StatusOr<Input>(const HttpRequest&, const Json*)> DatedBodyParser(
    StatusOr<Input> (*parse)(const Json&, int)) {
  return [parse](const HttpRequest& request, const Json* body) -> StatusOr<Input> {
    RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
    return parse(*body, Today());
  };
}

struct NoInput {};
StatusOr<NoInput> ParseNoQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {}));
  return NoInput{};
}

struct PageInput {
  int page = 1;
};
StatusOr<PageInput> ParsePage(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"page"}));
  ASSIGN_OR_RETURN(uint64_t page, OptionalUintParam(request, "page", 1, 1000000));
  if (page == 0) return Status::InvalidArgument("page", "starts at 1");
  return PageInput{static_cast<int>(page)};
}

StatusOr<HttpResponse> HandleRecord(RequestContext& ctx, const AssetInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(AssetChange change,
                   RecordAsset(*ctx.db, ctx.app.services(), ctx.caller(), case_id, input));
  return AssetChanged(ctx, change, 201);
}

StatusOr<HttpResponse> HandleValue(RequestContext& ctx, const ValuationInput& input) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(AssetChange change, ValueAsset(*ctx.db, ctx.app.services(), ctx.caller(),
                                                  ref.case_id, ref.asset_id, input));
  return AssetChanged(ctx, change, 201);
}

StatusOr<HttpResponse> HandleLiquidate(RequestContext& ctx, const LiquidationInput& input) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(AssetChange change, LiquidateAsset(*ctx.db, ctx.app.services(), ctx.caller(),
                                                      ref.case_id, ref.asset_id, input));
  return AssetChanged(ctx, change, 201);
}

StatusOr<HttpResponse> HandleDepositTransfer(RequestContext& ctx,
                                             const DepositTransferInput& input) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(AssetChange change,
                   TransferDepositToPool(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                         ref.asset_id, input));
  return AssetChanged(ctx, change, 201);
}

StatusOr<HttpResponse> HandleRelease(RequestContext& ctx, const ReasonInput& input) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(AssetChange change, ReleaseAsset(*ctx.db, ctx.app.services(), ctx.caller(),
                                                    ref.case_id, ref.asset_id, input));
  return AssetChanged(ctx, change, 200);
}

StatusOr<HttpResponse> HandleReverse(RequestContext& ctx, const ReasonInput& input) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(int64_t liquidation_id, ParsePathId(ctx.path_params, "lid", "liquidation"));
  ASSIGN_OR_RETURN(AssetChange change,
                   ReverseLiquidation(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id,
                                      ref.asset_id, liquidation_id, input));
  return AssetChanged(ctx, change, 200);
}

StatusOr<HttpResponse> HandleList(RequestContext& ctx, const PageInput& input) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(AssetPage page, ListAssets(*ctx.db, ctx.caller(), case_id, input.page));
  Json assets = Json::array();
  for (const AssetRecord& a : page.assets) assets.push_back(AssetJson(a));
  return JsonResponse(200, {{"assets", assets},
                            {"page", page.page},
                            {"page_size", page.page_size},
                            {"total", page.total}});
}

StatusOr<HttpResponse> HandleGet(RequestContext& ctx, const NoInput&) {
  ASSIGN_OR_RETURN(AssetRef ref, ParseAssetRef(ctx));
  ASSIGN_OR_RETURN(AssetDetail detail,
                   ReadAsset(*ctx.db, ctx.app.services(), ctx.caller(), ref.case_id, ref.asset_id,
                             ctx.request.request_id));
  Json body = AssetJson(detail.asset);
  auto text = [](const std::optional<std::string>& t) { return t ? Json(*t) : Json(nullptr); };
  if (detail.with_personal_data) {
    body["holder"] = text(detail.holder);
    body["reference"] = text(detail.reference);
    body["release_reason"] = text(detail.release_reason);
  }
  Json valuations = Json::array();
  for (const ValuationRecord& v : detail.valuations) valuations.push_back(ValuationJson(v));
  Json liquidations = Json::array();
  for (const LiquidationView& l : detail.liquidations) {
    Json item = LiquidationJson(l.record);
    if (detail.with_personal_data) item["reversal_reason"] = text(l.reversal_reason);
    liquidations.push_back(std::move(item));
  }
  body["valuations"] = valuations;
  body["liquidations"] = liquidations;
  HttpResponse response = JsonResponse(200, body);
  if (detail.with_personal_data)
    response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

}  // namespace

void RegisterAssetRoutes(Router& router) {
  router.Add(MakeRoute<AssetInput>("POST", kAssetsPath, Access::kAuthenticated,
                                   BodyParser(&ParseAssetInput), HandleRecord));
  router.Add(MakeRoute<PageInput>("GET", kAssetsPath, Access::kAuthenticated, ParsePage, HandleList,
                                  /*json_body=*/false));
  router.Add(MakeRoute<NoInput>("GET", kAssetPath, Access::kAuthenticated, ParseNoQuery, HandleGet,
                                /*json_body=*/false));
  router.Add(MakeRoute<ValuationInput>("POST", AssetPath("/valuations"), Access::kAuthenticated,
                                       DatedBodyParser(&ParseValuationInput), HandleValue));
  router.Add(MakeRoute<LiquidationInput>("POST", AssetPath("/liquidations"), Access::kAuthenticated,
                                         DatedBodyParser(&ParseLiquidationInput), HandleLiquidate));
  router.Add(MakeRoute<DepositTransferInput>(
      "POST", AssetPath("/pool-transfer"), Access::kAuthenticated,
      DatedBodyParser(&ParseDepositTransferInput), HandleDepositTransfer));
  router.Add(MakeRoute<ReasonInput>("POST", AssetPath("/release"), Access::kAuthenticated,
                                    BodyParser(&ParseReasonInput), HandleRelease));
  router.Add(MakeRoute<ReasonInput>("POST", AssetPath("/liquidations/{lid}/reversal"),
                                    Access::kAuthenticated, BodyParser(&ParseReasonInput),
                                    HandleReverse));
}

}  // namespace restitution
