// The life of a claim, as a pure state machine: which action may move a claim from which
// state to which. Who may act (claimant, officer) and when (objection windows, cure deadlines)
// are the caller's checks; this file only knows the graph, so the graph can be tested
// exhaustively and read in one place.
//
//   submitted ──request_info──▶ deficient ──amend──▶ submitted          (claimant cures)
//   submitted | deficient ──amend──▶ submitted, ──withdraw──▶ withdrawn (claimant)
//   submitted ──confirm──▶ confirmed, or pending_countersign above the four-eyes threshold
//   pending_countersign ──countersign──▶ confirmed                      (a second officer)
//   submitted | deficient | pending_countersign ──reject──▶ rejected
//   confirmed | rejected ──object──▶ disputed                           (claimant, in window)
//   disputed ──resolve adjusted──▶ confirmed
//   disputed ──resolve upheld──▶ the decision objected to (confirmed or rejected)
//
// withdrawn is final. confirmed and rejected are final once the objection window has closed.
#ifndef RESTITUTION_SERVICE_CLAIM_STATE_H_
#define RESTITUTION_SERVICE_CLAIM_STATE_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/money.h"

namespace restitution {

enum class ClaimStatus {
  kSubmitted,
  kDeficient,
  kPendingCountersign,
  kConfirmed,
  kRejected,
  kDisputed,
  kWithdrawn,
};

// "submitted", "deficient", "pending_countersign", "confirmed", "rejected", "disputed",
// "withdrawn" (the claims.status column and the API).
std::string_view ClaimStatusName(ClaimStatus status);
std::optional<ClaimStatus> ParseClaimStatus(std::string_view name);

enum class ClaimAction {
  kAmend,        // claimant
  kWithdraw,     // claimant
  kRequestInfo,  // officer: a deficiency notice
  kConfirm,      // officer
  kCountersign,  // a second officer
  kReject,       // officer
  kObject,       // claimant
  kResolve,      // officer
};

// "amend", "withdraw", "request_info", "confirm", "countersign", "reject", "object", "resolve"
// (claim_events.action).
std::string_view ClaimActionName(ClaimAction action);
std::optional<ClaimAction> ParseClaimAction(std::string_view name);

enum class ClaimActor { kClaimant, kOfficer };
// Who takes the action: the claim's filer, or an officer of the case.
ClaimActor ClaimActionActor(ClaimAction action);

// How an objection ends: "upheld" (the decision stands) or "adjusted" (the claim is confirmed,
// normally at a new allowed amount).
enum class ObjectionOutcome { kUpheld, kAdjusted };
std::string_view ObjectionOutcomeName(ObjectionOutcome outcome);
std::optional<ObjectionOutcome> ParseObjectionOutcome(std::string_view name);

// Why a claim is rejected (claims.reject_reason, claim_events.reason_code).
enum class RejectReason {
  kDuplicate,        // the person already has a claim, or the same money is claimed twice
  kNotAParticipant,  // nothing in the books or evidence shows they put money in
  kExcludedPerson,   // staff, recruiters, defendants: excluded pending review
  kNoEvidence,       // deficiency not cured
  kLate,             // filed after every window closed
  kNetWinner,        // got back at least what they put in
  kOther,            // explained in the decision's note
};
std::string_view RejectReasonName(RejectReason reason);
std::optional<RejectReason> ParseRejectReason(std::string_view name);

// Why the filer disputes a decision (claim_objections.reason_code, on the ledger), so that
// officers can sort objections and the case can count them by reason; the sealed free text
// explains it.
enum class ObjectionReason {
  kAmountWrong,         // the confirmed amount is not the loss
  kWronglyRejected,     // the rejection's ground does not apply
  kRecordsMissing,      // accounts or payments of the claimant were left out
  kReturnsOvercounted,  // returns or withdrawals counted that the claimant never received
  kOther,
};
std::string_view ObjectionReasonName(ObjectionReason reason);
std::optional<ObjectionReason> ParseObjectionReason(std::string_view name);
// Every reason's name, in a fixed order (statistics list each one, zero or not).
std::vector<std::string_view> ObjectionReasonNames();
// Whether the reason can dispute the decision: amount_wrong a confirmation only (a rejection
// has no amount), wrongly_rejected a rejection only, the others either.
bool ObjectionReasonFits(ObjectionReason reason, ClaimStatus disputed_decision);

// What the transition depends on beyond the current state. Value-initialised ({}) is right
// for the claimant actions.
struct ClaimTransitionContext {
  // confirm: the allowed amount, and the case's four-eyes threshold (none: no countersigning).
  // Above the threshold (strictly) the confirmation waits for a second officer.
  Money allowed;
  std::optional<Money> countersign_threshold;
  // resolve: how the objection ended, and the decision it disputed (claims.decision).
  std::optional<ObjectionOutcome> outcome;
  std::optional<ClaimStatus> disputed_decision;
};

// The state after `action`, or Conflict with reason "invalid_transition" and a message such
// as "cannot confirm a claim that is withdrawn". A resolve without an outcome, or an upheld
// resolve without a disputed decision of confirmed or rejected, is the caller's bug: Internal.
StatusOr<ClaimStatus> ApplyClaimAction(ClaimStatus current, ClaimAction action,
                                       const ClaimTransitionContext& ctx);

// The four-eyes rule: the officer who countersigns must not be the one who confirmed.
// PermissionDenied (reason "same_officer") otherwise.
Status CheckCountersigner(int64_t confirmed_by_user_id, int64_t countersigner_user_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_STATE_H_
