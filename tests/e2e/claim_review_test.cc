// End-to-end: the task force's review (deficiency notices, confirmation with four eyes,
// rejection) and the claimant's objections, over HTTP against a real restitutiond and MariaDB.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "service/person_index.h"
#include "service/resident_id.h"
#include "service/service_keys.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// A valid resident ID number: region, birth date and a three-digit sequence.
std::string IdNumber(int sequence) {
  std::string seq = std::to_string(100 + sequence);
  const std::string first17 = "110105" + std::string("19650312") + seq;
  return first17 + ResidentIdCheckCharacter(first17);
}

// Declared principal 15000.00, returns 2000.50, net 12999.50.
nlohmann::json Declaration(const std::string& id_number) {
  return {{"identity",
           {{"name", "张三"},
            {"id_number", id_number},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", "110105"},
          {"accounts", {{{"platform_account", "zs-001"}, {"channel", "app"}}}},
          {"contributions",
           {{{"date", "2024-01-15"}, {"amount", "10000.00"}, {"ref", "T1"}},
            {{"date", "2024-03-01"}, {"amount", "5000"}}}},
          {"returns",
           {{{"date", "2024-06-30"}, {"amount", "1500.50"}, {"kind", "interest"}},
            {{"date", "2024-07-31"}, {"amount", "500"}, {"kind", "rebate"}}}}};
}

bool HasReceipt(const ClientResponse& response) {
  const nlohmann::json json = response.Json();
  return json.is_object() && json.contains("receipt") &&
         json["receipt"]["ledger_index"].is_number_unsigned();
}

class ClaimReviewTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    case_id_ = NewCase("JZ-1", 30);
    other_case_id_ = NewCase("JZ-2", 30);
    officer_a_ = StaffToken("officer.a", "officer", case_id_);
    officer_b_ = StaffToken("officer.b", "officer", case_id_);
    other_officer_ = StaffToken("officer.c", "officer", other_case_id_);
    court_ = StaffToken("court.a", "court", case_id_);
    auditor_ = StaffToken("auditor.a", "auditor", 0);
    alice_ = ClaimantToken("13900000001");
    bob_ = ClaimantToken("13900000002");
  }

  // Four eyes above 13,000.00: the declared net (12,999.50) is just below.
  int64_t NewCase(const std::string& number, int objection_window_days) {
    ClientResponse created = client().PostJson("/api/v1/cases",
                                               {{"case_number", number},
                                                {"name", "某某案"},
                                                {"lead_region", "110105"},
                                                {"regions", {"110105", "310115"}},
                                                {"registration_opens", "2020-01-01"},
                                                {"registration_closes", "2099-12-31"},
                                                {"objection_window_days", objection_window_days},
                                                {"countersign_threshold", "13000.00"}},
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

  // Declares a claim for person `sequence` in the case; returns its path ("" on failure).
  std::string Declare(int sequence, int64_t case_id = 0, const std::string& token = "") {
    ClientResponse declared =
        client().PostJson(Claims(case_id == 0 ? case_id_ : case_id),
                          Declaration(IdNumber(sequence)), token.empty() ? alice_ : token);
    EXPECT_EQ(declared.status, 201) << declared.body;
    if (declared.status != 201) return "";
    return Claims(case_id == 0 ? case_id_ : case_id) + "/" + declared.Json()["id"].dump();
  }

  int64_t ClaimId(const std::string& path) const {
    return std::stoll(path.substr(path.rfind('/') + 1));
  }

  ClientResponse Post(const std::string& path, const nlohmann::json& body,
                      const std::string& token) const {
    return client().PostJson(path, body, token);
  }

  ClientResponse Amend(const std::string& path, const nlohmann::json& body,
                       const std::string& token) const {
    return client().Send(
        "PUT", path, body.dump(),
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  }

  // A confirmed claim at `amount` (below the threshold), by officer A.
  std::string ConfirmedClaim(int sequence, const std::string& amount = "12999.50") {
    const std::string path = Declare(sequence);
    nlohmann::json body = {{"allowed_amount", amount}};
    if (amount != "12999.50") body["reason"] = "books show less";
    ClientResponse confirmed = Post(path + "/confirm", body, officer_a_);
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    EXPECT_EQ(confirmed.Json()["status"], "confirmed") << confirmed.body;
    return path;
  }

  std::string RejectedClaim(int sequence) {
    const std::string path = Declare(sequence);
    ClientResponse rejected =
        Post(path + "/reject", {{"reason_code", "not_a_participant"}, {"note", "not in the books"}},
             officer_a_);
    EXPECT_EQ(rejected.status, 200) << rejected.body;
    return path;
  }

  // Lodges an objection as alice; returns its id (0 on failure).
  int64_t Object(const std::string& path, const nlohmann::json& body = {{"reason", "不服"}}) {
    ClientResponse lodged = Post(path + "/objections", body, alice_);
    EXPECT_EQ(lodged.status, 201) << lodged.body;
    EXPECT_EQ(lodged.Json()["status"], "disputed") << lodged.body;
    EXPECT_TRUE(HasReceipt(lodged)) << lodged.body;
    return lodged.Json()["objection"].value("id", int64_t{0});
  }

  std::string Resolve(const std::string& path, int64_t objection) const {
    return path + "/objections/" + std::to_string(objection) + "/resolve";
  }

  nlohmann::json LedgerEntries() {
    ClientResponse entries = client().Get("/api/v1/ledger/entries?limit=1000", admin_);
    EXPECT_EQ(entries.status, 200) << entries.body;
    nlohmann::json list = nlohmann::json::array();
    const nlohmann::json body = entries.Json();
    for (const auto& e : body["entries"]) list.push_back(e["entry"]);
    return list;
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_, officer_a_, officer_b_, other_officer_, court_, auditor_, alice_, bob_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
};

TEST_F(ClaimReviewTest, RequestInfoMakesTheClaimDeficientUntilTheClaimantAmends) {
  const std::string path = Declare(1);
  ClientResponse past =
      Post(path + "/request-info", {{"message", "请补充银行流水"}, {"cure_by", "2021-01-01"}},
           officer_a_);
  EXPECT_EQ(past.status, 422) << past.body;
  EXPECT_EQ(past.ErrorField(), "cure_by");
  ClientResponse bad_date =
      Post(path + "/request-info", {{"message", "x"}, {"cure_by", "2099-02-30"}}, officer_a_);
  EXPECT_EQ(bad_date.status, 400) << bad_date.body;
  EXPECT_EQ(bad_date.ErrorField(), "cure_by");
  ClientResponse no_message =
      Post(path + "/request-info", {{"message", ""}, {"cure_by", "2099-01-31"}}, officer_a_);
  EXPECT_EQ(no_message.status, 400) << no_message.body;
  EXPECT_EQ(no_message.ErrorField(), "message");
  ClientResponse too_long =
      Post(path + "/request-info", {{"message", std::string(2001, 'x')}, {"cure_by", "2099-01-31"}},
           officer_a_);
  EXPECT_EQ(too_long.status, 400) << too_long.body;
  // 2000 Chinese characters are fine (the limit counts characters, not bytes).
  std::string chinese;
  for (int i = 0; i < 2000; ++i) chinese += "补";

  ClientResponse requested =
      Post(path + "/request-info", {{"message", chinese}, {"cure_by", "2099-01-31"}}, officer_a_);
  ASSERT_EQ(requested.status, 200) << requested.body;
  EXPECT_EQ(requested.Json()["status"], "deficient");
  // The end of 2099-01-31 in Beijing.
  EXPECT_EQ(requested.Json()["cure_by"], "2099-01-31T15:59:59.999Z");
  EXPECT_TRUE(HasReceipt(requested)) << requested.body;
  EXPECT_EQ(
      Post(path + "/request-info", {{"message", "again"}, {"cure_by", "2099-01-31"}}, officer_a_)
          .status,
      409);

  // The claimant reads the notice in the timeline.
  ClientResponse own = client().Get(path, alice_);
  ASSERT_EQ(own.status, 200) << own.body;
  const nlohmann::json last = own.Json()["timeline"].back();
  EXPECT_EQ(last["action"], "info_requested");
  EXPECT_EQ(last["note"], chinese);
  EXPECT_EQ(last["to_status"], "deficient");

  // A deficient claim can be neither confirmed nor countersigned, but it can be amended.
  EXPECT_EQ(Post(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_a_).status, 409);
  ClientResponse amended = Amend(path, Declaration(IdNumber(1)), alice_);
  ASSERT_EQ(amended.status, 200) << amended.body;
  EXPECT_EQ(amended.Json()["status"], "submitted");
  EXPECT_TRUE(amended.Json()["cure_by"].is_null());
  EXPECT_EQ(Post(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_a_).status, 200);
}

TEST_F(ClaimReviewTest, ConfirmAtTheDeclaredAmountOrWithAReason) {
  const std::string path = Declare(1);
  ClientResponse confirmed = Post(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_a_);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json()["status"], "confirmed");
  EXPECT_EQ(confirmed.Json()["allowed_amount"], "12999.50");
  EXPECT_FALSE(confirmed.Json()["decided_at"].is_null());
  EXPECT_TRUE(HasReceipt(confirmed)) << confirmed.body;
  EXPECT_EQ(Post(path + "/confirm", {{"allowed_amount", "12999.50"}}, officer_a_).status, 409);

  const std::string other = Declare(2);
  auto expect_error = [&](const nlohmann::json& body, int status, const std::string& field) {
    ClientResponse response = Post(other + "/confirm", body, officer_a_);
    EXPECT_EQ(response.status, status) << body.dump() << "\n" << response.body;
    EXPECT_EQ(response.ErrorField(), field) << response.body;
  };
  expect_error({{"allowed_amount", "12000.00"}}, 422, "reason");
  expect_error({{"allowed_amount", "15000.01"}, {"reason", "x"}}, 422, "allowed_amount");
  expect_error({{"allowed_amount", "-1.00"}, {"reason", "x"}}, 400, "allowed_amount");
  expect_error({{"allowed_amount", "1.234"}, {"reason", "x"}}, 400, "allowed_amount");
  expect_error({{"allowed_amount", 12000}, {"reason", "x"}}, 400, "allowed_amount");
  expect_error(nlohmann::json::object(), 400, "allowed_amount");
  expect_error({{"at_book_figure", false}}, 400, "allowed_amount");
  expect_error({{"allowed_amount", "1.00"}, {"at_book_figure", true}}, 400, "at_book_figure");
  expect_error({{"allowed_amount", "12999.50"}, {"note", "x"}}, 400, "note");
  expect_error({{"allowed_amount", "12000.00"}, {"reason", std::string(501, 'r')}}, 400, "reason");
  expect_error({{"at_book_figure", true}}, 422, "at_book_figure");  // no books imported

  ClientResponse reasoned = Post(
      other + "/confirm", {{"allowed_amount", "12000.00"}, {"reason", "回报多算"}}, officer_a_);
  ASSERT_EQ(reasoned.status, 200) << reasoned.body;
  EXPECT_EQ(reasoned.Json()["allowed_amount"], "12000.00");
  EXPECT_TRUE(HasReceipt(reasoned));

  // The claimant sees the reason in the timeline.
  ClientResponse own = client().Get(other, alice_);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.Json()["timeline"].back()["action"], "confirmed");
  EXPECT_EQ(own.Json()["timeline"].back()["note"], "回报多算");

  // Zero is a decision too.
  const std::string zero = Declare(3);
  ClientResponse nothing =
      Post(zero + "/confirm", {{"allowed_amount", "0"}, {"reason", "净收益"}}, officer_a_);
  EXPECT_EQ(nothing.status, 200) << nothing.body;
  EXPECT_EQ(nothing.Json()["allowed_amount"], "0.00");
}

TEST_F(ClaimReviewTest, AboveTheThresholdASecondOfficerMustCountersign) {
  const std::string path = Declare(1);
  ClientResponse proposed =
      Post(path + "/confirm", {{"allowed_amount", "14000.00"}, {"reason", "账册更高"}}, officer_a_);
  ASSERT_EQ(proposed.status, 200) << proposed.body;
  EXPECT_EQ(proposed.Json()["status"], "pending_countersign");
  EXPECT_EQ(proposed.Json()["allowed_amount"], "14000.00");
  EXPECT_TRUE(proposed.Json()["decided_at"].is_null());
  EXPECT_TRUE(HasReceipt(proposed));
  // Not yet confirmed: no objection can be lodged, it counts as nothing confirmed.
  EXPECT_EQ(Post(path + "/objections", {{"reason", "x"}}, alice_).status, 409);

  ClientResponse same = Post(path + "/countersign", nlohmann::json::object(), officer_a_);
  EXPECT_EQ(same.status, 403) << same.body;
  EXPECT_EQ(same.ErrorCode(), "same_officer");
  EXPECT_EQ(Post(path + "/countersign", nlohmann::json::object(), court_).status, 403);
  EXPECT_EQ(Post(path + "/countersign", nlohmann::json::object(), auditor_).status, 403);
  EXPECT_EQ(Post(path + "/countersign", nlohmann::json::object(), alice_).status, 403);
  EXPECT_EQ(Post(path + "/countersign", nlohmann::json::object(), other_officer_).status, 404);

  ClientResponse countersigned = Post(path + "/countersign", nlohmann::json::object(), officer_b_);
  ASSERT_EQ(countersigned.status, 200) << countersigned.body;
  EXPECT_EQ(countersigned.Json()["status"], "confirmed");
  EXPECT_EQ(countersigned.Json()["allowed_amount"], "14000.00");
  EXPECT_FALSE(countersigned.Json()["decided_at"].is_null());
  EXPECT_TRUE(HasReceipt(countersigned));
  EXPECT_EQ(Post(path + "/countersign", nlohmann::json::object(), officer_b_).status, 409);

  // At exactly the threshold one officer is enough.
  const std::string at = Declare(2);
  ClientResponse exact =
      Post(at + "/confirm", {{"allowed_amount", "13000.00"}, {"reason", "x"}}, officer_b_);
  EXPECT_EQ(exact.status, 200);
  EXPECT_EQ(exact.Json()["status"], "confirmed");

  // A pending proposal can still be rejected instead; the proposed amount goes with it.
  const std::string dropped = Declare(3);
  ASSERT_EQ(
      Post(dropped + "/confirm", {{"allowed_amount", "15000"}, {"reason", "x"}}, officer_a_).status,
      200);
  ClientResponse rejected = Post(
      dropped + "/reject", {{"reason_code", "excluded_person"}, {"note", "理财师"}}, officer_b_);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.Json()["status"], "rejected");
  EXPECT_TRUE(rejected.Json()["allowed_amount"].is_null());
}

TEST_F(ClaimReviewTest, RejectWithEachReasonCode) {
  const std::vector<std::string> codes = {
      "duplicate", "not_a_participant", "excluded_person", "no_evidence", "late", "net_winner",
      "other"};
  for (size_t i = 0; i < codes.size(); ++i) {
    SCOPED_TRACE(codes[i]);
    const std::string path = Declare(static_cast<int>(i) + 1);
    ClientResponse rejected = Post(
        path + "/reject", {{"reason_code", codes[i]}, {"note", "说明 " + codes[i]}}, officer_a_);
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    EXPECT_EQ(rejected.Json()["status"], "rejected");
    EXPECT_EQ(rejected.Json()["reject_reason"], codes[i]);
    EXPECT_FALSE(rejected.Json()["decided_at"].is_null());
    EXPECT_TRUE(HasReceipt(rejected));
    EXPECT_EQ(
        Post(path + "/reject", {{"reason_code", codes[i]}, {"note", "again"}}, officer_a_).status,
        409);
  }
  const std::string path = Declare(20);
  ClientResponse bad = Post(path + "/reject", {{"reason_code", "rich"}, {"note", "x"}}, officer_a_);
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.ErrorField(), "reason_code");
  ClientResponse no_note = Post(path + "/reject", {{"reason_code", "late"}}, officer_a_);
  EXPECT_EQ(no_note.status, 400);
  EXPECT_EQ(no_note.ErrorField(), "note");
  // A deficient claim whose deadline passes is rejected for want of evidence.
  ASSERT_EQ(
      Post(path + "/request-info", {{"message", "缺材料"}, {"cure_by", "2099-01-31"}}, officer_a_)
          .status,
      200);
  ClientResponse deficient =
      Post(path + "/reject", {{"reason_code", "no_evidence"}, {"note", "逾期未补正"}}, officer_a_);
  EXPECT_EQ(deficient.status, 200) << deficient.body;
  ClientResponse own = client().Get(path, alice_);
  EXPECT_EQ(own.Json()["timeline"].back()["reason_code"], "no_evidence");
  EXPECT_EQ(own.Json()["timeline"].back()["note"], "逾期未补正");
}

