// End-to-end: distribution runs over HTTP against a real restitutiond and MariaDB — draft, four
// eyes and the court, execute once, the bank's file and results, a failed payment paid in the
// next round, a disputed claim's reserve released on resolution, the claim's statement, the
// public view and who may do what. The pool's accounts are checked to add up to zero after
// every step that moves money.
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
constexpr char kOrder[] = "(2026)沪0104执1号";

std::string IdNumber(int sequence) {
  return ResidentIdNumber("110105", "19650312", 100 + sequence);
}

// Paid in `principal`, nothing back: the declared net is the principal.
Json Declaration(const std::string& id_number, const std::string& principal) {
  return testing::Declaration({"张三", "110105", "zs-001", "2024-01-15"}, id_number, principal);
}

class DistributionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    case_id_ = NewCase("JZ-1");
    other_case_id_ = NewCase("JZ-2");
    officer_a_ = Staff("officer.a", "officer", case_id_);
    officer_b_ = Staff("officer.b", "officer", case_id_);
    other_officer_ = Staff("officer.c", "officer", other_case_id_);
    court_ = Staff("court.a", "court", case_id_);
    other_court_ = Staff("court.b", "court", other_case_id_);
    auditor_ = Staff("auditor.a", "auditor", 0);
    alice_ = server_.RegisterClaimant("13900000001", kClaimantPassword);
    bob_ = server_.RegisterClaimant("13900000002", kClaimantPassword);
    ASSERT_FALSE(alice_.empty());
    ASSERT_FALSE(bob_.empty());
  }

  HttpClient client() const { return server_.client(); }

  int64_t NewCase(const std::string& number) {
    return CreateCase(server_, admin_, WithDistributionTerms(CaseBody(number, "某某案", "110105")));
  }

  std::string Staff(const std::string& username, const std::string& role, int64_t case_id) {
    return StaffToken(server_, admin_, username, kStaffPassword, role, case_id);
  }

  std::string CasePath(int64_t case_id = 0) const {
    return "/api/v1/cases/" + std::to_string(case_id == 0 ? case_id_ : case_id);
  }
  std::string Runs() const { return CasePath() + "/distributions"; }
  std::string Run(int64_t id, const std::string& suffix = "") const {
    return Runs() + "/" + std::to_string(id) + suffix;
  }

  // A claim of person `sequence` declared by `filer` and confirmed at `allowed` (principal
  // `principal`, default the allowed amount); returns its id.
  int64_t ConfirmedClaim(int sequence, const std::string& allowed, const std::string& token = "",
                         const std::string& principal = "") {
    ClientResponse declared =
        client().PostJson(CasePath() + "/claims",
                          Declaration(IdNumber(sequence), principal.empty() ? allowed : principal),
                          token.empty() ? alice_ : token);
    EXPECT_EQ(declared.status, 201) << declared.body;
    const int64_t id = declared.Json().value("id", int64_t{0});
    Json body = {{"allowed_amount", allowed}};
    if (!principal.empty()) body["reason"] = "账册核减";
    ClientResponse confirmed = client().PostJson(ClaimPath(id) + "/confirm", body, officer_a_);
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    return id;
  }
  std::string ClaimPath(int64_t id) const { return CasePath() + "/claims/" + std::to_string(id); }

  // Money into the pool: a frozen deposit taken in as it is.
  void Fund(const std::string& amount) {
    ClientResponse asset = client().PostJson(CasePath() + "/assets",
                                             {{"kind", "frozen_deposit"},
                                              {"description", "冻结存款"},
                                              {"source", "remaining_funds"},
                                              {"holder", "某银行"}},
                                             officer_a_);
    ASSERT_EQ(asset.status, 201) << asset.body;
    ClientResponse moved =
        client().PostJson(CasePath() + "/assets/" + asset.Json()["id"].dump() + "/pool-transfer",
                          {{"amount", amount}, {"date", "2026-01-05"}}, officer_a_);
    ASSERT_EQ(moved.status, 201) << moved.body;
  }

  // The pool's balances in fen, after checking that they add up to zero.
  std::map<std::string, int64_t> Pool() {
    ClientResponse pool = client().Get(CasePath() + "/pool", officer_a_);
    EXPECT_EQ(pool.status, 200) << pool.body;
    std::map<std::string, int64_t> fen;
    int64_t sum = 0;
    const Json body = pool.Json();
    for (const auto& [account, amount] : body["balances"].items()) {
      const std::string text = amount.get<std::string>();
      const bool negative = text[0] == '-';
      const std::string digits = negative ? text.substr(1) : text;
      const size_t dot = digits.find('.');
      int64_t value = std::stoll(digits.substr(0, dot)) * 100 + std::stoll(digits.substr(dot + 1));
      if (negative) value = -value;
      fen[account] = value;
      sum += value;
    }
    EXPECT_EQ(sum, 0) << pool.body;
    return fen;
  }

  // Draft -> endorse (B) -> approve (court) -> execute (A); the executed run.
  Json DraftAndExecute(const std::string& amount, const std::string& min_payment = "0") {
    ClientResponse drafted =
        client().PostJson(Runs(), {{"amount", amount}, {"min_payment", min_payment}}, officer_a_);
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

  std::map<int64_t, Json> Allocations(int64_t run_id) {
    ClientResponse page = client().Get(Run(run_id, "/allocations?page=1"), officer_a_);
    EXPECT_EQ(page.status, 200) << page.body;
    std::map<int64_t, Json> out;
    const Json body = page.Json();
    for (const Json& a : body["allocations"]) out[a["claim_id"].get<int64_t>()] = a;
    return out;
  }

  ClientResponse Results(int64_t run_id, const Json& results) {
    return client().PostJson(Run(run_id, "/payment-results"), {{"results", results}}, officer_a_);
  }
  static std::string Ref(int64_t run_id, int64_t claim_id) {
    return "R" + std::to_string(run_id) + "-C" + std::to_string(claim_id);
  }

  ServerProcess server_;
  std::string admin_, officer_a_, officer_b_, other_officer_, court_, other_court_, auditor_;
  std::string alice_, bob_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
};

