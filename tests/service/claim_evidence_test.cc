// Evidence files against a real MariaDB: what is stored (sealed), what goes on the ledger
// (the hash, never the name), who may read them, and the limits.
#include "service/claim_evidence.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/cases.h"
#include "service/claim_declaration.h"
#include "service/claims.h"
#include "service/resident_id.h"
#include "service/time_input.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using Json = nlohmann::json;
using testing::TestDatabase;
using testing::TestKeys;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

// ---- tiny files ------------------------------------------------------------------------------

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

// A structurally valid PNG; `text` goes into a tEXt chunk so files can differ.
std::string Png(const std::string& text = "x") {
  return std::string("\x89PNG\r\n\x1A\n", 8) +
         PngChunk("IHDR", Be32(1) + Be32(1) + std::string("\x08\x00\x00\x00\x00", 5)) +
         PngChunk("tEXt", "Comment" + std::string(1, '\0') + text) + PngChunk("IEND", "");
}

std::string Pdf() { return "%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"; }

// ---- the fixture -------------------------------------------------------------------------

class ClaimEvidenceTest : public ::testing::Test {
 protected:
  ClaimEvidenceTest() : ctx_(keys_.Context()) {}

  void SetUp() override {
    admin_ = {User("admin", "admin"), Role::kAdmin};
    officer_ = {User("officer", "officer"), Role::kOfficer};
    court_ = {User("court", "court"), Role::kCourt};
    other_officer_ = {User("officer2", "officer"), Role::kOfficer};
    auditor_ = {User("auditor", "auditor"), Role::kAuditor};
    alice_ = {User("alice", "claimant"), Role::kClaimant};
    bob_ = {User("bob", "claimant"), Role::kClaimant};
    case_id_ = NewCase("JZ-1");
    other_case_id_ = NewCase("JZ-2");
    Bind(case_id_, officer_, "officer");
    Bind(case_id_, court_, "court");
    Bind(other_case_id_, other_officer_, "officer");
    claim_id_ = Declare(alice_, "19650312", "123");
  }

  int64_t User(const std::string& name, const std::string& role) {
    auto db = tdb_.Connect();
    return Must(db->Insert(
        "INSERT INTO users (login_hash, username, role, status, password_hash, "
        "created_at_ms) VALUES (?, ?, ?, 'active', 'x', 0)",
        {crypto::Sha256(name), role == "claimant" ? SqlParam(nullptr) : SqlParam(name), role}));
  }

  Status Tx(const std::function<Status(DbConnection&)>& fn) {
    return RunInTransaction(tdb_.pool(), fn);
  }

  int64_t NewCase(const std::string& number) {
    CaseInput input;
    input.case_number = number;
    input.name = "某某案";
    input.lead_region = "110105";
    input.regions = {"110105"};
    input.registration_opens_ms = ctx_.NowMs() - 86400000;
    input.registration_closes_ms = ctx_.NowMs() + 86400000;
    int64_t id = 0;
    Status s = Tx([&](DbConnection& db) -> Status {
      QueuedEntry entry;
      ASSIGN_OR_RETURN(CaseView c, CreateCase(db, ctx_, admin_, input, &entry));
      id = c.id;
      return Status::Ok();
    });
    if (!s.ok()) throw std::runtime_error(s.ToString());
    return id;
  }

  void Bind(int64_t case_id, const Principal& staff, const std::string& role) {
    Status s = Tx([&](DbConnection& db) {
      QueuedEntry entry;
      return AddCaseMember(db, ctx_, admin_, case_id, staff.user_id, role, &entry);
    });
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }

  int64_t Declare(const Principal& claimant, const std::string& birth, const std::string& seq) {
    const std::string first17 = "110105" + birth + seq;
    const Json body = {{"identity",
                        {{"name", "张三"},
                         {"id_number", first17 + ResidentIdCheckCharacter(first17)},
                         {"phone", "13800138000"},
                         {"bank_name", "中国工商银行"},
                         {"bank_account", "6222020200112233446"}}},
                       {"region", "110105"},
                       {"accounts", {{{"platform_account", "zs-001"}, {"channel", "app"}}}},
                       {"contributions", {{{"date", "2024-01-15"}, {"amount", "10000.00"}}}},
                       {"returns", Json::array()}};
    const ClaimDeclaration declaration = Must(ParseClaimDeclaration(body, ChinaDate(ctx_.NowMs())));
    int64_t id = 0;
    Status s = Tx([&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(ClaimChange change, DeclareClaim(db, ctx_, claimant, case_id_, declaration));
      id = change.claim.id;
      return Status::Ok();
    });
    if (!s.ok()) throw std::runtime_error(s.ToString());
    return id;
  }