TEST_F(ClaimReviewTest, WrongStatesAreConflicts) {
  const std::string withdrawn = Declare(1);
  ASSERT_EQ(Post(withdrawn + "/withdraw", nlohmann::json::object(), alice_).status, 200);
  ClientResponse confirm =
      Post(withdrawn + "/confirm", {{"allowed_amount", "1.00"}, {"reason", "x"}}, officer_a_);
  EXPECT_EQ(confirm.status, 409) << confirm.body;
  EXPECT_EQ(confirm.ErrorCode(), "invalid_transition");
  EXPECT_EQ(
      Post(withdrawn + "/reject", {{"reason_code", "late"}, {"note", "x"}}, officer_a_).status,
      409);
  EXPECT_EQ(
      Post(withdrawn + "/request-info", {{"message", "x"}, {"cure_by", "2099-01-01"}}, officer_a_)
          .status,
      409);
  // The state wins over the amount: no books, but the claim is withdrawn anyway.
  EXPECT_EQ(Post(withdrawn + "/confirm", {{"at_book_figure", true}}, officer_a_).status, 409);

  const std::string submitted = Declare(2);
  ClientResponse countersign =
      Post(submitted + "/countersign", nlohmann::json::object(), officer_b_);
  EXPECT_EQ(countersign.status, 409) << countersign.body;
  EXPECT_EQ(countersign.ErrorCode(), "invalid_transition");
  ClientResponse resolve =
      Post(Resolve(submitted, 1), {{"outcome", "upheld"}, {"note", "x"}}, officer_a_);
  EXPECT_EQ(resolve.status, 409) << resolve.body;
  EXPECT_EQ(resolve.ErrorCode(), "invalid_transition");
  EXPECT_EQ(Post(submitted + "/objections", {{"reason", "x"}}, alice_).status, 409);

  const std::string confirmed = ConfirmedClaim(3);
  EXPECT_EQ(
      Post(Resolve(confirmed, 999), {{"outcome", "upheld"}, {"note", "x"}}, officer_a_).status,
      409);
  EXPECT_EQ(
      Post(confirmed + "/reject", {{"reason_code", "late"}, {"note", "x"}}, officer_a_).status,
      409);
  EXPECT_EQ(
      Post(confirmed + "/request-info", {{"message", "x"}, {"cure_by", "2099-01-01"}}, officer_a_)
          .status,
      409);
}