TEST_F(DistributionsTest, FourEyesCourtExecuteOncePaymentsAndTheNextRound) {
  const int64_t c1 = ConfirmedClaim(1, "10000.00");
  const int64_t c2 = ConfirmedClaim(2, "20000.00", bob_);
  const int64_t c3 = ConfirmedClaim(3, "30000.00");
  Fund("30000.00");
  EXPECT_EQ(Pool()["pool"], 3000000);

  // More than the pool holds is refused.
  ClientResponse too_much =
      client().PostJson(Runs(), {{"amount", "30000.01"}, {"min_payment", "0"}}, officer_a_);
  EXPECT_EQ(too_much.status, 422) << too_much.body;
  EXPECT_EQ(too_much.ErrorCode(), "insufficient_funds");
  EXPECT_EQ(
      client().PostJson(Runs(), {{"amount", 300}, {"min_payment", "0"}}, officer_a_).ErrorField(),
      "amount");

  ClientResponse drafted =
      client().PostJson(Runs(), {{"amount", "30000.00"}, {"min_payment", "0"}}, officer_a_);
  ASSERT_EQ(drafted.status, 201) << drafted.body;
  const Json run = drafted.Json();
  const int64_t id = run["id"].get<int64_t>();
  EXPECT_EQ(run["status"], "drafted");
  EXPECT_EQ(run["totals"]["paid"], "30000.00");
  EXPECT_EQ(run["totals"]["surplus"], "0.00");
  EXPECT_EQ(run["counts"]["claims"], 3);
  EXPECT_EQ(run["counts"]["paid"], 3);
  EXPECT_EQ(run["level"], "0.500000");
  EXPECT_EQ(run["ratio"], "0.500000");
  EXPECT_EQ(run["stale"], false);
  EXPECT_TRUE(run["receipt"]["leaf_hash"].is_string()) << drafted.body;
  std::map<int64_t, Json> alloc = Allocations(id);
  EXPECT_EQ(alloc[c1]["pay"], "5000.00");
  EXPECT_EQ(alloc[c2]["pay"], "10000.00");
  EXPECT_EQ(alloc[c3]["pay"], "15000.00");

  // One active run per case.
  EXPECT_EQ(
      client().PostJson(Runs(), {{"amount", "1.00"}, {"min_payment", "0"}}, officer_a_).ErrorCode(),
      "active_run");
  // Nothing moves without a second officer and the court.
  EXPECT_EQ(client().PostJson(Run(id, "/execute"), Json::object(), officer_a_).status, 409);
  EXPECT_EQ(client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, court_).status,
            409);
  ClientResponse same = client().PostJson(Run(id, "/endorse"), Json::object(), officer_a_);
  EXPECT_EQ(same.status, 403) << same.body;
  EXPECT_EQ(same.ErrorCode(), "same_officer");
  ClientResponse endorsed = client().PostJson(Run(id, "/endorse"), Json::object(), officer_b_);
  ASSERT_EQ(endorsed.status, 200) << endorsed.body;
  EXPECT_EQ(endorsed.Json()["status"], "endorsed");
  EXPECT_EQ(client().PostJson(Run(id, "/execute"), Json::object(), officer_a_).status, 409);
  for (const char* bad : {"2026沪0104执1号", "(26)沪0104执1号", "(2026)沪0104执1", "(2026)号",
                          "(2026) 沪0104执1号"}) {
    ClientResponse refused =
        client().PostJson(Run(id, "/approve"), {{"order_reference", bad}}, court_);
    EXPECT_EQ(refused.status, 400) << bad;
    EXPECT_EQ(refused.ErrorField(), "order_reference") << bad;
  }
  // An officer is not the court.
  EXPECT_EQ(
      client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, officer_b_).status,
      403);
  ClientResponse approved =
      client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, court_);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.Json()["order_reference"], kOrder);

  ClientResponse executed = client().PostJson(Run(id, "/execute"), Json::object(), officer_a_);
  ASSERT_EQ(executed.status, 200) << executed.body;
  EXPECT_EQ(executed.Json()["status"], "executed");
  EXPECT_EQ(executed.Json()["round"], 1);
  EXPECT_EQ(executed.Json()["pool_before"], "30000.00");
  std::map<std::string, int64_t> pool = Pool();
  EXPECT_EQ(pool["pool"], 0);
  EXPECT_EQ(pool["payable"], 3000000);
  // Execute twice pays once.
  ClientResponse again = client().PostJson(Run(id, "/execute"), Json::object(), officer_a_);
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.ErrorCode(), "already_executed");
  EXPECT_EQ(Pool(), pool);
  EXPECT_EQ(client().PostJson(Run(id, "/cancel"), Json::object(), officer_a_).status, 409);

  // The bank's file: BOM, header, one line per payment, formula-safe.
  ClientResponse csv = client().Get(Run(id, "/payments.csv"), officer_a_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.body.rfind("\xEF\xBB\xBF", 0), 0u);
  EXPECT_NE(csv.body.find("payee_name,bank,account,amount,reference\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find("张三,中国工商银行,6222020200112233446,5000.00," + Ref(id, c1) + "\r\n"),
            std::string::npos)
      << csv.body;
  EXPECT_NE(csv.body.find(",10000.00," + Ref(id, c2) + "\r\n"), std::string::npos);
  EXPECT_NE(csv.body.find(",15000.00," + Ref(id, c3) + "\r\n"), std::string::npos);
  EXPECT_EQ(csv.headers["x-rows"], "3");
  EXPECT_FALSE(csv.headers["x-ledger-leaf-hash"].empty());
  // The court sees the batch without the payees' personal data.
  ClientResponse court_csv = client().Get(Run(id, "/payments.csv"), court_);
  ASSERT_EQ(court_csv.status, 200);
  EXPECT_EQ(court_csv.body.find("6222020200112233446"), std::string::npos);
  EXPECT_NE(court_csv.body.find(",,,5000.00," + Ref(id, c1)), std::string::npos);

  // The bank's answers: c2's account is closed.
  ClientResponse results =
      Results(id, {{{"reference", Ref(id, c1)}, {"status", "paid"}},
                   {{"reference", Ref(id, c2)}, {"status", "failed"}, {"reason", "账户已销户"}}});
  ASSERT_EQ(results.status, 200) << results.body;
  EXPECT_EQ(results.Json()["applied"], 2);
  EXPECT_EQ(results.Json()["open_lines"], 1);
  pool = Pool();
  EXPECT_EQ(pool["paid"], 500000);
  EXPECT_EQ(pool["payable"], 1500000);
  EXPECT_EQ(pool["pool"], 1000000);  // the failed payment is back
  // The same answer again changes nothing; a paid line cannot fail afterwards.
  ClientResponse repeat = Results(id, {{{"reference", Ref(id, c1)}, {"status", "paid"}}});
  EXPECT_EQ(repeat.status, 200);
  EXPECT_EQ(repeat.Json()["unchanged"], 1);
  EXPECT_EQ(Results(id, {{{"reference", Ref(id, c1)}, {"status", "failed"}, {"reason", "x"}}})
                .ErrorCode(),
            "result_recorded");
  EXPECT_EQ(Results(id, {{{"reference", "R999-C1"}, {"status", "paid"}}}).ErrorField(),
            "results[0].reference");
  EXPECT_EQ(Results(id, {{{"reference", Ref(id, c3)}, {"status", "failed"}}}).ErrorField(),
            "results[0].reason");

  // Round 2 cannot be approved while round 1 is not reconciled.
  ClientResponse draft2 =
      client().PostJson(Runs(), {{"amount", "10000.00"}, {"min_payment", "0"}}, officer_a_);
  ASSERT_EQ(draft2.status, 201) << draft2.body;
  const int64_t id2 = draft2.Json()["id"].get<int64_t>();
  // The failed payment is owed again: c2 alone is below the level and gets all of it.
  alloc = Allocations(id2);
  EXPECT_EQ(alloc[c2]["prior"], "0.00");
  EXPECT_EQ(alloc[c2]["pay"], "10000.00");
  EXPECT_EQ(alloc[c1]["pay"], "0.00");
  EXPECT_EQ(alloc[c3]["prior"], "15000.00");
  EXPECT_EQ(draft2.Json()["ratio"], "0.500000");
  ASSERT_EQ(client().PostJson(Run(id2, "/endorse"), Json::object(), officer_b_).status, 200);
  ClientResponse blocked =
      client().PostJson(Run(id2, "/approve"), {{"order_reference", kOrder}}, court_);
  EXPECT_EQ(blocked.status, 409);
  EXPECT_EQ(blocked.ErrorCode(), "unreconciled");
  ASSERT_EQ(Results(id, {{{"reference", Ref(id, c3)}, {"status", "paid"}}}).Json()["reconciled"],
            true);
  ASSERT_EQ(client().PostJson(Run(id2, "/approve"), {{"order_reference", kOrder}}, court_).status,
            200);
  ASSERT_EQ(client().PostJson(Run(id2, "/execute"), Json::object(), officer_a_).status, 200);
  pool = Pool();
  EXPECT_EQ(pool["pool"], 0);
  EXPECT_EQ(pool["payable"], 1000000);
  EXPECT_EQ(pool["paid"], 2000000);

  // Bob's statement: round 1 failed, round 2 pending, each with its receipt.
  ClientResponse statement = client().Get(ClaimPath(c2) + "/statement", bob_);
  ASSERT_EQ(statement.status, 200) << statement.body;
  const Json s = statement.Json();
  EXPECT_EQ(s["recognised"], "20000.00");
  ASSERT_EQ(s["rounds"].size(), 2u) << statement.body;
  EXPECT_EQ(s["rounds"][0]["status"], "failed");
  EXPECT_EQ(s["rounds"][0]["amount"], "10000.00");
  EXPECT_EQ(s["rounds"][1]["status"], "pending");
  EXPECT_EQ(s["rounds"][1]["reference"], Ref(id2, c2));
  EXPECT_TRUE(s["rounds"][1]["receipt"]["leaf_hash"].is_string());
  EXPECT_TRUE(s["rounds"][1]["allocation_receipt"]["leaf_hash"].is_string());
  EXPECT_EQ(s["cumulative_paid"], "10000.00");
  EXPECT_EQ(s["paid"], "0.00");
  EXPECT_EQ(s["cumulative_ratio"], "0.500000");
  EXPECT_EQ(s["remaining"], "10000.00");
  // Staff and auditors read it too; another claimant and the admin find nothing.
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", court_).status, 200);
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", auditor_).status, 200);
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", alice_).status, 404);
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", admin_).status, 404);
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", other_officer_).status, 404);

  // The public view: every executed round with its ratio, no personal data, no login.
  ClientResponse public_view = client().Get(Runs() + "/public");
  ASSERT_EQ(public_view.status, 200) << public_view.body;
  const Json rounds = public_view.Json()["rounds"];
  ASSERT_EQ(rounds.size(), 2u);
  EXPECT_EQ(rounds[0]["round"], 1);
  EXPECT_EQ(rounds[0]["pool_before"], "30000.00");
  EXPECT_EQ(rounds[0]["amount"], "30000.00");
  EXPECT_EQ(rounds[0]["ratio"], "0.500000");
  EXPECT_EQ(rounds[0]["number_paid"], 3);
  EXPECT_EQ(rounds[0]["reserved"], "0.00");
  EXPECT_EQ(rounds[1]["pool_before"], "10000.00");
  EXPECT_EQ(rounds[1]["number_paid"], 1);
  EXPECT_EQ(public_view.body.find("张三"), std::string::npos);
  EXPECT_EQ(client().Get(CasePath(999999) + "/distributions/public").status, 404);
}

