// Recovered assets: the request bodies (every field refused by name), the state machine, and
// the lifecycle against a real MariaDB — valuations, sales and early sales, a frozen deposit
// taken in, release, reversal — with the pool balanced after every step, refusals that change
// nothing, sealed personal data, and one ledger entry per change.
#include "service/assets.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "service/accounts.h"
#include "service/asset_lifecycle.h"
#include "service/cases.h"
#include "service/pool.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using Json = nlohmann::json;
using testing::TestDatabase;
using testing::TestKeys;

constexpr int kToday = 20260315;
constexpr int64_t kNowMs = 1773532800000;  // 2026-03-15T00:00:00Z
constexpr char kHolder[] = "张三";
constexpr char kReference[] = "6222020200112233446";

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

Money Yuan(const char* text) { return Must(Money::Parse(text, "test", /*allow_negative=*/true)); }

Json GoodAsset() {
  return {{"kind", "vehicle"},
          {"description", "宝马X5，2019年，白色"},
          {"source", "insider_gains"},
          {"holder", kHolder},
          {"reference", kReference}};
}
Json GoodValuation() {
  return {{"amount", "300000.00"}, {"appraiser", "上海某评估公司"}, {"date", "2026-03-01"}};
}
Json GoodSale() {
  return {{"proceeds", "280000.00"}, {"costs", "5600.00"}, {"date", "2026-03-10"}};
}

std::string Repeat(const std::string& piece, size_t times) {
  std::string text;
  for (size_t i = 0; i < times; ++i) text += piece;
  return text;
}

// The field a body is refused for ("" when it is accepted or refused for another reason).
template <typename Parse>
std::string FieldOf(Parse parse, const Json& body) {
  auto result = parse(body);
  if (result.ok()) return "<accepted>";
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << body.dump();
  return result.status().field();
}

Json With(Json body, const std::string& key, const Json& value) {
  body[key] = value;
  return body;
}
Json Without(Json body, const std::string& key) {
  body.erase(key);
  return body;
}

TEST(AssetVocabularyTest, NamesRoundTrip) {
  for (const char* k : {"frozen_deposit", "real_estate", "vehicle", "equity", "securities",
                        "crypto", "goods", "other"}) {
    ASSERT_TRUE(ParseAssetKind(k).has_value()) << k;
    EXPECT_EQ(AssetKindName(*ParseAssetKind(k)), k);
  }
  for (const char* s : {"remaining_funds", "proceeds_of_funds", "insider_gains", "hidden_funds",
                        "fees_and_commissions", "other"}) {
    ASSERT_TRUE(ParseAssetSource(s).has_value()) << s;
    EXPECT_EQ(AssetSourceName(*ParseAssetSource(s)), s);
  }
  EXPECT_FALSE(ParseAssetKind("cash").has_value());
  EXPECT_FALSE(ParseAssetSource("fines").has_value());
  EXPECT_EQ(FormatYmdDate(20260301), "2026-03-01");
  EXPECT_EQ(FormatYmdDate(19991231), "1999-12-31");
}

TEST(AssetStateTest, TheWholeGraph) {
  using S = AssetStatus;
  using A = AssetAction;
  struct Case {
    S from;
    A action;
    std::optional<S> to;
  };
  const std::vector<Case> cases = {
      {S::kSeized, A::kValue, S::kValued},
      {S::kValued, A::kValue, S::kValued},
      {S::kLiquidated, A::kValue, std::nullopt},
      {S::kReleased, A::kValue, std::nullopt},
      {S::kSeized, A::kSell, std::nullopt},  // a sale needs a valuation
      {S::kValued, A::kSell, S::kLiquidated},
      {S::kLiquidated, A::kSell, std::nullopt},
      {S::kReleased, A::kSell, std::nullopt},
      {S::kSeized, A::kSellEarly, S::kLiquidated},
      {S::kValued, A::kSellEarly, S::kLiquidated},
      {S::kLiquidated, A::kSellEarly, std::nullopt},
      {S::kReleased, A::kSellEarly, std::nullopt},
      {S::kSeized, A::kTransferDeposit, S::kLiquidated},
      {S::kValued, A::kTransferDeposit, S::kLiquidated},
      {S::kLiquidated, A::kTransferDeposit, std::nullopt},
      {S::kReleased, A::kTransferDeposit, std::nullopt},
      {S::kSeized, A::kRelease, S::kReleased},
      {S::kValued, A::kRelease, S::kReleased},
      {S::kLiquidated, A::kRelease, std::nullopt},
      {S::kReleased, A::kRelease, std::nullopt},
  };
  for (const Case& c : cases) {
    StatusOr<S> next = NextAssetStatus(c.from, c.action);
    SCOPED_TRACE(std::string(AssetStatusName(c.from)) + " action " +
                 std::to_string(static_cast<int>(c.action)));
    if (c.to) {
      ASSERT_TRUE(next.ok()) << next.status().ToString();
      EXPECT_EQ(*next, *c.to);
    } else {
      ASSERT_FALSE(next.ok());
      EXPECT_EQ(next.status().code(), StatusCode::kConflict);
      EXPECT_EQ(next.status().reason(), "invalid_transition");
    }
  }
}

