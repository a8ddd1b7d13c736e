// Recovered assets (涉案财物): what the task force has seized, impounded or frozen in a case,
// what they are worth and what became of them. This file holds the vocabulary, the request
// bodies, the state machine and the reads; the changes are in asset_lifecycle.h.
//
//   seized ──valuation──▶ valued ──valuation──▶ valued          (several appraisals allowed)
//   valued ──liquidation (sale)──▶ liquidated
//   seized | valued ──early sale (先行处置)──▶ liquidated       (perishable or depreciating kinds)
//   seized | valued ──pool transfer──▶ liquidated               (a frozen deposit taken in as is)
//   seized | valued ──release──▶ released                       (returned to a third party)
//   liquidated ──reversal──▶ the status before the liquidation   (a correction)
//
// released is final. Anything else is Conflict (409, reason "invalid_transition").
//
// Who may act: officers bound to the case (officers of other cases get NotFound, as if the
// asset did not exist); any other role gets PermissionDenied. Who may read: the case's officers
// and court users, and auditors (without the holder, the reference and the free-text reasons).
// The holder and the reference can name a person or carry a bank account: they are sealed at
// rest and the ledger holds keyed commitments of them only.
#ifndef RESTITUTION_SERVICE_ASSETS_H_
#define RESTITUTION_SERVICE_ASSETS_H_

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
#include "service/service_context.h"

namespace restitution {

enum class AssetKind {
  kFrozenDeposit,
  kRealEstate,
  kVehicle,
  kEquity,
  kSecurities,
  kCrypto,
  kGoods,
  kOther,
};
// "frozen_deposit", "real_estate", "vehicle", "equity", "securities", "crypto", "goods", "other".
std::string_view AssetKindName(AssetKind kind);
std::optional<AssetKind> ParseAssetKind(std::string_view name);

// The six refund sources of State Council Decree 737, Art. 26.
enum class AssetSource {
  kRemainingFunds,      // (1) what is left of the money raised
  kProceedsOfFunds,     // (2) what that money earned or was turned into
  kInsiderGains,        // (3) taken by shareholders, controllers, directors, managers
  kHiddenFunds,         // (4) hidden or transferred
  kFeesAndCommissions,  // (5) advertising, endorsement, agency fees, commissions, rebates
  kOther,               // (6) any other assets
};
// "remaining_funds", "proceeds_of_funds", "insider_gains", "hidden_funds",
// "fees_and_commissions", "other".
std::string_view AssetSourceName(AssetSource source);
std::optional<AssetSource> ParseAssetSource(std::string_view name);

enum class AssetStatus { kSeized, kValued, kLiquidated, kReleased };
// "seized", "valued", "liquidated", "released".
std::string_view AssetStatusName(AssetStatus status);
std::optional<AssetStatus> ParseAssetStatus(std::string_view name);

// Why an asset is sold before the case ends (先行处置, 2014 opinion §5).
enum class EarlySaleReason { kPerishable, kDepreciating, kCostlyToKeep };
// "perishable", "depreciating", "costly_to_keep".
std::string_view EarlySaleReasonName(EarlySaleReason reason);
std::optional<EarlySaleReason> ParseEarlySaleReason(std::string_view name);

// Kinds that may be sold early: goods, vehicle, securities, crypto, other. Real estate, equity
// and frozen deposits keep their value (a deposit is taken in, not sold).
bool EarlySaleAllowed(AssetKind kind);

enum class AssetAction { kValue, kSell, kSellEarly, kTransferDeposit, kRelease };
// The state machine above (the reversal is not an action of this graph: it restores the
// status recorded with the liquidation). Conflict with reason "invalid_transition".
StatusOr<AssetStatus> NextAssetStatus(AssetStatus from, AssetAction action);

// Text limits in characters (UTF-8 code points).
inline constexpr size_t kMaxAssetDescriptionChars = 1000;
inline constexpr size_t kMaxAssetHolderChars = 200;
inline constexpr size_t kMaxAssetReferenceChars = 100;
inline constexpr size_t kMaxAppraiserChars = 200;
inline constexpr size_t kMaxAssetReasonChars = 2000;

// POST /api/v1/cases/{case}/assets {kind, description, source, holder, reference?}.
struct AssetInput {
  AssetKind kind = AssetKind::kOther;
  std::string description;
  AssetSource source = AssetSource::kOther;
  std::string holder;                    // who holds it: a bank, a company, a person
  std::optional<std::string> reference;  // account number, title deed, plate, wallet address
};
StatusOr<AssetInput> ParseAssetInput(const nlohmann::json& body);

// POST …/assets/{id}/valuations {amount, appraiser, date}. date: "YYYY-MM-DD", not after
// today_yyyymmdd (China time).
struct ValuationInput {
  Money amount;
  std::string appraiser;
  int date = 0;  // yyyymmdd
};
StatusOr<ValuationInput> ParseValuationInput(const nlohmann::json& body, int today_yyyymmdd);

// POST …/assets/{id}/liquidations {proceeds, costs, date, early_sale?, early_sale_reason?}.
// proceeds > 0, costs ≥ 0 (costs above proceeds are refused by LiquidateAsset); early_sale_reason
// is required with early_sale: true and refused without it.
struct LiquidationInput {
  Money proceeds;
  Money costs;
  int date = 0;  // yyyymmdd
  bool early_sale = false;
  std::optional<EarlySaleReason> early_sale_reason;
};
StatusOr<LiquidationInput> ParseLiquidationInput(const nlohmann::json& body, int today_yyyymmdd);

// POST …/assets/{id}/pool-transfer {amount, date}: amount > 0.
struct DepositTransferInput {
  Money amount;
  int date = 0;  // yyyymmdd
};
StatusOr<DepositTransferInput> ParseDepositTransferInput(const nlohmann::json& body,
                                                         int today_yyyymmdd);

// POST …/assets/{id}/release {reason} and …/liquidations/{lid}/reversal {reason}.
struct ReasonInput {
  std::string reason;
};
StatusOr<ReasonInput> ParseReasonInput(const nlohmann::json& body);

// Seal purposes (ServiceKeys::Seal) of the sealed columns.
inline constexpr char kAssetHolderPurpose[] = "assets.holder";
inline constexpr char kAssetReferencePurpose[] = "assets.reference";
inline constexpr char kAssetReleaseReasonPurpose[] = "assets.release_reason";
inline constexpr char kLiquidationReversalReasonPurpose[] = "asset_liquidations.reversal_reason";

// "2026-03-01" for 20260301.
std::string FormatYmdDate(int yyyymmdd);

// An assets row without its sealed columns.
struct AssetRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  AssetKind kind = AssetKind::kOther;
  AssetSource source = AssetSource::kOther;
  AssetStatus status = AssetStatus::kSeized;
  std::string description;
  int64_t created_by = 0;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
  std::optional<int64_t> released_at_ms;
  std::optional<Money> latest_valuation;  // the amount of the newest valuation
};

