// The case's refund pool: every account's balance, what is reserved and what is available for
// the next round, and the latest transfers (GET /api/v1/cases/{case}/pool).
#include <algorithm>

#include "api/app.h"
#include "api/json_response.h"
#include "api/query_params.h"
#include "ledger/entry.h"
#include "service/pool.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr uint64_t kDefaultRecentTransfers = 20;
constexpr uint64_t kMaxRecentTransfers = 200;

Json OptionalIdJson(const std::optional<int64_t>& id) { return id ? Json(*id) : Json(nullptr); }

struct PoolQuery {
  int recent = static_cast<int>(kDefaultRecentTransfers);
};

StatusOr<PoolQuery> ParsePoolQuery(const HttpRequest& request, const Json*) {
  RETURN_IF_ERROR(RejectUnknownQueryParams(request, {"recent"}));
  ASSIGN_OR_RETURN(uint64_t recent, OptionalUintParam(request, "recent", kDefaultRecentTransfers,
                                                      kMaxRecentTransfers));
  return PoolQuery{static_cast<int>(recent)};
}

StatusOr<HttpResponse> HandlePool(RequestContext& ctx, const PoolQuery& query) {
  ASSIGN_OR_RETURN(int64_t case_id, ParsePathId(ctx.path_params, "case", "case"));
  ASSIGN_OR_RETURN(PoolStatement pool,
                   ReadCasePool(*ctx.db, ctx.caller(), case_id, std::max(query.recent, 1)));
  Json balances = Json::object();
  for (size_t i = 0; i < kPoolAccountCount; ++i) {
    balances[std::string(PoolAccountName(static_cast<PoolAccount>(i)))] =
        pool.balances.balance[i].ToString();
  }
  Json transfers = Json::array();
  // recent=0 asks for the balances alone.
  if (query.recent > 0) {
    for (const StoredPoolTransfer& t : pool.recent) {
      transfers.push_back({{"id", t.id},
                           {"kind", t.kind},
                           {"from", std::string(PoolAccountName(t.transfer.from))},
                           {"to", std::string(PoolAccountName(t.transfer.to))},
                           {"amount", t.transfer.amount.ToString()},
                           {"asset_id", OptionalIdJson(t.refs.asset_id)},
                           {"run_id", OptionalIdJson(t.refs.run_id)},
                           {"claim_id", OptionalIdJson(t.refs.claim_id)},
                           {"at", ledger::FormatUtcMillis(t.at_ms)}});
    }
  }
  const Money recovered = Money::FromFen(-pool.balances.Of(PoolAccount::kRecoveries).fen());
  return JsonResponse(200, {{"case_id", case_id},
                            {"balances", balances},
                            {"recovered", recovered.ToString()},
                            {"reserved", pool.balances.Reserved().ToString()},
                            {"available", pool.balances.Available().ToString()},
                            {"recent_transfers", transfers}});
}

}  // namespace

void RegisterPoolRoutes(Router& router) {
  router.Add(MakeRoute<PoolQuery>("GET", "/api/v1/cases/{case}/pool", Access::kAuthenticated,
                                  ParsePoolQuery, HandlePool, /*json_body=*/false));
}

}  // namespace restitution