TEST(AssetParseTest, AssetBodyEveryField) {
  StatusOr<AssetInput> good = ParseAssetInput(GoodAsset());
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->kind, AssetKind::kVehicle);
  EXPECT_EQ(good->source, AssetSource::kInsiderGains);
  EXPECT_EQ(good->holder, kHolder);
  EXPECT_EQ(*good->reference, kReference);
  EXPECT_FALSE(ParseAssetInput(Without(GoodAsset(), "reference"))->reference.has_value());

  auto field = [](const Json& body) { return FieldOf(&ParseAssetInput, body); };
  for (const char* key : {"kind", "description", "source", "holder"}) {
    EXPECT_EQ(field(Without(GoodAsset(), key)), key);
    EXPECT_EQ(field(With(GoodAsset(), key, 5)), key);
    EXPECT_EQ(field(With(GoodAsset(), key, "")), key);
    EXPECT_EQ(field(With(GoodAsset(), key, "   ")), key);
  }
  EXPECT_EQ(field(With(GoodAsset(), "kind", "cash")), "kind");
  EXPECT_EQ(field(With(GoodAsset(), "source", "fines")), "source");
  EXPECT_EQ(field(With(GoodAsset(), "description", Repeat("车", 1000))), "<accepted>");
  EXPECT_EQ(field(With(GoodAsset(), "description", Repeat("车", 1001))), "description");
  EXPECT_EQ(field(With(GoodAsset(), "holder", Repeat("张", 201))), "holder");
  EXPECT_EQ(field(With(GoodAsset(), "holder", "张\u202e三")), "holder");
  EXPECT_EQ(field(With(GoodAsset(), "holder", "张\n三")), "holder");
  EXPECT_EQ(field(With(GoodAsset(), "reference", "")), "reference");
  EXPECT_EQ(field(With(GoodAsset(), "reference", 6222020200112233446LL)), "reference");
  EXPECT_EQ(field(With(GoodAsset(), "reference", Repeat("1", 101))), "reference");
  EXPECT_EQ(field(With(GoodAsset(), "reference", "62\t22")), "reference");
  EXPECT_EQ(field(With(GoodAsset(), "value", "1.00")), "value");
}

TEST(AssetParseTest, ValuationBodyEveryField) {
  StatusOr<ValuationInput> good = ParseValuationInput(GoodValuation(), kToday);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->amount, Yuan("300000.00"));
  EXPECT_EQ(good->date, 20260301);
  // Today is fine, and so is a valuation of nothing.
  EXPECT_TRUE(ParseValuationInput(With(GoodValuation(), "date", "2026-03-15"), kToday).ok());
  EXPECT_TRUE(ParseValuationInput(With(GoodValuation(), "amount", "0"), kToday).ok());

  auto field = [](const Json& body) {
    return FieldOf([](const Json& b) { return ParseValuationInput(b, kToday); }, body);
  };
  for (const char* key : {"amount", "appraiser", "date"}) {
    EXPECT_EQ(field(Without(GoodValuation(), key)), key);
    EXPECT_EQ(field(With(GoodValuation(), key, nullptr)), key);
  }
  for (const Json& amount : {Json(300000), Json(1.5), Json("-1.00"), Json("1.001"), Json("1e3"),
                             Json("1,000.00"), Json("")}) {
    EXPECT_EQ(field(With(GoodValuation(), "amount", amount)), "amount") << amount.dump();
  }
  EXPECT_EQ(field(With(GoodValuation(), "appraiser", "")), "appraiser");
  EXPECT_EQ(field(With(GoodValuation(), "appraiser", Repeat("评", 201))), "appraiser");
  for (const Json& date : {Json("2026-03-16"), Json("2026-02-30"), Json("2026/03/01"),
                           Json("2026-03-01T00:00:00Z"), Json(20260301)}) {
    EXPECT_EQ(field(With(GoodValuation(), "date", date)), "date") << date.dump();
  }
  EXPECT_EQ(field(With(GoodValuation(), "currency", "CNY")), "currency");
}

