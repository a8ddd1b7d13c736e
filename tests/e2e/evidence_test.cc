// End-to-end: claimants uploading evidence files (raw body or multipart), the case's staff
// listing and downloading them, and everyone else getting 404 — over HTTP against a real
// restitutiond and MariaDB, bytes compared one for one.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/evidence_file.h"
#include "service/resident_id.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";
constexpr char kBoundary[] = "----restitution-e2e-7MA4YWxkTrZu0gW";

std::string IdNumber(const std::string& region, const std::string& birth,
                     const std::string& sequence) {
  const std::string first17 = region + birth + sequence;
  return first17 + ResidentIdCheckCharacter(first17);
}

nlohmann::json Declaration(const std::string& id_number) {
  return {{"identity",
           {{"name", "张三"},
            {"id_number", id_number},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", "110105"},
          {"accounts", {{{"platform_account", "zs-001"}, {"channel", "app"}}}},
          {"contributions", {{{"date", "2024-01-15"}, {"amount", "10000.00"}}}},
          {"returns", nlohmann::json::array()}};
}

// ---- files ---------------------------------------------------------------------------------

uint32_t Crc32(const std::string& data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : data) {
    crc ^= static_cast<uint8_t>(ch);
    for (int k = 0; k < 8; ++k) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
  }
  return ~crc;
}

std::string Be32(uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) out[static_cast<size_t>(i)] = static_cast<char>(v >> (24 - 8 * i));
  return out;
}

std::string PngChunk(const std::string& type, const std::string& data) {
  return Be32(static_cast<uint32_t>(data.size())) + type + data + Be32(Crc32(type + data));
}

// A valid PNG whose private chunk holds `payload` (every byte value, CR LF, NUL: whatever
// would break a text-only path).
std::string Png(const std::string& payload) {
  return std::string("\x89PNG\r\n\x1A\n", 8) +
         PngChunk("IHDR", Be32(2) + Be32(2) + std::string("\x08\x02\x00\x00\x00", 5)) +
         PngChunk("prVt", payload) + PngChunk("IEND", "");
}

std::string AllBytes(size_t size) {
  std::string out(size, '\0');
  for (size_t i = 0; i < size; ++i) out[i] = static_cast<char>((i * 7 + i / 256) & 0xFF);
  return out;
}

std::string Pdf() {
  return "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n"
         "%%EOF\n";
}

std::string MultipartBody(const std::vector<std::pair<std::string, std::string>>& files,
                          const std::string& purpose = "") {
  std::string body;
  for (const auto& [filename, content] : files) {
    body += std::string("--") + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
            "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + content + "\r\n";
  }
  if (!purpose.empty()) {
    body += std::string("--") + kBoundary +
            "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n";
  }
  return body + "--" + kBoundary + "--\r\n";
}

// ---- the fixture -------------------------------------------------------------------------

