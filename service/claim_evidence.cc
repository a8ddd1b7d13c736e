#include "service/claim_evidence.h"

#include <utility>

#include "crypto/constant_time.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "service/authorization.h"

namespace restitution {
namespace {

using Json = nlohmann::json;

constexpr char kContentPurpose[] = "claim_evidence.content";
constexpr char kFilenamePurpose[] = "claim_evidence.filename";

constexpr char kEvidenceColumns[] =
    "id, claim_id, purpose, media_type, size_bytes, sha256, filename_enc, uploaded_by, "
    "uploaded_at_ms";

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool ExtensionMatches(std::string_view name, EvidenceType type) {
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  std::string extension(name.substr(dot + 1));
  for (char& c : extension) c = AsciiLower(c);
  switch (type) {
    case EvidenceType::kPdf:
      return extension == "pdf";
    case EvidenceType::kJpeg:
      return extension == "jpg" || extension == "jpeg";
    case EvidenceType::kPng:
      return extension == "png";
  }
  return false;
}

// Reads one row of kEvidenceColumns; the name is opened.
StatusOr<EvidenceRecord> EvidenceFromRow(const ServiceContext& ctx, const SqlRow& row) {
  EvidenceRecord e;
  e.id = row.Int(0);
  e.claim_id = row.Int(1);
  std::optional<EvidencePurpose> purpose = ParseEvidencePurpose(row.Bytes(2));
  std::optional<EvidenceType> type = ParseEvidenceTypeName(row.Bytes(3));
  if (!purpose || !type) return Status::Internal("stored evidence has an unknown purpose or type");
  e.purpose = *purpose;
  e.type = *type;
  e.size_bytes = row.Int(4);
  e.sha256 = row.Bytes(5);
  ASSIGN_OR_RETURN(e.filename, ctx.keys->Open(kFilenamePurpose, row.Bytes(6)));
  e.uploaded_by = row.Int(7);
  e.uploaded_at_ms = row.Int(8);
  return e;
}

// The filer, or an officer or court user of the case. Auditors see claims but not their
// documents; for them, as for admins, the files do not exist.
StatusOr<ClaimRecord> LoadClaimForEvidence(DbConnection& db, const Principal& reader,
                                           int64_t case_id, int64_t claim_id) {
  if (reader.role != Role::kClaimant && reader.role != Role::kOfficer &&
      reader.role != Role::kCourt) {
    return NotVisible("claim");
  }
  return LoadVisibleClaim(db, reader, case_id, claim_id);
}

}  // namespace

std::string_view EvidencePurposeName(EvidencePurpose purpose) {
  switch (purpose) {
    case EvidencePurpose::kEvidence:
      return "evidence";
    case EvidencePurpose::kAuthority:
      return "authority";
  }
  return "";
}

std::optional<EvidencePurpose> ParseEvidencePurpose(std::string_view name) {
  for (EvidencePurpose purpose : {EvidencePurpose::kEvidence, EvidencePurpose::kAuthority}) {
    if (EvidencePurposeName(purpose) == name) return purpose;
  }
  return std::nullopt;
}

StatusOr<std::string> EvidenceFilename(std::string_view name, EvidenceType type,
                                       const std::string& field) {
  ASSIGN_OR_RETURN(std::string kept, SanitizeEvidenceFilename(name, field));
  if (!ExtensionMatches(kept, type)) {
    kept += ".";
    kept += EvidenceExtension(type);
  }
  return kept;
}

StatusOr<EvidenceChange> AddClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                          const Principal& claimant, int64_t case_id,
                                          int64_t claim_id, const EvidenceUpload& upload) {
  // The file first: nothing about it depends on the database.
  if (upload.content.size() > kMaxEvidenceBytes) {
    return Status::TooLarge("an evidence file may be at most 10 MiB");
  }
  ASSIGN_OR_RETURN(EvidenceType type, DetectEvidenceType(upload.content, "file"));
  ASSIGN_OR_RETURN(std::string filename, EvidenceFilename(upload.filename, type, "filename"));

  // Locks the claim row: concurrent uploads to one claim count one after the other.
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadOwnClaim(db, claimant, case_id, claim_id));
  if (claim.status != ClaimStatus::kSubmitted && claim.status != ClaimStatus::kDeficient) {
    return Status::Conflict("cannot add evidence to a claim that is " +
                            std::string(ClaimStatusName(claim.status)) +
                            "; files can be added while the claim is submitted or deficient")
        .WithReason("invalid_transition");
  }
  ASSIGN_OR_RETURN(SqlRows counted,
                   db.Query("SELECT COUNT(*) FROM claim_evidence WHERE claim_id = ?", {claim.id}));
  if (counted[0].Int(0) >= static_cast<int64_t>(kMaxEvidencePerClaim)) {
    return Status::RuleViolated("file", "a claim may hold at most " +
                                            std::to_string(kMaxEvidencePerClaim) + " files")
        .WithReason("too_many_files");
  }

  const std::string sha256 = crypto::Sha256(upload.content);
  ASSIGN_OR_RETURN(std::string sealed_content, ctx.keys->Seal(kContentPurpose, upload.content));
  ASSIGN_OR_RETURN(std::string sealed_name, ctx.keys->Seal(kFilenamePurpose, filename));
  const int64_t now = ctx.NowMs();
  const auto size = static_cast<int64_t>(upload.content.size());
  ASSIGN_OR_RETURN(
      int64_t evidence_id,
      db.Insert("INSERT INTO claim_evidence (claim_id, purpose, media_type, "
                "size_bytes, sha256, filename_enc, content_enc, uploaded_by, "
                "uploaded_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                {claim.id, std::string(EvidencePurposeName(upload.purpose)),
                 std::string(EvidenceTypeName(type)), size, sha256, std::move(sealed_name),
                 std::move(sealed_content), claimant.user_id, now}));

  Json payload = {{"evidence", evidence_id},
                  {"sha256", crypto::HexEncode(sha256)},
                  {"media_type", std::string(EvidenceMimeType(type))},
                  {"size_bytes", size},
                  {"purpose", std::string(EvidencePurposeName(upload.purpose))}};
  ASSIGN_OR_RETURN(QueuedEntry entry, RecordClaimEvent(db, ctx, claimant, claim, "evidence_added",
                                                       std::nullopt, std::move(payload)));
  EvidenceRecord record;
  record.id = evidence_id;
  record.claim_id = claim.id;
  record.purpose = upload.purpose;
  record.type = type;
  record.size_bytes = size;
  record.sha256 = sha256;
  record.filename = std::move(filename);
  record.uploaded_by = claimant.user_id;
  record.uploaded_at_ms = now;
  return EvidenceChange{std::move(record), entry};
}

