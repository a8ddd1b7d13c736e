// End-to-end: recovered assets and the case's refund pool over HTTP against a real restitutiond
// and MariaDB — an officer records, values, sells, takes a frozen deposit in, releases and
// reverses; the pool's balances are checked after every step (and always add up to zero); each
// role gets exactly the access it should; every change is on the ledger.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "tests/support/e2e_fixtures.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

using Json = nlohmann::json;

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr char kHolder[] = "张三";
constexpr char kReference[] = "6222020200112233446";

bool HasReceipt(const ClientResponse& response) {
  const Json json = response.Json();
  return json.is_object() && json.contains("receipt") &&
         json["receipt"]["ledger_index"].is_number_unsigned();
}

// "1234.56" or "-1234.56" in fen.
int64_t Fen(const Json& money) {
  std::string text = money.get<std::string>();
  const bool negative = !text.empty() && text[0] == '-';
  if (negative) text = text.substr(1);
  const size_t dot = text.find('.');
  int64_t fen = std::stoll(text.substr(0, dot)) * 100;
  if (dot != std::string::npos) fen += std::stoll((text.substr(dot + 1) + "00").substr(0, 2));
  return negative ? -fen : fen;
}

Json Vehicle() {
  return {{"kind", "vehicle"},
          {"description", "宝马X5，2019年，白色"},
          {"source", "insider_gains"},
          {"holder", kHolder},
          {"reference", kReference}};
}

Json With(Json body, const std::string& key, const Json& value) {
  body[key] = value;
  return body;
}

class AssetsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    case_id_ = NewCase("JZ-1");
    other_case_id_ = NewCase("JZ-2");
    officer_ = StaffToken("officer.a", "officer", case_id_);
    other_officer_ = StaffToken("officer.c", "officer", other_case_id_);
    court_ = StaffToken("court.a", "court", case_id_);
    auditor_ = StaffToken("auditor.a", "auditor", 0);
    claimant_ = server_.RegisterClaimant("13900000001", kClaimantPassword);
    ASSERT_FALSE(claimant_.empty());
  }

  int64_t NewCase(const std::string& number) {
    return CreateCase(server_, admin_, CaseBody(number, "某某案", "110105"));
  }

  std::string StaffToken(const std::string& username, const std::string& role, int64_t case_id) {
    return testing::StaffToken(server_, admin_, username, kStaffPassword, role, case_id);
  }

  std::string Assets(int64_t case_id = 0) const {
    return "/api/v1/cases/" + std::to_string(case_id == 0 ? case_id_ : case_id) + "/assets";
  }
  std::string Pool(int64_t case_id = 0) const {
    return "/api/v1/cases/" + std::to_string(case_id == 0 ? case_id_ : case_id) + "/pool";
  }

  // Records an asset as the officer; returns its path.
  std::string NewAsset(const Json& body) {
    ClientResponse created = client().PostJson(Assets(), body, officer_);
    EXPECT_EQ(created.status, 201) << created.body;
    EXPECT_TRUE(HasReceipt(created)) << created.body;
    return Assets() + "/" + created.Json()["id"].dump();
  }

  // The pool as the officer sees it, after checking that its accounts add up to zero and that
  // recovered, reserved and available agree with the balances.
  Json PoolNow() {
    ClientResponse pool = client().Get(Pool(), officer_);
    EXPECT_EQ(pool.status, 200) << pool.body;
    const Json body = pool.Json();
    int64_t sum = 0;
    for (const auto& [account, balance] : body["balances"].items()) {
      sum += Fen(balance);
      if (account != "recoveries") {
        EXPECT_GE(Fen(balance), 0) << account;
      }
    }
    EXPECT_EQ(body["balances"].size(), 6u);
    EXPECT_EQ(sum, 0) << pool.body;
    EXPECT_EQ(Fen(body["recovered"]), -Fen(body["balances"]["recoveries"]));
    EXPECT_EQ(body["available"], body["balances"]["pool"]);
    EXPECT_EQ(body["reserved"], body["balances"]["reserve"]);
    return body;
  }

  Json LedgerEntries() {
    ClientResponse entries = client().Get("/api/v1/ledger/entries?limit=1000", auditor_);
    EXPECT_EQ(entries.status, 200) << entries.body;
    Json list = Json::array();
    const Json body = entries.Json();
    for (const auto& e : body["entries"]) list.push_back(e["entry"]);
    return list;
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_, officer_, other_officer_, court_, auditor_, claimant_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
};