TEST_F(ClaimReviewTest, OnlyTheCaseOfficersReview) {
  const std::string path = Declare(1);
  const nlohmann::json body = {{"allowed_amount", "12999.50"}};
  ClientResponse court = Post(path + "/confirm", body, court_);
  EXPECT_EQ(court.status, 403) << court.body;
  EXPECT_EQ(Post(path + "/confirm", body, auditor_).status, 403);
  EXPECT_EQ(Post(path + "/confirm", body, admin_).status, 403);
  EXPECT_EQ(Post(path + "/confirm", body, alice_).status, 403);
  EXPECT_EQ(Post(path + "/confirm", body, "").status, 401);
  EXPECT_EQ(Post(path + "/confirm", body, other_officer_).status, 404);
  EXPECT_EQ(Post(path + "/reject", {{"reason_code", "late"}, {"note", "x"}}, other_officer_).status,
            404);
  EXPECT_EQ(
      Post(path + "/request-info", {{"message", "x"}, {"cure_by", "2099-01-01"}}, other_officer_)
          .status,
      404);
  EXPECT_EQ(
      Post(path + "/request-info", {{"message", "x"}, {"cure_by", "2099-01-01"}}, court_).status,
      403);
  // The claim under the other case's path does not exist, even for an officer of both.
  const std::string elsewhere =
      Claims(other_case_id_) + "/" + std::to_string(ClaimId(path)) + "/confirm";
  EXPECT_EQ(Post(elsewhere, body, other_officer_).status, 404);
  EXPECT_EQ(Post(elsewhere, body, officer_a_).status, 404);
  EXPECT_EQ(Post(Claims(case_id_) + "/999999/confirm", body, officer_a_).status, 404);
  EXPECT_EQ(Post(Claims(case_id_) + "/abc/confirm", body, officer_a_).status, 404);
  // Nothing changed.
  ClientResponse still = client().Get(path, alice_);
  EXPECT_EQ(still.Json()["status"], "submitted");
}

