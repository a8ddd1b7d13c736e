#include "service/claim_state.h"

#include <initializer_list>
#include <string>
#include <utility>

namespace restitution {
namespace {

constexpr ClaimStatus kAllStatuses[] = {
    ClaimStatus::kSubmitted, ClaimStatus::kDeficient, ClaimStatus::kPendingCountersign,
    ClaimStatus::kConfirmed, ClaimStatus::kRejected,  ClaimStatus::kDisputed,
    ClaimStatus::kWithdrawn,
};

constexpr ClaimAction kAllActions[] = {
    ClaimAction::kAmend,   ClaimAction::kWithdraw,    ClaimAction::kRequestInfo,
    ClaimAction::kConfirm, ClaimAction::kCountersign, ClaimAction::kReject,
    ClaimAction::kObject,  ClaimAction::kResolve,
};

constexpr RejectReason kAllRejectReasons[] = {
    RejectReason::kDuplicate,      RejectReason::kNotAParticipant,
    RejectReason::kExcludedPerson, RejectReason::kNoEvidence,
    RejectReason::kLate,           RejectReason::kNetWinner,
    RejectReason::kOther,
};

constexpr ObjectionReason kAllObjectionReasons[] = {
    ObjectionReason::kAmountWrong,    ObjectionReason::kWronglyRejected,
    ObjectionReason::kRecordsMissing, ObjectionReason::kReturnsOvercounted,
    ObjectionReason::kOther,
};

Status InvalidTransition(ClaimStatus current, ClaimAction action) {
  std::string message = "cannot ";
  message += ClaimActionName(action);
  message += " a claim that is ";
  message += ClaimStatusName(current);
  return Status::Conflict(std::move(message)).WithReason("invalid_transition");
}

bool IsOneOf(ClaimStatus current, std::initializer_list<ClaimStatus> allowed) {
  for (ClaimStatus status : allowed) {
    if (status == current) return true;
  }
  return false;
}

}  // namespace

std::string_view ClaimStatusName(ClaimStatus status) {
  switch (status) {
    case ClaimStatus::kSubmitted:
      return "submitted";
    case ClaimStatus::kDeficient:
      return "deficient";
    case ClaimStatus::kPendingCountersign:
      return "pending_countersign";
    case ClaimStatus::kConfirmed:
      return "confirmed";
    case ClaimStatus::kRejected:
      return "rejected";
    case ClaimStatus::kDisputed:
      return "disputed";
    case ClaimStatus::kWithdrawn:
      return "withdrawn";
  }
  return "";
}

std::optional<ClaimStatus> ParseClaimStatus(std::string_view name) {
  for (ClaimStatus status : kAllStatuses) {
    if (ClaimStatusName(status) == name) return status;
  }
  return std::nullopt;
}

std::string_view ClaimActionName(ClaimAction action) {
  switch (action) {
    case ClaimAction::kAmend:
      return "amend";
    case ClaimAction::kWithdraw:
      return "withdraw";
    case ClaimAction::kRequestInfo:
      return "request_info";
    case ClaimAction::kConfirm:
      return "confirm";
    case ClaimAction::kCountersign:
      return "countersign";
    case ClaimAction::kReject:
      return "reject";
    case ClaimAction::kObject:
      return "object";
    case ClaimAction::kResolve:
      return "resolve";
  }
  return "";
}

std::optional<ClaimAction> ParseClaimAction(std::string_view name) {
  for (ClaimAction action : kAllActions) {
    if (ClaimActionName(action) == name) return action;
  }
  return std::nullopt;
}

ClaimActor ClaimActionActor(ClaimAction action) {
  switch (action) {
    case ClaimAction::kAmend:
    case ClaimAction::kWithdraw:
    case ClaimAction::kObject:
      return ClaimActor::kClaimant;
    case ClaimAction::kRequestInfo:
    case ClaimAction::kConfirm:
    case ClaimAction::kCountersign:
    case ClaimAction::kReject:
    case ClaimAction::kResolve:
      return ClaimActor::kOfficer;
  }
  return ClaimActor::kOfficer;
}

std::string_view ObjectionOutcomeName(ObjectionOutcome outcome) {
  switch (outcome) {
    case ObjectionOutcome::kUpheld:
      return "upheld";
    case ObjectionOutcome::kAdjusted:
      return "adjusted";
  }
  return "";
}

std::optional<ObjectionOutcome> ParseObjectionOutcome(std::string_view name) {
  for (ObjectionOutcome outcome : {ObjectionOutcome::kUpheld, ObjectionOutcome::kAdjusted}) {
    if (ObjectionOutcomeName(outcome) == name) return outcome;
  }
  return std::nullopt;
}

std::string_view RejectReasonName(RejectReason reason) {
  switch (reason) {
    case RejectReason::kDuplicate:
      return "duplicate";
    case RejectReason::kNotAParticipant:
      return "not_a_participant";
    case RejectReason::kExcludedPerson:
      return "excluded_person";
    case RejectReason::kNoEvidence:
      return "no_evidence";
    case RejectReason::kLate:
      return "late";
    case RejectReason::kNetWinner:
      return "net_winner";
    case RejectReason::kOther:
      return "other";
  }
  return "";
}

std::optional<RejectReason> ParseRejectReason(std::string_view name) {
  for (RejectReason reason : kAllRejectReasons) {
    if (RejectReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

std::string_view ObjectionReasonName(ObjectionReason reason) {
  switch (reason) {
    case ObjectionReason::kAmountWrong:
      return "amount_wrong";
    case ObjectionReason::kWronglyRejected:
      return "wrongly_rejected";
    case ObjectionReason::kRecordsMissing:
      return "records_missing";
    case ObjectionReason::kReturnsOvercounted:
      return "returns_overcounted";
    case ObjectionReason::kOther:
      return "other";
  }
  return "";
}

std::optional<ObjectionReason> ParseObjectionReason(std::string_view name) {
  for (ObjectionReason reason : kAllObjectionReasons) {
    if (ObjectionReasonName(reason) == name) return reason;
  }
  return std::nullopt;
}

std::vector<std::string_view> ObjectionReasonNames() {
  std::vector<std::string_view> names;
  for (ObjectionReason reason : kAllObjectionReasons) names.push_back(ObjectionReasonName(reason));
  return names;
}

bool ObjectionReasonFits(ObjectionReason reason, ClaimStatus disputed_decision) {
  switch (reason) {
    case ObjectionReason::kAmountWrong:
      return disputed_decision == ClaimStatus::kConfirmed;
    case ObjectionReason::kWronglyRejected:
      return disputed_decision == ClaimStatus::kRejected;
    case ObjectionReason::kRecordsMissing:
    case ObjectionReason::kReturnsOvercounted:
    case ObjectionReason::kOther:
      return true;
  }
  return false;
}

StatusOr<ClaimStatus> ApplyClaimAction(ClaimStatus current, ClaimAction action,
                                       const ClaimTransitionContext& ctx) {
  using S = ClaimStatus;
  switch (action) {
    case ClaimAction::kAmend:
      if (IsOneOf(current, {S::kSubmitted, S::kDeficient})) return S::kSubmitted;
      break;
    case ClaimAction::kWithdraw:
      if (IsOneOf(current, {S::kSubmitted, S::kDeficient})) return S::kWithdrawn;
      break;
    case ClaimAction::kRequestInfo:
      if (current == S::kSubmitted) return S::kDeficient;
      break;
    case ClaimAction::kConfirm:
      if (current == S::kSubmitted) {
        const bool four_eyes =
            ctx.countersign_threshold.has_value() && ctx.allowed > *ctx.countersign_threshold;
        return four_eyes ? S::kPendingCountersign : S::kConfirmed;
      }
      break;
    case ClaimAction::kCountersign:
      if (current == S::kPendingCountersign) return S::kConfirmed;
      break;
    case ClaimAction::kReject:
      if (IsOneOf(current, {S::kSubmitted, S::kDeficient, S::kPendingCountersign})) {
        return S::kRejected;
      }
      break;
    case ClaimAction::kObject:
      if (IsOneOf(current, {S::kConfirmed, S::kRejected})) return S::kDisputed;
      break;
    case ClaimAction::kResolve:
      if (current != S::kDisputed) break;
      if (!ctx.outcome.has_value()) return Status::Internal("resolve needs an outcome");
      if (*ctx.outcome == ObjectionOutcome::kAdjusted) return S::kConfirmed;
      // Upheld: the decision stands, whichever it was.
      if (!ctx.disputed_decision.has_value() ||
          !IsOneOf(*ctx.disputed_decision, {S::kConfirmed, S::kRejected})) {
        return Status::Internal("an upheld objection needs the disputed decision");
      }
      return *ctx.disputed_decision;
  }
  return InvalidTransition(current, action);
}

Status CheckCountersigner(int64_t confirmed_by_user_id, int64_t countersigner_user_id) {
  if (confirmed_by_user_id == countersigner_user_id) {
    return Status::PermissionDenied(
               "a confirmation above the four-eyes threshold must be countersigned by a "
               "different officer")
        .WithReason("same_officer");
  }
  return Status::Ok();
}

}  // namespace restitution
