#include "service/asset_lifecycle.h"

#include <string>
#include <utility>

#include "ledger/entry.h"
#include "service/cases.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// Asset changes are the officers'; every other role is refused whatever the case.
Status RequireOfficerRole(const Principal& principal) {
  if (principal.role != Role::kOfficer) {
    return Status::PermissionDenied("only the case's officers manage its assets")
        .WithReason("forbidden");
  }
  return Status::Ok();
}

// The asset, locked, for an officer bound to its case (NotFound otherwise).
StatusOr<AssetRecord> LoadAssetForChange(DbConnection& db, const Principal& officer,
                                         int64_t case_id, int64_t asset_id) {
  RETURN_IF_ERROR(RequireOfficerRole(officer));
  RETURN_IF_ERROR(RequireCaseStaff(db, officer, case_id));
  return LoadAsset(db, case_id, asset_id, /*for_update=*/true);
}

Status SaveStatus(DbConnection& db, const AssetRecord& asset) {
  return db
      .Exec("UPDATE assets SET status = ?, updated_at_ms = ? WHERE id = ?",
            {std::string(AssetStatusName(asset.status)), asset.updated_at_ms, asset.id})
      .status();
}

// The entry of an asset change: {"asset", "status", …payload}.
StatusOr<QueuedEntry> RecordAssetEntry(DbConnection& db, const Principal& actor,
                                       const AssetRecord& asset, const std::string& type,
                                       Json payload, int64_t now) {
  payload["asset"] = asset.id;
  payload["status"] = std::string(AssetStatusName(asset.status));
  ledger::EntryDraft draft;
  draft.type = type;
  draft.case_id = asset.case_id;
  draft.actor = ActorOf(actor);
  draft.at_ms = now;
  draft.payload = std::move(payload);
  return AppendLedgerEntry(db, draft);
}

std::vector<PoolTransfer> NonZero(std::vector<PoolTransfer> transfers) {
  std::vector<PoolTransfer> out;
  for (const PoolTransfer& t : transfers) {
    if (!t.amount.IsZero()) out.push_back(t);
  }
  return out;
}

// Inserts the liquidation row, moves the money and marks the asset liquidated.
StatusOr<LiquidationRecord> InsertLiquidation(DbConnection& db, const Principal& officer,
                                              const AssetRecord& asset, LiquidationRecord l) {
  ASSIGN_OR_RETURN(
      l.id, db.Insert("INSERT INTO asset_liquidations (asset_id, method, proceeds_fen, costs_fen, "
                      "realised_on, early_sale, early_sale_reason, previous_status, recorded_by, "
                      "recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      {asset.id, l.method, l.proceeds.fen(), l.costs.fen(), int64_t{l.date},
                       int64_t{l.early_sale ? 1 : 0},
                       l.early_sale_reason ? SqlParam(EarlySaleReasonName(*l.early_sale_reason))
                                           : SqlParam(nullptr),
                       AssetStatusName(l.previous_status), officer.user_id, l.recorded_at_ms}));
  l.asset_id = asset.id;
  l.recorded_by = officer.user_id;
  return l;
}

}  // namespace