TEST_F(AssetsHttpTest, LifecycleWithThePoolAfterEveryStep) {
  Json pool = PoolNow();
  EXPECT_EQ(pool["available"], "0.00");
  EXPECT_EQ(pool["recent_transfers"], Json::array());

  // Seized.
  const std::string car = NewAsset(Vehicle());
  EXPECT_EQ(PoolNow()["available"], "0.00");

  // Valued twice.
  ClientResponse valued = client().PostJson(
      car + "/valuations",
      {{"amount", "300000.00"}, {"appraiser", "上海某评估公司"}, {"date", "2026-03-01"}}, officer_);
  ASSERT_EQ(valued.status, 201) << valued.body;
  EXPECT_EQ(valued.Json()["status"], "valued");
  EXPECT_TRUE(HasReceipt(valued));
  ClientResponse revalued = client().PostJson(
      car + "/valuations",
      {{"amount", "290000.00"}, {"appraiser", "上海某评估公司"}, {"date", "2026-03-05"}}, officer_);
  ASSERT_EQ(revalued.status, 201) << revalued.body;
  EXPECT_EQ(revalued.Json()["latest_valuation"], "290000.00");
  EXPECT_EQ(PoolNow()["available"], "0.00");

  // Sold: the net into the pool, the costs to disposal costs.
  ClientResponse sold = client().PostJson(
      car + "/liquidations",
      {{"proceeds", "280000.00"}, {"costs", "5600.00"}, {"date", "2026-03-10"}}, officer_);
  ASSERT_EQ(sold.status, 201) << sold.body;
  EXPECT_EQ(sold.Json()["status"], "liquidated");
  EXPECT_EQ(sold.Json()["liquidation"]["net"], "274400.00");
  EXPECT_EQ(sold.Json()["transfers"].size(), 2u);
  EXPECT_TRUE(HasReceipt(sold));
  const std::string sale = car + "/liquidations/" + sold.Json()["liquidation"]["id"].dump();
  pool = PoolNow();
  EXPECT_EQ(pool["available"], "274400.00");
  EXPECT_EQ(pool["recovered"], "280000.00");
  EXPECT_EQ(pool["balances"]["disposal_costs"], "5600.00");
  EXPECT_EQ(pool["reserved"], "0.00");
  ASSERT_EQ(pool["recent_transfers"].size(), 2u);
  EXPECT_EQ(pool["recent_transfers"][0]["kind"], "disposal_cost");
  EXPECT_EQ(pool["recent_transfers"][1]["kind"], "liquidation");
  EXPECT_EQ(pool["recent_transfers"][1]["amount"], "274400.00");

  // A frozen deposit taken in as it stands.
  const std::string deposit = NewAsset({{"kind", "frozen_deposit"},
                                        {"description", "冻结账户余额"},
                                        {"source", "remaining_funds"},
                                        {"holder", "中国工商银行上海分行"},
                                        {"reference", "1001234509000012345"}});
  ClientResponse taken = client().PostJson(
      deposit + "/pool-transfer", {{"amount", "1000000.00"}, {"date", "2026-03-12"}}, officer_);
  ASSERT_EQ(taken.status, 201) << taken.body;
  EXPECT_EQ(taken.Json()["status"], "liquidated");
  EXPECT_EQ(PoolNow()["available"], "1274400.00");

  // Perishable goods sold early, straight from seized.
  const std::string fruit = NewAsset({{"kind", "goods"},
                                      {"description", "冷库水果一批"},
                                      {"source", "proceeds_of_funds"},
                                      {"holder", "某冷链公司"}});
  ClientResponse early = client().PostJson(fruit + "/liquidations",
                                           {{"proceeds", "8000.00"},
                                            {"costs", "0"},
                                            {"date", "2026-03-02"},
                                            {"early_sale", true},
                                            {"early_sale_reason", "perishable"}},
                                           officer_);
  ASSERT_EQ(early.status, 201) << early.body;
  EXPECT_EQ(early.Json()["liquidation"]["early_sale"], true);
  EXPECT_EQ(PoolNow()["available"], "1282400.00");

  // A third party's house released: no money moves.
  const std::string house = NewAsset({{"kind", "real_estate"},
                                      {"description", "某小区3号楼1201室"},
                                      {"source", "hidden_funds"},
                                      {"holder", "李四"}});
  ClientResponse released =
      client().PostJson(house + "/release", {{"reason", "案外人财产，法院裁定解除查封"}}, officer_);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(released.Json()["status"], "released");
  EXPECT_EQ(released.Json()["transfers"], Json::array());
  EXPECT_EQ(PoolNow()["available"], "1282400.00");

  // Invalid transitions: 409, nothing moves.
  EXPECT_EQ(client().PostJson(house + "/release", {{"reason", "again"}}, officer_).status, 409);
  ClientResponse again =
      client().PostJson(car + "/liquidations",
                        {{"proceeds", "1.00"}, {"costs", "0"}, {"date", "2026-03-10"}}, officer_);
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.ErrorCode(), "invalid_transition");
  // Business rules: 422.
  ClientResponse losing = client().PostJson(NewAsset(Vehicle()) + "/liquidations",
                                            {{"proceeds", "1.00"},
                                             {"costs", "2.00"},
                                             {"date", "2026-03-10"},
                                             {"early_sale", true},
                                             {"early_sale_reason", "depreciating"}},
                                            officer_);
  EXPECT_EQ(losing.status, 422) << losing.body;
  EXPECT_EQ(losing.ErrorCode(), "costs_exceed_proceeds");
  EXPECT_EQ(losing.ErrorField(), "costs");
  // Bad input: 400 naming the field.
  ClientResponse number =
      client().PostJson(car + "/valuations",
                        {{"amount", 300000}, {"appraiser", "x"}, {"date", "2026-03-01"}}, officer_);
  EXPECT_EQ(number.status, 400);
  EXPECT_EQ(number.ErrorField(), "amount");
  ClientResponse kind = client().PostJson(Assets(), With(Vehicle(), "kind", "cash"), officer_);
  EXPECT_EQ(kind.status, 400);
  EXPECT_EQ(kind.ErrorField(), "kind");
  EXPECT_EQ(PoolNow()["available"], "1282400.00");

  // The wrong sale reversed: the money leaves the pool again, the car is valued once more.
  ClientResponse reversed =
      client().PostJson(sale + "/reversal", {{"reason", "成交价录入错误"}}, officer_);
  ASSERT_EQ(reversed.status, 200) << reversed.body;
  EXPECT_EQ(reversed.Json()["status"], "valued");
  EXPECT_TRUE(HasReceipt(reversed));
  pool = PoolNow();
  EXPECT_EQ(pool["available"], "1008000.00");
  EXPECT_EQ(pool["balances"]["disposal_costs"], "0.00");
  EXPECT_EQ(pool["recovered"], "1008000.00");
  EXPECT_EQ(client().PostJson(sale + "/reversal", {{"reason", "again"}}, officer_).status, 409);

  // The detail: the officer sees the holder, the auditor does not.
  ClientResponse detail = client().Get(car, officer_);
  ASSERT_EQ(detail.status, 200) << detail.body;
  EXPECT_EQ(detail.Json()["holder"], kHolder);
  EXPECT_EQ(detail.Json()["reference"], kReference);
  EXPECT_EQ(detail.Json()["valuations"].size(), 2u);
  ASSERT_EQ(detail.Json()["liquidations"].size(), 1u);
  EXPECT_EQ(detail.Json()["liquidations"][0]["reversed"], true);
  EXPECT_EQ(detail.Json()["liquidations"][0]["reversal_reason"], "成交价录入错误");
  ClientResponse audited = client().Get(car, auditor_);
  ASSERT_EQ(audited.status, 200) << audited.body;
  EXPECT_FALSE(audited.Json().contains("holder"));
  EXPECT_FALSE(audited.Json().contains("reference"));
  EXPECT_EQ(audited.body.find(kHolder), std::string::npos);
  EXPECT_FALSE(audited.Json()["liquidations"][0].contains("reversal_reason"));

  ClientResponse list = client().Get(Assets(), court_);
  ASSERT_EQ(list.status, 200) << list.body;
  EXPECT_EQ(list.Json()["total"], 5);
  EXPECT_EQ(list.body.find(kHolder), std::string::npos);
  EXPECT_EQ(client().Get(Assets() + "?page=0", court_).status, 400);

  // The ledger: every change, no holder or reference in clear, the pool rebuilt from the
  // entries' transfers equal to what the pool says.
  const Json entries = LedgerEntries();
  std::map<std::string, int> types;
  std::map<std::string, int64_t> replayed;
  for (const Json& e : entries) {
    const std::string type = e["type"];
    if (type.rfind("asset_", 0) != 0) continue;
    ++types[type];
    EXPECT_EQ(e["case"], case_id_);
    EXPECT_EQ(e.dump().find(kHolder), std::string::npos);
    EXPECT_EQ(e.dump().find(kReference), std::string::npos);
    if (!e["payload"].contains("transfers")) continue;
    for (const Json& t : e["payload"]["transfers"]) {
      replayed[t["from"]] -= Fen(t["amount"]);
      replayed[t["to"]] += Fen(t["amount"]);
    }
  }
  EXPECT_EQ(types["asset_recorded"], 5);
  EXPECT_EQ(types["asset_valued"], 2);
  EXPECT_EQ(types["asset_liquidated"], 2);
  EXPECT_EQ(types["asset_deposit_transferred"], 1);
  EXPECT_EQ(types["asset_released"], 1);
  EXPECT_EQ(types["asset_liquidation_reversed"], 1);
  for (const auto& [account, balance] : pool["balances"].items()) {
    EXPECT_EQ(replayed[account], Fen(balance)) << account;
  }
}