TEST_F(ClaimReviewTest, ObjectionsAreUpheldOrAdjusted) {
  const std::string path = ConfirmedClaim(1, "12000.00");
  // Only the filer objects.
  EXPECT_EQ(Post(path + "/objections", {{"reason", "x"}}, bob_).status, 404);
  EXPECT_EQ(Post(path + "/objections", {{"reason", "x"}}, officer_a_).status, 404);
  EXPECT_EQ(Post(path + "/objections", {{"reason", "x"}}, court_).status, 404);
  EXPECT_EQ(Post(path + "/objections", {{"reason", "x"}}, "").status, 401);
  EXPECT_EQ(Post(path + "/objections", {{"reason", ""}}, alice_).status, 400);
  ClientResponse too_much =
      Post(path + "/objections", {{"reason", "x"}, {"requested_amount", "15000.01"}}, alice_);
  EXPECT_EQ(too_much.status, 422) << too_much.body;
  EXPECT_EQ(too_much.ErrorField(), "requested_amount");

  ClientResponse lodged =
      Post(path + "/objections", {{"reason", "利息没有这么多"}, {"requested_amount", "12999.50"}},
           alice_);
  ASSERT_EQ(lodged.status, 201) << lodged.body;
  EXPECT_EQ(lodged.Json()["status"], "disputed");
  EXPECT_EQ(lodged.Json()["allowed_amount"], "12000.00");
  EXPECT_TRUE(HasReceipt(lodged));
  const nlohmann::json objection = lodged.Json()["objection"];
  ASSERT_TRUE(objection["id"].is_number_integer()) << lodged.body;
  const int64_t oid = objection["id"];
  EXPECT_EQ(objection["status"], "open");
  EXPECT_EQ(objection["disputed_decision"], "confirmed");
  EXPECT_EQ(objection["requested_amount"], "12999.50");
  EXPECT_EQ(objection["reason_code"], "other");  // none given
  // One open objection per claim.
  EXPECT_EQ(Post(path + "/objections", {{"reason", "again"}}, alice_).status, 409);

  // Who reads what.
  ClientResponse own = client().Get(path + "/objections", alice_);
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(own.Json()["objections"].size(), 1u);
  EXPECT_EQ(own.Json()["objections"][0]["reason"], "利息没有这么多");
  ClientResponse staff = client().Get(path + "/objections", court_);
  ASSERT_EQ(staff.status, 200);
  EXPECT_EQ(staff.Json()["objections"][0]["reason"], "利息没有这么多");
  ClientResponse auditor = client().Get(path + "/objections", auditor_);
  ASSERT_EQ(auditor.status, 200);
  EXPECT_EQ(auditor.Json()["objections"][0]["status"], "open");
  EXPECT_FALSE(auditor.Json()["objections"][0].contains("reason")) << auditor.body;
  EXPECT_EQ(auditor.body.find("利息"), std::string::npos);
  EXPECT_EQ(client().Get(path + "/objections", bob_).status, 404);
  EXPECT_EQ(client().Get(path + "/objections", other_officer_).status, 404);
  EXPECT_EQ(client().Get(path + "/objections", admin_).status, 404);

  // Resolution: officers of the case only, the right objection only.
  const nlohmann::json upheld = {{"outcome", "upheld"}, {"note", "核对无误"}};
  EXPECT_EQ(Post(Resolve(path, oid), upheld, court_).status, 403);
  EXPECT_EQ(Post(Resolve(path, oid), upheld, alice_).status, 403);
  EXPECT_EQ(Post(Resolve(path, oid), upheld, other_officer_).status, 404);
  EXPECT_EQ(Post(Resolve(path, oid + 1000), upheld, officer_a_).status, 404);
  ClientResponse bad_outcome =
      Post(Resolve(path, oid), {{"outcome", "maybe"}, {"note", "x"}}, officer_a_);
  EXPECT_EQ(bad_outcome.status, 400);
  EXPECT_EQ(bad_outcome.ErrorField(), "outcome");
  ClientResponse upheld_with_amount =
      Post(Resolve(path, oid), {{"outcome", "upheld"}, {"allowed_amount", "1"}, {"note", "x"}},
           officer_a_);
  EXPECT_EQ(upheld_with_amount.status, 400);
  EXPECT_EQ(upheld_with_amount.ErrorField(), "allowed_amount");

  ClientResponse resolved = Post(Resolve(path, oid), upheld, officer_b_);
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.Json()["status"], "confirmed");
  EXPECT_EQ(resolved.Json()["allowed_amount"], "12000.00");
  EXPECT_EQ(resolved.Json()["objection"]["status"], "resolved");
  EXPECT_EQ(resolved.Json()["objection"]["outcome"], "upheld");
  EXPECT_TRUE(HasReceipt(resolved));
  EXPECT_EQ(Post(Resolve(path, oid), upheld, officer_b_).status, 409);
  // An upheld decision is not objected to twice.
  ClientResponse twice = Post(path + "/objections", {{"reason", "再次异议"}}, alice_);
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(twice.ErrorCode(), "already_objected");
  ClientResponse listed = client().Get(path + "/objections", alice_);
  EXPECT_EQ(listed.Json()["objections"][0]["resolution_note"], "核对无误");

  // A rejection upheld stays a rejection.
  const std::string rejected = RejectedClaim(2);
  const int64_t rejected_oid = Object(rejected);
  EXPECT_EQ(
      client().Get(rejected + "/objections", alice_).Json()["objections"][0]["disputed_decision"],
      "rejected");
  ClientResponse stays = Post(Resolve(rejected, rejected_oid), upheld, officer_a_);
  ASSERT_EQ(stays.status, 200) << stays.body;
  EXPECT_EQ(stays.Json()["status"], "rejected");
  EXPECT_EQ(stays.Json()["reject_reason"], "not_a_participant");
  EXPECT_TRUE(stays.Json()["allowed_amount"].is_null());

  // A rejection adjusted becomes a confirmation.
  const std::string adjusted = RejectedClaim(3);
  const int64_t adjusted_oid = Object(adjusted, {{"reason", "有转账记录"}});
  ClientResponse missing =
      Post(Resolve(adjusted, adjusted_oid), {{"outcome", "adjusted"}, {"note", "x"}}, officer_a_);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.ErrorField(), "allowed_amount");
  ClientResponse above =
      Post(Resolve(adjusted, adjusted_oid),
           {{"outcome", "adjusted"}, {"allowed_amount", "15000.01"}, {"note", "x"}}, officer_a_);
  EXPECT_EQ(above.status, 422);
  EXPECT_EQ(above.ErrorField(), "allowed_amount");
  ClientResponse confirmed =
      Post(Resolve(adjusted, adjusted_oid),
           {{"outcome", "adjusted"}, {"allowed_amount", "11000.00"}, {"note", "按流水认定"}},
           officer_a_);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json()["status"], "confirmed");
  EXPECT_EQ(confirmed.Json()["allowed_amount"], "11000.00");
  EXPECT_TRUE(confirmed.Json()["reject_reason"].is_null());
  EXPECT_EQ(confirmed.Json()["objection"]["outcome"], "adjusted");

  // The adjusted amount is a new decision: it can be objected to, and an adjustment above
  // the threshold needs a second officer.
  const int64_t second_oid = Object(adjusted, {{"reason", "还是不够"}});
  ClientResponse pending =
      Post(Resolve(adjusted, second_oid),
           {{"outcome", "adjusted"}, {"allowed_amount", "14000.00"}, {"note", "补足"}}, officer_a_);
  ASSERT_EQ(pending.status, 200) << pending.body;
  EXPECT_EQ(pending.Json()["status"], "pending_countersign");
  EXPECT_EQ(Post(adjusted + "/countersign", nlohmann::json::object(), officer_a_).status, 403);
  ClientResponse countersigned =
      Post(adjusted + "/countersign", nlohmann::json::object(), officer_b_);
  ASSERT_EQ(countersigned.status, 200) << countersigned.body;
  EXPECT_EQ(countersigned.Json()["status"], "confirmed");
  EXPECT_EQ(countersigned.Json()["allowed_amount"], "14000.00");
  EXPECT_EQ(client().Get(adjusted + "/objections", officer_a_).Json()["objections"].size(), 2u);
}