TEST(AssetParseTest, LiquidationBodyEveryField) {
  StatusOr<LiquidationInput> good = ParseLiquidationInput(GoodSale(), kToday);
  ASSERT_TRUE(good.ok()) << good.status().ToString();
  EXPECT_EQ(good->proceeds, Yuan("280000.00"));
  EXPECT_EQ(good->costs, Yuan("5600.00"));
  EXPECT_FALSE(good->early_sale);
  EXPECT_FALSE(good->early_sale_reason.has_value());
  StatusOr<LiquidationInput> early = ParseLiquidationInput(
      With(With(GoodSale(), "early_sale", true), "early_sale_reason", "perishable"), kToday);
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  EXPECT_TRUE(early->early_sale);
  EXPECT_EQ(early->early_sale_reason, EarlySaleReason::kPerishable);
  EXPECT_TRUE(ParseLiquidationInput(With(GoodSale(), "early_sale", false), kToday).ok());
  // Costs above proceeds parse: the refusal is a business rule (LiquidateAsset, 422).
  EXPECT_TRUE(ParseLiquidationInput(With(GoodSale(), "costs", "999999.00"), kToday).ok());

  auto field = [](const Json& body) {
    return FieldOf([](const Json& b) { return ParseLiquidationInput(b, kToday); }, body);
  };
  for (const char* key : {"proceeds", "costs", "date"}) {
    EXPECT_EQ(field(Without(GoodSale(), key)), key);
    EXPECT_EQ(field(With(GoodSale(), key, 100)), key);
  }
  EXPECT_EQ(field(With(GoodSale(), "proceeds", "0.00")), "proceeds");
  EXPECT_EQ(field(With(GoodSale(), "proceeds", "-5.00")), "proceeds");
  EXPECT_EQ(field(With(GoodSale(), "costs", "-0.01")), "costs");
  EXPECT_EQ(field(With(GoodSale(), "date", "2027-01-01")), "date");
  EXPECT_EQ(field(With(GoodSale(), "early_sale", "yes")), "early_sale");
  EXPECT_EQ(field(With(GoodSale(), "early_sale", true)), "early_sale_reason");
  EXPECT_EQ(field(With(With(GoodSale(), "early_sale", true), "early_sale_reason", "cheap")),
            "early_sale_reason");
  EXPECT_EQ(field(With(GoodSale(), "early_sale_reason", "perishable")), "early_sale_reason");
  EXPECT_EQ(field(With(GoodSale(), "buyer", "x")), "buyer");
}

TEST(AssetParseTest, DepositTransferAndReasonBodies) {
  const Json good = {{"amount", "1000000.00"}, {"date", "2026-03-14"}};
  StatusOr<DepositTransferInput> input = ParseDepositTransferInput(good, kToday);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->amount, Yuan("1000000.00"));
  auto field = [](const Json& body) {
    return FieldOf([](const Json& b) { return ParseDepositTransferInput(b, kToday); }, body);
  };
  EXPECT_EQ(field(Without(good, "amount")), "amount");
  EXPECT_EQ(field(With(good, "amount", "0")), "amount");
  EXPECT_EQ(field(With(good, "amount", 1000)), "amount");
  EXPECT_EQ(field(Without(good, "date")), "date");
  EXPECT_EQ(field(With(good, "date", "2026-03-16")), "date");
  EXPECT_EQ(field(With(good, "to", "pool")), "to");

  EXPECT_TRUE(ParseReasonInput({{"reason", "案外人财产，法院裁定解除"}}).ok());
  auto reason = [](const Json& body) { return FieldOf(&ParseReasonInput, body); };
  EXPECT_EQ(reason(Json::object()), "reason");
  EXPECT_EQ(reason({{"reason", ""}}), "reason");
  EXPECT_EQ(reason({{"reason", Repeat("解", 2001)}}), "reason");
  EXPECT_EQ(reason({{"reason", "x"}, {"note", "y"}}), "note");
}

class AssetsTest : public ::testing::Test {
 protected:
  AssetsTest() : ctx_(keys_.Context()), db_(tdb_.Connect()) {
    ctx_.clock = [this] { return now_; };
  }

  void SetUp() override {
    admin_ = Staff("admin", "admin");
    officer_ = Staff("officer.a", "officer");
    other_officer_ = Staff("officer.b", "officer");
    court_ = Staff("court.a", "court");
    auditor_ = Staff("auditor.a", "auditor");
    claimant_ = Principal{admin_.user_id + 1000, Role::kClaimant};
    case_ = NewCase("JZ-1");
    other_case_ = NewCase("JZ-2");
    Bind(case_, officer_, "officer");
    Bind(case_, court_, "court");
    Bind(other_case_, other_officer_, "officer");
  }

