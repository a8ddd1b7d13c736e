// End-to-end: claimants declaring, amending and withdrawing claims, staff and auditors
// reading them, the review queue and the public statistics — over HTTP against a real
// restitutiond and MariaDB.
#include <gtest/gtest.h>

#include <string>

#include "service/resident_id.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";

// A valid resident ID number: region, birth date and sequence, with its check character.
std::string IdNumber(const std::string& region, const std::string& birth,
                     const std::string& sequence) {
  const std::string first17 = region + birth + sequence;
  return first17 + ResidentIdCheckCharacter(first17);
}

nlohmann::json Declaration(const std::string& id_number, const std::string& region = "110105") {
  return {{"identity",
           {{"name", "张三"},
            {"id_number", id_number},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", region},
          {"accounts", {{{"platform_account", "zs-001"}, {"channel", "app"}}}},
          {"contributions",
           {{{"date", "2024-01-15"}, {"amount", "10000.00"}, {"ref", "T1"}},
            {{"date", "2024-03-01"}, {"amount", "5000"}}}},
          {"returns",
           {{{"date", "2024-06-30"}, {"amount", "1500.50"}, {"kind", "interest"}},
            {{"date", "2024-07-31"}, {"amount", "500"}, {"kind", "rebate"}}}}};
}

class ClaimsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    case_id_ = NewCase("JZ-1");
    other_case_id_ = NewCase("JZ-2");
    officer_ = StaffToken("officer.a", "officer", case_id_);
    other_officer_ = StaffToken("officer.b", "officer", other_case_id_);
    court_ = StaffToken("court.a", "court", case_id_);
    auditor_ = StaffToken("auditor.a", "auditor", 0);
    alice_ = ClaimantToken("13900000001");
    bob_ = ClaimantToken("13900000002");
  }

  int64_t NewCase(const std::string& number) {
    ClientResponse created = client().PostJson("/api/v1/cases",
                                               {{"case_number", number},
                                                {"name", "某某案"},
                                                {"lead_region", "110105"},
                                                {"regions", {"110105", "310115"}},
                                                {"registration_opens", "2020-01-01"},
                                                {"registration_closes", "2099-12-31"}},
                                               admin_);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json().value("id", int64_t{0});
  }

  std::string StaffToken(const std::string& username, const std::string& role, int64_t case_id) {
    const std::string token =
        server_.AddStaff(admin_, username, kStaffPassword, role, case_id).token;
    EXPECT_FALSE(token.empty()) << username;
    return token;
  }

  std::string ClaimantToken(const std::string& phone) {
    const std::string token = server_.RegisterClaimant(phone, kClaimantPassword);
    EXPECT_FALSE(token.empty()) << phone;
    return token;
  }

  std::string Claims(int64_t case_id) const {
    return "/api/v1/cases/" + std::to_string(case_id) + "/claims";
  }

  int64_t CountRows(const std::string& table) {
    auto db = server_.database().Connect();
    StatusOr<SqlRows> rows = db->Query("SELECT COUNT(*) FROM " + table);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_, officer_, other_officer_, court_, auditor_, alice_, bob_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
};

TEST_F(ClaimsTest, DeclarationComputesTheNetLossAndAnswersWithAReceipt) {
  ClientResponse declared = client().PostJson(
      Claims(case_id_), Declaration(IdNumber("110105", "19650312", "123")), alice_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  const nlohmann::json json = declared.Json();
  EXPECT_EQ(json["status"], "submitted");
  EXPECT_EQ(json["declared_principal"], "15000.00");
  EXPECT_EQ(json["declared_returns"], "2000.50");
  EXPECT_EQ(json["declared_net"], "12999.50");
  EXPECT_EQ(json["late"], false);
  EXPECT_TRUE(json["receipt"]["ledger_index"].is_number_unsigned()) << declared.body;
}

TEST_F(ClaimsTest, NetWinnersAreOwedNothing) {
  nlohmann::json body = Declaration(IdNumber("110105", "19700101", "011"));
  body["returns"] = {{{"date", "2024-06-30"}, {"amount", "20000.00"}, {"kind", "withdrawal"}}};
  ClientResponse declared = client().PostJson(Claims(case_id_), body, alice_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  EXPECT_EQ(declared.Json()["declared_net"], "0.00");
}

TEST_F(ClaimsTest, OnePersonHasOneClaimPerCaseWhoeverFilesIt) {
  const std::string id = IdNumber("110105", "19650312", "123");
  ClientResponse first = client().PostJson(Claims(case_id_), Declaration(id), alice_);
  ASSERT_EQ(first.status, 201) << first.body;
  const std::string claim_id = first.Json()["id"].dump();
  const int64_t entries_before = CountRows("ledger_queue") + CountRows("ledger_entries");
  // The same ID number from another account and another region: refused, naming the claim.
  ClientResponse second = client().PostJson(Claims(case_id_), Declaration(id, "310115"), bob_);
  EXPECT_EQ(second.status, 409) << second.body;
  EXPECT_NE(second.body.find("claim " + claim_id), std::string::npos) << second.body;
  EXPECT_EQ(CountRows("claims"), 1);
  EXPECT_EQ(CountRows("ledger_queue") + CountRows("ledger_entries"), entries_before);
  // Another case is another claim.
  EXPECT_EQ(client().PostJson(Claims(other_case_id_), Declaration(id), alice_).status, 201);
}

TEST_F(ClaimsTest, BadFieldsAreNamedAndNothingIsWritten) {
  const int64_t claims_before = CountRows("claims");
  const int64_t queue_before = CountRows("ledger_queue") + CountRows("ledger_entries");
  // rule: the broken rule's name (service/input_rules.h) that clients translate; "" for none.
  auto expect_error = [&](nlohmann::json body, int status, const std::string& field,
                          const std::string& rule = "") {
    ClientResponse response = client().PostJson(Claims(case_id_), body, alice_);
    EXPECT_EQ(response.status, status) << body.dump() << "\n" << response.body;
    EXPECT_EQ(response.ErrorField(), field) << response.body;
    if (!rule.empty()) {
      EXPECT_EQ(response.Json()["error"].value("rule", ""), rule) << response.body;
    }
  };
  const std::string good_id = IdNumber("110105", "19650312", "123");
  nlohmann::json body = Declaration(good_id);
  std::string bad_id = good_id;
  bad_id[17] = bad_id[17] == '1' ? '2' : '1';
  body["identity"]["id_number"] = bad_id;
  expect_error(body, 400, "identity.id_number", "id_check");
  body = Declaration(good_id);
  body["contributions"][1]["amount"] = "-5.00";
  expect_error(body, 400, "contributions[1].amount");
  body = Declaration(good_id);
  body["contributions"][0]["amount"] = "1.234";
  expect_error(body, 400, "contributions[0].amount", "amount");
  body = Declaration(good_id);
  body["contributions"][0]["amount"] = 100;
  expect_error(body, 400, "contributions[0].amount");
  body = Declaration(good_id);
  body["returns"][0]["date"] = "2098-01-01";
  expect_error(body, 400, "returns[0].date", "date_future");
  body = Declaration(good_id);
  body["returns"][1]["kind"] = "bonus";
  expect_error(body, 400, "returns[1].kind");
  body = Declaration(good_id);
  body["contributions"] = nlohmann::json::array();
  expect_error(body, 400, "contributions");
  body = Declaration(good_id, "440305");
  expect_error(body, 422, "region", "region");
  ClientResponse duplicate_key = client().Send(
      "POST", Claims(case_id_),
      R"({"region":"110105","region":"310115","identity":{},"accounts":[],"contributions":[]})",
      {{"Authorization", "Bearer " + alice_}, {"Content-Type", "application/json"}});
  EXPECT_EQ(duplicate_key.status, 400) << duplicate_key.body;
  EXPECT_EQ(duplicate_key.ErrorField(), "region");
  EXPECT_EQ(CountRows("claims"), claims_before);
  EXPECT_EQ(CountRows("ledger_queue") + CountRows("ledger_entries"), queue_before);
}

TEST_F(ClaimsTest, EachRoleSeesOnlyWhatItMay) {
  ClientResponse declared = client().PostJson(
      Claims(case_id_), Declaration(IdNumber("110105", "19650312", "123")), alice_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  const std::string path = Claims(case_id_) + "/" + declared.Json()["id"].dump();

  ClientResponse own = client().Get(path, alice_);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.Json()["declaration"]["identity"]["name"], "张三");
  EXPECT_EQ(own.Json()["timeline"][0]["action"], "declared");
  // Each step carries its ledger receipt: the one the declaration was answered with.
  EXPECT_EQ(own.Json()["timeline"][0]["receipt"]["leaf_hash"],
            declared.Json()["receipt"]["leaf_hash"])
      << own.body;

  EXPECT_EQ(client().Get(path, bob_).status, 404);
  EXPECT_EQ(client().Get(path, other_officer_).status, 404);
  EXPECT_EQ(client().Get(path, admin_).status, 404);
  EXPECT_EQ(client().Get(path).status, 401);
  // The same claim under the wrong case does not exist either.
  EXPECT_EQ(
      client().Get(Claims(other_case_id_) + "/" + declared.Json()["id"].dump(), alice_).status,
      404);

  const int64_t reads_before = CountRows("pii_access_log");
  ClientResponse officer = client().Get(path, officer_);
  ASSERT_EQ(officer.status, 200) << officer.body;
  EXPECT_EQ(officer.Json()["declaration"]["identity"]["id_number"],
            IdNumber("110105", "19650312", "123"));
  EXPECT_EQ(client().Get(path, court_).status, 200);
  EXPECT_EQ(CountRows("pii_access_log"), reads_before + 2) << "every staff read is recorded";

  ClientResponse auditor = client().Get(path, auditor_);
  ASSERT_EQ(auditor.status, 200) << auditor.body;
  EXPECT_FALSE(auditor.Json()["declaration"].contains("identity")) << auditor.body;
  EXPECT_EQ(auditor.Json()["declared_net"], "12999.50");
}

TEST_F(ClaimsTest, AmendKeepsEveryVersionAndWithdrawEndsIt) {
  const std::string id = IdNumber("110105", "19650312", "123");
  ClientResponse declared = client().PostJson(Claims(case_id_), Declaration(id), alice_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  const std::string path = Claims(case_id_) + "/" + declared.Json()["id"].dump();

  nlohmann::json amended = Declaration(id, "310115");
  amended["returns"] = nlohmann::json::array();
  ClientResponse put =
      client().Send("PUT", path, amended.dump(),
                    {{"Authorization", "Bearer " + alice_}, {"Content-Type", "application/json"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["version"], 2);
  EXPECT_EQ(put.Json()["declared_net"], "15000.00");
  EXPECT_EQ(put.Json()["region"], "310115");
  EXPECT_EQ(put.Json()["region_name"], "上海市浦东新区");
  EXPECT_TRUE(put.Json()["receipt"]["ledger_index"].is_number_unsigned());
  EXPECT_EQ(CountRows("claim_versions"), 2);

  nlohmann::json other_person = Declaration(IdNumber("110105", "19800101", "022"));
  ClientResponse changed =
      client().Send("PUT", path, other_person.dump(),
                    {{"Authorization", "Bearer " + alice_}, {"Content-Type", "application/json"}});
  EXPECT_EQ(changed.status, 422) << changed.body;
  EXPECT_EQ(changed.ErrorField(), "identity.id_number");
  EXPECT_EQ(client()
                .Send("PUT", path, amended.dump(),
                      {{"Authorization", "Bearer " + bob_}, {"Content-Type", "application/json"}})
                .status,
            404);

  ClientResponse withdrawn =
      client().PostJson(path + "/withdraw", nlohmann::json::object(), alice_);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body;
  EXPECT_EQ(withdrawn.Json()["status"], "withdrawn");
  EXPECT_EQ(client().PostJson(path + "/withdraw", nlohmann::json::object(), alice_).status, 409);
  EXPECT_EQ(client()
                .Send("PUT", path, amended.dump(),
                      {{"Authorization", "Bearer " + alice_}, {"Content-Type", "application/json"}})
                .status,
            409);
}

TEST_F(ClaimsTest, QueueAndStatisticsAddUp) {
  ASSERT_EQ(
      client()
          .PostJson(Claims(case_id_), Declaration(IdNumber("110105", "19650312", "123")), alice_)
          .status,
      201);
  ASSERT_EQ(client()
                .PostJson(Claims(case_id_),
                          Declaration(IdNumber("310115", "19720505", "456"), "310115"), bob_)
                .status,
            201);
  ClientResponse queue = client().Get(Claims(case_id_) + "?status=submitted", officer_);
  ASSERT_EQ(queue.status, 200) << queue.body;
  EXPECT_EQ(queue.Json()["items"].size(), 2u);
  EXPECT_EQ(queue.Json()["totals"]["count"], 2);
  EXPECT_EQ(queue.Json()["totals"]["declared_net"], "25999.00");
  ClientResponse by_region = client().Get(Claims(case_id_) + "?region=310115", officer_);
  ASSERT_EQ(by_region.status, 200) << by_region.body;
  EXPECT_EQ(by_region.Json()["items"].size(), 1u);
  ClientResponse by_id =
      client().Get(Claims(case_id_) + "?q=" + IdNumber("310115", "19720505", "456"), auditor_);
  ASSERT_EQ(by_id.status, 200) << by_id.body;
  EXPECT_EQ(by_id.Json()["items"].size(), 1u);
  EXPECT_EQ(client().Get(Claims(case_id_), other_officer_).status, 404);
  EXPECT_EQ(client().Get(Claims(case_id_), alice_).status, 403);
  EXPECT_EQ(client().Get(Claims(case_id_) + "?status=lost", officer_).status, 400);

  ClientResponse stats = client().Get("/api/v1/cases/" + std::to_string(case_id_) + "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const nlohmann::json json = stats.Json();
  EXPECT_EQ(json["total"]["count"], 2);
  EXPECT_EQ(json["total"]["declared_net"], "25999.00");
  EXPECT_EQ(json["by_status"]["submitted"]["count"], 2);
  EXPECT_EQ(json["by_region"]["110105"]["total"]["count"], 1);
  EXPECT_EQ(json["by_region"]["310115"]["total"]["declared_net"], "12999.50");
  EXPECT_EQ(stats.body.find("张三"), std::string::npos);
}

}  // namespace
}  // namespace restitution::testing

namespace restitution::testing {
namespace {

TEST_F(ClaimsTest, RegisterExportIsCsvWithPersonalDataForOfficersOnlyAndOnTheLedger) {
  nlohmann::json body = Declaration(IdNumber("110105", "19650312", "123"));
  body["identity"]["name"] = "=HYPERLINK(\"x\")";  // a formula must never reach Excel as one
  ASSERT_EQ(client().PostJson(Claims(case_id_), body, alice_).status, 201);
  ASSERT_EQ(client()
                .PostJson(Claims(case_id_),
                          Declaration(IdNumber("310115", "19720505", "456"), "310115"), bob_)
                .status,
            201);
  const std::string path = "/api/v1/cases/" + std::to_string(case_id_) + "/claims.csv";
  const int64_t reads_before = CountRows("pii_access_log");
  ClientResponse officer = client().Get(path, officer_);
  ASSERT_EQ(officer.status, 200) << officer.body;
  EXPECT_NE(officer.headers.at("content-type").find("text/csv"), std::string::npos);
  ASSERT_GE(officer.body.size(), 3u);
  EXPECT_EQ(officer.body.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(officer.body.find("id_number"), std::string::npos);
  EXPECT_NE(officer.body.find(IdNumber("310115", "19720505", "456")), std::string::npos);
  EXPECT_NE(officer.body.find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos) << officer.body;
  EXPECT_EQ(officer.headers.at("x-rows"), "2");
  EXPECT_EQ(CountRows("pii_access_log"), reads_before + 1);

  ClientResponse court = client().Get(path, court_);
  ASSERT_EQ(court.status, 200) << court.body;
  EXPECT_EQ(court.body.find("id_number"), std::string::npos);
  EXPECT_EQ(court.body.find("张三"), std::string::npos);
  EXPECT_NE(court.body.find("12999.50"), std::string::npos);

  ClientResponse paged = client().Get(path + "?limit=1", officer_);
  ASSERT_EQ(paged.status, 200);
  EXPECT_EQ(paged.headers.at("x-rows"), "1");
  ASSERT_EQ(paged.headers.count("x-next-after"), 1u);
  ClientResponse rest =
      client().Get(path + "?limit=1&after=" + paged.headers.at("x-next-after"), officer_);
  EXPECT_EQ(rest.headers.at("x-rows"), "1");
  EXPECT_EQ(rest.headers.count("x-next-after"), 0u);

  EXPECT_EQ(client().Get(path, alice_).status, 403);
  EXPECT_EQ(client().Get(path, admin_).status, 403);
  EXPECT_EQ(client().Get(path, other_officer_).status, 404);

  // Each export is an entry: rows and the CSV's hash, no personal data.
  ClientResponse entries = client().Get("/api/v1/ledger/entries?limit=1000", admin_);
  ASSERT_EQ(entries.status, 200);
  int exports = 0;
  const nlohmann::json listed = entries.Json();
  for (const auto& e : listed["entries"]) {
    if (e["entry"]["type"] == "claims_exported") ++exports;
  }
  EXPECT_EQ(exports, 4);
  EXPECT_EQ(entries.body.find(IdNumber("310115", "19720505", "456")), std::string::npos);
}

TEST_F(ClaimsTest, ClaimantsListTheirOwnClaimsAndAuditorsReadTheAccessLog) {
  ASSERT_EQ(
      client()
          .PostJson(Claims(case_id_), Declaration(IdNumber("110105", "19650312", "123")), alice_)
          .status,
      201);
  ClientResponse mine = client().Get("/api/v1/me/claims", alice_);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json()["claims"].size(), 1u);
  EXPECT_EQ(client().Get("/api/v1/me/claims", bob_).Json()["claims"].size(), 0u);
  EXPECT_EQ(client().Get("/api/v1/me/claims", officer_).status, 403);

  const std::string claim = mine.Json()["claims"][0]["id"].dump();
  ASSERT_EQ(client().Get(Claims(case_id_) + "/" + claim, officer_).status, 200);
  ClientResponse log = client().Get("/api/v1/audit/pii-access?claim_id=" + claim, auditor_);
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_EQ(log.Json()["accesses"].size(), 1u);
  EXPECT_EQ(log.Json()["accesses"][0]["role"], "officer");
  EXPECT_EQ(log.Json()["accesses"][0]["what"], "claim_declaration");
  EXPECT_EQ(client().Get("/api/v1/audit/pii-access", officer_).status, 403);
  EXPECT_EQ(client().Get("/api/v1/audit/pii-access", admin_).status, 403);
  EXPECT_EQ(client().Get("/api/v1/audit/pii-access?limit=0", auditor_).status, 400);
}

}  // namespace
}  // namespace restitution::testing

namespace restitution::testing {
namespace {

TEST_F(ClaimsTest, AgentFilingsAreConfirmedOnlyWithAnAuthorityDocument) {
  nlohmann::json body = Declaration(IdNumber("110105", "19500101", "035"));
  body["filed_as"] = "agent";
  body["filer"] = {{"name", "李四"},
                   {"id_number", IdNumber("310115", "19800808", "078")},
                   {"phone", "13700137000"},
                   {"relationship", "委托代理人"}};
  ClientResponse declared = client().PostJson(Claims(case_id_), body, alice_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  EXPECT_EQ(declared.Json()["filed_as"], "agent");
  const std::string path = Claims(case_id_) + "/" + declared.Json()["id"].dump();

  ClientResponse early =
      client().PostJson(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_);
  EXPECT_EQ(early.status, 422) << early.body;
  EXPECT_EQ(early.ErrorCode(), "authority_missing") << early.body;

  ClientResponse uploaded =
      client().Send("POST", path + "/evidence?filename=power-of-attorney.pdf&purpose=authority",
                    "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                    {{"Authorization", "Bearer " + alice_}, {"Content-Type", "application/pdf"}});
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  ClientResponse confirmed =
      client().PostJson(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_);
  EXPECT_EQ(confirmed.status, 200) << confirmed.body;
  // The record keeps both the filer and the participant.
  ClientResponse read = client().Get(path, officer_);
  EXPECT_EQ(read.Json()["declaration"]["filer"]["name"], "李四");
  EXPECT_EQ(read.Json()["declaration"]["identity"]["name"], "张三");
}

}  // namespace
}  // namespace restitution::testing
