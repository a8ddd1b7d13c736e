#include "service/distribution_rule.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();

Money Fen(int64_t fen) { return Money::FromFen(fen); }

RoundClaim Confirmed(int64_t recognised, int64_t prior = 0) {
  return RoundClaim{Fen(recognised), Fen(prior), RoundClaimStatus::kConfirmed};
}

RoundClaim Disputed(int64_t recognised, int64_t prior = 0) {
  return RoundClaim{Fen(recognised), Fen(prior), RoundClaimStatus::kDisputed};
}

RoundPlan Plan(int64_t amount, std::vector<RoundClaim> claims, int64_t min_payment = 0) {
  return RoundPlan{Fen(amount), Fen(min_payment), std::move(claims)};
}

int64_t Share(const RoundAllocation& a) { return a.pay.fen() + a.reserve.fen() + a.deferred.fen(); }

std::vector<int64_t> Shares(const RoundResult& result) {
  std::vector<int64_t> shares;
  for (const RoundAllocation& a : result.allocations) shares.push_back(Share(a));
  return shares;
}

RoundResult MustCompute(const RoundPlan& plan) {
  StatusOr<RoundResult> result = ComputeRound(plan);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? std::move(result).value() : RoundResult{};
}

void ExpectLevel(const RoundResult& result, Int128 numerator, Int128 denominator) {
  // Compared as fractions, so the test does not depend on whether the level is reduced.
  EXPECT_TRUE(result.level.numerator * denominator == numerator * result.level.denominator)
      << FormatRatio(result.level.numerator, result.level.denominator, 12) << " vs "
      << FormatRatio(numerator, denominator, 12);
}

// ---------------------------------------------------------------------------------------------
// Hand-computed rounds.