  template <typename F>
  auto InTx(F&& f) -> decltype(f(std::declval<DbConnection&>())) {
    using Result = decltype(f(std::declval<DbConnection&>()));
    std::optional<Result> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return Status::Ok();
    });
    if (!status.ok()) throw std::runtime_error(status.ToString());
    return std::move(*out);
  }

  // Runs f in a transaction that commits only when f succeeds, as the request executor does.
  template <typename T, typename F>
  StatusOr<T> Tx(F&& f) {
    std::optional<StatusOr<T>> out;
    Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
      out.emplace(f(db));
      return out->ok() ? Status::Ok() : out->status();
    });
    if (!out) return status;
    return std::move(*out);
  }

  Principal Staff(const std::string& username, const std::string& role) {
    UserView user = InTx([&](DbConnection& db) {
      return Must(CreateStaffUser(db, ctx_, 0, username, "staff password 1234", role));
    });
    return Principal{user.id, *ParseRole(role)};
  }

  int64_t NewCase(const std::string& number) {
    CaseInput input;
    input.case_number = number;
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = kNowMs - 86400000LL * 30;
    input.registration_closes_ms = kNowMs + 86400000LL * 365;
    return InTx([&](DbConnection& db) {
      QueuedEntry entry;
      return Must(CreateCase(db, ctx_, admin_, input, &entry)).id;
    });
  }

  void Bind(int64_t case_id, const Principal& staff, const std::string& role) {
    InTx([&](DbConnection& db) {
      QueuedEntry entry;
      Status s = AddCaseMember(db, ctx_, admin_, case_id, staff.user_id, role, &entry);
      if (!s.ok()) throw std::runtime_error(s.ToString());
      return 0;
    });
  }

  StatusOr<AssetChange> Record(const Json& body, const Principal& who, int64_t case_id = 0) {
    AssetInput input = Must(ParseAssetInput(body));
    return Tx<AssetChange>([&](DbConnection& db) {
      return RecordAsset(db, ctx_, who, case_id == 0 ? case_ : case_id, input);
    });
  }
  int64_t NewAsset(const std::string& kind) {
    return Must(Record(With(GoodAsset(), "kind", kind), officer_)).asset.id;
  }
  StatusOr<AssetChange> Value(int64_t asset, const Json& body, const Principal& who) {
    ValuationInput input = Must(ParseValuationInput(body, kToday));
    return Tx<AssetChange>(
        [&](DbConnection& db) { return ValueAsset(db, ctx_, who, case_, asset, input); });
  }
  StatusOr<AssetChange> Sell(int64_t asset, const Json& body, const Principal& who) {
    LiquidationInput input = Must(ParseLiquidationInput(body, kToday));
    return Tx<AssetChange>(
        [&](DbConnection& db) { return LiquidateAsset(db, ctx_, who, case_, asset, input); });
  }
  StatusOr<AssetChange> TakeDeposit(int64_t asset, const char* amount, const Principal& who) {
    DepositTransferInput input =
        Must(ParseDepositTransferInput({{"amount", amount}, {"date", "2026-03-14"}}, kToday));
    return Tx<AssetChange>([&](DbConnection& db) {
      return TransferDepositToPool(db, ctx_, who, case_, asset, input);
    });
  }
  StatusOr<AssetChange> Release(int64_t asset, const Principal& who) {
    ReasonInput input{"案外人李四的财产，法院裁定解除查封"};
    return Tx<AssetChange>(
        [&](DbConnection& db) { return ReleaseAsset(db, ctx_, who, case_, asset, input); });
  }
  StatusOr<AssetChange> Reverse(int64_t asset, int64_t liquidation, const Principal& who) {
    ReasonInput input{"成交价录入错误"};
    return Tx<AssetChange>([&](DbConnection& db) {
      return ReverseLiquidation(db, ctx_, who, case_, asset, liquidation, input);
    });
  }
  StatusOr<AssetDetail> Read(int64_t asset, const Principal& who) {
    return Tx<AssetDetail>(
        [&](DbConnection& db) { return ReadAsset(db, ctx_, who, case_, asset, "req-1"); });
  }

  int64_t Count(const std::string& sql, std::vector<SqlParam> params = {}) {
    return Must(db_->Query(sql, params))[0].Int(0);
  }

  // Queued ledger entries, oldest first (no sequencer runs in these tests).
  std::vector<Json> Entries() {
    std::vector<Json> entries;
    for (const SqlRow& row : Must(db_->Query("SELECT entry FROM ledger_queue ORDER BY id"))) {
      entries.push_back(Json::parse(row.Bytes(0)));
    }
    return entries;
  }
  std::vector<Json> AssetEntries() {
    std::vector<Json> out;
    for (Json& e : Entries()) {
      if (e["type"].get<std::string>().rfind("asset_", 0) == 0) out.push_back(std::move(e));
    }
    return out;
  }

  PoolBalances Balances() { return Must(ReadPoolBalances(*db_, case_, false)); }

  // The pool's invariants from the tables, and the balances rebuilt from the ledger entries'
  // transfers alone (what the replay audit does) equal to the stored ones.
  void ExpectBalanced() {
    const PoolBalances stored = Balances();
    int64_t sum = 0;
    for (size_t i = 0; i < kPoolAccountCount; ++i) {
      sum += stored.balance[i].fen();
      if (static_cast<PoolAccount>(i) != PoolAccount::kRecoveries) {
        EXPECT_FALSE(stored.balance[i].IsNegative()) << i;
      }
    }
    EXPECT_EQ(sum, 0);
    int64_t replayed[kPoolAccountCount] = {};
    for (const Json& e : Entries()) {
      if (e["case"] != case_ || !e["payload"].contains("transfers")) continue;
      for (const PoolTransfer& t : Must(ParseTransfersJson(e["payload"]["transfers"]))) {
        replayed[static_cast<size_t>(t.from)] -= t.amount.fen();
        replayed[static_cast<size_t>(t.to)] += t.amount.fen();
      }
    }
    for (size_t i = 0; i < kPoolAccountCount; ++i) {
      EXPECT_EQ(replayed[i], stored.balance[i].fen())
          << PoolAccountName(static_cast<PoolAccount>(i));
    }
  }

  // Everything a refused change could have touched.
  struct Snapshot {
    int64_t assets_hash = 0;
    int64_t valuations = 0;
    int64_t liquidations = 0;
    int64_t transfers = 0;
    int64_t entries = 0;
    PoolBalances balances;
    bool operator==(const Snapshot& o) const {
      return assets_hash == o.assets_hash && valuations == o.valuations &&
             liquidations == o.liquidations && transfers == o.transfers && entries == o.entries &&
             balances.balance == o.balances.balance;
    }
  };
  Snapshot Take() {
    Snapshot s;
    s.assets_hash = Count(
        "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, status, updated_at_ms, "
        "COALESCE(released_at_ms, 0), COALESCE(HEX(release_reason_enc), '')))), 0) FROM assets");
    s.valuations = Count("SELECT COUNT(*) FROM asset_valuations");
    s.liquidations = Count(
        "SELECT COALESCE(SUM(CRC32(CONCAT_WS('|', id, COALESCE(reversed_at_ms, 0)))), 0) FROM "
        "asset_liquidations");
    s.transfers = Count("SELECT COUNT(*) FROM pool_transfers");
    s.entries = Count("SELECT COUNT(*) FROM ledger_queue");
    s.balances = Balances();
    return s;
  }

  void ExpectRefused(const Status& status, StatusCode code, const std::string& reason,
                     const Snapshot& before) {
    EXPECT_EQ(status.code(), code) << status.ToString();
    if (!reason.empty()) {
      EXPECT_EQ(status.reason(), reason) << status.ToString();
    }
    EXPECT_TRUE(Take() == before) << "a refused change left something behind";
  }

  TestKeys keys_;
  TestDatabase tdb_;
  ServiceContext ctx_;
  std::unique_ptr<DbConnection> db_;
  int64_t now_ = kNowMs;
  Principal admin_, officer_, other_officer_, court_, auditor_, claimant_;
  int64_t case_ = 0;
  int64_t other_case_ = 0;
};