// Who may do what. Writes: the case's officers only (other roles 403, officers of other cases
// 404). Reads: the case's officers and court users and auditors (claimants, admins and other
// cases' officers 404).
TEST_F(AssetsHttpTest, AuthorizationMatrix) {
  const std::string asset = NewAsset(Vehicle());
  struct Who {
    const char* name;
    std::string token;
    int write;  // expected status of a write
    int read;   // expected status of a read
  };
  const std::vector<Who> everyone = {
      {"officer", officer_, 201, 200},   {"court", court_, 403, 200},
      {"auditor", auditor_, 403, 200},   {"admin", admin_, 403, 404},
      {"claimant", claimant_, 403, 404}, {"other case officer", other_officer_, 404, 404},
      {"nobody", "", 401, 401}};
  for (const Who& who : everyone) {
    SCOPED_TRACE(who.name);
    ClientResponse record = client().PostJson(Assets(), Vehicle(), who.token);
    EXPECT_EQ(record.status, who.write) << record.body;
    ClientResponse value = client().PostJson(
        asset + "/valuations", {{"amount", "1.00"}, {"appraiser", "x"}, {"date", "2026-03-01"}},
        who.token);
    EXPECT_EQ(value.status, who.write) << value.body;
    EXPECT_EQ(client().Get(Assets(), who.token).status, who.read);
    EXPECT_EQ(client().Get(asset, who.token).status, who.read);
    ClientResponse pool = client().Get(Pool(), who.token);
    EXPECT_EQ(pool.status, who.read) << pool.body;
  }
  // Writes the officer alone may make, refused to the others.
  for (const Who& who : everyone) {
    if (who.write == 201) continue;
    SCOPED_TRACE(who.name);
    EXPECT_EQ(client().PostJson(asset + "/release", {{"reason", "x"}}, who.token).status,
              who.write);
    EXPECT_EQ(
        client()
            .PostJson(asset + "/liquidations",
                      {{"proceeds", "1.00"}, {"costs", "0"}, {"date", "2026-03-10"}}, who.token)
            .status,
        who.write);
  }
  // The other case's officer sees their own (empty) pool, and not this asset through it.
  EXPECT_EQ(client().Get(Pool(other_case_id_), other_officer_).status, 200);
  EXPECT_EQ(
      client().Get(Assets(other_case_id_) + asset.substr(asset.rfind('/')), other_officer_).status,
      404);
  // Nothing any refused caller tried moved money or changed the asset.
  EXPECT_EQ(PoolNow()["available"], "0.00");
  ClientResponse detail = client().Get(asset, officer_);
  EXPECT_EQ(detail.Json()["status"], "valued");  // the officer's own valuation only
  EXPECT_EQ(detail.Json()["valuations"].size(), 1u);
}

}  // namespace
}  // namespace restitution::testing
