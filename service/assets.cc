#include "service/assets.h"

#include <algorithm>
#include <utility>

#include "ledger/utf8.h"
#include "service/authorization.h"
#include "service/cases.h"
#include "service/claims.h"
#include "service/input_rules.h"
#include "service/json_input.h"
#include "service/time_input.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

// UTF-8 needs at most four bytes a character.
constexpr size_t kMaxBytesPerChar = 4;
constexpr int kMaxListedPerAsset = 100;

constexpr AssetKind kAllKinds[] = {
    AssetKind::kFrozenDeposit, AssetKind::kRealEstate, AssetKind::kVehicle, AssetKind::kEquity,
    AssetKind::kSecurities,    AssetKind::kCrypto,     AssetKind::kGoods,   AssetKind::kOther};
constexpr AssetSource kAllSources[] = {
    AssetSource::kRemainingFunds, AssetSource::kProceedsOfFunds,    AssetSource::kInsiderGains,
    AssetSource::kHiddenFunds,    AssetSource::kFeesAndCommissions, AssetSource::kOther};
constexpr AssetStatus kAllStatuses[] = {AssetStatus::kSeized, AssetStatus::kValued,
                                        AssetStatus::kLiquidated, AssetStatus::kReleased};
constexpr EarlySaleReason kAllEarlySaleReasons[] = {
    EarlySaleReason::kPerishable, EarlySaleReason::kDepreciating, EarlySaleReason::kCostlyToKeep};

constexpr char kAssetColumns[] =
    "a.id, a.case_id, a.kind, a.source, a.status, a.description, a.created_by, "
    "a.created_at_ms, a.updated_at_ms, a.released_at_ms, (SELECT v.amount_fen FROM "
    "asset_valuations v WHERE v.asset_id = a.id ORDER BY v.id DESC LIMIT 1)";
constexpr char kLiquidationColumns[] =
    "id, asset_id, method, proceeds_fen, costs_fen, realised_on, early_sale, early_sale_reason, "
    "previous_status, recorded_by, recorded_at_ms, reversed_by, reversed_at_ms";

template <typename Enum, size_t N>
std::optional<Enum> ParseName(std::string_view name, const Enum (&all)[N],
                              std::string_view (*name_of)(Enum)) {
  for (Enum value : all) {
    if (name_of(value) == name) return value;
  }
  return std::nullopt;
}

size_t Utf8Characters(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// A required text of 1..max_chars characters; names and identifiers (single_line) also refuse
// control and invisible characters, so two that read the same compare the same.
StatusOr<std::string> RequiredText(const JsonReader& reader, std::string_view key, size_t max_chars,
                                   bool single_line) {
  ASSIGN_OR_RETURN(std::string text, reader.RequiredString(key, max_chars * kMaxBytesPerChar));
  if (Utf8Characters(text) > max_chars) {
    return Status::InvalidArgument(
               reader.FieldPath(key),
               "is too long (at most " + std::to_string(max_chars) + " characters)")
        .WithRule(rules::kTooLong);
  }
  if (single_line && ledger::HasControlOrInvisibleCharacter(text)) {
    return Status::InvalidArgument(reader.FieldPath(key),
                                   "must not contain control or invisible characters");
  }
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument(reader.FieldPath(key), "must not be blank")
        .WithRule(rules::kEmpty);
  }
  return text;
}

// A date given by an officer: "YYYY-MM-DD", not in the future (China time).
StatusOr<int> PastDate(const JsonReader& reader, std::string_view key, int today_yyyymmdd) {
  ASSIGN_OR_RETURN(std::string text, reader.RequiredString(key, 10));
  ASSIGN_OR_RETURN(int date, ParseDate(text, reader.FieldPath(key)));
  if (date > today_yyyymmdd) {
    return Status::InvalidArgument(reader.FieldPath(key), "must not be in the future")
        .WithRule(rules::kDateFuture);
  }
  return date;
}

StatusOr<Money> PositiveMoney(const JsonReader& reader, std::string_view key) {
  ASSIGN_OR_RETURN(Money amount, reader.RequiredMoney(key));
  if (amount.IsZero()) {
    return Status::InvalidArgument(reader.FieldPath(key), "must be greater than 0");
  }
  return amount;
}

StatusOr<AssetRecord> AssetFromRow(const SqlRow& row) {
  AssetRecord a;
  a.id = row.Int(0);
  a.case_id = row.Int(1);
  std::optional<AssetKind> kind = ParseAssetKind(row.Bytes(2));
  std::optional<AssetSource> source = ParseAssetSource(row.Bytes(3));
  std::optional<AssetStatus> status = ParseAssetStatus(row.Bytes(4));
  if (!kind || !source || !status) return Status::Internal("unknown asset vocabulary in row");
  a.kind = *kind;
  a.source = *source;
  a.status = *status;
  a.description = row.Bytes(5);
  a.created_by = row.Int(6);
  a.created_at_ms = row.Int(7);
  a.updated_at_ms = row.Int(8);
  a.released_at_ms = row.OptionalInt(9);
  if (!row.IsNull(10)) a.latest_valuation = Money::FromFen(row.Int(10));
  return a;
}