  StatusOr<EvidenceChange> Add(const Principal& who, const std::string& content,
                               const std::string& filename,
                               EvidencePurpose purpose = EvidencePurpose::kEvidence,
                               int64_t claim_id = 0) {
    std::optional<EvidenceChange> change;
    Status s = Tx([&](DbConnection& db) -> Status {
      EvidenceUpload upload;
      upload.content = content;
      upload.filename = filename;
      upload.purpose = purpose;
      ASSIGN_OR_RETURN(
          EvidenceChange c,
          AddClaimEvidence(db, ctx_, who, case_id_, claim_id == 0 ? claim_id_ : claim_id, upload));
      change = std::move(c);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*change);
  }

  StatusOr<EvidenceFile> Read(const Principal& who, int64_t evidence_id, int64_t case_id = 0,
                              int64_t claim_id = 0) {
    std::optional<EvidenceFile> file;
    Status s = Tx([&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(
          EvidenceFile f,
          ReadClaimEvidence(db, ctx_, who, case_id == 0 ? case_id_ : case_id,
                            claim_id == 0 ? claim_id_ : claim_id, evidence_id, "req-test-1"));
      file = std::move(f);
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return std::move(*file);
  }

  StatusOr<std::vector<EvidenceRecord>> List(const Principal& who) {
    std::vector<EvidenceRecord> list;
    Status s = Tx([&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(list, ListClaimEvidence(db, ctx_, who, case_id_, claim_id_, "req-test-2"));
      return Status::Ok();
    });
    if (!s.ok()) return s;
    return list;
  }

  int64_t Count(const std::string& sql) {
    auto db = tdb_.Connect();
    return Must(db->Query(sql))[0].Int(0);
  }

  TestDatabase tdb_;
  TestKeys keys_;
  ServiceContext ctx_;
  Principal admin_, officer_, court_, other_officer_, auditor_, alice_, bob_;
  int64_t case_id_ = 0, other_case_id_ = 0, claim_id_ = 0;
};

TEST(EvidenceFilenameTest, TheExtensionFollowsTheContent) {
  EXPECT_EQ(*EvidenceFilename("scan.pdf", EvidenceType::kPdf, "f"), "scan.pdf");
  EXPECT_EQ(*EvidenceFilename("SCAN.PDF", EvidenceType::kPdf, "f"), "SCAN.PDF");
  EXPECT_EQ(*EvidenceFilename("scan.pdf", EvidenceType::kPng, "f"), "scan.pdf.png");
  EXPECT_EQ(*EvidenceFilename("photo.JPEG", EvidenceType::kJpeg, "f"), "photo.JPEG");
  EXPECT_EQ(*EvidenceFilename("photo.jpg", EvidenceType::kJpeg, "f"), "photo.jpg");
  EXPECT_EQ(*EvidenceFilename("page.html", EvidenceType::kPng, "f"), "page.html.png");
  EXPECT_EQ(*EvidenceFilename("流水", EvidenceType::kPdf, "f"), "流水.pdf");
  EXPECT_EQ(*EvidenceFilename("../../etc/passwd", EvidenceType::kPdf, "f"), "passwd.pdf");
  EXPECT_EQ(EvidenceFilename("..", EvidenceType::kPdf, "name").status().field(), "name");
  // The 200-byte limit is on the name sent; the extension may take it slightly above.
  EXPECT_EQ(EvidenceFilename(std::string(200, 'a'), EvidenceType::kPng, "f")->size(), 204u);
}

TEST_F(ClaimEvidenceTest, StoresTheFileSealedAndItsHashOnTheLedger) {
  const std::string png = Png("statement");
  EvidenceChange change = Must(Add(alice_, png, "银行流水.pdf", EvidencePurpose::kAuthority));
  EXPECT_EQ(change.evidence.type, EvidenceType::kPng);  // by content, not by name
  EXPECT_EQ(change.evidence.filename, "银行流水.pdf.png");
  EXPECT_EQ(change.evidence.size_bytes, static_cast<int64_t>(png.size()));
  EXPECT_EQ(change.evidence.sha256, crypto::Sha256(png));
  EXPECT_EQ(change.evidence.purpose, EvidencePurpose::kAuthority);

  auto db = tdb_.Connect();
  SqlRows rows = Must(db->Query(
      "SELECT purpose, media_type, size_bytes, sha256, filename_enc, content_enc, uploaded_by "
      "FROM claim_evidence WHERE id = ?",
      {change.evidence.id}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Bytes(0), "authority");
  EXPECT_EQ(rows[0].Bytes(1), "png");
  EXPECT_EQ(rows[0].Int(2), static_cast<int64_t>(png.size()));
  EXPECT_EQ(rows[0].Bytes(3), crypto::Sha256(png));
  EXPECT_EQ(rows[0].Bytes(4).find("银行流水"), std::string::npos);
  EXPECT_EQ(rows[0].Bytes(5).find("statement"), std::string::npos);
  EXPECT_EQ(Must(keys_.keys().Open("claim_evidence.content", rows[0].Bytes(5))), png);
  EXPECT_EQ(Must(keys_.keys().Open("claim_evidence.filename", rows[0].Bytes(4))),
            "银行流水.pdf.png");
  EXPECT_EQ(rows[0].Int(6), alice_.user_id);

  // The ledger entry: hash, type, size, purpose; no name.
  SqlRows queued =
      Must(db->Query("SELECT entry FROM ledger_queue WHERE id = ?", {change.entry.queue_id}));
  ASSERT_EQ(queued.size(), 1u);
  const Json entry = Json::parse(queued[0].Bytes(0));
  EXPECT_EQ(entry["type"], "claim_evidence_added");
  EXPECT_EQ(entry["case"], case_id_);
  EXPECT_EQ(entry["actor"]["id"], alice_.user_id);
  const Json& payload = entry["payload"];
  EXPECT_EQ(payload["claim"], claim_id_);
  EXPECT_EQ(payload["status"], "submitted");
  EXPECT_EQ(payload["evidence"], change.evidence.id);
  EXPECT_EQ(payload["sha256"], crypto::HexEncode(crypto::Sha256(png)));
  EXPECT_EQ(payload["media_type"], "image/png");
  EXPECT_EQ(payload["size_bytes"], png.size());
  EXPECT_EQ(payload["purpose"], "authority");
  EXPECT_EQ(payload.size(), 7u) << payload.dump();
  EXPECT_EQ(queued[0].Bytes(0).find("流水"), std::string::npos);

  SqlRows events =
      Must(db->Query("SELECT action, from_status, to_status, ledger_queue_id FROM claim_events "
                     "WHERE claim_id = ? ORDER BY id DESC LIMIT 1",
                     {claim_id_}));
  EXPECT_EQ(events[0].Bytes(0), "evidence_added");
  EXPECT_TRUE(events[0].IsNull(1));
  EXPECT_EQ(events[0].Bytes(2), "submitted");
  EXPECT_EQ(events[0].Int(3), change.entry.queue_id);
}

TEST_F(ClaimEvidenceTest, TheOwnerAndTheCaseStaffReadItAndStaffReadsAreLogged) {
  const std::string pdf = Pdf();
  const int64_t id = Must(Add(alice_, pdf, "contract.pdf")).evidence.id;
  const int64_t logged = Count("SELECT COUNT(*) FROM pii_access_log");

  EvidenceFile own = Must(Read(alice_, id));
  EXPECT_EQ(own.content, pdf);
  EXPECT_EQ(own.record.filename, "contract.pdf");
  EXPECT_EQ(own.record.type, EvidenceType::kPdf);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log"), logged) << "the owner is not logged";

  EXPECT_EQ(Must(Read(officer_, id)).content, pdf);
  EXPECT_EQ(Must(Read(court_, id)).content, pdf);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'claim_evidence' AND "
                  "request_id = 'req-test-1' AND claim_id = " +
                  std::to_string(claim_id_)),
            2);

  std::vector<EvidenceRecord> listed = Must(List(officer_));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].id, id);
  EXPECT_EQ(listed[0].filename, "contract.pdf");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM pii_access_log WHERE what = 'claim_evidence_list'"), 1);
  EXPECT_EQ(Must(List(alice_)).size(), 1u);
}