StatusOr<AssetChange> RecordAsset(DbConnection& db, const ServiceContext& ctx,
                                  const Principal& officer, int64_t case_id,
                                  const AssetInput& input) {
  RETURN_IF_ERROR(RequireOfficerRole(officer));
  RETURN_IF_ERROR(RequireCaseStaff(db, officer, case_id));
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(std::string holder_enc, ctx.keys->Seal(kAssetHolderPurpose, input.holder));
  std::optional<std::string> reference_enc;
  if (input.reference) {
    ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kAssetReferencePurpose, *input.reference));
    reference_enc = std::move(sealed);
  }
  AssetChange change;
  AssetRecord& a = change.asset;
  ASSIGN_OR_RETURN(
      a.id, db.Insert("INSERT INTO assets (case_id, kind, source, status, description, "
                      "holder_enc, reference_enc, created_by, created_at_ms, updated_at_ms) "
                      "VALUES (?, ?, ?, 'seized', ?, ?, ?, ?, ?, ?)",
                      {case_id, AssetKindName(input.kind), AssetSourceName(input.source),
                       input.description, holder_enc, reference_enc, officer.user_id, now, now}));
  a.case_id = case_id;
  a.kind = input.kind;
  a.source = input.source;
  a.status = AssetStatus::kSeized;
  a.description = input.description;
  a.created_by = officer.user_id;
  a.created_at_ms = now;
  a.updated_at_ms = now;
  // The description is the officers' free text and may well name someone (an address, a
  // plate): like the holder, it reaches the ledger as a commitment only.
  const Json reference_commitment =
      input.reference ? Json(LedgerCommitment(*ctx.keys, "asset_reference", *input.reference))
                      : Json(nullptr);
  ASSIGN_OR_RETURN(
      change.entry,
      RecordAssetEntry(
          db, officer, a, "asset_recorded",
          {{"kind", std::string(AssetKindName(input.kind))},
           {"source", std::string(AssetSourceName(input.source))},
           {"description_commitment",
            LedgerCommitment(*ctx.keys, "asset_description", input.description)},
           {"holder_commitment", LedgerCommitment(*ctx.keys, "asset_holder", input.holder)},
           {"reference_commitment", reference_commitment}},
          now));
  return change;
}

StatusOr<AssetChange> ValueAsset(DbConnection& db, const ServiceContext& ctx,
                                 const Principal& officer, int64_t case_id, int64_t asset_id,
                                 const ValuationInput& input) {
  AssetChange change;
  ASSIGN_OR_RETURN(change.asset, LoadAssetForChange(db, officer, case_id, asset_id));
  ASSIGN_OR_RETURN(AssetStatus next, NextAssetStatus(change.asset.status, AssetAction::kValue));
  const int64_t now = ctx.NowMs();
  ValuationRecord v{0, asset_id, input.amount, input.appraiser, input.date, officer.user_id, now};
  ASSIGN_OR_RETURN(v.id,
                   db.Insert("INSERT INTO asset_valuations (asset_id, amount_fen, appraiser, "
                             "valued_on, recorded_by, recorded_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                             {asset_id, input.amount.fen(), input.appraiser, int64_t{input.date},
                              officer.user_id, now}));
  change.asset.status = next;
  change.asset.updated_at_ms = now;
  change.asset.latest_valuation = input.amount;
  RETURN_IF_ERROR(SaveStatus(db, change.asset));
  ASSIGN_OR_RETURN(change.entry,
                   RecordAssetEntry(db, officer, change.asset, "asset_valued",
                                    {{"valuation", v.id},
                                     {"amount_fen", input.amount.fen()},
                                     {"date", FormatYmdDate(input.date)},
                                     {"appraiser_commitment",
                                      LedgerCommitment(*ctx.keys, "appraiser", input.appraiser)}},
                                    now));
  change.valuation = v;
  return change;
}