TEST_F(DistributionsTest, ADraftGoesStaleWhenTheClaimsChange) {
  ConfirmedClaim(1, "10000.00");
  Fund("5000.00");
  ClientResponse drafted =
      client().PostJson(Runs(), {{"amount", "5000.00"}, {"min_payment", "0"}}, officer_a_);
  ASSERT_EQ(drafted.status, 201) << drafted.body;
  const int64_t id = drafted.Json()["id"].get<int64_t>();
  ConfirmedClaim(2, "10000.00");
  ClientResponse endorse = client().PostJson(Run(id, "/endorse"), Json::object(), officer_b_);
  EXPECT_EQ(endorse.status, 409);
  EXPECT_EQ(endorse.ErrorCode(), "stale");
  EXPECT_EQ(client().Get(Run(id), officer_a_).Json()["stale"], true);
  ClientResponse cancelled = client().PostJson(Run(id, "/cancel"), Json::object(), officer_b_);
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(cancelled.Json()["status"], "cancelled");
  EXPECT_EQ(client().PostJson(Run(id, "/cancel"), Json::object(), officer_b_).status, 409);

  // Re-drafted over both claims, with a de minimis threshold nobody reaches.
  ClientResponse redrafted =
      client().PostJson(Runs(), {{"amount", "5000.00"}, {"min_payment", "2500.01"}}, officer_a_);
  ASSERT_EQ(redrafted.status, 201) << redrafted.body;
  EXPECT_EQ(redrafted.Json()["counts"]["claims"], 2);
  EXPECT_EQ(redrafted.Json()["counts"]["deferred"], 2);
  EXPECT_EQ(redrafted.Json()["totals"]["deferred"], "5000.00");
  EXPECT_EQ(redrafted.Json()["totals"]["paid"], "0.00");
  EXPECT_EQ(redrafted.Json()["stale"], false);
  ClientResponse list = client().Get(Runs(), auditor_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json()["distributions"].size(), 2u);
}