TEST_F(ClaimEvidenceTest, EveryoneElseGetsNotFound) {
  const int64_t id = Must(Add(alice_, Pdf(), "contract.pdf")).evidence.id;
  for (const Principal& who : {bob_, other_officer_, auditor_, admin_}) {
    SCOPED_TRACE(std::string(RoleName(who.role)) + " " + std::to_string(who.user_id));
    EXPECT_EQ(Read(who, id).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(List(who).status().code(), StatusCode::kNotFound);
  }
  // Staff and other claimants cannot upload either.
  EXPECT_EQ(Add(officer_, Pdf(), "a.pdf").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Add(bob_, Pdf(), "a.pdf").status().code(), StatusCode::kNotFound);
  // A file of one claim under another claim, or the claim under another case.
  const int64_t bobs_claim = Declare(bob_, "19720505", "456");
  EXPECT_EQ(Read(alice_, id, case_id_, bobs_claim).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Read(bob_, id, case_id_, bobs_claim).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Read(alice_, id, other_case_id_).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Read(alice_, id + 1000).status().code(), StatusCode::kNotFound);
}

TEST_F(ClaimEvidenceTest, BadFilesAreRefusedAndNothingIsWritten) {
  const int64_t queued = Count("SELECT COUNT(*) FROM ledger_queue");
  StatusOr<EvidenceChange> fake = Add(alice_, "%PDF-1.7 but no end marker", "fake.pdf");
  EXPECT_EQ(fake.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(fake.status().field(), "file");
  EXPECT_EQ(Add(alice_, "", "empty.pdf").status().field(), "file");
  std::string huge = Pdf();
  huge.insert(10, kMaxEvidenceBytes, ' ');
  EXPECT_EQ(Add(alice_, huge, "huge.pdf").status().code(), StatusCode::kTooLarge);
  StatusOr<EvidenceChange> bad_name = Add(alice_, Pdf(), "a\x01.pdf");
  EXPECT_EQ(bad_name.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_name.status().field(), "filename");
  EXPECT_EQ(Add(alice_, Pdf(), "\xff.pdf").status().field(), "filename");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM claim_evidence"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_queue"), queued);
}