TEST_F(ClaimReviewTest, ObjectionReasonCodesFitTheDecision) {
  const std::string confirmed = ConfirmedClaim(1, "12000.00");
  const std::string rejected = RejectedClaim(2);
  const auto expect_refused = [&](const std::string& path, const char* code, int status) {
    ClientResponse refused =
        Post(path + "/objections", {{"reason_code", code}, {"reason", "不服"}}, alice_);
    EXPECT_EQ(refused.status, status) << code << ": " << refused.body;
    EXPECT_EQ(refused.ErrorField(), "reason_code") << refused.body;
  };
  expect_refused(confirmed, "wrongly_rejected", 422);  // it was confirmed
  expect_refused(rejected, "amount_wrong", 422);       // a rejection has no amount
  expect_refused(confirmed, "fraud", 400);
  expect_refused(confirmed, "Amount_Wrong", 400);
  // Refused means nothing written: the claims are as they were.
  EXPECT_EQ(client().Get(confirmed, alice_).Json()["status"], "confirmed");
  EXPECT_EQ(client().Get(rejected, alice_).Json()["status"], "rejected");
  EXPECT_EQ(client().Get(confirmed + "/objections", alice_).Json()["objections"].size(), 0u);

  Object(confirmed, {{"reason_code", "amount_wrong"}, {"reason", "本金少算了"}});
  const int64_t upheld =
      Object(rejected, {{"reason_code", "returns_overcounted"}, {"reason", "没有收到这些返利"}});
  ASSERT_EQ(
      Post(Resolve(rejected, upheld), {{"outcome", "upheld"}, {"note", "核对无误"}}, officer_a_)
          .status,
      200);
  ClientResponse listed = client().Get(rejected + "/objections", officer_a_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.Json()["objections"][0]["reason_code"], "returns_overcounted");
  // The code is not free text: an auditor sees it too.
  ClientResponse audited = client().Get(confirmed + "/objections", auditor_);
  ASSERT_EQ(audited.status, 200) << audited.body;
  EXPECT_EQ(audited.Json()["objections"][0]["reason_code"], "amount_wrong");

  // The public statistics count objections by reason, every reason listed.
  ClientResponse stats = client().Get("/api/v1/cases/" + std::to_string(case_id_) + "/stats");
  ASSERT_EQ(stats.status, 200) << stats.body;
  const nlohmann::json zero = {{"open", 0}, {"upheld", 0}, {"adjusted", 0}};
  EXPECT_EQ(stats.Json()["objections_by_reason"],
            (nlohmann::json{{"amount_wrong", {{"open", 1}, {"upheld", 0}, {"adjusted", 0}}},
                            {"wrongly_rejected", zero},
                            {"records_missing", zero},
                            {"returns_overcounted", {{"open", 0}, {"upheld", 1}, {"adjusted", 0}}},
                            {"other", zero}}))
      << stats.body;
  ClientResponse other = client().Get("/api/v1/cases/" + std::to_string(other_case_id_) + "/stats");
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_EQ(other.Json()["objections_by_reason"]["amount_wrong"], zero) << other.body;
}