TEST_F(DistributionsTest, ADisputedClaimsReserveIsReleasedOnResolution) {
  const int64_t c1 = ConfirmedClaim(1, "10000.00");
  // Paid in 20,000.00, confirmed at 10,000.00; the claimant objects and asks for all of it.
  const int64_t c2 = ConfirmedClaim(2, "10000.00", bob_, "20000.00");
  ClientResponse objected =
      client().PostJson(ClaimPath(c2) + "/objections",
                        {{"reason", "少算了"}, {"requested_amount", "20000.00"}}, bob_);
  ASSERT_EQ(objected.status, 201) << objected.body;
  const int64_t objection = objected.Json()["objection"]["id"].get<int64_t>();
  Fund("15000.00");

  // C = 10,000 + 20,000 (in dispute): the level 0.5 pays c1 5,000 and holds 10,000 for c2.
  const Json run = DraftAndExecute("15000.00");
  const int64_t id = run["id"].get<int64_t>();
  EXPECT_EQ(run["totals"]["reserved"], "10000.00");
  EXPECT_EQ(run["counts"]["reserved"], 1);
  std::map<int64_t, Json> alloc = Allocations(id);
  EXPECT_EQ(alloc[c2]["claim_status"], "disputed");
  EXPECT_EQ(alloc[c2]["recognised"], "20000.00");
  EXPECT_EQ(alloc[c2]["reserve"], "10000.00");
  std::map<std::string, int64_t> pool = Pool();
  EXPECT_EQ(pool["reserve"], 1000000);
  EXPECT_EQ(pool["payable"], 500000);
  EXPECT_EQ(client().Get(ClaimPath(c2) + "/statement", bob_).Json()["rounds"][0]["status"],
            "reserved");

  // Adjusted to 16,000.00: at the level 0.5 it has earned 8,000.00; 2,000.00 goes back.
  ClientResponse resolved = client().PostJson(
      ClaimPath(c2) + "/objections/" + std::to_string(objection) + "/resolve",
      {{"outcome", "adjusted"}, {"allowed_amount", "16000.00"}, {"note", "部分采纳"}}, officer_a_);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  pool = Pool();
  EXPECT_EQ(pool["reserve"], 0);
  EXPECT_EQ(pool["payable"], 1300000);
  EXPECT_EQ(pool["pool"], 200000);
  const Json statement = client().Get(ClaimPath(c2) + "/statement", bob_).Json();
  ASSERT_EQ(statement["releases"].size(), 1u) << statement.dump();
  EXPECT_EQ(statement["releases"][0]["payable"], "8000.00");
  EXPECT_EQ(statement["releases"][0]["returned_to_pool"], "2000.00");
  EXPECT_EQ(statement["cumulative_paid"], "8000.00");
  EXPECT_EQ(statement["recognised"], "16000.00");

  // The next round: c1 is at 5,000 of 10,000, c2 at 8,000 of 16,000. The level r with
  // 10,000r − 5,000 + 16,000r − 8,000 = 2,000 is 15/26: c1 769.230…, c2 1,230.769…; the
  // leftover fen goes to c2's larger fraction.
  ASSERT_EQ(Results(id, {{{"reference", Ref(id, c1)}, {"status", "paid"}}}).status, 200);
  const Json run2 = DraftAndExecute("2000.00");
  const int64_t id2 = run2["id"].get<int64_t>();
  alloc = Allocations(id2);
  EXPECT_EQ(alloc[c1]["pay"], "769.23");
  EXPECT_EQ(alloc[c2]["pay"], "1230.77");
  EXPECT_EQ(alloc[c2]["prior"], "8000.00");
  EXPECT_EQ(run2["level"], "0.576923");
  // The released 8,000.00 is paid with this batch.
  ClientResponse csv = client().Get(Run(id2, "/payments.csv"), officer_a_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.headers["x-rows"], "3") << csv.body;
  EXPECT_NE(csv.body.find(",8000.00," + Ref(id2, c2) + "-V"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.headers["x-total"], "10000.00");
  pool = Pool();
  EXPECT_EQ(pool["pool"], 0);
  EXPECT_EQ(pool["payable"], 1000000);
  EXPECT_EQ(pool["paid"], 500000);
}

// The issue's scenario, by hand: three rounds with a de minimis deferral, a failed payment, a
// disputed claim resolved between rounds and a claim confirmed late. Every level below is a
// round number, so each share is C × level − P exactly.
TEST_F(DistributionsTest, ThreeRoundsByHand) {
  const int64_t a = ConfirmedClaim(1, "10000.00");
  const int64_t b = ConfirmedClaim(2, "20000.00", bob_);
  const int64_t c = ConfirmedClaim(3, "20000.00", "", "30000.00");
  const int64_t d = ConfirmedClaim(4, "100.00");
  ClientResponse objected =
      client().PostJson(ClaimPath(c) + "/objections",
                        {{"reason", "少算了"}, {"requested_amount", "30000.00"}}, alice_);
  ASSERT_EQ(objected.status, 201) << objected.body;
  const int64_t objection = objected.Json()["objection"]["id"].get<int64_t>();
  // E is declared now but confirmed only after round 1.
  ClientResponse declared_e =
      client().PostJson(CasePath() + "/claims", Declaration(IdNumber(5), "40000.00"), alice_);
  ASSERT_EQ(declared_e.status, 201) << declared_e.body;
  const int64_t e = declared_e.Json()["id"].get<int64_t>();

  // Round 1: C = 10,000 + 20,000 + 30,000 (in dispute) + 100 = 60,100; A = 30,050 is level
  // 0.5. D's 50.00 is below M = 60.00 and deferred; C's 15,000.00 is reserved.
  Fund("30050.00");
  const Json r1 = DraftAndExecute("30050.00", "60.00");
  const int64_t id1 = r1["id"].get<int64_t>();
  EXPECT_EQ(r1["level"], "0.500000");
  EXPECT_EQ(r1["ratio"], "0.499168");  // (0 + 15,000 + 15,000) / 60,100
  EXPECT_EQ(r1["totals"]["paid"], "15000.00");
  EXPECT_EQ(r1["totals"]["reserved"], "15000.00");
  EXPECT_EQ(r1["totals"]["deferred"], "50.00");
  EXPECT_EQ(r1["counts"]["claims"], 4);
  std::map<std::string, int64_t> pool = Pool();
  EXPECT_EQ(pool["pool"], 5000);
  EXPECT_EQ(pool["payable"], 1500000);
  EXPECT_EQ(pool["reserve"], 1500000);
  // A is paid, B's payment fails.
  ASSERT_EQ(
      Results(id1, {{{"reference", Ref(id1, a)}, {"status", "paid"}},
                    {{"reference", Ref(id1, b)}, {"status", "failed"}, {"reason", "户名不符"}}})
          .status,
      200);
  // Between the rounds: C's objection is resolved at 24,000.00 (earned at 0.5: 12,000.00, the
  // other 3,000.00 back to the pool) and E is confirmed at 40,000.00.
  ASSERT_EQ(
      client()
          .PostJson(ClaimPath(c) + "/objections/" + std::to_string(objection) + "/resolve",
                    {{"outcome", "adjusted"}, {"allowed_amount", "24000.00"}, {"note", "调整"}},
                    officer_a_)
          .status,
      200);
  ASSERT_EQ(client()
                .PostJson(ClaimPath(e) + "/confirm", {{"allowed_amount", "40000.00"}}, officer_a_)
                .status,
            200);
  pool = Pool();
  EXPECT_EQ(pool["pool"], 1305000);     // 50 deferred + 10,000 failed + 3,000 released
  EXPECT_EQ(pool["payable"], 1200000);  // C's release, waiting for the next batch
  EXPECT_EQ(pool["reserve"], 0);
  EXPECT_EQ(pool["paid"], 500000);

  // Round 2 (M = 0): C = 94,100, P = 5,000 (A) + 12,000 (C) = 17,000; A = 30,050 is level 0.5
  // again: B 10,000 (its failed payment), D 50, E 20,000.
  Fund("20000.00");
  const Json r2 = DraftAndExecute("30050.00");
  const int64_t id2 = r2["id"].get<int64_t>();
  EXPECT_EQ(r2["level"], "0.500000");
  EXPECT_EQ(r2["ratio"], "0.500000");  // (17,000 + 30,050) / 94,100
  EXPECT_EQ(r2["pool_before"], "33050.00");
  std::map<int64_t, Json> alloc = Allocations(id2);
  EXPECT_EQ(alloc[a]["pay"], "0.00");
  EXPECT_EQ(alloc[b]["pay"], "10000.00");
  EXPECT_EQ(alloc[c]["pay"], "0.00");
  EXPECT_EQ(alloc[c]["prior"], "12000.00");
  EXPECT_EQ(alloc[d]["pay"], "50.00");
  EXPECT_EQ(alloc[e]["pay"], "20000.00");
  ClientResponse csv2 = client().Get(Run(id2, "/payments.csv"), officer_a_);
  EXPECT_EQ(csv2.headers["x-rows"], "4");
  EXPECT_EQ(csv2.headers["x-total"], "42050.00");
  Json all_paid = Json::array();
  for (int64_t claim : {b, d, e}) {
    all_paid.push_back({{"reference", Ref(id2, claim)}, {"status", "paid"}});
  }
  const std::string release_ref =
      csv2.body.substr(csv2.body.find(Ref(id2, c) + "-V"), Ref(id2, c).size() + 8);
  all_paid.push_back(
      {{"reference", release_ref.substr(0, release_ref.find('\r'))}, {"status", "paid"}});
  ClientResponse paid2 = Results(id2, all_paid);
  ASSERT_EQ(paid2.status, 200) << paid2.body;
  EXPECT_EQ(paid2.Json()["reconciled"], true);
  pool = Pool();
  EXPECT_EQ(pool["pool"], 300000);
  EXPECT_EQ(pool["payable"], 0);
  EXPECT_EQ(pool["paid"], 4705000);

  // Round 3: everyone stands at 0.5; A = 9,410 lifts them to 0.6 (a tenth of 94,100 each),
  // except D's 10.00, below M = 60.00 again.
  Fund("6410.00");
  const Json r3 = DraftAndExecute("9410.00", "60.00");
  const int64_t id3 = r3["id"].get<int64_t>();
  EXPECT_EQ(r3["level"], "0.600000");
  EXPECT_EQ(r3["ratio"], "0.599893");  // (47,050 + 9,400) / 94,100
  EXPECT_EQ(r3["totals"]["paid"], "9400.00");
  EXPECT_EQ(r3["totals"]["deferred"], "10.00");
  alloc = Allocations(id3);
  EXPECT_EQ(alloc[a]["pay"], "1000.00");
  EXPECT_EQ(alloc[b]["pay"], "2000.00");
  EXPECT_EQ(alloc[c]["pay"], "2400.00");
  EXPECT_EQ(alloc[d]["deferred"], "10.00");
  EXPECT_EQ(alloc[e]["pay"], "4000.00");
  pool = Pool();
  EXPECT_EQ(pool["pool"], 1000);
  EXPECT_EQ(pool["payable"], 940000);

  // Statements.
  const Json sb = client().Get(ClaimPath(b) + "/statement", bob_).Json();
  ASSERT_EQ(sb["rounds"].size(), 3u) << sb.dump();
  EXPECT_EQ(sb["rounds"][0]["status"], "failed");
  EXPECT_EQ(sb["rounds"][1]["status"], "paid");
  EXPECT_EQ(sb["rounds"][2]["status"], "pending");
  EXPECT_EQ(sb["cumulative_paid"], "12000.00");
  EXPECT_EQ(sb["cumulative_ratio"], "0.600000");
  EXPECT_EQ(sb["remaining"], "8000.00");
  const Json sd = client().Get(ClaimPath(d) + "/statement", alice_).Json();
  ASSERT_EQ(sd["rounds"].size(), 3u) << sd.dump();
  EXPECT_EQ(sd["rounds"][0]["status"], "deferred");
  EXPECT_EQ(sd["rounds"][1]["status"], "paid");
  EXPECT_EQ(sd["rounds"][2]["status"], "deferred");
  EXPECT_EQ(sd["cumulative_paid"], "50.00");
  const Json sc = client().Get(ClaimPath(c) + "/statement", alice_).Json();
  EXPECT_EQ(sc["recognised"], "24000.00");
  EXPECT_EQ(sc["rounds"][0]["status"], "reserved");
  EXPECT_EQ(sc["releases"][0]["payment"]["status"], "paid");
  EXPECT_EQ(sc["cumulative_paid"], "14400.00");
  EXPECT_EQ(sc["cumulative_ratio"], "0.600000");

  // The public view of the three rounds.
  const Json rounds = client().Get(Runs() + "/public").Json()["rounds"];
  ASSERT_EQ(rounds.size(), 3u);
  EXPECT_EQ(rounds[0]["pool_before"], "30050.00");
  EXPECT_EQ(rounds[1]["pool_before"], "33050.00");
  EXPECT_EQ(rounds[2]["pool_before"], "9410.00");
  EXPECT_EQ(rounds[0]["reserved"], "15000.00");
  EXPECT_EQ(rounds[0]["number_paid"], 2);
  EXPECT_EQ(rounds[1]["number_paid"], 3);
  EXPECT_EQ(rounds[2]["number_paid"], 4);
  EXPECT_EQ(rounds[2]["ratio"], "0.599893");
}

TEST_F(DistributionsTest, OnlyTheCasesOfficersAndCourtAct) {
  const int64_t c1 = ConfirmedClaim(1, "10000.00");
  Fund("1000.00");
  const Json body = {{"amount", "1000.00"}, {"min_payment", "0"}};
  EXPECT_EQ(client().PostJson(Runs(), body, alice_).status, 403);
  EXPECT_EQ(client().PostJson(Runs(), body, admin_).status, 403);
  EXPECT_EQ(client().PostJson(Runs(), body, auditor_).status, 403);
  EXPECT_EQ(client().PostJson(Runs(), body, court_).status, 403);
  EXPECT_EQ(client().PostJson(Runs(), body, other_officer_).status, 404);
  EXPECT_EQ(client().PostJson(Runs(), body).status, 401);
  ClientResponse drafted = client().PostJson(Runs(), body, officer_a_);
  ASSERT_EQ(drafted.status, 201) << drafted.body;
  const int64_t id = drafted.Json()["id"].get<int64_t>();
  EXPECT_EQ(client().PostJson(Run(id, "/endorse"), Json::object(), other_officer_).status, 404);
  EXPECT_EQ(client().PostJson(Run(id, "/endorse"), Json::object(), court_).status, 403);
  ASSERT_EQ(client().PostJson(Run(id, "/endorse"), Json::object(), officer_b_).status, 200);
  EXPECT_EQ(
      client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, other_court_).status,
      404);
  EXPECT_EQ(client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, auditor_).status,
            403);
  ASSERT_EQ(client().PostJson(Run(id, "/approve"), {{"order_reference", kOrder}}, court_).status,
            200);
  EXPECT_EQ(client().PostJson(Run(id, "/execute"), Json::object(), court_).status, 403);
  EXPECT_EQ(client().PostJson(Run(id, "/execute"), Json::object(), other_officer_).status, 404);
  ASSERT_EQ(client().PostJson(Run(id, "/execute"), Json::object(), officer_b_).status, 200);

  // Reads: the case's staff and auditors; nobody else learns the run exists.
  EXPECT_EQ(client().Get(Run(id), auditor_).status, 200);
  EXPECT_EQ(client().Get(Run(id), court_).status, 200);
  EXPECT_EQ(client().Get(Run(id), alice_).status, 404);
  EXPECT_EQ(client().Get(Run(id), admin_).status, 404);
  EXPECT_EQ(client().Get(Run(id), other_officer_).status, 404);
  EXPECT_EQ(client().Get(Run(id, "/payments.csv"), alice_).status, 403);
  EXPECT_EQ(client().Get(Run(id, "/payments.csv"), other_officer_).status, 404);
  ClientResponse auditor_csv = client().Get(Run(id, "/payments.csv"), auditor_);
  EXPECT_EQ(auditor_csv.status, 200);
  EXPECT_EQ(auditor_csv.body.find("6222020200112233446"), std::string::npos);
  EXPECT_EQ(Results(id, {{{"reference", Ref(id, c1)}, {"status", "paid"}}}).status, 200);
  EXPECT_EQ(client()
                .PostJson(Run(id, "/payment-results"),
                          {{"results", {{{"reference", Ref(id, c1)}, {"status", "paid"}}}}}, court_)
                .status,
            403);
  EXPECT_EQ(client().Get(Runs() + "/public").status, 200);
}

}  // namespace
}  // namespace restitution::testing