StatusOr<std::vector<EvidenceRecord>> ListClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                                        const Principal& reader, int64_t case_id,
                                                        int64_t claim_id,
                                                        const std::string& request_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForEvidence(db, reader, case_id, claim_id));
  // Bounded by kMaxEvidencePerClaim; the LIMIT only guards against rows added behind our back.
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query(std::string("SELECT ") + kEvidenceColumns +
                                " FROM claim_evidence WHERE claim_id = ? ORDER BY id LIMIT ?",
                            {claim.id, static_cast<int64_t>(4 * kMaxEvidencePerClaim)}));
  std::vector<EvidenceRecord> list;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(EvidenceRecord record, EvidenceFromRow(ctx, row));
    list.push_back(std::move(record));
  }
  if (reader.user_id != claim.filer_user_id) {
    RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, reader, claim.case_id, claim.id,
                                          "claim_evidence_list", request_id));
  }
  return list;
}

StatusOr<EvidenceFile> ReadClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& reader, int64_t case_id, int64_t claim_id,
                                         int64_t evidence_id, const std::string& request_id) {
  ASSIGN_OR_RETURN(ClaimRecord claim, LoadClaimForEvidence(db, reader, case_id, claim_id));
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(std::string("SELECT ") + kEvidenceColumns +
                                              ", content_enc FROM claim_evidence "
                                              "WHERE id = ? AND claim_id = ?",
                                          {evidence_id, claim.id}));
  if (rows.empty()) return NotVisible("evidence");
  EvidenceFile file;
  ASSIGN_OR_RETURN(file.record, EvidenceFromRow(ctx, rows[0]));
  ASSIGN_OR_RETURN(file.content, ctx.keys->Open(kContentPurpose, rows[0].Bytes(9)));
  // The seal binds the column, not the row: a content moved from another row would open.
  // Its hash, which the ledger also holds, would not match.
  if (static_cast<int64_t>(file.content.size()) != file.record.size_bytes ||
      !crypto::ConstantTimeEquals(crypto::Sha256(file.content), file.record.sha256)) {
    return Status::Internal("stored evidence " + std::to_string(evidence_id) +
                            " does not match its SHA-256");
  }
  if (reader.user_id != claim.filer_user_id) {
    RETURN_IF_ERROR(LogPersonalDataAccess(db, ctx, reader, claim.case_id, claim.id,
                                          "claim_evidence", request_id));
  }
  return file;
}

}  // namespace restitution