TEST_F(ClaimReviewTest, ObjectionsCloseWithTheirWindow) {
  const int64_t short_case = NewCase("JZ-3", 1);
  const std::string token = StaffToken("officer.d", "officer", short_case);
  const std::string early = Declare(1, short_case);
  const std::string late = Declare(2, short_case);
  for (const std::string& path : {early, late}) {
    ASSERT_EQ(Post(path + "/confirm", {{"allowed_amount", "12999.50"}}, token).status, 200);
  }
  auto db = server_.database().Connect();
  // Decided 23 hours ago: still open. Decided two days ago: closed.
  ASSERT_TRUE(db->Exec("UPDATE claims SET decided_at_ms = decided_at_ms - ? WHERE id = ?",
                       {kDayMs - 3600 * 1000, ClaimId(early)})
                  .ok());
  ASSERT_TRUE(db->Exec("UPDATE claims SET decided_at_ms = decided_at_ms - ? WHERE id = ?",
                       {2 * kDayMs, ClaimId(late)})
                  .ok());
  ClientResponse closed = Post(late + "/objections", {{"reason", "迟到"}}, alice_);
  EXPECT_EQ(closed.status, 422) << closed.body;
  EXPECT_EQ(closed.ErrorCode(), "objection_window_closed");
  EXPECT_EQ(client().Get(late, alice_).Json()["status"], "confirmed");
  EXPECT_EQ(Post(early + "/objections", {{"reason", "及时"}}, alice_).status, 201);
}

