// The claims scenario of the issue: 1,000 declarations across 3 regions — duplicates, net
// winners, agent and heir filings — a seized-books import, a review of every claim, and the
// public statistics checked against totals this test computes on its own.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service/money.h"
#include "service/resident_id.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr int kClaims = 1000;
constexpr int kClaimantAccounts = 10;
const char* const kRegions[] = {"110105", "310115", "440305"};

std::string IdNumber(int person) {
  // Distinct people: birth dates spread over 1950-1989, sequence from the person number.
  const unsigned p = static_cast<unsigned>(person);
  const unsigned year = 1950 + p % 40;
  const unsigned month = 1 + (p / 40) % 12;
  const unsigned day = 1 + (p / 480) % 28;
  char first17[32];
  std::snprintf(first17, sizeof(first17), "110105%04u%02u%02u%03u", year, month, day, p % 1000);
  return std::string(first17) + ResidentIdCheckCharacter(first17);
}

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToString(); }

// What one declaration says, and what the test expects the service to make of it.
struct Planned {
  int person = 0;
  std::string region;
  int64_t principal_fen = 0;
  int64_t returns_fen = 0;
  std::string filed_as = "self";
  bool duplicate_of_earlier = false;  // same person as an earlier declaration: refused
  int64_t net() const { return std::max<int64_t>(0, principal_fen - returns_fen); }
};

class ClaimsScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    ClientResponse created = client().PostJson("/api/v1/cases",
                                               {{"case_number", "SCENARIO-1"},
                                                {"name", "千人申报演练"},
                                                {"lead_region", "110105"},
                                                {"regions", {"110105", "310115", "440305"}},
                                                {"registration_opens", "2020-01-01"},
                                                {"registration_closes", "2099-12-31"},
                                                {"countersign_threshold", "99999999.00"}},
                                               admin_);
    ASSERT_EQ(created.status, 201) << created.body;
    case_id_ = created.Json()["id"];
    officer_ = server_.AddStaff(admin_, "officer.s", kStaffPassword, "officer", case_id_).token;
    ASSERT_FALSE(officer_.empty());
    for (int i = 0; i < kClaimantAccounts; ++i) {
      claimants_.push_back(Claimant("1390000" + std::to_string(1000 + i)));
    }
  }

  std::string Claimant(const std::string& phone) {
    const std::string token = server_.RegisterClaimant(phone, kClaimantPassword);
    EXPECT_FALSE(token.empty()) << phone;
    return token;
  }

  std::string CasePath() const { return "/api/v1/cases/" + std::to_string(case_id_); }
  HttpClient client() const { return server_.client(); }

  nlohmann::json DeclarationOf(const Planned& p) const {
    nlohmann::json body = {
        {"identity",
         {{"name", "参与人" + std::to_string(p.person)},
          {"id_number", IdNumber(p.person)},
          {"phone", "13800138000"},
          {"bank_name", "中国建设银行"},
          {"bank_account", "6222020200112233446"}}},
        {"region", p.region},
        {"accounts", {{{"platform_account", "P" + std::to_string(p.person)}, {"channel", "app"}}}},
        {"contributions", {{{"date", "2023-05-20"}, {"amount", Yuan(p.principal_fen)}}}},
        {"returns", nlohmann::json::array()}};
    if (p.returns_fen > 0) {
      body["returns"] = {
          {{"date", "2023-12-20"}, {"amount", Yuan(p.returns_fen)}, {"kind", "interest"}}};
    }
    if (p.filed_as != "self") {
      body["filed_as"] = p.filed_as;
      body["filer"] = {{"name", "代理人" + std::to_string(p.person)},
                       {"id_number", IdNumber(5000 + p.person)},
                       {"phone", "13700137000"},
                       {"relationship", p.filed_as == "heir" ? "子女" : "委托代理人"}};
      if (p.filed_as == "heir") {
        body["identity"]["bank_account_holder"] = body["filer"]["name"];
      }
    }
    return body;
  }

  ServerProcess server_;
  std::string admin_, officer_;
  std::vector<std::string> claimants_;
  int64_t case_id_ = 0;
};