StatusOr<AssetChange> LiquidateAsset(DbConnection& db, const ServiceContext& ctx,
                                     const Principal& officer, int64_t case_id, int64_t asset_id,
                                     const LiquidationInput& input) {
  AssetChange change;
  ASSIGN_OR_RETURN(change.asset, LoadAssetForChange(db, officer, case_id, asset_id));
  AssetRecord& a = change.asset;
  // What the asset is never changes: say so before anything about its state.
  if (a.kind == AssetKind::kFrozenDeposit) {
    return Status::RuleViolated("",
                                "a frozen deposit is not sold: take it into the pool with "
                                "POST …/pool-transfer")
        .WithReason("deposit_not_sold");
  }
  if (input.early_sale && !EarlySaleAllowed(a.kind)) {
    return Status::RuleViolated("early_sale",
                                "an early sale (先行处置) is for perishable or "
                                "depreciating assets, not " +
                                    std::string(AssetKindName(a.kind)))
        .WithReason("early_sale_not_allowed");
  }
  ASSIGN_OR_RETURN(
      AssetStatus next,
      NextAssetStatus(a.status, input.early_sale ? AssetAction::kSellEarly : AssetAction::kSell));
  if (input.costs > input.proceeds) {
    return Status::RuleViolated("costs", "the costs (" + input.costs.ToString() +
                                             ") exceed the proceeds (" + input.proceeds.ToString() +
                                             "): the refund pool does not pay for a sale that "
                                             "lost money; record costs up to the proceeds and "
                                             "settle the rest outside the pool")
        .WithReason("costs_exceed_proceeds");
  }
  const int64_t now = ctx.NowMs();
  LiquidationRecord l;
  l.method = "sale";
  l.proceeds = input.proceeds;
  l.costs = input.costs;
  l.date = input.date;
  l.early_sale = input.early_sale;
  l.early_sale_reason = input.early_sale_reason;
  l.previous_status = a.status;
  l.recorded_at_ms = now;
  ASSIGN_OR_RETURN(l, InsertLiquidation(db, officer, a, l));
  const TransferRefs refs{a.id, std::nullopt, std::nullopt};
  const std::vector<PoolTransfer> net =
      NonZero({{PoolAccount::kRecoveries, PoolAccount::kPool, l.net()}});
  const std::vector<PoolTransfer> costs =
      NonZero({{PoolAccount::kRecoveries, PoolAccount::kDisposalCosts, l.costs}});
  RETURN_IF_ERROR(ApplyTransfers(db, case_id, "liquidation", refs, net, now));
  RETURN_IF_ERROR(ApplyTransfers(db, case_id, "disposal_cost", refs, costs, now));
  change.transfers = net;
  change.transfers.insert(change.transfers.end(), costs.begin(), costs.end());
  a.status = next;
  a.updated_at_ms = now;
  RETURN_IF_ERROR(SaveStatus(db, a));
  const Json reason = l.early_sale_reason
                          ? Json(std::string(EarlySaleReasonName(*l.early_sale_reason)))
                          : Json(nullptr);
  ASSIGN_OR_RETURN(change.entry, RecordAssetEntry(db, officer, a, "asset_liquidated",
                                                  {{"liquidation", l.id},
                                                   {"proceeds_fen", l.proceeds.fen()},
                                                   {"costs_fen", l.costs.fen()},
                                                   {"net_fen", l.net().fen()},
                                                   {"date", FormatYmdDate(l.date)},
                                                   {"early_sale", l.early_sale},
                                                   {"early_sale_reason", reason},
                                                   {"transfers", TransfersJson(change.transfers)}},
                                                  now));
  change.liquidation = l;
  return change;
}

StatusOr<AssetChange> TransferDepositToPool(DbConnection& db, const ServiceContext& ctx,
                                            const Principal& officer, int64_t case_id,
                                            int64_t asset_id, const DepositTransferInput& input) {
  AssetChange change;
  ASSIGN_OR_RETURN(change.asset, LoadAssetForChange(db, officer, case_id, asset_id));
  AssetRecord& a = change.asset;
  if (a.kind != AssetKind::kFrozenDeposit) {
    return Status::RuleViolated("",
                                "only a frozen deposit is taken into the pool as it stands; "
                                "other assets are sold (POST …/liquidations)")
        .WithReason("not_a_deposit");
  }
  ASSIGN_OR_RETURN(AssetStatus next, NextAssetStatus(a.status, AssetAction::kTransferDeposit));
  const int64_t now = ctx.NowMs();
  LiquidationRecord l;
  l.method = "deposit_transfer";
  l.proceeds = input.amount;
  l.date = input.date;
  l.previous_status = a.status;
  l.recorded_at_ms = now;
  ASSIGN_OR_RETURN(l, InsertLiquidation(db, officer, a, l));
  change.transfers = {{PoolAccount::kRecoveries, PoolAccount::kPool, input.amount}};
  RETURN_IF_ERROR(ApplyTransfers(db, case_id, "deposit_transfer",
                                 TransferRefs{a.id, std::nullopt, std::nullopt}, change.transfers,
                                 now));
  a.status = next;
  a.updated_at_ms = now;
  RETURN_IF_ERROR(SaveStatus(db, a));
  ASSIGN_OR_RETURN(change.entry, RecordAssetEntry(db, officer, a, "asset_deposit_transferred",
                                                  {{"liquidation", l.id},
                                                   {"amount_fen", input.amount.fen()},
                                                   {"date", FormatYmdDate(l.date)},
                                                   {"transfers", TransfersJson(change.transfers)}},
                                                  now));
  change.liquidation = l;
  return change;
}