TEST_F(ClaimReviewTest, TheLedgerRecordsDecisionsButNoFreeText) {
  const std::string a = Declare(1);
  ASSERT_EQ(Post(a + "/request-info",
                 {{"message", "SECRET-MESSAGE 请补充"}, {"cure_by", "2099-01-31"}}, officer_a_)
                .status,
            200);
  ASSERT_EQ(Amend(a, Declaration(IdNumber(1)), alice_).status, 200);
  ASSERT_EQ(Post(a + "/confirm", {{"allowed_amount", "14000.00"}, {"reason", "SECRET-REASON"}},
                 officer_a_)
                .status,
            200);
  ASSERT_EQ(Post(a + "/countersign", nlohmann::json::object(), officer_b_).status, 200);
  const int64_t oid = Object(a, {{"reason_code", "records_missing"},
                                 {"reason", "SECRET-OBJECTION"},
                                 {"requested_amount", "15000"}});
  ASSERT_EQ(
      Post(Resolve(a, oid),
           {{"outcome", "adjusted"}, {"allowed_amount", "12000.00"}, {"note", "SECRET-RESOLUTION"}},
           officer_a_)
          .status,
      200);
  const std::string b = Declare(2);
  ASSERT_EQ(
      Post(b + "/reject", {{"reason_code", "net_winner"}, {"note", "SECRET-NOTE"}}, officer_a_)
          .status,
      200);

  const nlohmann::json entries = LedgerEntries();
  const std::string dumped = entries.dump();
  for (const char* secret : {"SECRET-MESSAGE", "SECRET-REASON", "SECRET-OBJECTION",
                             "SECRET-RESOLUTION", "SECRET-NOTE", "请补充"}) {
    EXPECT_EQ(dumped.find(secret), std::string::npos) << secret;
  }
  std::map<std::string, nlohmann::json> by_type;
  for (const auto& e : entries) by_type[e["type"]] = e;
  ASSERT_EQ(by_type.count("claim_info_requested"), 1u) << dumped;
  EXPECT_EQ(by_type["claim_info_requested"]["payload"]["cure_by"], "2099-01-31T15:59:59.999Z");
  ASSERT_EQ(by_type.count("claim_confirmation_proposed"), 1u);
  EXPECT_EQ(by_type["claim_confirmation_proposed"]["payload"]["allowed_fen"], 1400000);
  EXPECT_EQ(by_type["claim_confirmation_proposed"]["payload"]["pending_countersign"], true);
  EXPECT_EQ(by_type["claim_confirmation_proposed"]["payload"]["at_book_figure"], false);
  ASSERT_EQ(by_type.count("claim_countersigned"), 1u);
  EXPECT_EQ(by_type["claim_countersigned"]["payload"]["status"], "confirmed");
  ASSERT_EQ(by_type.count("claim_objection_lodged"), 1u);
  EXPECT_EQ(by_type["claim_objection_lodged"]["payload"]["objection"], oid);
  EXPECT_EQ(by_type["claim_objection_lodged"]["payload"]["requested_fen"], 1500000);
  EXPECT_EQ(by_type["claim_objection_lodged"]["payload"]["reason_code"], "records_missing");
  ASSERT_EQ(by_type.count("claim_objection_resolved"), 1u);
  EXPECT_EQ(by_type["claim_objection_resolved"]["payload"]["outcome"], "adjusted");
  EXPECT_EQ(by_type["claim_objection_resolved"]["payload"]["allowed_fen"], 1200000);
  ASSERT_EQ(by_type.count("claim_rejected"), 1u);
  EXPECT_EQ(by_type["claim_rejected"]["payload"]["reason_code"], "net_winner");
  EXPECT_EQ(by_type["claim_rejected"]["payload"]["claim"], ClaimId(b));
}

