#include "service/claim_state.h"

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

using S = ClaimStatus;
using A = ClaimAction;

const std::vector<S> kStatuses = {S::kSubmitted, S::kDeficient, S::kPendingCountersign,
                                  S::kConfirmed, S::kRejected,  S::kDisputed,
                                  S::kWithdrawn};
const std::vector<A> kActions = {A::kAmend,       A::kWithdraw, A::kRequestInfo, A::kConfirm,
                                 A::kCountersign, A::kReject,   A::kObject,      A::kResolve};

// The whole graph with a context that lets every action succeed where the graph allows it:
// no four-eyes threshold, resolve "adjusted". Anything not listed must be refused.
const std::map<std::pair<S, A>, S> kAllowed = {
    {{S::kSubmitted, A::kAmend}, S::kSubmitted},
    {{S::kSubmitted, A::kWithdraw}, S::kWithdrawn},
    {{S::kSubmitted, A::kRequestInfo}, S::kDeficient},
    {{S::kSubmitted, A::kConfirm}, S::kConfirmed},
    {{S::kSubmitted, A::kReject}, S::kRejected},
    {{S::kDeficient, A::kAmend}, S::kSubmitted},
    {{S::kDeficient, A::kWithdraw}, S::kWithdrawn},
    {{S::kDeficient, A::kReject}, S::kRejected},
    {{S::kPendingCountersign, A::kCountersign}, S::kConfirmed},
    {{S::kPendingCountersign, A::kReject}, S::kRejected},
    {{S::kConfirmed, A::kObject}, S::kDisputed},
    {{S::kRejected, A::kObject}, S::kDisputed},
    {{S::kDisputed, A::kResolve}, S::kConfirmed},
};

TEST(ClaimStateTest, EveryStateTimesEveryAction) {
  ClaimTransitionContext ctx;
  ctx.outcome = ObjectionOutcome::kAdjusted;
  ctx.allowed = Money::FromFen(100000000);
  int allowed = 0;
  int refused = 0;
  for (S state : kStatuses) {
    for (A action : kActions) {
      const std::string label =
          std::string(ClaimStatusName(state)) + " + " + std::string(ClaimActionName(action));
      StatusOr<S> next = ApplyClaimAction(state, action, ctx);
      const auto it = kAllowed.find({state, action});
      if (it != kAllowed.end()) {
        ASSERT_TRUE(next.ok()) << label << ": " << next.status().ToString();
        EXPECT_EQ(*next, it->second) << label << " gave " << ClaimStatusName(*next);
        ++allowed;
      } else {
        ASSERT_FALSE(next.ok()) << label << " was allowed, giving " << ClaimStatusName(*next);
        EXPECT_EQ(next.status().code(), StatusCode::kConflict) << label;
        EXPECT_EQ(next.status().reason(), "invalid_transition") << label;
        EXPECT_EQ(next.status().message(), "cannot " + std::string(ClaimActionName(action)) +
                                               " a claim that is " +
                                               std::string(ClaimStatusName(state)))
            << label;
        ++refused;
      }
    }
  }
  EXPECT_EQ(allowed, 13);
  EXPECT_EQ(refused, 7 * 8 - 13);
}

TEST(ClaimStateTest, RefusalsHoldWhateverTheContext) {
  // A context can change where an allowed action leads, never whether a refused one is allowed.
  std::vector<ClaimTransitionContext> contexts(4);
  contexts[1].countersign_threshold = Money();
  contexts[1].allowed = Money::FromFen(1);
  contexts[2].outcome = ObjectionOutcome::kUpheld;
  contexts[2].disputed_decision = S::kRejected;
  contexts[3].outcome = ObjectionOutcome::kUpheld;
  contexts[3].disputed_decision = S::kConfirmed;
  for (const ClaimTransitionContext& ctx : contexts) {
    for (S state : kStatuses) {
      for (A action : kActions) {
        if (kAllowed.count({state, action}) != 0) continue;
        StatusOr<S> next = ApplyClaimAction(state, action, ctx);
        ASSERT_FALSE(next.ok());
        EXPECT_EQ(next.status().code(), StatusCode::kConflict);
      }
    }
  }
}

TEST(ClaimStateTest, WithdrawnIsFinal) {
  for (A action : kActions) {
    ClaimTransitionContext ctx;
    ctx.outcome = ObjectionOutcome::kAdjusted;
    EXPECT_FALSE(ApplyClaimAction(S::kWithdrawn, action, ctx).ok()) << ClaimActionName(action);
  }
}

TEST(ClaimStateTest, ClaimantActionsNeedNoContext) {
  EXPECT_EQ(*ApplyClaimAction(S::kDeficient, A::kAmend, {}), S::kSubmitted);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kWithdraw, {}), S::kWithdrawn);
  EXPECT_EQ(*ApplyClaimAction(S::kRejected, A::kObject, {}), S::kDisputed);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, {}), S::kConfirmed);
}