struct ValuationRecord {
  int64_t id = 0;
  int64_t asset_id = 0;
  Money amount;
  std::string appraiser;
  int date = 0;  // yyyymmdd
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
};

struct LiquidationRecord {
  int64_t id = 0;
  int64_t asset_id = 0;
  std::string method;  // "sale" or "deposit_transfer"
  Money proceeds;
  Money costs;
  int date = 0;  // yyyymmdd
  bool early_sale = false;
  std::optional<EarlySaleReason> early_sale_reason;
  AssetStatus previous_status = AssetStatus::kSeized;
  int64_t recorded_by = 0;
  int64_t recorded_at_ms = 0;
  std::optional<int64_t> reversed_by;
  std::optional<int64_t> reversed_at_ms;

  Money net() const { return Money::FromFen(proceeds.fen() - costs.fen()); }
};

struct LiquidationView {
  LiquidationRecord record;
  std::optional<std::string> reversal_reason;  // for the case's officers and court users
};

struct AssetDetail {
  AssetRecord asset;
  // Decrypted for the case's officers and court users only (nullopt for auditors).
  std::optional<std::string> holder;
  std::optional<std::string> reference;
  std::optional<std::string> release_reason;
  bool with_personal_data = false;
  std::vector<ValuationRecord> valuations;    // oldest first
  std::vector<LiquidationView> liquidations;  // oldest first
};

// GET …/assets/{id}. Reads of the holder by staff are written to the PII access log.
StatusOr<AssetDetail> ReadAsset(DbConnection& db, const ServiceContext& ctx,
                                const Principal& reader, int64_t case_id, int64_t asset_id,
                                const std::string& request_id);

inline constexpr int kAssetsPageSize = 100;
struct AssetPage {
  std::vector<AssetRecord> assets;  // by id
  int page = 1;
  int page_size = kAssetsPageSize;
  int64_t total = 0;
};
// GET …/assets?page=: the case's assets without personal data, kAssetsPageSize a page.
StatusOr<AssetPage> ListAssets(DbConnection& db, const Principal& reader, int64_t case_id,
                               int page);

// The asset row, for the lifecycle (asset_lifecycle.cc). NotFound("asset not found") when it
// does not exist in this case.
StatusOr<AssetRecord> LoadAsset(DbConnection& db, int64_t case_id, int64_t asset_id,
                                bool for_update);
StatusOr<LiquidationRecord> LoadLiquidation(DbConnection& db, int64_t asset_id,
                                            int64_t liquidation_id, bool for_update);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_ASSETS_H_