TEST_F(ClaimReviewTest, ConfirmAtTheBooksFigure) {
  const std::string path = Declare(1);
  ClientResponse none = Post(path + "/confirm", {{"at_book_figure", true}}, officer_a_);
  EXPECT_EQ(none.status, 422) << none.body;
  EXPECT_EQ(none.ErrorField(), "at_book_figure");

  // Books for this person (two platform accounts): deposits 15,000.00, withdrawals 2,500.00.
  StatusOr<ServiceKeys> keys = ServiceKeys::Load(server_.var_dir() + "/keys");
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  const std::string person = PersonIndex(*keys, IdNumber(1));
  auto db = server_.database().Connect();
  StatusOr<int64_t> import_id = db->Insert(
      "INSERT INTO book_imports (case_id, file_sha256, source_encoding, row_count, "
      "imported_by, imported_at_ms) VALUES (?, ?, 'utf-8', 2, 1, 0)",
      {case_id_, std::string(32, '\x01')});
  ASSERT_TRUE(import_id.ok()) << import_id.status().ToString();
  StatusOr<std::string> holder = keys->Seal("book_accounts.holder", "{}");
  ASSERT_TRUE(holder.ok());
  for (const auto& [account, deposits, withdrawals] :
       std::vector<std::tuple<std::string, int64_t, int64_t>>{{"zs-001", 1000000, 250000},
                                                              {"zs-002", 500000, 0}}) {
    ASSERT_TRUE(db->Exec("INSERT INTO book_accounts (case_id, platform_account, import_id, "
                         "person_hash, holder_enc, deposits_fen, withdrawals_fen) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?)",
                         {case_id_, account, *import_id, person, *holder, deposits, withdrawals})
                    .ok());
  }

  // 12,500.00 differs from the declared 12,999.50: a reason is required.
  ClientResponse unexplained = Post(path + "/confirm", {{"at_book_figure", true}}, officer_a_);
  EXPECT_EQ(unexplained.status, 422) << unexplained.body;
  EXPECT_EQ(unexplained.ErrorField(), "reason");
  ClientResponse confirmed =
      Post(path + "/confirm", {{"at_book_figure", true}, {"reason", "以账册为准"}}, officer_a_);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json()["status"], "confirmed");
  EXPECT_EQ(confirmed.Json()["allowed_amount"], "12500.00");
  EXPECT_TRUE(HasReceipt(confirmed));
  bool found = false;
  for (const auto& e : LedgerEntries()) {
    if (e["type"] == "claim_confirmed" && e["payload"]["claim"] == ClaimId(path)) {
      found = true;
      EXPECT_EQ(e["payload"]["at_book_figure"], true);
      EXPECT_EQ(e["payload"]["allowed_fen"], 1250000);
    }
  }
  EXPECT_TRUE(found);
}

}  // namespace
}  // namespace restitution::testing