StatusOr<LiquidationRecord> LiquidationFromRow(const SqlRow& row) {
  LiquidationRecord l;
  l.id = row.Int(0);
  l.asset_id = row.Int(1);
  l.method = row.Bytes(2);
  l.proceeds = Money::FromFen(row.Int(3));
  l.costs = Money::FromFen(row.Int(4));
  l.date = static_cast<int>(row.Int(5));
  l.early_sale = row.Int(6) != 0;
  if (!row.IsNull(7)) l.early_sale_reason = ParseEarlySaleReason(row.Bytes(7));
  std::optional<AssetStatus> previous = ParseAssetStatus(row.Bytes(8));
  if (!previous) return Status::Internal("unknown previous status in liquidation row");
  l.previous_status = *previous;
  l.recorded_by = row.Int(9);
  l.recorded_at_ms = row.Int(10);
  l.reversed_by = row.OptionalInt(11);
  l.reversed_at_ms = row.OptionalInt(12);
  return l;
}

StatusOr<std::optional<std::string>> OpenOptional(const ServiceContext& ctx, const char* purpose,
                                                  const SqlRow& row, size_t column) {
  if (row.IsNull(column)) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::string text, ctx.keys->Open(purpose, row.Bytes(column)));
  return std::optional<std::string>(std::move(text));
}

}  // namespace

std::string_view AssetKindName(AssetKind kind) {
  switch (kind) {
    case AssetKind::kFrozenDeposit:
      return "frozen_deposit";
    case AssetKind::kRealEstate:
      return "real_estate";
    case AssetKind::kVehicle:
      return "vehicle";
    case AssetKind::kEquity:
      return "equity";
    case AssetKind::kSecurities:
      return "securities";
    case AssetKind::kCrypto:
      return "crypto";
    case AssetKind::kGoods:
      return "goods";
    case AssetKind::kOther:
      return "other";
  }
  return "other";
}

std::optional<AssetKind> ParseAssetKind(std::string_view name) {
  return ParseName(name, kAllKinds, &AssetKindName);
}

std::string_view AssetSourceName(AssetSource source) {
  switch (source) {
    case AssetSource::kRemainingFunds:
      return "remaining_funds";
    case AssetSource::kProceedsOfFunds:
      return "proceeds_of_funds";
    case AssetSource::kInsiderGains:
      return "insider_gains";
    case AssetSource::kHiddenFunds:
      return "hidden_funds";
    case AssetSource::kFeesAndCommissions:
      return "fees_and_commissions";
    case AssetSource::kOther:
      return "other";
  }
  return "other";
}

std::optional<AssetSource> ParseAssetSource(std::string_view name) {
  return ParseName(name, kAllSources, &AssetSourceName);
}

std::string_view AssetStatusName(AssetStatus status) {
  switch (status) {
    case AssetStatus::kSeized:
      return "seized";
    case AssetStatus::kValued:
      return "valued";
    case AssetStatus::kLiquidated:
      return "liquidated";
    case AssetStatus::kReleased:
      return "released";
  }
  return "released";
}

std::optional<AssetStatus> ParseAssetStatus(std::string_view name) {
  return ParseName(name, kAllStatuses, &AssetStatusName);
}

std::string_view EarlySaleReasonName(EarlySaleReason reason) {
  switch (reason) {
    case EarlySaleReason::kPerishable:
      return "perishable";
    case EarlySaleReason::kDepreciating:
      return "depreciating";
    case EarlySaleReason::kCostlyToKeep:
      return "costly_to_keep";
  }
  return "perishable";
}

std::optional<EarlySaleReason> ParseEarlySaleReason(std::string_view name) {
  return ParseName(name, kAllEarlySaleReasons, &EarlySaleReasonName);
}

bool EarlySaleAllowed(AssetKind kind) {
  switch (kind) {
    case AssetKind::kGoods:
    case AssetKind::kVehicle:
    case AssetKind::kSecurities:
    case AssetKind::kCrypto:
    case AssetKind::kOther:
      return true;
    case AssetKind::kFrozenDeposit:
    case AssetKind::kRealEstate:
    case AssetKind::kEquity:
      return false;
  }
  return false;
}