TEST_F(AssetsTest, SeizedValuedSoldWithTheMoneyInThePool) {
  AssetChange recorded = Must(Record(GoodAsset(), officer_));
  const int64_t asset = recorded.asset.id;
  EXPECT_EQ(recorded.asset.status, AssetStatus::kSeized);
  EXPECT_TRUE(recorded.transfers.empty());
  ExpectBalanced();

  // The holder and the reference are sealed at rest and only committed to in the ledger.
  SqlRows row =
      Must(db_->Query("SELECT holder_enc, reference_enc FROM assets WHERE id = ?", {asset}));
  EXPECT_EQ(row[0].Bytes(0).find(kHolder), std::string::npos);
  EXPECT_EQ(row[0].Bytes(1).find(kReference), std::string::npos);
  std::vector<Json> entries = AssetEntries();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["type"], "asset_recorded");
  EXPECT_EQ(entries[0]["case"], case_);
  EXPECT_EQ(entries[0]["actor"]["id"], officer_.user_id);
  EXPECT_EQ(entries[0]["payload"]["asset"], asset);
  EXPECT_EQ(entries[0]["payload"]["kind"], "vehicle");
  EXPECT_EQ(entries[0]["payload"]["source"], "insider_gains");
  EXPECT_EQ(entries[0]["payload"]["status"], "seized");
  EXPECT_EQ(entries[0]["payload"]["holder_commitment"],
            LedgerCommitment(*ctx_.keys, "asset_holder", kHolder));
  EXPECT_EQ(entries[0]["payload"]["reference_commitment"],
            LedgerCommitment(*ctx_.keys, "asset_reference", kReference));
  const std::string bytes = entries[0].dump();
  EXPECT_EQ(bytes.find(kHolder), std::string::npos);
  EXPECT_EQ(bytes.find(kReference), std::string::npos);
  EXPECT_EQ(bytes.find("宝马"), std::string::npos);

  // Two appraisals: the latest counts.
  AssetChange valued = Must(Value(asset, GoodValuation(), officer_));
  EXPECT_EQ(valued.asset.status, AssetStatus::kValued);
  ExpectBalanced();
  AssetChange revalued = Must(Value(asset, With(GoodValuation(), "amount", "290000.00"), officer_));
  EXPECT_EQ(revalued.asset.latest_valuation, Yuan("290000.00"));
  EXPECT_TRUE(Balances().Of(PoolAccount::kPool).IsZero());  // a valuation moves no money
  ExpectBalanced();

  AssetChange sold = Must(Sell(asset, GoodSale(), officer_));
  EXPECT_EQ(sold.asset.status, AssetStatus::kLiquidated);
  ASSERT_TRUE(sold.liquidation.has_value());
  EXPECT_EQ(sold.liquidation->net(), Yuan("274400.00"));
  ASSERT_EQ(sold.transfers.size(), 2u);
  ExpectBalanced();
  PoolBalances b = Balances();
  EXPECT_EQ(b.Of(PoolAccount::kRecoveries), Yuan("-280000.00"));
  EXPECT_EQ(b.Available(), Yuan("274400.00"));
  EXPECT_EQ(b.Of(PoolAccount::kDisposalCosts), Yuan("5600.00"));

  entries = AssetEntries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[1]["type"], "asset_valued");
  EXPECT_EQ(entries[1]["payload"]["amount_fen"], 30000000);
  EXPECT_EQ(entries[1]["payload"]["date"], "2026-03-01");
  EXPECT_EQ(entries[2]["payload"]["amount_fen"], 29000000);
  EXPECT_EQ(entries[3]["type"], "asset_liquidated");
  const Json& p = entries[3]["payload"];
  EXPECT_EQ(p["liquidation"], sold.liquidation->id);
  EXPECT_EQ(p["proceeds_fen"], 28000000);
  EXPECT_EQ(p["costs_fen"], 560000);
  EXPECT_EQ(p["net_fen"], 27440000);
  EXPECT_EQ(p["early_sale"], false);
  EXPECT_TRUE(p["early_sale_reason"].is_null());
  EXPECT_EQ(p["status"], "liquidated");
  EXPECT_EQ(p["transfers"], Json::parse(R"([{"amount":"274400.00","from":"recoveries","to":"pool"},
      {"amount":"5600.00","from":"recoveries","to":"disposal_costs"}])"));
  // The pool's rows point back at the asset, with their kinds.
  SqlRows kinds = Must(db_->Query(
      "SELECT kind, asset_id FROM pool_transfers WHERE case_id = ? ORDER BY id", {case_}));
  ASSERT_EQ(kinds.size(), 2u);
  EXPECT_EQ(kinds[0].Bytes(0), "liquidation");
  EXPECT_EQ(kinds[1].Bytes(0), "disposal_cost");
  EXPECT_EQ(kinds[0].Int(1), asset);

  // The detail, as an officer reads it.
  AssetDetail detail = Must(Read(asset, officer_));
  EXPECT_EQ(*detail.holder, kHolder);
  EXPECT_EQ(*detail.reference, kReference);
  ASSERT_EQ(detail.valuations.size(), 2u);
  EXPECT_EQ(detail.valuations[0].appraiser, "上海某评估公司");
  ASSERT_EQ(detail.liquidations.size(), 1u);
  EXPECT_FALSE(detail.liquidations[0].record.reversed_at_ms.has_value());
}

