// The issue's scenario end to end, over HTTP against a real restitutiond and MariaDB: three
// rounds with a de minimis deferral, a failed payment, a disputed claim resolved between rounds
// and a claim confirmed late. Every figure checked below is worked out by hand in the comments
// (levels 0.25, 0.5 and 0.6, so each share is C × level − P exactly). At the end the auditor's
// `restitutionctl ledger verify --replay` rebuilds all of it from the ledger, against the
// database and over loopback HTTP, and agrees; a database row changed afterwards is
// caught.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "tests/support/ctl_process.h"
#include "tests/support/e2e_fixtures.h"
#include "tests/support/server_process.h"

#ifndef RESTITUTIONCTL_PATH
#error "RESTITUTIONCTL_PATH must name the restitutionctl binary under test"
#endif

namespace restitution::testing {
namespace {

using Json = nlohmann::json;

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr char kOrder[] = "(2026)沪0104执7号";

std::string IdNumber(int sequence) {
  return ResidentIdNumber("310104", "19700101", 200 + sequence);
}

// Paid in `principal`, nothing back: the declared net is the principal.
Json Declaration(const std::string& id_number, const std::string& principal) {
  return testing::Declaration({"李四", "310104", "ls-001", "2024-03-01"}, id_number, principal);
}

int64_t Fen(const std::string& text) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = negative ? text.substr(1) : text;
  const size_t dot = digits.find('.');
  const int64_t value =
      std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
  return negative ? -value : value;
}

class DistributionScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    case_id_ = CreateCase(server_, admin_,
                          WithDistributionTerms(CaseBody("沪JZ-7", "某理财平台案", "310104")));
    ASSERT_GT(case_id_, 0);
    officer_a_ = StaffToken(server_, admin_, "officer.a", kStaffPassword, "officer", case_id_);
    officer_b_ = StaffToken(server_, admin_, "officer.b", kStaffPassword, "officer", case_id_);
    court_ = StaffToken(server_, admin_, "court.a", kStaffPassword, "court", case_id_);
    ASSERT_FALSE(StaffToken(server_, admin_, "auditor.a", kStaffPassword, "auditor").empty());
    alice_ = server_.RegisterClaimant("13900000011", kClaimantPassword);
    bob_ = server_.RegisterClaimant("13900000012", kClaimantPassword);
    ASSERT_FALSE(officer_a_.empty() || officer_b_.empty() || court_.empty());
    ASSERT_FALSE(alice_.empty() || bob_.empty());
  }

  HttpClient client() const { return server_.client(); }
  std::string CasePath() const { return "/api/v1/cases/" + std::to_string(case_id_); }
  std::string ClaimPath(int64_t id) const { return CasePath() + "/claims/" + std::to_string(id); }
  std::string Run(int64_t id, const std::string& suffix = "") const {
    return CasePath() + "/distributions/" + std::to_string(id) + suffix;
  }
  static std::string Ref(int64_t run, int64_t claim) {
    return "R" + std::to_string(run) + "-C" + std::to_string(claim);
  }

  int64_t Declare(int sequence, const std::string& principal, const std::string& token) {
    ClientResponse declared = client().PostJson(CasePath() + "/claims",
                                                Declaration(IdNumber(sequence), principal), token);
    EXPECT_EQ(declared.status, 201) << declared.body;
    return declared.Json().value("id", int64_t{0});
  }

  void Confirm(int64_t claim, const std::string& allowed, bool reduced = false) {
    Json body = {{"allowed_amount", allowed}};
    if (reduced) body["reason"] = "账册核减";
    ClientResponse confirmed = client().PostJson(ClaimPath(claim) + "/confirm", body, officer_a_);
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  }

  // A frozen deposit taken into the pool as it stands.
  void Deposit(const std::string& amount) {
    ClientResponse asset = client().PostJson(CasePath() + "/assets",
                                             {{"kind", "frozen_deposit"},
                                              {"description", "冻结账户余额"},
                                              {"source", "remaining_funds"},
                                              {"holder", "某银行"}},
                                             officer_a_);
    ASSERT_EQ(asset.status, 201) << asset.body;
    ClientResponse moved =
        client().PostJson(CasePath() + "/assets/" + asset.Json()["id"].dump() + "/pool-transfer",
                          {{"amount", amount}, {"date", "2026-01-05"}}, officer_a_);
    ASSERT_EQ(moved.status, 201) << moved.body;
  }

  // A car valued, then sold: the net goes to the pool, the costs to disposal_costs.
  void Sale(const std::string& proceeds, const std::string& costs) {
    ClientResponse asset = client().PostJson(CasePath() + "/assets",
                                             {{"kind", "vehicle"},
                                              {"description", "轿车一辆"},
                                              {"source", "proceeds_of_funds"},
                                              {"holder", "某公司"}},
                                             officer_a_);
    ASSERT_EQ(asset.status, 201) << asset.body;
    const std::string path = CasePath() + "/assets/" + asset.Json()["id"].dump();
    ClientResponse valued = client().PostJson(
        path + "/valuations",
        {{"amount", proceeds}, {"appraiser", "某资产评估公司"}, {"date", "2026-01-10"}},
        officer_a_);
    ASSERT_EQ(valued.status, 201) << valued.body;
    ClientResponse sold = client().PostJson(
        path + "/liquidations", {{"proceeds", proceeds}, {"costs", costs}, {"date", "2026-01-20"}},
        officer_a_);
    ASSERT_EQ(sold.status, 201) << sold.body;
  }

  // The pool's balances in fen, after checking that they add up to zero.
  std::map<std::string, int64_t> Pool() {
    ClientResponse pool = client().Get(CasePath() + "/pool", officer_a_);
    EXPECT_EQ(pool.status, 200) << pool.body;
    std::map<std::string, int64_t> fen;
    int64_t sum = 0;
    const Json body = pool.Json();  // the loop below must not outlive it
    for (const auto& [account, amount] : body["balances"].items()) {
      fen[account] = Fen(amount.get<std::string>());
      sum += fen[account];
    }
    EXPECT_EQ(sum, 0) << pool.body;
    return fen;
  }

  // Draft (A) -> endorse (B) -> approve (court) -> execute (A); the executed run.
  Json DraftAndExecute(const std::string& amount, const std::string& min_payment) {
    ClientResponse drafted =
        client().PostJson(CasePath() + "/distributions",
                          {{"amount", amount}, {"min_payment", min_payment}}, officer_a_);
    EXPECT_EQ(drafted.status, 201) << drafted.body;
    const int64_t id = drafted.Json().value("id", int64_t{0});
    EXPECT_EQ(client().PostJson(Run(id, "/endorse"), Json::object(), officer_b_).status, 200);
    ClientResponse approved =
        client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, court_);
    EXPECT_EQ(approved.status, 200) << approved.body;
    ClientResponse executed = client().PostJson(Run(id, "/execute"), Json::object(), officer_a_);
    EXPECT_EQ(executed.status, 200) << executed.body;
    return executed.Json();
  }

  // claim id -> [pay, reserve, deferred, prior] in fen.
  std::map<int64_t, std::vector<int64_t>> Allocations(int64_t run) {
    ClientResponse page = client().Get(Run(run, "/allocations?page=1"), officer_a_);
    EXPECT_EQ(page.status, 200) << page.body;
    std::map<int64_t, std::vector<int64_t>> out;
    const Json body = page.Json();
    for (const Json& a : body["allocations"]) {
      out[a["claim_id"].get<int64_t>()] = {
          Fen(a["pay"].get<std::string>()), Fen(a["reserve"].get<std::string>()),
          Fen(a["deferred"].get<std::string>()), Fen(a["prior"].get<std::string>())};
    }
    return out;
  }

  ClientResponse Results(int64_t run, const Json& results) {
    return client().PostJson(Run(run, "/payment-results"), {{"results", results}}, officer_a_);
  }

  Json Statement(int64_t claim, const std::string& token) {
    ClientResponse statement = client().Get(ClaimPath(claim) + "/statement", token);
    EXPECT_EQ(statement.status, 200) << statement.body;
    return statement.Json();
  }

  std::map<std::string, std::string> DatabaseEnv() { return CtlDatabaseEnv(server_); }

  ServerProcess server_;
  TempDir scratch_;
  std::string admin_, officer_a_, officer_b_, court_, alice_, bob_;
  int64_t case_id_ = 0;
};