StatusOr<AssetStatus> NextAssetStatus(AssetStatus from, AssetAction action) {
  const bool open = from == AssetStatus::kSeized || from == AssetStatus::kValued;
  switch (action) {
    case AssetAction::kValue:
      if (open) return AssetStatus::kValued;
      break;
    case AssetAction::kSell:
      if (from == AssetStatus::kValued) return AssetStatus::kLiquidated;
      if (from == AssetStatus::kSeized) {
        return Status::Conflict(
                   "an asset is sold after it is valued (or sold early, 先行处置, when it is "
                   "perishable or depreciating)")
            .WithReason("invalid_transition");
      }
      break;
    case AssetAction::kSellEarly:
    case AssetAction::kTransferDeposit:
      if (open) return AssetStatus::kLiquidated;
      break;
    case AssetAction::kRelease:
      if (open) return AssetStatus::kReleased;
      break;
  }
  return Status::Conflict("the asset is " + std::string(AssetStatusName(from)))
      .WithReason("invalid_transition");
}

StatusOr<AssetInput> ParseAssetInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(
      reader.RejectUnknownKeys({"kind", "description", "source", "holder", "reference"}));
  AssetInput input;
  ASSIGN_OR_RETURN(std::string kind, reader.RequiredString("kind", 32));
  std::optional<AssetKind> parsed_kind = ParseAssetKind(kind);
  if (!parsed_kind) {
    return Status::InvalidArgument("kind",
                                   "must be frozen_deposit, real_estate, vehicle, equity, "
                                   "securities, crypto, goods or other");
  }
  input.kind = *parsed_kind;
  ASSIGN_OR_RETURN(input.description,
                   RequiredText(reader, "description", kMaxAssetDescriptionChars, false));
  ASSIGN_OR_RETURN(std::string source, reader.RequiredString("source", 32));
  std::optional<AssetSource> parsed_source = ParseAssetSource(source);
  if (!parsed_source) {
    return Status::InvalidArgument("source",
                                   "must be remaining_funds, proceeds_of_funds, insider_gains, "
                                   "hidden_funds, fees_and_commissions or other");
  }
  input.source = *parsed_source;
  ASSIGN_OR_RETURN(input.holder, RequiredText(reader, "holder", kMaxAssetHolderChars, true));
  if (reader.Has("reference")) {
    ASSIGN_OR_RETURN(std::string reference,
                     RequiredText(reader, "reference", kMaxAssetReferenceChars, true));
    input.reference = std::move(reference);
  }
  return input;
}

StatusOr<ValuationInput> ParseValuationInput(const Json& body, int today_yyyymmdd) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"amount", "appraiser", "date"}));
  ValuationInput input;
  // A valuation of nothing is possible (a wreck): only a sale must bring money in.
  ASSIGN_OR_RETURN(input.amount, reader.RequiredMoney("amount"));
  ASSIGN_OR_RETURN(input.appraiser, RequiredText(reader, "appraiser", kMaxAppraiserChars, true));
  ASSIGN_OR_RETURN(input.date, PastDate(reader, "date", today_yyyymmdd));
  return input;
}

StatusOr<LiquidationInput> ParseLiquidationInput(const Json& body, int today_yyyymmdd) {
  JsonReader reader(body);
  RETURN_IF_ERROR(
      reader.RejectUnknownKeys({"proceeds", "costs", "date", "early_sale", "early_sale_reason"}));
  LiquidationInput input;
  ASSIGN_OR_RETURN(input.proceeds, PositiveMoney(reader, "proceeds"));
  ASSIGN_OR_RETURN(input.costs, reader.RequiredMoney("costs"));
  ASSIGN_OR_RETURN(input.date, PastDate(reader, "date", today_yyyymmdd));
  if (reader.Has("early_sale")) {
    ASSIGN_OR_RETURN(input.early_sale, reader.RequiredBool("early_sale"));
  }
  if (input.early_sale) {
    ASSIGN_OR_RETURN(std::string reason, reader.RequiredString("early_sale_reason", 32));
    input.early_sale_reason = ParseEarlySaleReason(reason);
    if (!input.early_sale_reason) {
      return Status::InvalidArgument("early_sale_reason",
                                     "must be perishable, depreciating or costly_to_keep");
    }
  } else if (reader.Has("early_sale_reason")) {
    return Status::InvalidArgument("early_sale_reason", "is only for early_sale: true");
  }
  return input;
}

StatusOr<DepositTransferInput> ParseDepositTransferInput(const Json& body, int today_yyyymmdd) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"amount", "date"}));
  DepositTransferInput input;
  ASSIGN_OR_RETURN(input.amount, PositiveMoney(reader, "amount"));
  ASSIGN_OR_RETURN(input.date, PastDate(reader, "date", today_yyyymmdd));
  return input;
}

StatusOr<ReasonInput> ParseReasonInput(const Json& body) {
  JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"reason"}));
  ReasonInput input;
  ASSIGN_OR_RETURN(input.reason, RequiredText(reader, "reason", kMaxAssetReasonChars, false));
  return input;
}