class EvidenceTest : public ::testing::Test {
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
    ClientResponse declared = client().PostJson(
        Claims(case_id_), Declaration(IdNumber("110105", "19650312", "123")), alice_);
    ASSERT_EQ(declared.status, 201) << declared.body;
    claim_ = Claims(case_id_) + "/" + declared.Json()["id"].dump();
  }

  int64_t NewCase(const std::string& number) {
    ClientResponse created = client().PostJson("/api/v1/cases",
                                               {{"case_number", number},
                                                {"name", "某某案"},
                                                {"lead_region", "110105"},
                                                {"regions", {"110105"}},
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

  ClientResponse UploadRaw(const std::string& query, const std::string& bytes,
                           const std::string& token, const std::string& claim = "") const {
    return client().Send(
        "POST", (claim.empty() ? claim_ : claim) + "/evidence" + query, bytes,
        {{"Authorization", "Bearer " + token}, {"Content-Type", "application/octet-stream"}});
  }

  ClientResponse UploadMultipart(const std::string& body, const std::string& token,
                                 const std::string& claim = "") const {
    return client().Send(
        "POST", (claim.empty() ? claim_ : claim) + "/evidence", body,
        {{"Authorization", "Bearer " + token},
         {"Content-Type", std::string("multipart/form-data; boundary=\"") + kBoundary + "\""}});
  }

  int64_t CountRows(const std::string& sql) {
    auto db = server_.database().Connect();
    StatusOr<SqlRows> rows = db->Query(sql);
    return rows.ok() ? (*rows)[0].Int(0) : -1;
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_, officer_, other_officer_, court_, auditor_, alice_, bob_;
  int64_t case_id_ = 0;
  int64_t other_case_id_ = 0;
  std::string claim_;
};

TEST_F(EvidenceTest, RawAndMultipartUploadsRoundTripByteForByte) {
  const std::string png = Png(AllBytes(1 << 20));
  ClientResponse raw =
      UploadRaw("?filename=%E9%93%B6%E8%A1%8C%E6%B5%81%E6%B0%B4+1.png", png, alice_);
  ASSERT_EQ(raw.status, 201) << raw.body;
  nlohmann::json json = raw.Json();
  EXPECT_EQ(json["media_type"], "image/png");
  EXPECT_EQ(json["size"], png.size());
  EXPECT_EQ(json["sha256"], crypto::HexEncode(crypto::Sha256(png)));
  EXPECT_EQ(json["purpose"], "evidence");
  EXPECT_EQ(json["filename"], "银行流水 1.png");
  EXPECT_TRUE(json["uploaded_at"].is_string());
  EXPECT_TRUE(json["receipt"]["ledger_index"].is_number_unsigned()) << raw.body;
  const std::string png_id = json["id"].dump();

  const std::string pdf = Pdf();
  ClientResponse multipart =
      UploadMultipart(MultipartBody({{"委托书.pdf", pdf}}, "authority"), alice_);
  ASSERT_EQ(multipart.status, 201) << multipart.body;
  json = multipart.Json();
  EXPECT_EQ(json["media_type"], "application/pdf");
  EXPECT_EQ(json["purpose"], "authority");
  EXPECT_EQ(json["filename"], "委托书.pdf");
  EXPECT_EQ(json["size"], pdf.size());
  const std::string pdf_id = json["id"].dump();

  ClientResponse listed = client().Get(claim_ + "/evidence", alice_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["evidence"].size(), 2u);
  EXPECT_EQ(listed.Json()["evidence"][0]["id"].dump(), png_id);
  EXPECT_EQ(listed.Json()["evidence"][1]["filename"], "委托书.pdf");

  ClientResponse got = client().Get(claim_ + "/evidence/" + png_id, alice_);
  ASSERT_EQ(got.status, 200) << got.body.substr(0, 200);
  ASSERT_EQ(got.body.size(), png.size());
  EXPECT_TRUE(got.body == png) << "the download differs from the upload";
  EXPECT_EQ(got.headers["content-type"], "image/png");
  EXPECT_EQ(got.headers["content-disposition"],
            "attachment; filename=\"evidence-" + png_id +
                ".png\"; filename*=UTF-8''%E9%93%B6%E8%A1%8C%E6%B5%81%E6%B0%B4%201.png");
  EXPECT_EQ(got.headers["x-content-type-options"], "nosniff");
  EXPECT_NE(got.headers["cache-control"].find("no-store"), std::string::npos);

  ClientResponse got_pdf = client().Get(claim_ + "/evidence/" + pdf_id, alice_);
  ASSERT_EQ(got_pdf.status, 200);
  EXPECT_TRUE(got_pdf.body == pdf);
  EXPECT_EQ(got_pdf.headers["content-type"], "application/pdf");
}

TEST_F(EvidenceTest, TheLedgerHoldsTheHashButNeverTheName) {
  const std::string png = Png("ledger");
  ClientResponse uploaded = UploadRaw("?filename=secret-name-xyz.png", png, alice_);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const uint64_t index = uploaded.Json()["receipt"]["ledger_index"].get<uint64_t>();
  ClientResponse entries = client().Get("/api/v1/ledger/entries?limit=1000", admin_);
  ASSERT_EQ(entries.status, 200) << entries.body;
  const nlohmann::json listed = entries.Json();
  int found = 0;
  for (const auto& e : listed["entries"]) {
    if (e["entry"]["type"] != "claim_evidence_added") continue;
    ++found;
    EXPECT_EQ(e["index"], index);
    const nlohmann::json& payload = e["entry"]["payload"];
    EXPECT_EQ(payload["sha256"], crypto::HexEncode(crypto::Sha256(png)));
    EXPECT_EQ(payload["media_type"], "image/png");
    EXPECT_EQ(payload["size_bytes"], png.size());
    EXPECT_EQ(payload["purpose"], "evidence");
    EXPECT_EQ(payload["evidence"], uploaded.Json()["id"]);
    EXPECT_FALSE(payload.contains("filename"));
  }
  EXPECT_EQ(found, 1);
  EXPECT_EQ(entries.body.find("secret-name"), std::string::npos);
}

TEST_F(EvidenceTest, BadUploadsAreRefusedNamingTheFieldAndNothingIsWritten) {
  const int64_t queued_before = CountRows("SELECT COUNT(*) FROM ledger_queue") +
                                CountRows("SELECT COUNT(*) FROM ledger_entries");
  auto expect = [&](const ClientResponse& response, int status, const std::string& field) {
    EXPECT_EQ(response.status, status) << response.body;
    EXPECT_EQ(response.ErrorField(), field) << response.body;
  };
  // Content decides, not the name: a PDF name on something that is no PDF.
  expect(
      UploadRaw("?filename=statement.pdf", "%PDF-1.4 no end marker, really HTML <script>", alice_),
      400, "file");
  expect(UploadMultipart(MultipartBody({{"statement.pdf", "<html></html>"}}), alice_), 400, "file");
  expect(UploadRaw("?filename=empty.pdf", "", alice_), 400, "file");
  expect(UploadRaw("", Pdf(), alice_), 400, "filename");
  expect(UploadRaw("?filename=a%ZZ.pdf", Pdf(), alice_), 400, "filename");
  expect(UploadRaw("?filename=a%00.pdf", Pdf(), alice_), 400, "filename");
  expect(UploadRaw("?filename=..", Pdf(), alice_), 400, "filename");
  expect(UploadRaw("?filename=a.pdf&purpose=gift", Pdf(), alice_), 400, "purpose");
  expect(UploadRaw("?filename=a.pdf&name=x", Pdf(), alice_), 400, "name");
  expect(UploadMultipart(MultipartBody({{"a.pdf", Pdf()}, {"b.pdf", Pdf()}}), alice_), 400, "file");
  expect(UploadMultipart(MultipartBody({{"a.pdf", Pdf()}}, "gift"), alice_), 400, "purpose");
  // A multipart body without its closing boundary.
  std::string cut = MultipartBody({{"a.pdf", Pdf()}});
  cut.resize(cut.size() - 10);
  expect(UploadMultipart(cut, alice_), 400, "");
  expect(client().Send(
             "POST", claim_ + "/evidence", MultipartBody({{"a.pdf", Pdf()}}),
             {{"Authorization", "Bearer " + alice_}, {"Content-Type", "multipart/form-data"}}),
         400, "Content-Type");

  // One byte over 10 MiB: 413, as a raw body and inside a multipart body.
  std::string big = Pdf();
  big.insert(10, kMaxEvidenceBytes + 1 - big.size(), ' ');
  ASSERT_EQ(big.size(), kMaxEvidenceBytes + 1);
  ClientResponse too_big = UploadRaw("?filename=big.pdf", big, alice_);
  EXPECT_EQ(too_big.status, 413) << too_big.body;
  EXPECT_EQ(too_big.ErrorCode(), "payload_too_large");
  EXPECT_EQ(UploadMultipart(MultipartBody({{"big.pdf", big}}), alice_).status, 413);
  // Exactly 10 MiB is fine.
  big.erase(10, 1);
  ClientResponse at_limit = UploadRaw("?filename=big.pdf", big, alice_);
  EXPECT_EQ(at_limit.status, 201) << at_limit.body;

  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM claim_evidence"), 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM ledger_queue") +
                CountRows("SELECT COUNT(*) FROM ledger_entries"),
            queued_before + 1);
}

TEST_F(EvidenceTest, TheTwentyFirstFileIsRefused) {
  for (size_t i = 0; i < kMaxEvidencePerClaim; ++i) {
    ClientResponse r =
        UploadRaw("?filename=p" + std::to_string(i) + ".png", Png(std::to_string(i)), alice_);
    ASSERT_EQ(r.status, 201) << i << " " << r.body;
  }
  ClientResponse refused = UploadRaw("?filename=p21.png", Png("21"), alice_);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "too_many_files");
  EXPECT_EQ(refused.ErrorField(), "file");
  EXPECT_EQ(client().Get(claim_ + "/evidence", alice_).Json()["evidence"].size(),
            kMaxEvidencePerClaim);
}