TEST_F(AssetsTest, InvalidTransitionsAreConflictsAndChangeNothing) {
  const int64_t asset = NewAsset("vehicle");
  Snapshot before = Take();
  // A sale needs a valuation (an early sale does not, but this is not one).
  ExpectRefused(Sell(asset, GoodSale(), officer_).status(), StatusCode::kConflict,
                "invalid_transition", before);
  ASSERT_TRUE(Value(asset, GoodValuation(), officer_).ok());
  const int64_t sale = Must(Sell(asset, GoodSale(), officer_)).liquidation->id;
  before = Take();
  ExpectRefused(Sell(asset, GoodSale(), officer_).status(), StatusCode::kConflict,
                "invalid_transition", before);
  ExpectRefused(Value(asset, GoodValuation(), officer_).status(), StatusCode::kConflict,
                "invalid_transition", before);
  ExpectRefused(Release(asset, officer_).status(), StatusCode::kConflict, "invalid_transition",
                before);

  const int64_t released = NewAsset("goods");
  ASSERT_TRUE(Release(released, officer_).ok());
  ExpectBalanced();
  before = Take();
  ExpectRefused(Release(released, officer_).status(), StatusCode::kConflict, "invalid_transition",
                before);
  ExpectRefused(Value(released, GoodValuation(), officer_).status(), StatusCode::kConflict,
                "invalid_transition", before);
  ExpectRefused(
      Sell(released, With(With(GoodSale(), "early_sale", true), "early_sale_reason", "perishable"),
           officer_)
          .status(),
      StatusCode::kConflict, "invalid_transition", before);

  // A reversal twice, and of a liquidation of another asset.
  ASSERT_TRUE(Reverse(asset, sale, officer_).ok());
  before = Take();
  ExpectRefused(Reverse(asset, sale, officer_).status(), StatusCode::kConflict, "already_reversed",
                before);
  ExpectRefused(Reverse(released, sale, officer_).status(), StatusCode::kNotFound, "", before);
  ExpectBalanced();
}