std::string FormatYmdDate(int yyyymmdd) {
  auto two = [](int v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  return std::to_string(yyyymmdd / 10000) + '-' + two(yyyymmdd / 100 % 100) + '-' +
         two(yyyymmdd % 100);
}

StatusOr<AssetRecord> LoadAsset(DbConnection& db, int64_t case_id, int64_t asset_id,
                                bool for_update) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kAssetColumns +
                                              " FROM assets a WHERE a.id = ? AND a.case_id = ?" +
                                              (for_update ? " FOR UPDATE" : ""),
                                          {asset_id, case_id}));
  if (rows.empty()) return NotVisible("asset");
  return AssetFromRow(rows[0]);
}

StatusOr<LiquidationRecord> LoadLiquidation(DbConnection& db, int64_t asset_id,
                                            int64_t liquidation_id, bool for_update) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kLiquidationColumns +
                                              " FROM asset_liquidations WHERE id = ? AND "
                                              "asset_id = ?" +
                                              (for_update ? " FOR UPDATE" : ""),
                                          {liquidation_id, asset_id}));
  if (rows.empty()) return NotVisible("liquidation");
  return LiquidationFromRow(rows[0]);
}

StatusOr<AssetDetail> ReadAsset(DbConnection& db, const ServiceContext& ctx,
                                const Principal& reader, int64_t case_id, int64_t asset_id,
                                const std::string& request_id) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  AssetDetail detail;
  ASSIGN_OR_RETURN(detail.asset, LoadAsset(db, case_id, asset_id, /*for_update=*/false));
  detail.with_personal_data = reader.role == Role::kOfficer || reader.role == Role::kCourt;
  if (detail.with_personal_data) {
    ASSIGN_OR_RETURN(SqlRows sealed, db.Query("SELECT holder_enc, reference_enc, "
                                              "release_reason_enc FROM assets WHERE id = ?",
                                              {asset_id}));
    if (sealed.empty()) return NotVisible("asset");
    ASSIGN_OR_RETURN(detail.holder, OpenOptional(ctx, kAssetHolderPurpose, sealed[0], 0));
    ASSIGN_OR_RETURN(detail.reference, OpenOptional(ctx, kAssetReferencePurpose, sealed[0], 1));
    ASSIGN_OR_RETURN(detail.release_reason,
                     OpenOptional(ctx, kAssetReleaseReasonPurpose, sealed[0], 2));
    RETURN_IF_ERROR(
        LogPersonalDataAccess(db, ctx, reader, case_id, std::nullopt, "asset_holder", request_id));
  }
  ASSIGN_OR_RETURN(SqlRows valuations,
                   db.Query("SELECT id, asset_id, amount_fen, appraiser, valued_on, recorded_by, "
                            "recorded_at_ms FROM asset_valuations WHERE asset_id = ? ORDER BY id "
                            "LIMIT ?",
                            {asset_id, kMaxListedPerAsset}));
  for (const SqlRow& row : valuations) {
    detail.valuations.push_back(ValuationRecord{row.Int(0), row.Int(1), Money::FromFen(row.Int(2)),
                                                row.Bytes(3), static_cast<int>(row.Int(4)),
                                                row.Int(5), row.Int(6)});
  }
  ASSIGN_OR_RETURN(SqlRows liquidations,
                   db.Query(std::string("SELECT ") + kLiquidationColumns +
                                ", reversal_reason_enc FROM asset_liquidations WHERE asset_id = "
                                "? ORDER BY id LIMIT ?",
                            {asset_id, kMaxListedPerAsset}));
  for (const SqlRow& row : liquidations) {
    LiquidationView view;
    ASSIGN_OR_RETURN(view.record, LiquidationFromRow(row));
    if (detail.with_personal_data) {
      ASSIGN_OR_RETURN(view.reversal_reason,
                       OpenOptional(ctx, kLiquidationReversalReasonPurpose, row, 13));
    }
    detail.liquidations.push_back(std::move(view));
  }
  return detail;
}

StatusOr<AssetPage> ListAssets(DbConnection& db, const Principal& reader, int64_t case_id,
                               int page) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  AssetPage out;
  out.page = std::max(page, 1);
  ASSIGN_OR_RETURN(SqlRows count,
                   db.Query("SELECT COUNT(*) FROM assets WHERE case_id = ?", {case_id}));
  out.total = count.empty() ? 0 : count[0].Int(0);
  ASSIGN_OR_RETURN(
      SqlRows rows,
      db.Query(std::string("SELECT ") + kAssetColumns +
                   " FROM assets a WHERE a.case_id = ? ORDER BY a.id LIMIT ? "
                   "OFFSET ?",
               {case_id, kAssetsPageSize, static_cast<int64_t>(out.page - 1) * kAssetsPageSize}));
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(AssetRecord asset, AssetFromRow(row));
    out.assets.push_back(std::move(asset));
  }
  return out;
}

}  // namespace restitution
