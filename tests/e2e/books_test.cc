// End-to-end: the seized books over HTTP against a real restitutiond and MariaDB — the
// officers' CSV import (UTF-8 and GBK, refused whole with every bad line), the book figures
// beside a claim, the holders without a claim, the claimant's rate-limited look-up and their
// acceptance or dispute of the figures, and who may do which.
#include <iconv.h>

#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "service/resident_id.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr char kHeader[] = "平台账号,姓名,身份证号,累计投资,累计提现\r\n";

std::string IdNumber(const std::string& birth, const std::string& sequence) {
  const std::string first17 = "110105" + birth + sequence;
  return first17 + ResidentIdCheckCharacter(first17);
}

const std::string kAliceId = IdNumber("19650312", "123");
const std::string kBobId = IdNumber("19700101", "011");
const std::string kWangId = IdNumber("19800505", "022");

std::string Row(const std::string& account, const std::string& name, const std::string& id,
                const std::string& deposits, const std::string& withdrawals) {
  return account + "," + name + "," + id + "," + deposits + "," + withdrawals + "\r\n";
}

// Alice declares 15,000.00 paid in and 2,000.50 received (net 12,999.50); the books say
// 16,000.00 in and 2,000.50 out over two accounts (net 13,999.50).
std::string Books() {
  return std::string(kHeader) + Row("zs-001", "张三", kAliceId, "10000.00", "1500.50") +
         Row("zs-002", "张三", kAliceId, "6000", "500") +
         Row("ww-001", "王五", kWangId, "30000", "1000");
}

// UTF-8 to GBK, as Excel's plain "CSV" writes it on a Chinese Windows.
std::string ToGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string in = utf8;
  std::string out(in.size() * 2 + 16, '\0');
  char* in_ptr = in.data();
  size_t in_left = in.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  EXPECT_NE(iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - out_left);
  return out;
}