StatusOr<AssetChange> ReleaseAsset(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& officer, int64_t case_id, int64_t asset_id,
                                   const ReasonInput& input) {
  AssetChange change;
  ASSIGN_OR_RETURN(change.asset, LoadAssetForChange(db, officer, case_id, asset_id));
  AssetRecord& a = change.asset;
  ASSIGN_OR_RETURN(AssetStatus next, NextAssetStatus(a.status, AssetAction::kRelease));
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kAssetReleaseReasonPurpose, input.reason));
  const std::string previous(AssetStatusName(a.status));
  a.status = next;
  a.updated_at_ms = now;
  a.released_at_ms = now;
  RETURN_IF_ERROR(
      db.Exec("UPDATE assets SET status = ?, release_reason_enc = ?, released_by = ?, "
              "released_at_ms = ?, updated_at_ms = ? WHERE id = ?",
              {std::string(AssetStatusName(next)), sealed, officer.user_id, now, now, a.id})
          .status());
  ASSIGN_OR_RETURN(change.entry, RecordAssetEntry(db, officer, a, "asset_released",
                                                  {{"previous_status", previous}}, now));
  return change;
}

StatusOr<AssetChange> ReverseLiquidation(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& officer, int64_t case_id,
                                         int64_t asset_id, int64_t liquidation_id,
                                         const ReasonInput& input) {
  AssetChange change;
  ASSIGN_OR_RETURN(change.asset, LoadAssetForChange(db, officer, case_id, asset_id));
  AssetRecord& a = change.asset;
  ASSIGN_OR_RETURN(LiquidationRecord l,
                   LoadLiquidation(db, asset_id, liquidation_id, /*for_update=*/true));
  if (l.reversed_at_ms) {
    return Status::Conflict("liquidation " + std::to_string(l.id) + " was already reversed")
        .WithReason("already_reversed");
  }
  if (a.status != AssetStatus::kLiquidated) {
    return Status::Internal("an asset with a liquidation in force is not liquidated");
  }
  const int64_t now = ctx.NowMs();
  // The liquidation's own transfers, backwards and in reverse order.
  change.transfers = NonZero({{PoolAccount::kDisposalCosts, PoolAccount::kRecoveries, l.costs},
                              {PoolAccount::kPool, PoolAccount::kRecoveries, l.net()}});
  Status moved =
      ApplyTransfers(db, case_id, "reversal", TransferRefs{a.id, std::nullopt, std::nullopt},
                     change.transfers, now);
  if (moved.reason() == "insufficient_funds") {
    return Status::RuleViolated("", "the pool no longer holds the " + l.net().ToString() +
                                        " this liquidation brought in (" + moved.message() +
                                        "); it cannot be reversed")
        .WithReason("insufficient_funds");
  }
  RETURN_IF_ERROR(moved);
  ASSIGN_OR_RETURN(std::string sealed,
                   ctx.keys->Seal(kLiquidationReversalReasonPurpose, input.reason));
  RETURN_IF_ERROR(db.Exec("UPDATE asset_liquidations SET reversed_by = ?, reversed_at_ms = ?, "
                          "reversal_reason_enc = ? WHERE id = ?",
                          {officer.user_id, now, sealed, l.id})
                      .status());
  l.reversed_by = officer.user_id;
  l.reversed_at_ms = now;
  a.status = l.previous_status;
  a.updated_at_ms = now;
  RETURN_IF_ERROR(SaveStatus(db, a));
  ASSIGN_OR_RETURN(change.entry, RecordAssetEntry(db, officer, a, "asset_liquidation_reversed",
                                                  {{"liquidation", l.id},
                                                   {"method", l.method},
                                                   {"transfers", TransfersJson(change.transfers)}},
                                                  now));
  change.liquidation = l;
  return change;
}

}  // namespace restitution