TEST_F(AssetsTest, BusinessRulesOnKindsAndAmounts) {
  const int64_t house = NewAsset("real_estate");
  const int64_t deposit = NewAsset("frozen_deposit");
  const int64_t fruit = NewAsset("goods");
  ASSERT_TRUE(Value(house, GoodValuation(), officer_).ok());
  const Snapshot before = Take();
  const Json early = With(With(GoodSale(), "early_sale", true), "early_sale_reason", "perishable");
  // Real estate keeps its value: no early sale.
  StatusOr<AssetChange> refused = Sell(house, early, officer_);
  ExpectRefused(refused.status(), StatusCode::kRuleViolated, "early_sale_not_allowed", before);
  EXPECT_EQ(refused.status().field(), "early_sale");
  // A frozen deposit is taken in, not sold; only a frozen deposit is taken in.
  ExpectRefused(Sell(deposit, GoodSale(), officer_).status(), StatusCode::kRuleViolated,
                "deposit_not_sold", before);
  ExpectRefused(TakeDeposit(house, "1.00", officer_).status(), StatusCode::kRuleViolated,
                "not_a_deposit", before);
  // Costs above proceeds.
  StatusOr<AssetChange> losing = Sell(house, With(GoodSale(), "costs", "280000.01"), officer_);
  ExpectRefused(losing.status(), StatusCode::kRuleViolated, "costs_exceed_proceeds", before);
  EXPECT_EQ(losing.status().field(), "costs");

  // Costs equal to proceeds: nothing for the pool, everything to disposal costs.
  AssetChange even = Must(Sell(house, With(GoodSale(), "costs", "280000.00"), officer_));
  ASSERT_EQ(even.transfers.size(), 1u);
  EXPECT_EQ(even.transfers[0].to, PoolAccount::kDisposalCosts);
  EXPECT_TRUE(Balances().Available().IsZero());
  ExpectBalanced();

  // Perishable goods are sold early, straight from seized, flagged in the ledger.
  AssetChange sold_early = Must(Sell(fruit, With(early, "costs", "0"), officer_));
  EXPECT_TRUE(sold_early.liquidation->early_sale);
  ASSERT_EQ(sold_early.transfers.size(), 1u);  // no costs, no cost transfer
  EXPECT_EQ(AssetEntries().back()["payload"]["early_sale_reason"], "perishable");
  EXPECT_EQ(AssetEntries().back()["payload"]["early_sale"], true);
  EXPECT_EQ(Balances().Available(), Yuan("280000.00"));
  ExpectBalanced();

  // The frozen deposit goes straight into the pool.
  AssetChange taken = Must(TakeDeposit(deposit, "1000000.00", officer_));
  EXPECT_EQ(taken.asset.status, AssetStatus::kLiquidated);
  EXPECT_EQ(taken.liquidation->method, "deposit_transfer");
  EXPECT_EQ(AssetEntries().back()["type"], "asset_deposit_transferred");
  EXPECT_EQ(AssetEntries().back()["payload"]["amount_fen"], 100000000);
  EXPECT_EQ(Balances().Available(), Yuan("1280000.00"));
  ExpectBalanced();
}

TEST_F(AssetsTest, AReversalPutsTheMoneyBackOrIsRefused) {
  const int64_t car = NewAsset("vehicle");
  ASSERT_TRUE(Value(car, GoodValuation(), officer_).ok());
  const int64_t wrong = Must(Sell(car, GoodSale(), officer_)).liquidation->id;
  ExpectBalanced();

  AssetChange reversed = Must(Reverse(car, wrong, officer_));
  EXPECT_EQ(reversed.asset.status, AssetStatus::kValued);  // back where it was
  ASSERT_EQ(reversed.transfers.size(), 2u);
  EXPECT_EQ(reversed.transfers[0].from, PoolAccount::kDisposalCosts);
  EXPECT_EQ(reversed.transfers[1].from, PoolAccount::kPool);
  ExpectBalanced();
  PoolBalances b = Balances();
  for (size_t i = 0; i < kPoolAccountCount; ++i) EXPECT_TRUE(b.balance[i].IsZero()) << i;
  Json entry = AssetEntries().back();
  EXPECT_EQ(entry["type"], "asset_liquidation_reversed");
  EXPECT_EQ(entry["payload"]["liquidation"], wrong);
  EXPECT_EQ(entry["payload"]["status"], "valued");
  EXPECT_EQ(entry["payload"]["method"], "sale");
  // Nothing was rewritten: four transfers now, the wrong sale's and their reversal.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pool_transfers WHERE case_id = ?", {case_}), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM asset_liquidations WHERE id = ? AND reversed_at_ms IS "
                  "NOT NULL",
                  {wrong}),
            1);

  // Sold again at the right price; then the pool's money is committed elsewhere and the
  // reversal must be refused, with nothing written.
  const int64_t right =
      Must(Sell(car, With(GoodSale(), "proceeds", "285000.00"), officer_)).liquidation->id;
  ExpectBalanced();
  ASSERT_TRUE(RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
                return ApplyTransfers(
                    db, case_, "distribution_pay", {},
                    {{PoolAccount::kPool, PoolAccount::kPayable, Yuan("100000.00")}}, kNowMs);
              }).ok());
  const Snapshot before = Take();
  StatusOr<AssetChange> refused = Reverse(car, right, officer_);
  ExpectRefused(refused.status(), StatusCode::kRuleViolated, "insufficient_funds", before);
  EXPECT_NE(refused.status().message().find("279400.00"), std::string::npos)
      << refused.status().message();

  AssetDetail detail = Must(Read(car, officer_));
  ASSERT_EQ(detail.liquidations.size(), 2u);
  EXPECT_TRUE(detail.liquidations[0].record.reversed_at_ms.has_value());
  EXPECT_EQ(*detail.liquidations[0].reversal_reason, "成交价录入错误");
  EXPECT_FALSE(detail.liquidations[1].record.reversed_at_ms.has_value());
}

