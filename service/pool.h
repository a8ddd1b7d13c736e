// A case's money as double-entry accounts. Every movement is a balanced transfer between two
// accounts, recorded once and never changed: a mistake is corrected by a reversing transfer.
// The accounts of a case always add up to zero, because money enters through the contra account
// `recoveries` (whose balance is minus everything ever recovered) and every other account stays
// at zero or above.
//
//   recoveries      −(all money recovered: sale proceeds, frozen deposits taken in)
//   pool            recovered money not yet committed: what the next round can distribute
//   reserve         held for disputed claims until their objection is resolved
//   payable         paid out in an executed run, waiting for the bank's result
//   paid            confirmed paid to claimants
//   disposal_costs  costs of selling assets (auction fees, taxes)
//
// Each business operation that moves money calls ApplyTransfers inside its own transaction and
// puts TransfersJson(transfers) under "transfers" in the payload of its ledger entry, so the
// replay audit can rebuild every balance from the ledger alone.
#ifndef RESTITUTION_SERVICE_POOL_H_
#define RESTITUTION_SERVICE_POOL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/money.h"
#include "service/principal.h"

namespace restitution {

enum class PoolAccount { kRecoveries, kPool, kReserve, kPayable, kPaid, kDisposalCosts };
inline constexpr size_t kPoolAccountCount = 6;

// "recoveries", "pool", "reserve", "payable", "paid", "disposal_costs".
std::string_view PoolAccountName(PoolAccount account);
std::optional<PoolAccount> ParsePoolAccount(std::string_view name);

struct PoolTransfer {
  PoolAccount from = PoolAccount::kPool;
  PoolAccount to = PoolAccount::kPool;
  Money amount;  // > 0
};

// What a transfer is for (pool_transfers.kind and the API): "liquidation", "disposal_cost",
// "deposit_transfer", "distribution_pay", "distribution_reserve", "payment_paid",
// "payment_failed", "reserve_release", "reserve_payable", "reversal".
// Free-form identifiers of the operation (asset, run, claim) go in TransferRefs.
struct TransferRefs {
  std::optional<int64_t> asset_id;
  std::optional<int64_t> run_id;
  std::optional<int64_t> claim_id;
};

// [{"from":"pool","to":"reserve","amount":"12.34"}, …] in order: the form ledger payloads use.
nlohmann::json TransfersJson(const std::vector<PoolTransfer>& transfers);
// The inverse, for the replay audit. InvalidArgument on any other shape.
StatusOr<std::vector<PoolTransfer>> ParseTransfersJson(const nlohmann::json& transfers);

// Applies the transfers in order inside the caller's transaction: locks the case's balances
// (SELECT … FOR UPDATE), refuses with RuleViolated (reason "insufficient_funds", naming the
// account) when any account other than recoveries would go below zero, and writes one immutable
// pool_transfers row per transfer. Nothing is written when anything is refused.
Status ApplyTransfers(DbConnection& db, int64_t case_id, std::string_view kind,
                      const TransferRefs& refs, const std::vector<PoolTransfer>& transfers,
                      int64_t at_ms);

struct PoolBalances {
  std::array<Money, kPoolAccountCount> balance{};  // indexed by PoolAccount
  Money Of(PoolAccount account) const { return balance[static_cast<size_t>(account)]; }
  Money Available() const { return Of(PoolAccount::kPool); }
  Money Reserved() const { return Of(PoolAccount::kReserve); }
};

// The case's balances; for_update locks them for a read-modify-write.
StatusOr<PoolBalances> ReadPoolBalances(DbConnection& db, int64_t case_id, bool for_update);

// One pool_transfers row as stored.
struct StoredPoolTransfer {
  int64_t id = 0;
  std::string kind;
  PoolTransfer transfer;
  TransferRefs refs;
  int64_t at_ms = 0;
};
inline constexpr int kMaxTransfersListed = 1000;

// The case's transfers, newest first: `limit` (1..kMaxTransfersListed) of them with
// id < before_id (0: from the newest).
StatusOr<std::vector<StoredPoolTransfer>> ReadPoolTransfers(DbConnection& db, int64_t case_id,
                                                            int limit, int64_t before_id = 0);

struct PoolStatement {
  PoolBalances balances;
  std::vector<StoredPoolTransfer> recent;  // newest first
};

// GET /api/v1/cases/{case}/pool: officers and court users bound to the case and auditors
// (RequireCaseStaff: everyone else gets NotFound). The balances and the `recent_limit` latest
// transfers; the balance rows are share-locked while the transfers are read, so the two agree.
StatusOr<PoolStatement> ReadCasePool(DbConnection& db, const Principal& reader, int64_t case_id,
                                     int recent_limit);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_POOL_H_