nlohmann::json Declaration(const std::string& id_number, const std::string& name = "张三") {
  return {{"identity",
           {{"name", name},
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

class BooksTest : public ::testing::Test {
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
    ClientResponse created = client().PostJson(
        "/api/v1/users", {{"username", username}, {"password", kStaffPassword}, {"role", role}},
        admin_);
    EXPECT_EQ(created.status, 201) << created.body;
    if (case_id != 0) {
      ClientResponse bound =
          client().PostJson("/api/v1/cases/" + std::to_string(case_id) + "/members",
                            {{"user_id", created.Json()["id"]}, {"role", role}}, admin_);
      EXPECT_EQ(bound.status, 201) << bound.body;
    }
    return server_.LoginToken(username, kStaffPassword);
  }

  std::string ClaimantToken(const std::string& phone) {
    EXPECT_EQ(client()
                  .PostJson("/api/v1/claimants/register",
                            {{"phone", phone}, {"password", kClaimantPassword}})
                  .status,
              202);
    std::smatch code;
    const std::string text = server_.LastSmsText();
    EXPECT_TRUE(std::regex_search(text, code, std::regex("[0-9]{6}"))) << text;
    EXPECT_EQ(client()
                  .PostJson("/api/v1/claimants/verify", {{"phone", phone}, {"code", code.str()}})
                  .status,
              200);
    return server_.LoginToken(phone, kClaimantPassword);
  }

  std::string CasePath(int64_t case_id) const { return "/api/v1/cases/" + std::to_string(case_id); }

  ClientResponse Upload(int64_t case_id, const std::string& csv, const std::string& token,
                        const std::string& content_type = "text/csv") {
    return client().Send("POST", CasePath(case_id) + "/books", csv,
                         {{"Authorization", "Bearer " + token}, {"Content-Type", content_type}});
  }

  int64_t Declare(const std::string& token, const std::string& id_number) {
    ClientResponse declared =
        client().PostJson(CasePath(case_id_) + "/claims", Declaration(id_number), token);
    EXPECT_EQ(declared.status, 201) << declared.body;
    return declared.Json().value("id", int64_t{0});
  }

  std::string ClaimPath(int64_t claim_id) const {
    return CasePath(case_id_) + "/claims/" + std::to_string(claim_id);
  }

  int64_t CountRows(const std::string& table) {
    auto db = server_.database().Connect();
    StatusOr<SqlRows> rows = db->Query("SELECT COUNT(*) FROM " + table);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }
  int64_t LedgerEntries() { return CountRows("ledger_queue") + CountRows("ledger_entries"); }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_, officer_, other_officer_, court_, auditor_, alice_, bob_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
};

TEST_F(BooksTest, ImportsUtf8AndGbkFilesAndAReimportReplacesTheBooks) {
  const int64_t entries_before = LedgerEntries();
  ClientResponse imported = Upload(case_id_, "\xEF\xBB\xBF" + Books(), officer_);
  ASSERT_EQ(imported.status, 201) << imported.body;
  nlohmann::json json = imported.Json();
  EXPECT_GT(json["import_id"].get<int64_t>(), 0);
  EXPECT_EQ(json["rows"], 3);
  EXPECT_EQ(json["source_encoding"], "utf-8-bom");
  EXPECT_EQ(json["total_deposits"], "46000.00");
  EXPECT_EQ(json["total_withdrawals"], "3000.50");
  EXPECT_EQ(json["matched_claims"], 0);
  EXPECT_EQ(json["unmatched_holders"], 2);
  EXPECT_TRUE(json["receipt"]["ledger_index"].is_number_unsigned()) << imported.body;
  EXPECT_EQ(LedgerEntries(), entries_before + 1);
  EXPECT_EQ(CountRows("book_accounts"), 3);

  // The same books from Excel's plain "CSV" on a Chinese Windows: GBK.
  const std::string gbk = ToGbk(std::string(kHeader) + Row("ls-001", "李四", kBobId, "800", "0"));
  ASSERT_EQ(gbk.find("李四"), std::string::npos);
  ClientResponse replaced = Upload(case_id_, gbk, officer_, "application/octet-stream");
  ASSERT_EQ(replaced.status, 201) << replaced.body;
  EXPECT_EQ(replaced.Json()["source_encoding"], "gbk");
  EXPECT_EQ(replaced.Json()["rows"], 1);
  EXPECT_GT(replaced.Json()["import_id"], json["import_id"]);
  EXPECT_EQ(CountRows("book_accounts"), 1);
  EXPECT_EQ(CountRows("book_imports"), 2);
  // The GBK name was converted: the claimant finds it by its UTF-8 spelling.
  ClientResponse found = client().PostJson(CasePath(case_id_) + "/books/lookup",
                                           {{"name", "李四"}, {"id_number", kBobId}}, bob_);
  EXPECT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json()["scheduled_net"], "800.00");
}

TEST_F(BooksTest, ABadFileIsRefusedWholeListingEveryBadLine) {
  ASSERT_EQ(Upload(case_id_, Books(), officer_).status, 201);
  const int64_t accounts = CountRows("book_accounts");
  const int64_t imports = CountRows("book_imports");
  const int64_t entries = LedgerEntries();
  std::string bad_id = kBobId;
  bad_id[17] = bad_id[17] == '1' ? '2' : '1';
  const std::string csv = std::string(kHeader) + Row("a-1", "甲", kAliceId, "100", "0") +
                          Row("a-2", "乙", bad_id, "100", "0") +     // line 3
                          Row("a-3", "丙", kWangId, "1.234", "0") +  // line 4
                          Row("a-4", "丁", kWangId, "100", "0") +    // line 5
                          Row("a-5", "", kWangId, "100", "0");       // line 6
  ClientResponse refused = Upload(case_id_, csv, officer_);
  ASSERT_EQ(refused.status, 400) << refused.body;
  const nlohmann::json error = refused.Json()["error"];
  EXPECT_EQ(error["code"], "validation_failed");
  EXPECT_EQ(error["field"], "file");
  EXPECT_EQ(error["message"], "3 rows have errors; nothing was imported");
  ASSERT_TRUE(error["errors"].is_array()) << refused.body;
  ASSERT_EQ(error["errors"].size(), 3u) << refused.body;
  EXPECT_EQ(error["errors"][0]["line"], 3);
  EXPECT_EQ(error["errors"][0]["column"], "id_number");
  EXPECT_EQ(error["errors"][1]["line"], 4);
  EXPECT_EQ(error["errors"][1]["column"], "total_deposits");
  EXPECT_EQ(error["errors"][2]["line"], 6);
  EXPECT_EQ(error["errors"][2]["column"], "holder_name");
  EXPECT_EQ(refused.body.find(bad_id), std::string::npos);
  EXPECT_EQ(CountRows("book_accounts"), accounts);
  EXPECT_EQ(CountRows("book_imports"), imports);
  EXPECT_EQ(LedgerEntries(), entries);

  // A header problem is listed on line 1.
  ClientResponse header = Upload(case_id_, "平台账号,姓名,身份证号,累计投资\r\n", officer_);
  EXPECT_EQ(header.status, 400) << header.body;
  EXPECT_EQ(header.Json()["error"]["errors"][0]["line"], 1) << header.body;
  // Not a CSV upload at all.
  EXPECT_EQ(Upload(case_id_, Books(), officer_, "application/json").ErrorField(), "Content-Type");
  EXPECT_EQ(CountRows("book_accounts"), accounts);
}

TEST_F(BooksTest, ClaimsShowTheBookFiguresBesideTheDeclaredOnes) {
  const int64_t alice_claim = Declare(alice_, kAliceId);
  const int64_t bob_claim = Declare(bob_, kBobId);
  ClientResponse imported = Upload(case_id_, Books(), officer_);
  ASSERT_EQ(imported.status, 201) << imported.body;
  EXPECT_EQ(imported.Json()["matched_claims"], 1);
  EXPECT_EQ(imported.Json()["unmatched_holders"], 1);

  for (const std::string& token : {alice_, officer_, court_, auditor_}) {
    ClientResponse figures = client().Get(ClaimPath(alice_claim) + "/books", token);
    ASSERT_EQ(figures.status, 200) << figures.body;
    const nlohmann::json json = figures.Json();
    EXPECT_EQ(json["declared"]["principal"], "15000.00");
    EXPECT_EQ(json["declared"]["returns"], "2000.50");
    EXPECT_EQ(json["declared"]["net"], "12999.50");
    EXPECT_EQ(json["books"]["deposits"], "16000.00");
    EXPECT_EQ(json["books"]["withdrawals"], "2000.50");
    EXPECT_EQ(json["books"]["net"], "13999.50");
    ASSERT_EQ(json["books"]["accounts"].size(), 2u);
    EXPECT_EQ(json["books"]["accounts"][0]["platform_account"], "zs-001");
    EXPECT_EQ(json["books"]["accounts"][1]["deposits"], "6000.00");
    EXPECT_EQ(json["discrepancy"], true);
  }
  // Bob is not in the books.
  ClientResponse none = client().Get(ClaimPath(bob_claim) + "/books", bob_);
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_TRUE(none.Json()["books"].is_null());
  EXPECT_EQ(none.Json()["discrepancy"], false);
  // Not theirs to see.
  EXPECT_EQ(client().Get(ClaimPath(alice_claim) + "/books", bob_).status, 404);
  EXPECT_EQ(client().Get(ClaimPath(alice_claim) + "/books", other_officer_).status, 404);
  EXPECT_EQ(client().Get(ClaimPath(alice_claim) + "/books", admin_).status, 404);

  // The review queue flags the same claim.
  ClientResponse queue = client().Get(CasePath(case_id_) + "/claims", officer_);
  ASSERT_EQ(queue.status, 200) << queue.body;
  const nlohmann::json items = queue.Json()["items"];
  ASSERT_EQ(items.size(), 2u) << queue.body;
  for (const nlohmann::json& item : items) {
    if (item["id"] == alice_claim) {
      EXPECT_EQ(item["book_net"], "13999.50");
      EXPECT_EQ(item["discrepancy"], true);
    } else {
      EXPECT_TRUE(item["book_net"].is_null());
      EXPECT_EQ(item["discrepancy"], false);
    }
  }
}

TEST_F(BooksTest, OfficersSeeTheBookHoldersWithoutAClaim) {
  Declare(alice_, kAliceId);
  ASSERT_EQ(
      Upload(case_id_, Books() + Row("ls-001", "李四", kBobId, "900", "100"), officer_).status,
      201);
  ClientResponse list = client().Get(CasePath(case_id_) + "/books/unclaimed", officer_);
  ASSERT_EQ(list.status, 200) << list.body;
  const nlohmann::json json = list.Json();
  ASSERT_EQ(json["holders"].size(), 2u) << list.body;
  EXPECT_EQ(json["holders"][0]["holder_name"], "王五");
  EXPECT_EQ(json["holders"][0]["id_number_masked"],
            kWangId.substr(0, 6) + "********" + kWangId.substr(14));
  EXPECT_EQ(json["holders"][0]["accounts"][0]["platform_account"], "ww-001");
  EXPECT_EQ(json["holders"][0]["net"], "29000.00");
  EXPECT_EQ(json["holders"][1]["holder_name"], "李四");
  EXPECT_EQ(json["holders"][1]["deposits"], "900.00");
  EXPECT_EQ(json["holders"][1]["withdrawals"], "100.00");
  EXPECT_EQ(json["totals"]["holders"], 2);
  EXPECT_EQ(json["totals"]["deposits"], "30900.00");
  EXPECT_EQ(json["totals"]["net"], "29800.00");
  EXPECT_EQ(json["page"], 1);
  EXPECT_EQ(list.body.find(kWangId), std::string::npos);
  // Bob files: he leaves the list.
  Declare(bob_, kBobId);
  EXPECT_EQ(
      client().Get(CasePath(case_id_) + "/books/unclaimed", officer_).Json()["totals"]["holders"],
      1);
  // Names are for the case's officers only.
  EXPECT_EQ(client().Get(CasePath(case_id_) + "/books/unclaimed", court_).status, 403);
  EXPECT_EQ(client().Get(CasePath(case_id_) + "/books/unclaimed", auditor_).status, 403);
  EXPECT_EQ(client().Get(CasePath(case_id_) + "/books/unclaimed", alice_).status, 403);
  EXPECT_EQ(client().Get(CasePath(case_id_) + "/books/unclaimed", other_officer_).status, 404);
  EXPECT_EQ(client().Get(CasePath(case_id_) + "/books/unclaimed?page=0", officer_).status, 400);
  EXPECT_EQ(CountRows("pii_access_log WHERE what = 'books_unclaimed'"), 2);
}

TEST_F(BooksTest, ClaimantsLookUpTheirScheduledAmountAtMostTenTimesAnHour) {
  ASSERT_EQ(Upload(case_id_, Books(), officer_).status, 201);
  const std::string path = CasePath(case_id_) + "/books/lookup";
  ClientResponse found =
      client().PostJson(path, {{"name", "张三"}, {"id_number", kAliceId}}, alice_);
  ASSERT_EQ(found.status, 200) << found.body;
  const nlohmann::json json = found.Json();
  ASSERT_EQ(json["accounts"].size(), 2u);
  EXPECT_EQ(json["accounts"][0]["platform_account"], "zs-001");
  EXPECT_EQ(json["accounts"][0]["deposits"], "10000.00");
  EXPECT_EQ(json["accounts"][0]["withdrawals"], "1500.50");
  EXPECT_EQ(json["deposits"], "16000.00");
  EXPECT_EQ(json["withdrawals"], "2000.50");
  EXPECT_EQ(json["scheduled_net"], "13999.50");

  // A wrong name and an ID number not in the books get the same answer.
  ClientResponse wrong_name =
      client().PostJson(path, {{"name", "张四"}, {"id_number", kAliceId}}, alice_);
  ClientResponse unknown =
      client().PostJson(path, {{"name", "张三"}, {"id_number", kBobId}}, alice_);
  EXPECT_EQ(wrong_name.status, 404) << wrong_name.body;
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(wrong_name.Json()["error"], unknown.Json()["error"]);
  EXPECT_EQ(wrong_name.Json()["error"]["message"], "no matching records");
  // Malformed input is refused before it counts.
  EXPECT_EQ(client().PostJson(path, {{"name", "张三"}, {"id_number", "123"}}, alice_).ErrorField(),
            "id_number");
  // Staff do not look up scheduled amounts.
  EXPECT_EQ(client().PostJson(path, {{"name", "张三"}, {"id_number", kAliceId}}, officer_).status,
            403);

  for (int i = 3; i < 10; ++i) {
    EXPECT_EQ(client().PostJson(path, {{"name", "张三"}, {"id_number", kAliceId}}, alice_).status,
              200)
        << i;
  }
  ClientResponse limited =
      client().PostJson(path, {{"name", "张三"}, {"id_number", kAliceId}}, alice_);
  EXPECT_EQ(limited.status, 429) << limited.body;
  ASSERT_EQ(limited.headers.count("retry-after"), 1u);
  EXPECT_GT(std::stoi(limited.headers["retry-after"]), 3500);
  EXPECT_EQ(CountRows("pii_access_log WHERE what = 'books_lookup'"), 10);
  EXPECT_EQ(CountRows("security_events WHERE event = 'books_lookup_throttled'"), 1);
  // Another claimant account has its own allowance.
  EXPECT_EQ(client().PostJson(path, {{"name", "张三"}, {"id_number", kAliceId}}, bob_).status, 200);
}

TEST_F(BooksTest, ClaimantsAcceptOrDisputeTheBookFigures) {
  const int64_t alice_claim = Declare(alice_, kAliceId);
  const int64_t bob_claim = Declare(bob_, kBobId);
  ASSERT_EQ(Upload(case_id_, Books(), officer_).status, 201);
  const std::string path = ClaimPath(alice_claim) + "/book-figures";

  ClientResponse accepted = client().PostJson(path, {{"response", "accept"}}, alice_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["response"], "accept");
  EXPECT_EQ(accepted.Json()["status"], "submitted");
  EXPECT_EQ(accepted.Json()["books"]["net"], "13999.50");
  EXPECT_TRUE(accepted.Json()["receipt"]["ledger_index"].is_number_unsigned()) << accepted.body;
  ClientResponse disputed =
      client().PostJson(path, {{"response", "dispute"}, {"note", "2024年3月还投了一笔"}}, alice_);
  ASSERT_EQ(disputed.status, 200) << disputed.body;
  EXPECT_TRUE(disputed.Json()["receipt"]["ledger_index"].is_number_unsigned()) << disputed.body;

  ClientResponse claim = client().Get(ClaimPath(alice_claim), alice_);
  ASSERT_EQ(claim.status, 200) << claim.body;
  const nlohmann::json timeline = claim.Json()["timeline"];
  ASSERT_EQ(timeline.size(), 3u) << claim.body;
  EXPECT_EQ(timeline[1]["action"], "book_figures_accepted");
  EXPECT_EQ(timeline[1]["amount"], "13999.50");
  EXPECT_EQ(timeline[2]["action"], "book_figures_disputed");
  EXPECT_EQ(timeline[2]["note"], "2024年3月还投了一笔");
  // The declaration itself is unchanged.
  EXPECT_EQ(claim.Json()["declared_net"], "12999.50");
  EXPECT_EQ(claim.Json()["version"], 1);

  // Bob is not in the books: nothing to accept.
  ClientResponse nothing =
      client().PostJson(ClaimPath(bob_claim) + "/book-figures", {{"response", "accept"}}, bob_);
  EXPECT_EQ(nothing.status, 422) << nothing.body;
  EXPECT_EQ(nothing.ErrorCode(), "no_book_records");
  // Bad input, someone else's claim, staff.
  EXPECT_EQ(client().PostJson(path, {{"response", "maybe"}}, alice_).ErrorField(), "response");
  EXPECT_EQ(client().PostJson(path, {{"response", "accept"}}, bob_).status, 404);
  EXPECT_EQ(client().PostJson(path, {{"response", "accept"}}, officer_).status, 404);
  // Once withdrawn, the claim takes no more responses.
  ASSERT_EQ(client()
                .PostJson(ClaimPath(alice_claim) + "/withdraw", nlohmann::json::object(), alice_)
                .status,
            200);
  EXPECT_EQ(client().PostJson(path, {{"response", "accept"}}, alice_).status, 409);
}

TEST_F(BooksTest, OnlyTheCasesOfficersImport) {
  EXPECT_EQ(Upload(case_id_, Books(), alice_).status, 403);
  EXPECT_EQ(Upload(case_id_, Books(), court_).status, 403);
  EXPECT_EQ(Upload(case_id_, Books(), auditor_).status, 403);
  EXPECT_EQ(Upload(case_id_, Books(), admin_).status, 403);
  EXPECT_EQ(Upload(case_id_, Books(), other_officer_).status, 404);
  EXPECT_EQ(Upload(999999, Books(), officer_).status, 404);
  EXPECT_EQ(
      client()
          .Send("POST", CasePath(case_id_) + "/books", Books(), {{"Content-Type", "text/csv"}})
          .status,
      401);
  EXPECT_EQ(CountRows("book_accounts"), 0);
  EXPECT_EQ(CountRows("book_imports"), 0);
  // The auditor reads figures but does not import.
  const int64_t claim = Declare(alice_, kAliceId);
  ASSERT_EQ(Upload(case_id_, Books(), officer_).status, 201);
  EXPECT_EQ(client().Get(ClaimPath(claim) + "/books", auditor_).status, 200);
}

}  // namespace
}  // namespace restitution::testing
