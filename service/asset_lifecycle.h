// The changes of a recovered asset's life (assets.h has the graph): recording, valuing,
// selling, taking a frozen deposit in, releasing, and reversing a wrong liquidation. Each runs
// in the caller's transaction, locks the asset row, and appends its ledger entry in that same
// transaction; when money moves, the transfers go through the case's pool (pool.h) and are
// listed under "transfers" in the entry, so the replay audit can rebuild the pool.
//
// Money, in pool accounts (double entry, pool.h):
//   sale with proceeds P and costs C   recoveries → pool (P − C), recoveries → disposal_costs (C)
//   frozen deposit of amount D         recoveries → pool (D)
//   reversal of either                 the same transfers backwards (pool → recoveries, …),
//                                      refused when the pool no longer holds the money
// A sale whose costs exceed its proceeds is refused: the refund pool does not pay for a sale
// that lost money (record costs up to the proceeds and settle the rest outside the pool).
#ifndef RESTITUTION_SERVICE_ASSET_LIFECYCLE_H_
#define RESTITUTION_SERVICE_ASSET_LIFECYCLE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "crypto/status.h"
#include "service/assets.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/pool.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

struct AssetChange {
  AssetRecord asset;
  QueuedEntry entry;
  std::optional<ValuationRecord> valuation;
  std::optional<LiquidationRecord> liquidation;
  std::vector<PoolTransfer> transfers;  // what moved in the pool, in order (may be empty)
};

// A new asset, seized. The holder and the reference are sealed; the ledger gets commitments.
StatusOr<AssetChange> RecordAsset(DbConnection& db, const ServiceContext& ctx,
                                  const Principal& officer, int64_t case_id,
                                  const AssetInput& input);

// seized | valued -> valued.
StatusOr<AssetChange> ValueAsset(DbConnection& db, const ServiceContext& ctx,
                                 const Principal& officer, int64_t case_id, int64_t asset_id,
                                 const ValuationInput& input);

// valued -> liquidated (a sale); seized | valued -> liquidated for an early sale. RuleViolated:
// "deposit_not_sold" for a frozen deposit (use TransferDepositToPool), "early_sale_not_allowed"
// (field early_sale) for real estate and equity, "costs_exceed_proceeds" (field costs).
StatusOr<AssetChange> LiquidateAsset(DbConnection& db, const ServiceContext& ctx,
                                     const Principal& officer, int64_t case_id, int64_t asset_id,
                                     const LiquidationInput& input);

// seized | valued -> liquidated for a frozen deposit taken into the pool as it stands.
// RuleViolated "not_a_deposit" for any other kind.
StatusOr<AssetChange> TransferDepositToPool(DbConnection& db, const ServiceContext& ctx,
                                            const Principal& officer, int64_t case_id,
                                            int64_t asset_id, const DepositTransferInput& input);

// seized | valued -> released (returned to a third party). The reason is sealed.
StatusOr<AssetChange> ReleaseAsset(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& officer, int64_t case_id, int64_t asset_id,
                                   const ReasonInput& input);

// liquidated -> the status before that liquidation, with reversing transfers. Conflict
// "already_reversed" for a liquidation reversed before; RuleViolated "insufficient_funds" when
// the pool no longer holds the net amount (it was distributed). The reason is sealed.
StatusOr<AssetChange> ReverseLiquidation(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& officer, int64_t case_id,
                                         int64_t asset_id, int64_t liquidation_id,
                                         const ReasonInput& input);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_ASSET_LIFECYCLE_H_