TEST(ClaimStateTest, ConfirmAboveThresholdWaitsForCountersign) {
  ClaimTransitionContext ctx;
  ctx.countersign_threshold = Money::FromFen(5000000);  // 50,000.00
  ctx.allowed = Money::FromFen(5000000);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, ctx), S::kConfirmed);  // at: not above
  ctx.allowed = Money::FromFen(5000001);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, ctx), S::kPendingCountersign);
  ctx.allowed = Money::FromFen(0);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, ctx), S::kConfirmed);
  // Without a threshold nothing needs a second officer.
  ctx.countersign_threshold.reset();
  ctx.allowed = Money::FromFen(999999999999);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, ctx), S::kConfirmed);
  // A threshold of zero: every non-zero confirmation is countersigned.
  ctx.countersign_threshold = Money();
  ctx.allowed = Money::FromFen(1);
  EXPECT_EQ(*ApplyClaimAction(S::kSubmitted, A::kConfirm, ctx), S::kPendingCountersign);
  // Countersigning then confirms; a second confirm does not.
  EXPECT_EQ(*ApplyClaimAction(S::kPendingCountersign, A::kCountersign, ctx), S::kConfirmed);
  EXPECT_FALSE(ApplyClaimAction(S::kPendingCountersign, A::kConfirm, ctx).ok());
}

TEST(ClaimStateTest, ResolveUpheldRestoresTheDisputedDecision) {
  ClaimTransitionContext ctx;
  ctx.outcome = ObjectionOutcome::kUpheld;
  ctx.disputed_decision = S::kRejected;
  EXPECT_EQ(*ApplyClaimAction(S::kDisputed, A::kResolve, ctx), S::kRejected);
  ctx.disputed_decision = S::kConfirmed;
  EXPECT_EQ(*ApplyClaimAction(S::kDisputed, A::kResolve, ctx), S::kConfirmed);
  // Adjusted confirms whatever was disputed.
  ctx.outcome = ObjectionOutcome::kAdjusted;
  ctx.disputed_decision = S::kRejected;
  EXPECT_EQ(*ApplyClaimAction(S::kDisputed, A::kResolve, ctx), S::kConfirmed);
}

TEST(ClaimStateTest, ResolveWithoutWhatItNeedsIsACallerBug) {
  ClaimTransitionContext ctx;
  StatusOr<S> no_outcome = ApplyClaimAction(S::kDisputed, A::kResolve, ctx);
  ASSERT_FALSE(no_outcome.ok());
  EXPECT_EQ(no_outcome.status().code(), StatusCode::kInternal);

  ctx.outcome = ObjectionOutcome::kUpheld;
  StatusOr<S> no_decision = ApplyClaimAction(S::kDisputed, A::kResolve, ctx);
  ASSERT_FALSE(no_decision.ok());
  EXPECT_EQ(no_decision.status().code(), StatusCode::kInternal);

  for (S odd :
       {S::kSubmitted, S::kDeficient, S::kPendingCountersign, S::kDisputed, S::kWithdrawn}) {
    ctx.disputed_decision = odd;
    StatusOr<S> bad = ApplyClaimAction(S::kDisputed, A::kResolve, ctx);
    ASSERT_FALSE(bad.ok()) << ClaimStatusName(odd);
    EXPECT_EQ(bad.status().code(), StatusCode::kInternal);
  }
  // Outside disputed the state is what is wrong, whatever the context lacks.
  EXPECT_EQ(ApplyClaimAction(S::kConfirmed, A::kResolve, {}).status().code(),
            StatusCode::kConflict);
}

TEST(ClaimStateTest, StatusNamesRoundTrip) {
  const std::vector<std::pair<S, std::string>> names = {
      {S::kSubmitted, "submitted"},
      {S::kDeficient, "deficient"},
      {S::kPendingCountersign, "pending_countersign"},
      {S::kConfirmed, "confirmed"},
      {S::kRejected, "rejected"},
      {S::kDisputed, "disputed"},
      {S::kWithdrawn, "withdrawn"},
  };
  for (const auto& [status, name] : names) {
    EXPECT_EQ(ClaimStatusName(status), name);
    ASSERT_TRUE(ParseClaimStatus(name).has_value()) << name;
    EXPECT_EQ(*ParseClaimStatus(name), status);
  }
  for (const char* bad :
       {"", "Submitted", "SUBMITTED", "submitted ", "pending", "approved", "pending-countersign"}) {
    EXPECT_FALSE(ParseClaimStatus(bad).has_value()) << bad;
  }
}