TEST_F(ClaimEvidenceTest, AClaimHoldsAtMostTwentyFiles) {
  for (size_t i = 0; i < kMaxEvidencePerClaim; ++i) {
    ASSERT_TRUE(Add(alice_, Png(std::to_string(i)), "p" + std::to_string(i) + ".png").ok()) << i;
  }
  StatusOr<EvidenceChange> one_more = Add(alice_, Png("21"), "p21.png");
  EXPECT_EQ(one_more.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(one_more.status().reason(), "too_many_files");
  EXPECT_EQ(one_more.status().field(), "file");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM claim_evidence"),
            static_cast<int64_t>(kMaxEvidencePerClaim));
  EXPECT_EQ(Must(List(alice_)).size(), kMaxEvidencePerClaim);
}

TEST_F(ClaimEvidenceTest, OnlyOpenClaimsTakeFiles) {
  ASSERT_TRUE(Tx([&](DbConnection& db) {
                return WithdrawClaim(db, ctx_, alice_, case_id_, claim_id_).status();
              }).ok());
  StatusOr<EvidenceChange> refused = Add(alice_, Pdf(), "late.pdf");
  EXPECT_EQ(refused.status().code(), StatusCode::kConflict);
  EXPECT_EQ(refused.status().reason(), "invalid_transition");
  auto db = tdb_.Connect();
  Must(db->Exec("UPDATE claims SET status = 'deficient' WHERE id = ?", {claim_id_}));
  EXPECT_TRUE(Add(alice_, Pdf(), "cure.pdf").ok());
  Must(db->Exec("UPDATE claims SET status = 'confirmed' WHERE id = ?", {claim_id_}));
  EXPECT_EQ(Add(alice_, Pdf(), "after.pdf").status().code(), StatusCode::kConflict);
}

TEST_F(ClaimEvidenceTest, AContentMovedBetweenRowsIsDetected) {
  const int64_t first = Must(Add(alice_, Png("one"), "one.png")).evidence.id;
  const int64_t second = Must(Add(alice_, Png("two"), "two.png")).evidence.id;
  auto db = tdb_.Connect();
  // An insider copies one sealed content over another: it still opens under its purpose.
  Must(db->Exec(
      "UPDATE claim_evidence AS a JOIN claim_evidence AS b ON b.id = ? SET a.content_enc = "
      "b.content_enc WHERE a.id = ?",
      {first, second}));
  EXPECT_EQ(Read(alice_, second).status().code(), StatusCode::kInternal);
  EXPECT_TRUE(Read(alice_, first).ok());
}

}  // namespace
}  // namespace restitution
