// Review (专案组) and objections (异议): what the case's officers decide about a claim —
// deficiency notices, confirmation (with four eyes above the case's threshold), rejection —
// and the claimant's objection to a decision with its resolution.
//
// Every change locks the claim row, moves it through the state machine (claim_state.h) and
// is recorded with RecordClaimEvent (timeline row + ledger entry in the same transaction).
// Free text (the deficiency message, reasons, notes, the objection's reason) is sealed in the
// database and never reaches the ledger.
//
// Who may act: officers bound to the case (others of that role get NotFound, as if the claim
// did not exist); any other role gets PermissionDenied. Objections: the claim's filer only
// (NotFound for everyone else, as for amending and withdrawing).
#ifndef RESTITUTION_SERVICE_CLAIM_REVIEW_H_
#define RESTITUTION_SERVICE_CLAIM_REVIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/claim_state.h"
#include "service/claims.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

// Free-text limits, in characters (UTF-8 code points).
inline constexpr size_t kMaxReviewMessageChars = 2000;
inline constexpr size_t kMaxConfirmReasonChars = 500;

// POST …/request-info {message, cure_by}: cure_by is a Beijing date ("YYYY-MM-DD", the whole
// day counts) or an RFC 3339 instant.
struct InfoRequestInput {
  std::string message;
  int64_t cure_by_ms = 0;
};
StatusOr<InfoRequestInput> ParseInfoRequestInput(const nlohmann::json& body);

// POST …/confirm {allowed_amount?, at_book_figure?, reason?}: exactly one of allowed_amount
// and at_book_figure:true.
struct ConfirmInput {
  std::optional<Money> allowed;
  bool at_book_figure = false;
  std::optional<std::string> reason;
};
StatusOr<ConfirmInput> ParseConfirmInput(const nlohmann::json& body);

// POST …/reject {reason_code, note}.
struct RejectInput {
  RejectReason reason = RejectReason::kOther;
  std::string note;
};
StatusOr<RejectInput> ParseRejectInput(const nlohmann::json& body);

// POST …/objections {reason_code?, reason, requested_amount?}; reason_code defaults to other.
struct ObjectionInput {
  ObjectionReason reason_code = ObjectionReason::kOther;
  std::string reason;
  std::optional<Money> requested;
};
StatusOr<ObjectionInput> ParseObjectionInput(const nlohmann::json& body);

// POST …/objections/{oid}/resolve {outcome, allowed_amount?, note}: allowed_amount is
// required for "adjusted" and refused for "upheld".
struct ResolveInput {
  ObjectionOutcome outcome = ObjectionOutcome::kUpheld;
  std::optional<Money> allowed;
  std::string note;
};
StatusOr<ResolveInput> ParseResolveInput(const nlohmann::json& body);

// submitted -> deficient with a cure deadline (RuleViolated on cure_by unless in the future).
// The message is sealed in the timeline; the ledger gets the deadline only.
StatusOr<ClaimChange> RequestClaimInfo(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id, int64_t claim_id,
                                       const InfoRequestInput& input);

// submitted -> confirmed, or pending_countersign when the allowed amount is above the case's
// countersign threshold. RuleViolated: allowed_amount above the declared principal;
// at_book_figure when the books hold nothing for the participant (or more than the declared
// principal); reason missing when the allowed amount differs from the declared net.
StatusOr<ClaimChange> ConfirmClaim(DbConnection& db, const ServiceContext& ctx,
                                   const Principal& officer, int64_t case_id, int64_t claim_id,
                                   const ConfirmInput& input);

// pending_countersign -> confirmed by a second officer (PermissionDenied "same_officer" for
// the one who proposed it).
StatusOr<ClaimChange> CountersignClaim(DbConnection& db, const ServiceContext& ctx,
                                       const Principal& officer, int64_t case_id, int64_t claim_id);

// submitted | deficient | pending_countersign -> rejected.
StatusOr<ClaimChange> RejectClaim(DbConnection& db, const ServiceContext& ctx,
                                  const Principal& officer, int64_t case_id, int64_t claim_id,
                                  const RejectInput& input);

// A claim_objections row, without its sealed text.
struct ObjectionRecord {
  int64_t id = 0;
  int64_t claim_id = 0;
  std::string status;             // "open" or "resolved"
  std::string reason_code;        // ObjectionReasonName
  std::string disputed_decision;  // "confirmed" or "rejected"
  std::optional<Money> requested;
  std::optional<std::string> outcome;  // "upheld" or "adjusted" once resolved
  int64_t lodged_at_ms = 0;
  std::optional<int64_t> resolved_at_ms;
};

struct ObjectionChange {
  ClaimRecord claim;
  ObjectionRecord objection;
  QueuedEntry entry;
};

// The filer objects to the decision (confirmed or rejected -> disputed) within the case's
// objection_window_days after it: RuleViolated (reason "objection_window_closed") after, or
// naming reason_code when the reason does not fit the decision (ObjectionReasonFits);
// Conflict (reason "already_objected") when this decision was already objected to (an
// upheld objection leaves the decision, and its window, as they were).
StatusOr<ObjectionChange> LodgeObjection(DbConnection& db, const ServiceContext& ctx,
                                         const Principal& claimant, int64_t case_id,
                                         int64_t claim_id, const ObjectionInput& input);

// disputed -> the decision objected to (upheld), or confirmed at the new allowed amount
// (adjusted; pending_countersign above the case's threshold, as for a confirmation).
StatusOr<ObjectionChange> ResolveObjection(DbConnection& db, const ServiceContext& ctx,
                                           const Principal& officer, int64_t case_id,
                                           int64_t claim_id, int64_t objection_id,
                                           const ResolveInput& input);

struct ObjectionView {
  ObjectionRecord record;
  // Decrypted for the filer and the case's officers and court users only (nullopt otherwise).
  std::optional<std::string> reason;
  std::optional<std::string> resolution_note;
};

// GET …/objections: the filer, the case's staff, auditors (without the free text). Staff
// reads of the text are written to the PII access log.
StatusOr<std::vector<ObjectionView>> ListObjections(DbConnection& db, const ServiceContext& ctx,
                                                    const Principal& reader, int64_t case_id,
                                                    int64_t claim_id,
                                                    const std::string& request_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_REVIEW_H_