TEST(ClaimStateTest, ActionNamesAndActors) {
  const std::vector<std::tuple<A, std::string, ClaimActor>> actions = {
      {A::kAmend, "amend", ClaimActor::kClaimant},
      {A::kWithdraw, "withdraw", ClaimActor::kClaimant},
      {A::kRequestInfo, "request_info", ClaimActor::kOfficer},
      {A::kConfirm, "confirm", ClaimActor::kOfficer},
      {A::kCountersign, "countersign", ClaimActor::kOfficer},
      {A::kReject, "reject", ClaimActor::kOfficer},
      {A::kObject, "object", ClaimActor::kClaimant},
      {A::kResolve, "resolve", ClaimActor::kOfficer},
  };
  for (const auto& [action, name, actor] : actions) {
    EXPECT_EQ(ClaimActionName(action), name);
    ASSERT_TRUE(ParseClaimAction(name).has_value()) << name;
    EXPECT_EQ(*ParseClaimAction(name), action);
    EXPECT_EQ(ClaimActionActor(action), actor) << name;
  }
  EXPECT_FALSE(ParseClaimAction("request-info").has_value());
  EXPECT_FALSE(ParseClaimAction("").has_value());
}

TEST(ClaimStateTest, RejectReasons) {
  const std::vector<std::pair<RejectReason, std::string>> reasons = {
      {RejectReason::kDuplicate, "duplicate"},
      {RejectReason::kNotAParticipant, "not_a_participant"},
      {RejectReason::kExcludedPerson, "excluded_person"},
      {RejectReason::kNoEvidence, "no_evidence"},
      {RejectReason::kLate, "late"},
      {RejectReason::kNetWinner, "net_winner"},
      {RejectReason::kOther, "other"},
  };
  for (const auto& [reason, name] : reasons) {
    EXPECT_EQ(RejectReasonName(reason), name);
    ASSERT_TRUE(ParseRejectReason(name).has_value()) << name;
    EXPECT_EQ(*ParseRejectReason(name), reason);
    EXPECT_LE(name.size(), 32u);  // claims.reject_reason VARCHAR(32)
  }
  for (const char* bad : {"", "Duplicate", "net-winner", "fraud", "late "}) {
    EXPECT_FALSE(ParseRejectReason(bad).has_value()) << bad;
  }
}

TEST(ClaimStateTest, ObjectionReasonsAndTheDecisionsTheyFit) {
  const std::vector<std::pair<ObjectionReason, std::string>> reasons = {
      {ObjectionReason::kAmountWrong, "amount_wrong"},
      {ObjectionReason::kWronglyRejected, "wrongly_rejected"},
      {ObjectionReason::kRecordsMissing, "records_missing"},
      {ObjectionReason::kReturnsOvercounted, "returns_overcounted"},
      {ObjectionReason::kOther, "other"},
  };
  for (const auto& [reason, name] : reasons) {
    EXPECT_EQ(ObjectionReasonName(reason), name);
    EXPECT_EQ(ParseObjectionReason(name), reason) << name;
    EXPECT_LE(name.size(), 32u);  // claim_events.reason_code VARCHAR(32)
  }
  for (const char* bad : {"", "other ", "Amount_Wrong", "amount-wrong", "late"}) {
    EXPECT_FALSE(ParseObjectionReason(bad).has_value()) << bad;
  }
  using R = ObjectionReason;
  EXPECT_TRUE(ObjectionReasonFits(R::kAmountWrong, ClaimStatus::kConfirmed));
  EXPECT_FALSE(ObjectionReasonFits(R::kAmountWrong, ClaimStatus::kRejected));
  EXPECT_TRUE(ObjectionReasonFits(R::kWronglyRejected, ClaimStatus::kRejected));
  EXPECT_FALSE(ObjectionReasonFits(R::kWronglyRejected, ClaimStatus::kConfirmed));
  for (R either : {R::kRecordsMissing, R::kReturnsOvercounted, R::kOther}) {
    EXPECT_TRUE(ObjectionReasonFits(either, ClaimStatus::kConfirmed));
    EXPECT_TRUE(ObjectionReasonFits(either, ClaimStatus::kRejected));
  }
}

TEST(ClaimStateTest, ObjectionOutcomes) {
  EXPECT_EQ(ObjectionOutcomeName(ObjectionOutcome::kUpheld), "upheld");
  EXPECT_EQ(ObjectionOutcomeName(ObjectionOutcome::kAdjusted), "adjusted");
  EXPECT_EQ(ParseObjectionOutcome("upheld"), ObjectionOutcome::kUpheld);
  EXPECT_EQ(ParseObjectionOutcome("adjusted"), ObjectionOutcome::kAdjusted);
  EXPECT_FALSE(ParseObjectionOutcome("granted").has_value());
}

TEST(ClaimStateTest, CountersignerMustDiffer) {
  EXPECT_TRUE(CheckCountersigner(7, 8).ok());
  Status same = CheckCountersigner(7, 7);
  EXPECT_EQ(same.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(same.reason(), "same_officer");
}

}  // namespace
}  // namespace restitution