TEST_F(ClaimsScenarioTest, ThousandDeclarationsReviewedAndCountedExactly) {
  // 1. The plan: every 25th declaration repeats an earlier person (refused, 409); every 10th
  //    is a net winner; every 7th is filed by an agent, every 31st by an heir.
  std::vector<Planned> plan;
  for (int i = 0; i < kClaims; ++i) {
    Planned p;
    p.duplicate_of_earlier = i > 0 && i % 25 == 0;
    p.person = p.duplicate_of_earlier ? i - 13 : i;
    p.region = kRegions[i % 3];
    p.principal_fen = 100000 + int64_t{i} * 1237;  // 1,000.00 yuan and up, odd fen
    p.returns_fen = i % 10 == 0 ? p.principal_fen + 5000 : (i % 4) * 3301;
    p.filed_as = i % 31 == 0 ? "heir" : (i % 7 == 0 ? "agent" : "self");
    plan.push_back(p);
  }

  // 2. Declare from several accounts at once.
  std::vector<int64_t> claim_ids(kClaims, 0);
  std::vector<int> statuses(kClaims, 0);
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      for (int i = next++; i < kClaims; i = next++) {
        // A duplicate waits until the person's first declaration has been answered.
        if (plan[i].duplicate_of_earlier) {
          while (statuses[static_cast<size_t>(plan[i].person)] == 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
          }
        }
        ClientResponse r =
            client().PostJson(CasePath() + "/claims", DeclarationOf(plan[i]),
                              claimants_[static_cast<size_t>(i) % claimants_.size()]);
        if (r.status == 201) claim_ids[i] = r.Json()["id"];
        statuses[i] = r.status;
      }
    });
  }
  for (std::thread& t : workers) t.join();
  for (int i = 0; i < kClaims; ++i) {
    ASSERT_EQ(statuses[i], plan[i].duplicate_of_earlier ? 409 : 201) << "declaration " << i;
  }
  // Agents and heirs file the document proving their authority (a PDF).
  const std::string authority_pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  for (int i = 0; i < kClaims; ++i) {
    if (plan[i].duplicate_of_earlier || plan[i].filed_as == "self") continue;
    ClientResponse uploaded = client().Send(
        "POST",
        CasePath() + "/claims/" + std::to_string(claim_ids[i]) +
            "/evidence?filename=authority.pdf&purpose=authority",
        authority_pdf,
        {{"Authorization", "Bearer " + claimants_[static_cast<size_t>(i) % claimants_.size()]},
         {"Content-Type", "application/pdf"}});
    ASSERT_EQ(uploaded.status, 201) << "authority of declaration " << i << ": " << uploaded.body;
  }

  // 3. The seized books: every accepted person but one in eight, with the declared figures
  //    except one in five (a discrepancy), plus 30 holders who never declared.
  std::string csv = "platform_account,holder_name,id_number,total_deposits,total_withdrawals\n";
  int book_rows = 0;
  for (int i = 0; i < kClaims; ++i) {
    const Planned& p = plan[i];
    if (p.duplicate_of_earlier || i % 8 == 0) continue;
    const int64_t deposits = i % 5 == 0 ? p.principal_fen + 10000 : p.principal_fen;
    csv += "P" + std::to_string(p.person) + ",参与人" + std::to_string(p.person) + "," +
           IdNumber(p.person) + "," + Yuan(deposits) + "," + Yuan(p.returns_fen) + "\n";
    ++book_rows;
  }
  for (int k = 0; k < 30; ++k) {
    csv += "U" + std::to_string(k) + ",未申报" + std::to_string(k) + "," + IdNumber(2000 + k) +
           ",5000.00,0\n";
    ++book_rows;
  }
  ClientResponse imported =
      client().Send("POST", CasePath() + "/books", csv,
                    {{"Authorization", "Bearer " + officer_}, {"Content-Type", "text/csv"}});
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.Json()["rows"], book_rows);
  EXPECT_EQ(imported.Json()["unmatched_holders"], 30);

  // 4. Review: net winners rejected; claims with book figures confirmed at the book figure;
  //    the rest confirmed at the declared net, except every 9th, asked for more information.
  std::map<std::string, std::map<std::string, std::pair<int64_t, int64_t>>> expected;  // region ->
  // status -> (count, allowed)
  std::map<std::string, std::pair<int64_t, int64_t>> by_status;  // status -> (count, declared)
  int64_t total_declared = 0;
  int64_t accepted = 0;
  for (int i = 0; i < kClaims; ++i) {
    const Planned& p = plan[i];
    if (p.duplicate_of_earlier) continue;
    ++accepted;
    const std::string path = CasePath() + "/claims/" + std::to_string(claim_ids[i]);
    std::string status;
    int64_t allowed = 0;
    ClientResponse r;
    if (p.net() == 0) {
      r = client().PostJson(path + "/reject",
                            {{"reason_code", "net_winner"}, {"note", "回报超过本金"}}, officer_);
      status = "rejected";
    } else if (i % 8 != 0) {
      r = client().PostJson(path + "/confirm", {{"at_book_figure", true}, {"reason", "按账册认定"}},
                            officer_);
      const int64_t deposits = i % 5 == 0 ? p.principal_fen + 10000 : p.principal_fen;
      allowed = std::max<int64_t>(0, deposits - p.returns_fen);
      status = "confirmed";
    } else if (i % 9 == 0) {
      r = client().PostJson(path + "/request-info",
                            {{"message", "请补充转账凭证"}, {"cure_by", "2099-01-31"}}, officer_);
      status = "deficient";
    } else {
      r = client().PostJson(path + "/confirm", {{"allowed_amount", Yuan(p.net())}}, officer_);
      allowed = p.net();
      status = "confirmed";
    }
    ASSERT_EQ(r.status, 200) << "review of declaration " << i << ": " << r.body;
    ASSERT_EQ(r.Json()["status"], status) << r.body;
    auto& cell = expected[p.region][status];
    cell.first += 1;
    cell.second += allowed;
    by_status[status].first += 1;
    by_status[status].second += p.net();
    total_declared += p.net();
  }

  // 5. The public statistics, against the totals computed above.
  ClientResponse stats = client().Get(CasePath() + "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const nlohmann::json json = stats.Json();
  EXPECT_EQ(accepted, 961);  // 39 of the 1,000 repeated an earlier person
  EXPECT_EQ(json["total"]["count"], accepted);
  EXPECT_EQ(json["total"]["declared_net"], Yuan(total_declared));
  for (const auto& [status, cell] : by_status) {
    EXPECT_EQ(json["by_status"][status]["count"], cell.first) << status;
    EXPECT_EQ(json["by_status"][status]["declared_net"], Yuan(cell.second)) << status;
  }
  for (const auto& [region, statuses_of_region] : expected) {
    for (const auto& [status, cell] : statuses_of_region) {
      const nlohmann::json& got = json["by_region"][region]["by_status"][status];
      EXPECT_EQ(got["count"], cell.first) << region << " " << status;
      EXPECT_EQ(got["allowed"], Yuan(cell.second)) << region << " " << status;
    }
  }
  EXPECT_EQ(stats.body.find("参与人"), std::string::npos) << "no personal data in statistics";
}

}  // namespace
}  // namespace restitution::testing