TEST_F(EvidenceTest, OwnerAndCaseStaffOnly) {
  ClientResponse uploaded = UploadRaw("?filename=a.png", Png("who"), alice_);
  ASSERT_EQ(uploaded.status, 201) << uploaded.body;
  const std::string file = claim_ + "/evidence/" + uploaded.Json()["id"].dump();
  const std::string list = claim_ + "/evidence";

  // Another claimant: nothing exists.
  EXPECT_EQ(client().Get(file, bob_).status, 404);
  EXPECT_EQ(client().Get(list, bob_).status, 404);
  EXPECT_EQ(UploadRaw("?filename=b.png", Png("bob"), bob_).status, 404);
  // Staff of another case, auditors, admins: 404 too. Staff never upload.
  for (const std::string& token : {other_officer_, auditor_, admin_}) {
    EXPECT_EQ(client().Get(file, token).status, 404);
    EXPECT_EQ(client().Get(list, token).status, 404);
  }
  EXPECT_EQ(UploadRaw("?filename=o.png", Png("officer"), officer_).status, 404);
  EXPECT_EQ(client().Get(file).status, 401);
  // The same file under another claim, or under the wrong case.
  ClientResponse bobs =
      client().PostJson(Claims(case_id_), Declaration(IdNumber("110105", "19720505", "456")), bob_);
  ASSERT_EQ(bobs.status, 201);
  const std::string bobs_claim = Claims(case_id_) + "/" + bobs.Json()["id"].dump();
  EXPECT_EQ(client().Get(bobs_claim + "/evidence/" + uploaded.Json()["id"].dump(), bob_).status,
            404);
  EXPECT_EQ(client()
                .Get(Claims(other_case_id_) + "/" + claim_.substr(claim_.rfind('/') + 1) +
                         "/evidence/" + uploaded.Json()["id"].dump(),
                     alice_)
                .status,
            404);

  // The case's officer and court user list and download; each read is in the access log.
  const int64_t logged = CountRows("SELECT COUNT(*) FROM pii_access_log");
  ClientResponse officer_list = client().Get(list, officer_);
  ASSERT_EQ(officer_list.status, 200) << officer_list.body;
  EXPECT_EQ(officer_list.Json()["evidence"].size(), 1u);
  ClientResponse officer_file = client().Get(file, officer_);
  ASSERT_EQ(officer_file.status, 200);
  EXPECT_TRUE(officer_file.body == Png("who"));
  EXPECT_EQ(client().Get(file, court_).status, 200);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM pii_access_log"), logged + 3);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM pii_access_log WHERE what = 'claim_evidence'"), 2);
  ClientResponse log = client().Get(
      "/api/v1/audit/pii-access?claim_id=" + claim_.substr(claim_.rfind('/') + 1), auditor_);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_NE(log.body.find("\"claim_evidence\""), std::string::npos) << log.body;
}