TEST(DistributionRuleTest, EqualClaimsTieGoesToTheFirstListed) {
  // r = 100/300; each exact share is 33⅓; 99 fen as floors, the 1 left over to the first.
  const RoundResult result =
      MustCompute(Plan(100, {Confirmed(100), Confirmed(100), Confirmed(100)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{34, 33, 33}));
  ExpectLevel(result, 1, 3);
  EXPECT_EQ(result.totals.paid.fen(), 100);
  EXPECT_EQ(result.totals.surplus.fen(), 0);
}

TEST(DistributionRuleTest, AllTiedFractionsGoInPlanOrder) {
  // r = 1/2: four shares of exactly 0.5 fen; the 2 fen go to the first two claims.
  const RoundResult result =
      MustCompute(Plan(2, {Confirmed(1), Confirmed(1), Confirmed(1), Confirmed(1)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{1, 1, 0, 0}));
}

TEST(DistributionRuleTest, LargestRemainderGetsTheLeftOverFen) {
  // r = 10/15: exact shares 2, 3⅓, 4⅔; floors 9; the fen goes to the ⅔.
  const RoundResult result = MustCompute(Plan(10, {Confirmed(3), Confirmed(5), Confirmed(7)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{2, 3, 5}));
  ExpectLevel(result, 2, 3);
  // Not the order of the plan: the larger fraction listed last still wins.
  const RoundResult reversed = MustCompute(Plan(10, {Confirmed(7), Confirmed(5), Confirmed(3)}));
  EXPECT_EQ(Shares(reversed), (std::vector<int64_t>{5, 3, 2}));
}

TEST(DistributionRuleTest, ClaimAheadFromEarlierRoundsWaits) {
  // Claim 0 has 500 of 1000 already (breakpoint ½); claim 1 has nothing. 300 fen lift claim 1
  // to r = 0.3, still below ½, so claim 0 gets nothing.
  const RoundResult result = MustCompute(Plan(300, {Confirmed(1000, 500), Confirmed(1000)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{0, 300}));
  ExpectLevel(result, 3, 10);
  // 700 fen: claim 1 alone would reach 0.7 > ½, so both are active: 2000·r − 500 = 700,
  // r = 0.6: shares 100 and 600.
  const RoundResult more = MustCompute(Plan(700, {Confirmed(1000, 500), Confirmed(1000)}));
  EXPECT_EQ(Shares(more), (std::vector<int64_t>{100, 600}));
  ExpectLevel(more, 3, 5);
}

TEST(DistributionRuleTest, PriorsFromAnEarlierRoundAndALateClaim) {
  // Round 1: 500 fen over 600 and 400: r = ½, shares 300 and 200.
  const RoundResult first = MustCompute(Plan(500, {Confirmed(600), Confirmed(400)}));
  EXPECT_EQ(Shares(first), (std::vector<int64_t>{300, 200}));
  // Round 2: a claim of 500 confirmed late joins with nothing. 500 fen: the late claim alone
  // would reach 1, above ½, so all three are active: 1500·r − 500 = 500, r = ⅔. Exact shares
  // 100, 66⅔, 333⅓: floors 499, the fen to the ⅔.
  const RoundResult second =
      MustCompute(Plan(500, {Confirmed(600, 300), Confirmed(400, 200), Confirmed(500)}));
  EXPECT_EQ(Shares(second), (std::vector<int64_t>{100, 67, 333}));
  ExpectLevel(second, 2, 3);
}

TEST(DistributionRuleTest, DisputedGoesToReserveAndSmallSharesAreDeferred) {
  // r = 1000/20000 = 1/20: shares 500, 25, 475 exactly. The 25 is below the minimum of 100.
  const RoundResult result = MustCompute(
      Plan(1000, {Confirmed(10000), Confirmed(500), Disputed(9500)}, /*min_payment=*/100));
  ASSERT_EQ(result.allocations.size(), 3u);
  EXPECT_EQ(result.allocations[0].pay.fen(), 500);
  EXPECT_EQ(result.allocations[0].reserve.fen(), 0);
  EXPECT_EQ(result.allocations[0].deferred.fen(), 0);
  EXPECT_EQ(result.allocations[1].pay.fen(), 0);
  EXPECT_EQ(result.allocations[1].deferred.fen(), 25);
  EXPECT_EQ(result.allocations[2].pay.fen(), 0);
  EXPECT_EQ(result.allocations[2].reserve.fen(), 475);
  EXPECT_EQ(result.totals.paid.fen(), 500);
  EXPECT_EQ(result.totals.reserved.fen(), 475);
  EXPECT_EQ(result.totals.deferred.fen(), 25);
  EXPECT_EQ(result.totals.surplus.fen(), 0);
  ExpectLevel(result, 1, 20);
}

TEST(DistributionRuleTest, ShareEqualToTheMinimumIsPaid) {
  const RoundResult result = MustCompute(Plan(200, {Confirmed(100), Confirmed(100)}, 100));
  EXPECT_EQ(result.allocations[0].pay.fen(), 100);
  EXPECT_EQ(result.allocations[1].pay.fen(), 100);
  EXPECT_EQ(result.totals.deferred.fen(), 0);
}

TEST(DistributionRuleTest, EverythingOutstandingFitsLeavesASurplus) {
  // Outstanding 200 + 200 + 100 = 500 of 1000: everyone in full, 500 surplus, level 1.
  const RoundResult result =
      MustCompute(Plan(1000, {Confirmed(300, 100), Confirmed(200), Disputed(100)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{200, 200, 100}));
  EXPECT_EQ(result.totals.paid.fen(), 400);
  EXPECT_EQ(result.totals.reserved.fen(), 100);
  EXPECT_EQ(result.totals.surplus.fen(), 500);
  EXPECT_EQ(result.level.numerator, 1);
  EXPECT_EQ(result.level.denominator, 1);
  EXPECT_EQ(FormatRatio(result.level.numerator, result.level.denominator), "1.000000");
}

TEST(DistributionRuleTest, FullPaymentsBelowTheMinimumAreStillDeferred) {
  // Rule 4 applies in full-payment rounds too: 200 < 250 is deferred although it settles the
  // claim; the money stays in the pool (deferred), not in the surplus.
  const RoundResult result = MustCompute(Plan(1000, {Confirmed(300, 100), Confirmed(200)}, 250));
  EXPECT_EQ(result.allocations[0].deferred.fen(), 200);
  EXPECT_EQ(result.allocations[1].deferred.fen(), 200);
  EXPECT_EQ(result.totals.paid.fen(), 0);
  EXPECT_EQ(result.totals.deferred.fen(), 400);
  EXPECT_EQ(result.totals.surplus.fen(), 600);
}

TEST(DistributionRuleTest, ExactlyEnoughIsNoSurplus) {
  const RoundResult result = MustCompute(Plan(500, {Confirmed(300), Confirmed(200)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{300, 200}));
  EXPECT_EQ(result.totals.surplus.fen(), 0);
  ExpectLevel(result, 1, 1);
}

TEST(DistributionRuleTest, SettledAndEmptyClaimsGetNothing) {
  const RoundResult result =
      MustCompute(Plan(50, {Confirmed(0), Confirmed(100, 100), Confirmed(100), Disputed(0)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{0, 0, 50, 0}));
  ExpectLevel(result, 1, 2);
}

TEST(DistributionRuleTest, ZeroAmountGivesNothing) {
  const RoundResult result = MustCompute(Plan(0, {Confirmed(100, 30), Confirmed(100)}));
  EXPECT_EQ(Shares(result), (std::vector<int64_t>{0, 0}));
  EXPECT_EQ(result.totals.paid.fen(), 0);
  EXPECT_EQ(result.totals.surplus.fen(), 0);
}

TEST(DistributionRuleTest, NoClaimsIsAllSurplus) {
  const RoundResult result = MustCompute(Plan(700, {}));
  EXPECT_TRUE(result.allocations.empty());
  EXPECT_EQ(result.totals.surplus.fen(), 700);
}

TEST(DistributionRuleTest, NearInt64Totals) {
  // Σ C = kMaxFen exactly (the largest allowed); A one fen short of it.
  const int64_t half = kMaxFen / 2;
  const RoundResult result =
      MustCompute(Plan(kMaxFen - 1, {Confirmed(half), Confirmed(kMaxFen - half, 1)}));
  EXPECT_EQ(Shares(result)[0] + Shares(result)[1], kMaxFen - 1);
  EXPECT_LE(Shares(result)[1], kMaxFen - half - 1);
}

// ---------------------------------------------------------------------------------------------
// Invalid plans.

void ExpectInvalid(const RoundPlan& plan, StatusCode code, const std::string& field) {
  StatusOr<RoundResult> result = ComputeRound(plan);
  ASSERT_FALSE(result.ok()) << field;
  EXPECT_EQ(result.status().code(), code) << result.status().ToString();
  EXPECT_EQ(result.status().field(), field) << result.status().ToString();
}

TEST(DistributionRuleTest, InvalidPlansNameTheField) {
  ExpectInvalid(Plan(-1, {Confirmed(10)}), StatusCode::kInvalidArgument, "amount");
  ExpectInvalid(Plan(10, {Confirmed(10)}, -1), StatusCode::kInvalidArgument, "min_payment");
  ExpectInvalid(Plan(10, {Confirmed(10), Confirmed(-5)}), StatusCode::kInvalidArgument,
                "claims[1].amount");
  ExpectInvalid(Plan(10, {Confirmed(10), Confirmed(10), Confirmed(10, -1)}),
                StatusCode::kInvalidArgument, "claims[2].prior");
  ExpectInvalid(Plan(10, {Confirmed(10, 11)}), StatusCode::kInvalidArgument, "claims[0].prior");
  ExpectInvalid(Plan(10, {Disputed(0, 1)}), StatusCode::kInvalidArgument, "claims[0].prior");
  // Σ C beyond int64 fen: refused rather than computed with products that could overflow.
  ExpectInvalid(Plan(10, {Confirmed(kMaxFen), Confirmed(1)}), StatusCode::kRuleViolated, "claims");
}

// ---------------------------------------------------------------------------------------------
// FormatRatio.

TEST(DistributionRuleTest, FormatRatioRoundsDown) {
  EXPECT_EQ(FormatRatio(1, 3), "0.333333");
  EXPECT_EQ(FormatRatio(2, 3), "0.666666");
  EXPECT_EQ(FormatRatio(2, 3, 2), "0.66");
  EXPECT_EQ(FormatRatio(1, 1), "1.000000");
  EXPECT_EQ(FormatRatio(5, 2, 0), "2");
  EXPECT_EQ(FormatRatio(0, 7), "0.000000");
  EXPECT_EQ(FormatRatio(0, 0), "0.000000");
  EXPECT_EQ(FormatRatio(123, 0, 2), "0.00");
  EXPECT_EQ(FormatRatio(-1, 3), "-0.333333");
  EXPECT_EQ(FormatRatio(1234567, 1000, 3), "1234.567");
  const Int128 max = (static_cast<Int128>(kMaxFen) << 64) +
                     static_cast<Int128>(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(FormatRatio(max, max), "1.000000");
  EXPECT_EQ(FormatRatio(max - 1, max, 30), "0." + std::string(30, '9'));
  EXPECT_EQ(FormatRatio(max, 1, 0), "170141183460469231731687303715884105727");
  EXPECT_EQ(FormatRatio(-max - 1, 1, 0), "-170141183460469231731687303715884105728");
}

// ---------------------------------------------------------------------------------------------
// Properties over random plans, checked with exact integer arithmetic of the test's own, not
// the engine's code path: the level is accepted only because it solves the equation exactly.

struct Generated {
  RoundPlan plan;
  std::string description;
};

int64_t Uniform(std::mt19937_64& rng, int64_t low, int64_t high) {
  return std::uniform_int_distribution<int64_t>(low, high)(rng);
}

// A plan mixing tiny (a few fen), realistic and huge claims, priors from nothing to settled,
// disputed claims, and amounts from 0 to beyond everything outstanding.
RoundPlan RandomPlan(std::mt19937_64& rng) {
  const int shape = static_cast<int>(Uniform(rng, 0, 9));
  const size_t n = static_cast<size_t>(shape == 0 ? Uniform(rng, 1, 3) : Uniform(rng, 1, 60));
  // The claims' total must stay within int64 fen; split the budget between them.
  const int64_t budget = shape <= 1 ? kMaxFen / static_cast<int64_t>(n) : int64_t{1} << 40;
  RoundPlan plan;
  for (size_t i = 0; i < n; ++i) {
    RoundClaim claim;
    int64_t c = 0;
    switch (Uniform(rng, 0, 5)) {
      case 0:
        c = Uniform(rng, 0, 10);  // tiny, including 0
        break;
      case 1:
        c = Uniform(rng, budget / 2, budget);  // huge
        break;
      default:
        c = Uniform(rng, 1, std::min<int64_t>(budget, 100'000'000));  // up to 1,000,000.00
        break;
    }
    int64_t p = 0;
    switch (Uniform(rng, 0, 4)) {
      case 0:
        p = c;  // settled
        break;
      case 1:
      case 2:
        p = Uniform(rng, 0, c);
        break;
      default:
        break;
    }
    claim.recognised = Fen(c);
    claim.prior = Fen(p);
    claim.status =
        Uniform(rng, 0, 4) == 0 ? RoundClaimStatus::kDisputed : RoundClaimStatus::kConfirmed;
    plan.claims.push_back(claim);
  }
  Int128 outstanding = 0;
  for (const RoundClaim& c : plan.claims) outstanding += c.recognised.fen() - c.prior.fen();
  const int64_t o = static_cast<int64_t>(outstanding);
  int64_t amount = 0;
  switch (Uniform(rng, 0, 7)) {
    case 0:
      amount = 0;
      break;
    case 1:
      amount = o;
      break;
    case 2:
      amount = std::max<int64_t>(0, o - 1);
      break;
    case 3:
      amount = Uniform(rng, o, o > kMaxFen / 2 ? kMaxFen : 2 * o + 10);
      break;
    case 4:
      amount = Uniform(rng, 0, std::min<int64_t>(o, 100));  // a few fen over many claims
      break;
    default:
      amount = Uniform(rng, 0, o);
      break;
  }
  plan.amount = Fen(amount);
  plan.min_payment = Fen(Uniform(rng, 0, 2) == 0 ? 0 : Uniform(rng, 0, 5000));
  return plan;
}

// max(0, N·C − P·D): the exact share times D. All below 2^126 under the engine's bounds.
Int128 ScaledShare(const RoundClaim& claim, const RoundLevel& level) {
  const Int128 x = level.numerator * claim.recognised.fen() - level.denominator * claim.prior.fen();
  return x > 0 ? x : 0;
}

// Every property of one round that does not need a second computation.
void CheckRound(const RoundPlan& plan, const RoundResult& result, const std::string& context) {
  SCOPED_TRACE(context);
  ASSERT_EQ(result.allocations.size(), plan.claims.size());
  const int64_t amount = plan.amount.fen();
  Int128 outstanding = 0;
  for (const RoundClaim& c : plan.claims) outstanding += c.recognised.fen() - c.prior.fen();

  Int128 sum = 0;
  Int128 paid = 0, reserved = 0, deferred = 0;
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const RoundClaim& claim = plan.claims[i];
    const RoundAllocation& a = result.allocations[i];
    const int64_t share = Share(a);
    // Exactly one bucket, chosen by rule 4.
    ASSERT_GE(a.pay.fen(), 0);
    ASSERT_GE(a.reserve.fen(), 0);
    ASSERT_GE(a.deferred.fen(), 0);
    ASSERT_LE((a.pay.fen() != 0) + (a.reserve.fen() != 0) + (a.deferred.fen() != 0), 1);
    if (claim.status == RoundClaimStatus::kDisputed) {
      ASSERT_EQ(a.reserve.fen(), share) << "claim " << i;
    } else if (share < plan.min_payment.fen()) {
      ASSERT_EQ(a.deferred.fen(), share) << "claim " << i;
    } else {
      ASSERT_EQ(a.pay.fen(), share) << "claim " << i;
    }
    // Nobody ever exceeds the recognised amount.
    ASSERT_LE(static_cast<Int128>(claim.prior.fen()) + share, claim.recognised.fen())
        << "claim " << i;
    sum += share;
    paid += a.pay.fen();
    reserved += a.reserve.fen();
    deferred += a.deferred.fen();
  }
  ASSERT_EQ(paid, result.totals.paid.fen());
  ASSERT_EQ(reserved, result.totals.reserved.fen());
  ASSERT_EQ(deferred, result.totals.deferred.fen());
  ASSERT_EQ(paid + reserved + deferred + result.totals.surplus.fen(), amount);

  if (outstanding <= amount) {
    // Rule 1: everyone gets exactly what is outstanding, the rest is surplus.
    for (size_t i = 0; i < plan.claims.size(); ++i) {
      ASSERT_EQ(Share(result.allocations[i]),
                plan.claims[i].recognised.fen() - plan.claims[i].prior.fen());
    }
    ASSERT_EQ(result.totals.surplus.fen(), amount - outstanding);
    ASSERT_TRUE(result.level.numerator == result.level.denominator);
    return;
  }
  // Rules 2 and 3.
  ASSERT_EQ(sum, amount);
  ASSERT_EQ(result.totals.surplus.fen(), 0);
  const RoundLevel& level = result.level;
  ASSERT_GT(level.denominator, 0);
  ASSERT_GE(level.numerator, 0);
  ASSERT_LT(level.numerator, level.denominator);  // r < 1
  ASSERT_LE(level.denominator, kMaxFen);          // so every product below fits
  // The level solves Σ max(0, r·C − P) = A exactly: Σ max(0, N·C − P·D) = A·D. Each term is
  // non-negative and the running sum is compared before it could overflow.
  const Int128 target = static_cast<Int128>(amount) * level.denominator;
  Int128 scaled_sum = 0;
  for (const RoundClaim& claim : plan.claims) {
    scaled_sum += ScaledShare(claim, level);
    ASSERT_LE(scaled_sum, target);
  }
  ASSERT_EQ(scaled_sum, target);
  if (amount == 0) return;
  // Within a fen of the exact share: |share·D − e·D| < D. And the fen left over went to the
  // largest fractional parts, ties to the claim listed first: every rounded-up claim beats every
  // rounded-down claim with a fractional part.
  bool any_up = false, any_down = false;
  Int128 worst_up = 0, best_down = 0;
  size_t worst_up_index = 0, best_down_index = 0;
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const Int128 exact = ScaledShare(plan.claims[i], level);
    const Int128 scaled = static_cast<Int128>(Share(result.allocations[i])) * level.denominator;
    ASSERT_LT(scaled - exact, level.denominator) << "claim " << i;
    ASSERT_LT(exact - scaled, level.denominator) << "claim " << i;
    const Int128 fraction = exact % level.denominator;
    if (fraction == 0) {
      ASSERT_EQ(scaled, exact) << "claim " << i;
    } else if (scaled > exact) {
      if (!any_up || fraction <= worst_up) {  // ties: the later one is the worst
        worst_up = fraction;
        worst_up_index = i;
      }
      any_up = true;
    } else {
      if (!any_down || fraction > best_down) {  // ties: the earlier one is the best
        best_down = fraction;
        best_down_index = i;
      }
      any_down = true;
    }
  }
  if (any_up && any_down) {
    ASSERT_TRUE(worst_up > best_down || (worst_up == best_down && worst_up_index < best_down_index))
        << "claim " << worst_up_index << " was rounded up before claim " << best_down_index;
  }
}

std::string Describe(const RoundPlan& plan) {
  std::string text = "A=" + std::to_string(plan.amount.fen()) +
                     " M=" + std::to_string(plan.min_payment.fen()) + " claims:";
  for (const RoundClaim& c : plan.claims) {
    text += " " + std::to_string(c.recognised.fen()) + "/" + std::to_string(c.prior.fen()) +
            (c.status == RoundClaimStatus::kDisputed ? "d" : "");
  }
  return text;
}

TEST(DistributionRuleProperty, RandomPlans) {
  std::mt19937_64 rng(20260501);
  int rising = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    const RoundPlan plan = RandomPlan(rng);
    const RoundResult result = MustCompute(plan);
    ASSERT_NO_FATAL_FAILURE(
        CheckRound(plan, result, "trial " + std::to_string(trial) + ": " + Describe(plan)));
    rising += result.level.numerator != result.level.denominator;
  }
  // The generator must exercise the rising tide, not only full payment.
  EXPECT_GT(rising, 2500);
}

// The result depends on the order of the claims only where fractional parts tie: a claim whose
// fractional part no other claim shares gets the same share in any order.
TEST(DistributionRuleProperty, OrderIndependentExceptTies) {
  std::mt19937_64 rng(77);
  int compared = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const RoundPlan plan = RandomPlan(rng);
    const RoundResult result = MustCompute(plan);
    std::vector<size_t> order(plan.claims.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    RoundPlan shuffled = plan;
    for (size_t k = 0; k < order.size(); ++k) shuffled.claims[k] = plan.claims[order[k]];
    const RoundResult other = MustCompute(shuffled);
    SCOPED_TRACE("trial " + std::to_string(trial) + ": " + Describe(plan));
    ASSERT_TRUE(result.level.numerator * other.level.denominator ==
                other.level.numerator * result.level.denominator);
    // Per bucket the totals may differ by tied fen (a tie between a disputed and a confirmed
    // claim moves a fen from reserve to pay); the surplus may not.
    ASSERT_EQ(result.totals.surplus, other.totals.surplus);
    std::map<Int128, int> fraction_count;
    std::vector<Int128> fractions(plan.claims.size());
    for (size_t i = 0; i < plan.claims.size(); ++i) {
      fractions[i] = ScaledShare(plan.claims[i], result.level) % result.level.denominator;
      ++fraction_count[fractions[i]];
    }
    for (size_t k = 0; k < order.size(); ++k) {
      const size_t i = order[k];
      const int64_t a = Share(result.allocations[i]);
      const int64_t b = Share(other.allocations[k]);
      if (fractions[i] == 0 || fraction_count[fractions[i]] == 1) {
        ASSERT_EQ(a, b) << "claim " << i;
        ++compared;
      } else {
        ASSERT_LE(a > b ? a - b : b - a, 1) << "claim " << i;
      }
    }
  }
  EXPECT_GT(compared, 10000);
}

// Two rounds of A/2 (the second with the first's shares added to the priors) against one of A.
//
// The money is the same. Two rounds never reach a higher level than one (r2 <= r): round 1's
// shares only raise priors. They reach exactly the same level, and every claim's cumulative
// amount is within a fen of the one-round figure, whenever round 1 left no claim above the
// one-round level r. When round 1 rounded a claim up past r (possible only where
// (r − r1)·C < 1 fen, i.e. for claims of a few fen), the claims still rising pay that fen back
// in round 2 in proportion to their claims (see TinyClaimsRoundedUpEarlyAreCaughtUpByTheOthers);
// even then nobody gains more than a fen over the one-round figure.
void ExpectRoundsCompose(const RoundPlan& plan, const std::string& context, int* exact_level) {
  SCOPED_TRACE(context);
  RoundPlan once = plan;
  once.min_payment = Fen(0);  // deferral keeps money out of the priors; not what is tested here
  const RoundResult whole = MustCompute(once);
  RoundPlan first = once;
  first.amount = Fen(once.amount.fen() / 2);
  const RoundResult r1 = MustCompute(first);
  RoundPlan second = once;
  second.amount = Fen(once.amount.fen() - first.amount.fen());
  for (size_t i = 0; i < second.claims.size(); ++i) {
    second.claims[i].prior = Fen(once.claims[i].prior.fen() + Share(r1.allocations[i]));
  }
  const RoundResult r2 = MustCompute(second);
  ASSERT_NO_FATAL_FAILURE(CheckRound(second, r2, "second round"));
  const Int128 surplus = r1.totals.surplus.fen() + r2.totals.surplus.fen();
  ASSERT_EQ(surplus, whole.totals.surplus.fen());
  if (whole.totals.surplus.fen() > 0 || once.amount.fen() == 0) {
    for (size_t i = 0; i < plan.claims.size(); ++i) {
      ASSERT_EQ(Share(r1.allocations[i]) + Share(r2.allocations[i]), Share(whole.allocations[i]));
    }
    return;
  }
  const RoundLevel& level = whole.level;
  const RoundLevel& level2 = r2.level;
  ASSERT_TRUE(level2.numerator * level.denominator <= level.numerator * level2.denominator);
  // Did round 1 lift any claim above r (P1·D > N·C with a share in round 1)?
  bool past_level = false;
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const RoundClaim& c = second.claims[i];
    if (Share(r1.allocations[i]) > 0 &&
        level.denominator * c.prior.fen() > level.numerator * c.recognised.fen()) {
      past_level = true;
    }
  }
  if (!past_level) {
    ++*exact_level;
    ASSERT_TRUE(level.numerator * level2.denominator == level2.numerator * level.denominator);
  }
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const int64_t two = Share(r1.allocations[i]) + Share(r2.allocations[i]);
    const int64_t one = Share(whole.allocations[i]);
    ASSERT_LE(two - one, 1) << "claim " << i;
    if (!past_level) {
      ASSERT_GE(two - one, -1) << "claim " << i;
    }
  }
}

TEST(DistributionRuleProperty, RoundsCompose) {
  std::mt19937_64 rng(4242);
  int exact_level = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    const RoundPlan plan = RandomPlan(rng);
    ASSERT_NO_FATAL_FAILURE(ExpectRoundsCompose(
        plan, "trial " + std::to_string(trial) + ": " + Describe(plan), &exact_level));
  }
  // Most plans must exercise the exact case, not only the inequalities.
  EXPECT_GT(exact_level, 1000);
}

TEST(DistributionRuleTest, TinyClaimsRoundedUpEarlyAreCaughtUpByTheOthers) {
  // 1000 claims of 1 fen and one of 10^10. One round of 2·10^9 + 200: r = 0.2 exactly, the
  // big claim gets exactly 2·10^9 and the 200 fen of tiny shares (0.2 each) go as 1 fen to the
  // first 200 tiny claims. In two rounds, round 1 (r1 = 0.1) settles the first 100 tiny claims
  // with 1 fen each, past r; round 2 gives about 180 more of them 1 fen, and the big claim pays
  // for the difference: about 80 fen less than in one round. Same money in total, but per claim
  // not "within a fen": this pins the effect so that it stays known.
  std::vector<RoundClaim> claims(1000, Confirmed(1));
  claims.push_back(Confirmed(10'000'000'000));
  const RoundPlan plan = Plan(2'000'000'000 + 200, claims);
  const RoundResult whole = MustCompute(plan);
  RoundPlan first = plan;
  first.amount = Fen(plan.amount.fen() / 2);
  const RoundResult r1 = MustCompute(first);
  RoundPlan second = plan;
  second.amount = Fen(plan.amount.fen() - first.amount.fen());
  for (size_t i = 0; i < claims.size(); ++i) {
    second.claims[i].prior = Fen(Share(r1.allocations[i]));
  }
  const RoundResult r2 = MustCompute(second);
  const int64_t big_once = Share(whole.allocations.back());
  const int64_t big_twice = Share(r1.allocations.back()) + Share(r2.allocations.back());
  EXPECT_EQ(big_once, 2'000'000'000);
  EXPECT_LT(big_twice, big_once);
  EXPECT_GT(big_once - big_twice, 50);  // not within a fen: documented, not hidden
  EXPECT_LT(big_once - big_twice, 100);
}

// A large first round and a second with priors, as the benchmark runs them, through the checks.
TEST(DistributionRuleProperty, LargeRoundsAddUp) {
  std::mt19937_64 rng(9);
  RoundPlan plan;
  Int128 total = 0;
  for (int i = 0; i < 200'000; ++i) {
    const int64_t c = Uniform(rng, 100, 50'000'000);
    plan.claims.push_back(Uniform(rng, 0, 20) == 0 ? Disputed(c) : Confirmed(c));
    total += c;
  }
  plan.amount = Fen(static_cast<int64_t>(total / 3));
  plan.min_payment = Fen(1000);
  const RoundResult first = MustCompute(plan);
  ASSERT_NO_FATAL_FAILURE(CheckRound(plan, first, "first"));
  RoundPlan second = plan;
  for (size_t i = 0; i < second.claims.size(); ++i) {
    const RoundAllocation& a = first.allocations[i];
    second.claims[i].prior = Fen(a.pay.fen() + a.reserve.fen());  // deferred stays outstanding
  }
  second.amount = Fen(static_cast<int64_t>(total / 4));
  const RoundResult next = MustCompute(second);
  ASSERT_NO_FATAL_FAILURE(CheckRound(second, next, "second"));
}

TEST(Int128TextTest, RoundTripsTheWholeRange) {
  Int128 half = 1;  // 2^126, then max = 2^127 - 1 without overflowing on the way
  for (int i = 0; i < 126; ++i) half *= 2;
  const Int128 max = (half - 1) + half;
  EXPECT_EQ(Int128ToString(0), "0");
  EXPECT_EQ(Int128ToString(-42), "-42");
  EXPECT_EQ(Int128ToString(max), "170141183460469231731687303715884105727");
  EXPECT_EQ(Int128ToString(-max - 1), "-170141183460469231731687303715884105728");
  const std::string digits38(38, '9');
  ASSERT_TRUE(ParseInt128Digits(digits38).has_value());
  EXPECT_EQ(Int128ToString(*ParseInt128Digits(digits38)), digits38);
  EXPECT_EQ(ParseInt128Digits("000123"), Int128{123});
  for (const char* bad : {"", "-1", "+1", "12a", " 1", "999999999999999999999999999999999999999"}) {
    EXPECT_FALSE(ParseInt128Digits(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace restitution
