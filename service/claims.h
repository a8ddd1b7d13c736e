// Claims (债权申报): a claimant declares, amends or withdraws a claim in a case; the case's
// staff, the owner and auditors read it. One person has one claim per case (found by the blind
// index of the participant's ID number), every version is kept sealed, and every change is a
// ledger entry committed with it. Review decisions live in claim_review.h.
#ifndef RESTITUTION_SERVICE_CLAIMS_H_
#define RESTITUTION_SERVICE_CLAIMS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/claim_declaration.h"
#include "service/claim_state.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

// A claim's row: no personal data.
struct ClaimRecord {
  int64_t id = 0;
  int64_t case_id = 0;
  int64_t filer_user_id = 0;
  std::string person_hash;
  ClaimStatus status = ClaimStatus::kSubmitted;
  std::optional<std::string> decision;  // "confirmed" or "rejected": what an objection disputes
  std::string region;
  std::string filed_as;
  bool late = false;
  int version = 0;
  Money declared_principal;
  Money declared_returns;
  Money declared_net;
  std::optional<Money> allowed;
  std::optional<int64_t> confirmed_by;
  std::optional<int64_t> countersigned_by;
  std::optional<std::string> reject_reason;
  std::optional<int64_t> decided_at_ms;
  std::optional<int64_t> cure_by_ms;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

// Who may see a claim: its filer, the case's officers and court users, auditors. For anyone
// else the claim does not exist (NotFound). for_update locks the row.
StatusOr<ClaimRecord> LoadVisibleClaim(DbConnection& db, const Principal& principal,
                                       int64_t case_id, int64_t claim_id, bool for_update = false);
// The claim's filer only (claimant actions); NotFound for everyone else.
StatusOr<ClaimRecord> LoadOwnClaim(DbConnection& db, const Principal& principal, int64_t case_id,
                                   int64_t claim_id);

// Every claim filed by this claimant account, newest first (bounded: 100).
StatusOr<std::vector<ClaimRecord>> ListOwnClaims(DbConnection& db, const Principal& claimant);

struct ClaimChange {
  ClaimRecord claim;
  QueuedEntry entry;
};

// POST /api/v1/cases/{case}/claims. Conflict (reason "claim_exists", naming the claim) when
// the person already has a claim in the case; RuleViolated when the case is not taking
// filings or the region is not one of the case's.
StatusOr<ClaimChange> DeclareClaim(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& claimant, int64_t case_id,
                                   const ClaimDeclaration& declaration);

// PUT …/claims/{id}: a new version while submitted or deficient (back to submitted). The
// participant cannot change (a different ID number is a different claim).
StatusOr<ClaimChange> AmendClaim(DbConnection& db, const ServiceContext& ctx,
                                 const Principal& claimant, int64_t case_id, int64_t claim_id,
                                 const ClaimDeclaration& declaration);

// POST …/claims/{id}/withdraw.
StatusOr<ClaimChange> WithdrawClaim(DbConnection& db, const ServiceContext& ctx,
                                    const Principal& claimant, int64_t case_id, int64_t claim_id);

// The latest declaration, decrypted. Staff reads are written to the PII access log.
StatusOr<nlohmann::json> ReadDeclaration(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& reader, const ClaimRecord& claim,
                                         const std::string& request_id);

struct ClaimEvent {
  int64_t at_ms = 0;
  std::string action;
  std::string actor_role;
  std::optional<std::string> from_status;
  std::optional<std::string> to_status;
  std::optional<Money> amount;
  std::optional<std::string> reason_code;
  std::optional<std::string> note;  // decrypted
  // The event's ledger entry, so a claimant can check any step of the claim at any time.
  std::optional<ReceiptStatus> receipt;
};
// The claim's timeline, oldest first (bounded).
StatusOr<std::vector<ClaimEvent>> ReadClaimEvents(DbConnection& db, const ServiceContext& ctx,
                                                  int64_t claim_id);

// Appends a timeline event and the matching ledger entry (type "claim_" + action) in the
// caller's transaction: the one way claim changes are recorded. payload gets "claim" and
// "status" added. note, if any, is sealed off the ledger.
StatusOr<QueuedEntry> RecordClaimEvent(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& actor, const ClaimRecord& claim,
                                       const std::string& action,
                                       std::optional<ClaimStatus> from_status,
                                       nlohmann::json payload,
                                       const std::optional<std::string>& note = std::nullopt);

// Writes one row of the PII access log.
Status LogPersonalDataAccess(DbConnection& db, const ServiceContext& ctx, const Principal& reader,
                             std::optional<int64_t> case_id, std::optional<int64_t> claim_id,
                             const std::string& what, const std::string& request_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIMS_H_