TEST_F(EvidenceTest, AWithdrawnClaimTakesNoFiles) {
  ASSERT_EQ(client().PostJson(claim_ + "/withdraw", nlohmann::json::object(), alice_).status, 200);
  ClientResponse refused = UploadRaw("?filename=late.pdf", Pdf(), alice_);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.ErrorCode(), "invalid_transition");
}

TEST_F(EvidenceTest, PathsAreCutToTheirLastComponent) {
  ClientResponse raw =
      UploadRaw("?filename=..%2F..%2Fetc%2F%E5%87%AD%E8%AF%81.png", Png("traversal"), alice_);
  ASSERT_EQ(raw.status, 201) << raw.body;
  EXPECT_EQ(raw.Json()["filename"], "凭证.png");
  ClientResponse windows =
      UploadMultipart(MultipartBody({{"C:\\fakepath\\..\\scan.png", Png("win")}}), alice_);
  ASSERT_EQ(windows.status, 201) << windows.body;
  EXPECT_EQ(windows.Json()["filename"], "scan.png");
  // A name that lies about the type keeps it, with the real extension after it.
  ClientResponse renamed = UploadRaw("?filename=invoice.pdf", Png("renamed"), alice_);
  ASSERT_EQ(renamed.status, 201) << renamed.body;
  EXPECT_EQ(renamed.Json()["media_type"], "image/png");
  EXPECT_EQ(renamed.Json()["filename"], "invoice.pdf.png");
  ClientResponse got = client().Get(claim_ + "/evidence/" + renamed.Json()["id"].dump(), alice_);
  EXPECT_EQ(got.headers["content-type"], "image/png");
}

TEST_F(EvidenceTest, AnIdempotentRetryStoresTheFileOnce) {
  const std::string png = Png("retry");
  auto upload = [&] {
    return client().Send("POST", claim_ + "/evidence?filename=r.png", png,
                         {{"Authorization", "Bearer " + alice_},
                          {"Content-Type", "image/png"},
                          {"Idempotency-Key", "evidence-retry-0001"}});
  };
  ClientResponse first = upload();
  ASSERT_EQ(first.status, 201) << first.body;
  ClientResponse second = upload();
  EXPECT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(second.Json()["id"], first.Json()["id"]);
  EXPECT_EQ(second.headers["idempotent-replayed"], "true");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM claim_evidence"), 1);
}

}  // namespace
}  // namespace restitution::testing