TEST_F(DistributionScenarioTest, ThreeRoundsByHandThenTheReplayAuditAgrees) {
  // The claims (yuan):  A 4,000 confirmed   B 6,000 confirmed (Bob's; his bank bounces it)
  //   C paid in 8,000, confirmed at 5,000, objects asking for 8,000: disputed, C = 8,000
  //   D 200 confirmed (small: below the minimum payment M = 100 at a low level)
  //   E declared 10,000 now, confirmed only after round 1 (late)
  const int64_t a = Declare(1, "4000.00", alice_);
  Confirm(a, "4000.00");
  const int64_t b = Declare(2, "6000.00", bob_);
  Confirm(b, "6000.00");
  const int64_t c = Declare(3, "8000.00", alice_);
  Confirm(c, "5000.00", /*reduced=*/true);
  ClientResponse objected =
      client().PostJson(ClaimPath(c) + "/objections",
                        {{"reason", "核减有误"}, {"requested_amount", "8000.00"}}, alice_);
  ASSERT_EQ(objected.status, 201) << objected.body;
  const int64_t objection = objected.Json()["objection"]["id"].get<int64_t>();
  const int64_t d = Declare(4, "200.00", alice_);
  Confirm(d, "200.00");
  const int64_t e = Declare(5, "10000.00", alice_);

  // ---- Round 1: A = 4,550.00, M = 100.00 ----
  // ΣC = 4,000 + 6,000 + 8,000 + 200 = 18,200, ΣP = 0. Level r with 18,200 r = 4,550: r = 0.25.
  // Shares C × 0.25: A 1,000, B 1,500, C 2,000 (disputed: reserved), D 50 (< M: deferred).
  // paid 2,500 + reserved 2,000 + deferred 50 = 4,550. Ratio (0 + 2,500 + 2,000) / 18,200 =
  // 0.2472527… → "0.247252".
  Deposit("5000.00");
  const Json r1 = DraftAndExecute("4550.00", "100.00");
  const int64_t run1 = r1["id"].get<int64_t>();
  EXPECT_EQ(r1["round"], 1);
  EXPECT_EQ(r1["pool_before"], "5000.00");
  EXPECT_EQ(r1["level"], "0.250000");
  EXPECT_EQ(r1["ratio"], "0.247252");
  EXPECT_EQ(r1["totals"]["paid"], "2500.00");
  EXPECT_EQ(r1["totals"]["reserved"], "2000.00");
  EXPECT_EQ(r1["totals"]["deferred"], "50.00");
  EXPECT_EQ(r1["totals"]["surplus"], "0.00");
  EXPECT_EQ(r1["counts"]["claims"], 4);  // E is not confirmed yet
  EXPECT_EQ(r1["counts"]["paid"], 2);
  EXPECT_EQ(r1["counts"]["reserved"], 1);
  EXPECT_EQ(r1["counts"]["deferred"], 1);
  std::map<int64_t, std::vector<int64_t>> alloc = Allocations(run1);
  using V = std::vector<int64_t>;  // pay, reserve, deferred, prior (fen)
  EXPECT_EQ(alloc[a], (V{100000, 0, 0, 0}));
  EXPECT_EQ(alloc[b], (V{150000, 0, 0, 0}));
  EXPECT_EQ(alloc[c], (V{0, 200000, 0, 0}));
  EXPECT_EQ(alloc[d], (V{0, 0, 5000, 0}));
  EXPECT_EQ(alloc.count(e), 0u);
  // Pool: 5,000 in; 2,500 to payable, 2,000 to reserve; 500 left.
  std::map<std::string, int64_t> pool = Pool();
  EXPECT_EQ(pool["recoveries"], -500000);
  EXPECT_EQ(pool["pool"], 50000);
  EXPECT_EQ(pool["payable"], 250000);
  EXPECT_EQ(pool["reserve"], 200000);
  EXPECT_EQ(pool["paid"], 0);

  // The bank: A paid; B's 1,500 bounces and goes back to the pool (and to B's outstanding).
  ClientResponse results1 = Results(
      run1, {{{"reference", Ref(run1, a)}, {"status", "paid"}},
             {{"reference", Ref(run1, b)}, {"status", "failed"}, {"reason", "账户已冻结"}}});
  ASSERT_EQ(results1.status, 200) << results1.body;
  EXPECT_EQ(results1.Json()["reconciled"], true);
  pool = Pool();
  EXPECT_EQ(pool["pool"], 200000);  // 500 + 1,500
  EXPECT_EQ(pool["payable"], 0);
  EXPECT_EQ(pool["paid"], 100000);
  EXPECT_EQ(pool["reserve"], 200000);

  // ---- Between the rounds ----
  // C's objection is resolved at 7,000. At the level reached (0.25) it has earned 1,750 of the
  // 2,000 held: 1,750 reserve -> payable (paid with the next batch), 250 back to the pool.
  ClientResponse resolved = client().PostJson(
      ClaimPath(c) + "/objections/" + std::to_string(objection) + "/resolve",
      {{"outcome", "adjusted"}, {"allowed_amount", "7000.00"}, {"note", "部分采纳"}}, officer_a_);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  // E is confirmed late, at 10,000.
  Confirm(e, "10000.00");
  pool = Pool();
  EXPECT_EQ(pool["pool"], 225000);  // 2,000 + 250
  EXPECT_EQ(pool["reserve"], 0);
  EXPECT_EQ(pool["payable"], 175000);

  // ---- Round 2: A = 10,850.00, M = 100.00 ----
  // C: A 4,000, B 6,000, C 7,000, D 200, E 10,000: ΣC = 27,200.
  // P: A 1,000 (paid), B 0 (its payment failed), C 1,750 (released), D 0, E 0: ΣP = 2,750.
  // Level 0.5: A 2,000 − 1,000 = 1,000; B 3,000; C 3,500 − 1,750 = 1,750; D 100 (= M: paid, only
  // below M is deferred); E 5,000. Σ = 10,850 = A exactly. Ratio (2,750 + 10,850) / 27,200 = 0.5.
  Deposit("8600.00");  // pool 2,250 + 8,600 = 10,850
  const Json r2 = DraftAndExecute("10850.00", "100.00");
  const int64_t run2 = r2["id"].get<int64_t>();
  EXPECT_EQ(r2["round"], 2);
  EXPECT_EQ(r2["pool_before"], "10850.00");
  EXPECT_EQ(r2["level"], "0.500000");
  EXPECT_EQ(r2["ratio"], "0.500000");
  EXPECT_EQ(r2["totals"]["paid"], "10850.00");
  EXPECT_EQ(r2["totals"]["reserved"], "0.00");
  EXPECT_EQ(r2["totals"]["deferred"], "0.00");
  EXPECT_EQ(r2["counts"]["claims"], 5);
  EXPECT_EQ(r2["counts"]["paid"], 5);
  alloc = Allocations(run2);
  EXPECT_EQ(alloc[a], (V{100000, 0, 0, 100000}));
  EXPECT_EQ(alloc[b], (V{300000, 0, 0, 0}));
  EXPECT_EQ(alloc[c], (V{175000, 0, 0, 175000}));
  EXPECT_EQ(alloc[d], (V{10000, 0, 0, 0}));
  EXPECT_EQ(alloc[e], (V{500000, 0, 0, 0}));
  // The batch: five round lines and C's released 1,750: 12,600 in payable.
  pool = Pool();
  EXPECT_EQ(pool["pool"], 0);
  EXPECT_EQ(pool["payable"], 1260000);
  ClientResponse csv = client().Get(Run(run2, "/payments.csv"), officer_a_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["x-rows"], "6");
  EXPECT_EQ(csv.headers["x-total"], "12600.00");
  const Json sc_before = Statement(c, alice_);
  ASSERT_EQ(sc_before["releases"].size(), 1u) << sc_before.dump();
  const std::string release_ref = sc_before["releases"][0]["payment"]["reference"];
  EXPECT_EQ(release_ref.rfind(Ref(run2, c) + "-V", 0), 0u) << release_ref;
  Json all_paid = Json::array({{{"reference", release_ref}, {"status", "paid"}}});
  for (int64_t claim : {a, b, c, d, e}) {
    all_paid.push_back({{"reference", Ref(run2, claim)}, {"status", "paid"}});
  }
  ClientResponse results2 = Results(run2, all_paid);
  ASSERT_EQ(results2.status, 200) << results2.body;
  EXPECT_EQ(results2.Json()["reconciled"], true);
  pool = Pool();
  EXPECT_EQ(pool["payable"], 0);
  EXPECT_EQ(pool["paid"], 1360000);  // 1,000 + 12,600

  // ---- Round 3: A = 2,720.00, M = 100.00 ----
  // Everyone stands at 0.5 (P: A 2,000, B 3,000, C 3,500, D 100, E 5,000; ΣP = 13,600). A =
  // 2,720 = 0.1 × 27,200 lifts the level to 0.6: each share is a tenth of C — A 400, B 600,
  // C 700, E 1,000, and D 20, below M: deferred. paid 2,700 + deferred 20 = 2,720.
  // Ratio (13,600 + 2,700) / 27,200 = 0.5992647… → "0.599264".
  Sale("3000.00", "280.00");  // net 2,720 to the pool, 280 to disposal_costs
  const Json r3 = DraftAndExecute("2720.00", "100.00");
  const int64_t run3 = r3["id"].get<int64_t>();
  EXPECT_EQ(r3["round"], 3);
  EXPECT_EQ(r3["pool_before"], "2720.00");
  EXPECT_EQ(r3["level"], "0.600000");
  EXPECT_EQ(r3["ratio"], "0.599264");
  EXPECT_EQ(r3["totals"]["paid"], "2700.00");
  EXPECT_EQ(r3["totals"]["deferred"], "20.00");
  EXPECT_EQ(r3["totals"]["surplus"], "0.00");
  EXPECT_EQ(r3["counts"]["paid"], 4);
  EXPECT_EQ(r3["counts"]["deferred"], 1);
  alloc = Allocations(run3);
  EXPECT_EQ(alloc[a], (V{40000, 0, 0, 200000}));
  EXPECT_EQ(alloc[b], (V{60000, 0, 0, 300000}));
  EXPECT_EQ(alloc[c], (V{70000, 0, 0, 350000}));
  EXPECT_EQ(alloc[d], (V{0, 0, 2000, 10000}));
  EXPECT_EQ(alloc[e], (V{100000, 0, 0, 500000}));
  // Recovered 5,000 + 8,600 + 3,000 = 16,600 = pool 20 + payable 2,700 + paid 13,600 + costs 280.
  pool = Pool();
  EXPECT_EQ(pool["recoveries"], -1660000);
  EXPECT_EQ(pool["pool"], 2000);
  EXPECT_EQ(pool["payable"], 270000);
  EXPECT_EQ(pool["paid"], 1360000);
  EXPECT_EQ(pool["reserve"], 0);
  EXPECT_EQ(pool["disposal_costs"], 28000);

  // ---- Statements ----
  // B: failed 1,500, paid 3,000, pending 600. Sent and not returned: 3,600 = 0.6 × 6,000.
  const Json sb = Statement(b, bob_);
  EXPECT_EQ(sb["recognised"], "6000.00");
  ASSERT_EQ(sb["rounds"].size(), 3u) << sb.dump();
  EXPECT_EQ(sb["rounds"][0]["status"], "failed");
  EXPECT_EQ(sb["rounds"][0]["amount"], "1500.00");
  EXPECT_EQ(sb["rounds"][1]["status"], "paid");
  EXPECT_EQ(sb["rounds"][1]["amount"], "3000.00");
  EXPECT_EQ(sb["rounds"][2]["status"], "pending");
  EXPECT_EQ(sb["rounds"][2]["amount"], "600.00");
  EXPECT_EQ(sb["cumulative_paid"], "3600.00");
  EXPECT_EQ(sb["paid"], "3000.00");
  EXPECT_EQ(sb["cumulative_ratio"], "0.600000");
  EXPECT_EQ(sb["remaining"], "2400.00");
  // C: reserved 2,000 in round 1 (1,750 released and paid), 1,750 in round 2, 700 pending:
  // 4,200 = 0.6 × 7,000.
  const Json sc = Statement(c, alice_);
  EXPECT_EQ(sc["recognised"], "7000.00");
  ASSERT_EQ(sc["rounds"].size(), 3u) << sc.dump();
  EXPECT_EQ(sc["rounds"][0]["status"], "reserved");
  EXPECT_EQ(sc["rounds"][0]["amount"], "2000.00");
  EXPECT_EQ(sc["rounds"][1]["amount"], "1750.00");
  EXPECT_EQ(sc["rounds"][2]["amount"], "700.00");
  EXPECT_EQ(sc["releases"][0]["payable"], "1750.00");
  EXPECT_EQ(sc["releases"][0]["returned_to_pool"], "250.00");
  EXPECT_EQ(sc["releases"][0]["payment"]["status"], "paid");
  EXPECT_EQ(sc["cumulative_paid"], "4200.00");
  EXPECT_EQ(sc["cumulative_ratio"], "0.600000");
  EXPECT_EQ(sc["remaining"], "2800.00");
  // D: deferred 50, paid 100, deferred 20: 100 of 200.
  const Json sd = Statement(d, alice_);
  ASSERT_EQ(sd["rounds"].size(), 3u) << sd.dump();
  EXPECT_EQ(sd["rounds"][0]["status"], "deferred");
  EXPECT_EQ(sd["rounds"][0]["amount"], "50.00");
  EXPECT_EQ(sd["rounds"][1]["status"], "paid");
  EXPECT_EQ(sd["rounds"][2]["status"], "deferred");
  EXPECT_EQ(sd["rounds"][2]["amount"], "20.00");
  EXPECT_EQ(sd["cumulative_paid"], "100.00");
  EXPECT_EQ(sd["cumulative_ratio"], "0.500000");
  EXPECT_EQ(sd["remaining"], "100.00");
  // E, confirmed late: caught up to 0.5 in round 2 at once, then 0.6: 6,000 of 10,000.
  const Json se = Statement(e, alice_);
  ASSERT_EQ(se["rounds"].size(), 2u) << se.dump();
  EXPECT_EQ(se["rounds"][0]["round"], 2);
  EXPECT_EQ(se["rounds"][0]["amount"], "5000.00");
  EXPECT_EQ(se["rounds"][1]["amount"], "1000.00");
  EXPECT_EQ(se["cumulative_paid"], "6000.00");
  EXPECT_EQ(se["cumulative_ratio"], "0.600000");
  EXPECT_EQ(se["remaining"], "4000.00");

  // ---- The replay audit agrees, from the database and over HTTP ----
  CtlResult database = RunCtlProcess(RESTITUTIONCTL_PATH, {"ledger", "verify", "--replay"},
                                     DatabaseEnv(), scratch_.path());
  EXPECT_EQ(database.exit_code, 0) << database.out << database.err;
  EXPECT_NE(database.out.find("ledger verify: OK"), std::string::npos) << database.out;
  EXPECT_NE(database.out.find("3 of 3 runs recomputed"), std::string::npos) << database.out;

  ClientResponse key = client().Get("/api/v1/ledger/key");
  ASSERT_EQ(key.status, 200);
  {
    std::ofstream(scratch_.path() + "/password") << kStaffPassword << "\n";
    std::ofstream(scratch_.path() + "/keys") << key.body;
  }
  const std::vector<std::string> remote_args = {
      "ledger",
      "verify",
      "--replay",
      "--url",
      "http://127.0.0.1:" + std::to_string(server_.port()),
      "--username",
      "auditor.a",
      "--password-file",
      scratch_.path() + "/password",
      "--key-file",
      scratch_.path() + "/keys"};
  CtlResult remote = RunCtlProcess(RESTITUTIONCTL_PATH, remote_args, {}, scratch_.path());
  EXPECT_EQ(remote.exit_code, 0) << remote.out << remote.err;
  EXPECT_NE(remote.out.find("3 of 3 runs recomputed"), std::string::npos) << remote.out;

  // A row changed behind the ledger's back: E's round-3 pay, one fen more.
  ASSERT_TRUE(server_.database()
                  .Connect()
                  ->Exec("UPDATE distribution_allocations SET pay_fen = pay_fen + 1 WHERE "
                         "run_id = ? AND claim_id = ?",
                         {run3, e})
                  .ok());
  CtlResult tampered = RunCtlProcess(RESTITUTIONCTL_PATH, {"ledger", "verify", "--replay"},
                                     DatabaseEnv(), scratch_.path());
  EXPECT_EQ(tampered.exit_code, 1) << tampered.out << tampered.err;
  EXPECT_NE(tampered.out.find("FAILED at index"), std::string::npos) << tampered.out;
  EXPECT_NE(tampered.out.find("replay: distribution_allocations: the database disagrees"),
            std::string::npos)
      << tampered.out;
}

}  // namespace
}  // namespace restitution::testing