TEST_F(AssetsTest, OnlyTheCasesOfficersChangeAssets) {
  const int64_t asset = NewAsset("goods");
  const Snapshot before = Take();
  for (const Principal& who : {court_, auditor_, admin_, claimant_}) {
    SCOPED_TRACE(std::string(RoleName(who.role)));
    ExpectRefused(Record(GoodAsset(), who).status(), StatusCode::kPermissionDenied, "forbidden",
                  before);
    ExpectRefused(Value(asset, GoodValuation(), who).status(), StatusCode::kPermissionDenied,
                  "forbidden", before);
    ExpectRefused(Release(asset, who).status(), StatusCode::kPermissionDenied, "forbidden", before);
  }
  // An officer of another case finds no such case or asset.
  ExpectRefused(Record(GoodAsset(), other_officer_).status(), StatusCode::kNotFound, "", before);
  ExpectRefused(Value(asset, GoodValuation(), other_officer_).status(), StatusCode::kNotFound, "",
                before);
  ExpectRefused(Release(asset, other_officer_).status(), StatusCode::kNotFound, "", before);
  // The asset is not in the other case, even for that case's officer.
  StatusOr<AssetChange> elsewhere = Tx<AssetChange>([&](DbConnection& db) {
    return ValueAsset(db, ctx_, other_officer_, other_case_, asset,
                      Must(ParseValuationInput(GoodValuation(), kToday)));
  });
  ExpectRefused(elsewhere.status(), StatusCode::kNotFound, "", before);
}

TEST_F(AssetsTest, ReadsByRole) {
  const int64_t asset = NewAsset("securities");
  ASSERT_TRUE(Release(asset, officer_).ok());
  const int64_t pii_before = Count("SELECT COUNT(*) FROM pii_access_log");

  AssetDetail court = Must(Read(asset, court_));
  EXPECT_TRUE(court.with_personal_data);
  EXPECT_EQ(*court.holder, kHolder);
  EXPECT_EQ(*court.release_reason, "案外人李四的财产，法院裁定解除查封");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE user_id = ? AND what = "
                  "'asset_holder'",
                  {court_.user_id}),
            1);
  // Auditors see the asset without the holder, the reference or the reasons, unlogged.
  AssetDetail audit = Must(Read(asset, auditor_));
  EXPECT_FALSE(audit.with_personal_data);
  EXPECT_FALSE(audit.holder.has_value());
  EXPECT_FALSE(audit.reference.has_value());
  EXPECT_FALSE(audit.release_reason.has_value());
  EXPECT_EQ(audit.asset.status, AssetStatus::kReleased);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log"), pii_before + 1);

  for (const Principal& who : {other_officer_, admin_, claimant_}) {
    EXPECT_EQ(Read(asset, who).status().code(), StatusCode::kNotFound) << RoleName(who.role);
    EXPECT_EQ(Tx<AssetPage>([&](DbConnection& db) { return ListAssets(db, who, case_, 1); })
                  .status()
                  .code(),
              StatusCode::kNotFound)
        << RoleName(who.role);
    EXPECT_EQ(Tx<PoolStatement>([&](DbConnection& db) { return ReadCasePool(db, who, case_, 5); })
                  .status()
                  .code(),
              StatusCode::kNotFound)
        << RoleName(who.role);
  }
  for (const Principal& who : {officer_, court_, auditor_}) {
    EXPECT_TRUE(
        Tx<PoolStatement>([&](DbConnection& db) { return ReadCasePool(db, who, case_, 5); }).ok())
        << RoleName(who.role);
  }
  EXPECT_EQ(Read(asset + 1000, officer_).status().code(), StatusCode::kNotFound);
}

TEST_F(AssetsTest, ListIsPagedAndHoldsNoPersonalData) {
  for (int i = 0; i < kAssetsPageSize + 1; ++i) NewAsset(i % 2 == 0 ? "goods" : "crypto");
  AssetPage first =
      Must(Tx<AssetPage>([&](DbConnection& db) { return ListAssets(db, auditor_, case_, 1); }));
  EXPECT_EQ(first.total, kAssetsPageSize + 1);
  ASSERT_EQ(first.assets.size(), static_cast<size_t>(kAssetsPageSize));
  EXPECT_LT(first.assets.front().id, first.assets.back().id);
  AssetPage second =
      Must(Tx<AssetPage>([&](DbConnection& db) { return ListAssets(db, officer_, case_, 2); }));
  ASSERT_EQ(second.assets.size(), 1u);
  EXPECT_GT(second.assets[0].id, first.assets.back().id);
  AssetPage other = Must(Tx<AssetPage>(
      [&](DbConnection& db) { return ListAssets(db, other_officer_, other_case_, 1); }));
  EXPECT_EQ(other.total, 0);
}

}  // namespace
}  // namespace restitution
