// Evidence files of a claim (bank statements, receipts, contracts, and for agent and heir
// filings the document proving their authority): uploaded by the claim's filer while the claim
// is open for amendment, checked by content (service/evidence_file.h), stored sealed, their
// SHA-256 on the ledger. Only the filer and the case's officers and court users read them;
// auditors check figures, not documents, and get NotFound like everyone else.
#ifndef RESTITUTION_SERVICE_CLAIM_EVIDENCE_H_
#define RESTITUTION_SERVICE_CLAIM_EVIDENCE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/claims.h"
#include "service/db_connection.h"
#include "service/evidence_file.h"
#include "service/ledger_store.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

// What a file is for (claim_evidence.purpose): "evidence" backs the declared figures;
// "authority" is an agent's power of attorney or an heir's proof of succession.
enum class EvidencePurpose { kEvidence, kAuthority };
std::string_view EvidencePurposeName(EvidencePurpose purpose);
std::optional<EvidencePurpose> ParseEvidencePurpose(std::string_view name);

struct EvidenceUpload {
  std::string_view content;  // the file's bytes (the caller keeps them alive)
  std::string filename;      // as the client named it; sanitised by AddClaimEvidence
  EvidencePurpose purpose = EvidencePurpose::kEvidence;
};

struct EvidenceRecord {
  int64_t id = 0;
  int64_t claim_id = 0;
  EvidencePurpose purpose = EvidencePurpose::kEvidence;
  EvidenceType type = EvidenceType::kPdf;
  int64_t size_bytes = 0;
  std::string sha256;    // 32 raw bytes of the plain file
  std::string filename;  // opened
  int64_t uploaded_by = 0;
  int64_t uploaded_at_ms = 0;
};

struct EvidenceChange {
  EvidenceRecord evidence;
  QueuedEntry entry;
};

// The name kept for a file of this type: SanitizeEvidenceFilename (errors name `field`), then
// ".pdf", ".jpg" or ".png" appended unless the name already ends in an extension of the
// detected type (".jpeg" counts for JPEG; case-insensitive). A PNG called "scan.pdf" is kept
// as "scan.pdf.png", so whoever opens the download opens it with the right program, and a
// file that passed as an image is never saved as "x.html".
StatusOr<std::string> EvidenceFilename(std::string_view name, EvidenceType type,
                                       const std::string& field);

// POST …/claims/{id}/evidence, by the claim's filer (NotFound for anyone else) while the claim
// is submitted or deficient (Conflict, reason "invalid_transition", otherwise). More than
// kMaxEvidenceBytes: TooLarge; not a PDF, JPEG or PNG: InvalidArgument naming "file"; a bad
// name: InvalidArgument naming "filename"; the claim already holding kMaxEvidencePerClaim
// files: RuleViolated naming "file", reason "too_many_files". The count is taken under the
// claim's row lock. Appends the claim event "evidence_added" (ledger type
// claim_evidence_added) with the file's id, SHA-256, media type, size and purpose, never its
// name. The claim's status does not change.
StatusOr<EvidenceChange> AddClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                          const Principal& claimant, int64_t case_id,
                                          int64_t claim_id, const EvidenceUpload& upload);

// GET …/claims/{id}/evidence: every file of the claim, oldest first, without contents. The
// filer and the case's officers and court users; NotFound for anyone else (auditors and
// admins included). Staff reads are written to the PII access log ("claim_evidence_list":
// the names may carry personal data).
StatusOr<std::vector<EvidenceRecord>> ListClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                                        const Principal& reader, int64_t case_id,
                                                        int64_t claim_id,
                                                        const std::string& request_id);

struct EvidenceFile {
  EvidenceRecord record;
  std::string content;
};

// GET …/claims/{id}/evidence/{eid}: one file, opened and checked against its stored size and
// SHA-256 (Internal on a mismatch). Who may read it as for ListClaimEvidence; a file of
// another claim is NotFound. Staff reads are written to the PII access log
// ("claim_evidence").
StatusOr<EvidenceFile> ReadClaimEvidence(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& reader, int64_t case_id, int64_t claim_id,
                                         int64_t evidence_id, const std::string& request_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_EVIDENCE_H_
