#include "service/distribution_rule.h"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace restitution {
namespace {

using int128 = Int128;
__extension__ typedef unsigned __int128 uint128;

constexpr int64_t kMaxFen = std::numeric_limits<int64_t>::max();

// Bounds that make every product below fit in a signed 128-bit integer. They all follow from
// one precondition checked before any arithmetic: Σ C_i <= kMaxFen (so every C_i, P_i, partial
// sum and the level's denominator D is < 2^63), plus A <= kMaxFen (so the numerator
// N = A + ΣP over the active claims is < 2^64). Then:
//   P_i · C_j                 < 2^63 · 2^63 = 2^126   (comparing breakpoints)
//   P_j · SC, C_j · SP, A · C_j < 2^126               (the sum at a pivot breakpoint)
//   (A + SP) · C_j            < 2^64 · 2^63 = 2^127   (is the level below the next breakpoint?)
//   N · C_i,  P_i · D         < 2^126                  (N < D < 2^63 once the level is found)
// and the largest of them, (A + SP) · C_j <= (2^64 − 2)(2^63 − 1), is below 2^127 − 1.
constexpr int128 kMax128 = static_cast<int128>(~uint128{0} >> 1);
static_assert(static_cast<int128>(kMaxFen) * 2 * kMaxFen < kMax128,
              "(A + SP) * C must fit in a signed 128-bit integer");

// A claim that can still gain this round: 0 < C and P < C. Its breakpoint P/C is the level at
// which it starts to receive money.
struct Candidate {
  int64_t prior;
  int64_t recognised;
  uint32_t index;  // into plan.claims; kMaxRoundClaims < 2^32
};

static_assert(kMaxRoundClaims <= std::numeric_limits<uint32_t>::max(),
              "claim indices are stored in 32 bits");

// a.prior / a.recognised < b.prior / b.recognised, exactly; ties by the order of the plan so
// that the sort (and with it the level) is deterministic.
bool BreakpointBefore(const Candidate& a, const Candidate& b) {
  const int128 left = static_cast<int128>(a.prior) * b.recognised;
  const int128 right = static_cast<int128>(b.prior) * a.recognised;
  if (left != right) return left < right;
  return a.index < b.index;
}

int128 Gcd(int128 a, int128 b) {
  while (b != 0) {
    const int128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

Status ValidatePlan(const RoundPlan& plan) {
  if (plan.amount.IsNegative()) return Status::InvalidArgument("amount", "must not be negative");
  if (plan.min_payment.IsNegative()) {
    return Status::InvalidArgument("min_payment", "must not be negative");
  }
  if (plan.claims.size() > kMaxRoundClaims) {
    return Status::InvalidArgument(
        "claims", "has too many items (at most " + std::to_string(kMaxRoundClaims) + ")");
  }
  int128 total = 0;
  for (size_t i = 0; i < plan.claims.size(); ++i) {
    const RoundClaim& claim = plan.claims[i];
    if (claim.recognised.IsNegative()) {
      return Status::InvalidArgument("claims[" + std::to_string(i) + "].amount",
                                     "must not be negative");
    }
    if (claim.prior.IsNegative()) {
      return Status::InvalidArgument("claims[" + std::to_string(i) + "].prior",
                                     "must not be negative");
    }
    if (claim.prior > claim.recognised) {
      return Status::InvalidArgument("claims[" + std::to_string(i) + "].prior",
                                     "must not exceed the claim's amount");
    }
    // At most 2·10^7 terms below 2^63 each: the 128-bit sum cannot overflow.
    total += claim.recognised.fen();
  }
  if (total > kMaxFen) {
    return Status::RuleViolated(
        "claims", "the claims' amounts add up to more than " + Money::FromFen(kMaxFen).ToString());
  }
  return Status::Ok();
}

// Rule 4: where a share goes.
RoundAllocation Allocate(const RoundClaim& claim, int64_t share, Money min_payment) {
  RoundAllocation allocation;
  if (claim.status == RoundClaimStatus::kDisputed) {
    allocation.reserve = Money::FromFen(share);
  } else if (share < min_payment.fen()) {
    allocation.deferred = Money::FromFen(share);
  } else {
    allocation.pay = Money::FromFen(share);
  }
  return allocation;
}

void AddToTotals(const RoundAllocation& allocation, RoundTotals* totals) {
  // Each total is at most A (the shares add up to at most A), so none of these can overflow.
  totals->paid = Money::FromFen(totals->paid.fen() + allocation.pay.fen());
  totals->reserved = Money::FromFen(totals->reserved.fen() + allocation.reserve.fen());
  totals->deferred = Money::FromFen(totals->deferred.fen() + allocation.deferred.fen());
}

// Rule 1: everything outstanding fits in A.
RoundResult PayInFull(const RoundPlan& plan, int64_t outstanding_total) {
  RoundResult result;
  result.allocations.reserve(plan.claims.size());
  for (const RoundClaim& claim : plan.claims) {
    const int64_t share = claim.recognised.fen() - claim.prior.fen();
    result.allocations.push_back(Allocate(claim, share, plan.min_payment));
    AddToTotals(result.allocations.back(), &result.totals);
  }
  result.totals.surplus = Money::FromFen(plan.amount.fen() - outstanding_total);
  result.level = RoundLevel{1, 1};
  return result;
}

// The claims active at the level (breakpoint below it; those exactly on it gain nothing and may
// be in or out) are candidates[0, count), with their sums SC and SP; the level is then
// r = (A + SP) / SC. With the active set fixed, Σ max(0, r·C − P) = r·SC − SP is linear in r.
struct ActiveSet {
  size_t count = 0;
  int128 recognised = 0;  // SC
  int128 prior = 0;       // SP
};

void Add(const Candidate& c, ActiveSet* set) {
  set->recognised += c.recognised;
  set->prior += c.prior;
}

// The sorted fallback: candidates[set->count, end) sorted by breakpoint, then added in that order
// while the level the active set would reach passes the next breakpoint. O(n log n).
void ScanSorted(int64_t amount, std::vector<Candidate>* candidates, size_t end, ActiveSet* set) {
  std::sort(candidates->begin() + static_cast<std::ptrdiff_t>(set->count),
            candidates->begin() + static_cast<std::ptrdiff_t>(end), BreakpointBefore);
  while (set->count < end) {
    const Candidate& next = (*candidates)[set->count];
    // (A + SP) / SC <= next.P / next.C: the level does not pass the next breakpoint. Both
    // products are below 2^127 (see kMax128).
    if (set->recognised > 0 && (amount + set->prior) * next.recognised <=
                                   static_cast<int128>(next.prior) * set->recognised) {
      return;
    }
    Add(next, set);
    ++set->count;
  }
}

// Finds the active set in expected O(n) by partitioning around pivot breakpoints, as
// quickselect does, instead of sorting every breakpoint: at a pivot breakpoint b, the sum of
// max(0, b·C − P) over the claims below it says on which side of b the level lies. The last
// few claims, and whatever is left of a plan that defeats the pivots, are sorted instead.
ActiveSet FindLevel(int64_t amount, std::vector<Candidate>* candidates) {
  ActiveSet set;
  auto& c = *candidates;
  if (amount == 0) {
    // Nothing to share: the level is the lowest breakpoint, where every share is 0.
    std::iter_swap(c.begin(), std::min_element(c.begin(), c.end(), BreakpointBefore));
    Add(c[0], &set);
    set.count = 1;
    return set;
  }
  // Invariant: every claim in [0, lo) is below the level (and in the sums), every claim in
  // [hi, end) is at or above it.
  size_t lo = 0;
  size_t hi = c.size();
  constexpr int kMaxPartitionRounds = 128;  // about 20 expected for 10^6 claims
  constexpr size_t kSortBelow = 16;         // a few claims are sorted, as introselect does
  for (int round = 0; lo < hi; ++round) {
    if (round == kMaxPartitionRounds || hi - lo <= kSortBelow) {
      set.count = lo;
      ScanSorted(amount, candidates, hi, &set);
      return set;
    }
    const Candidate pivot = c[lo + (hi - lo) / 2];
    // x's breakpoint against the pivot's: x.P / x.C ⋚ pivot.P / pivot.C, products < 2^126.
    auto below = [&pivot](const Candidate& x) {
      return static_cast<int128>(x.prior) * pivot.recognised <
             static_cast<int128>(pivot.prior) * x.recognised;
    };
    auto not_above = [&pivot](const Candidate& x) {
      return static_cast<int128>(x.prior) * pivot.recognised <=
             static_cast<int128>(pivot.prior) * x.recognised;
    };
    const auto first = c.begin() + static_cast<std::ptrdiff_t>(lo);
    const auto last = c.begin() + static_cast<std::ptrdiff_t>(hi);
    const auto mid_below = std::partition(first, last, below);
    const auto mid_equal = std::partition(mid_below, last, not_above);
    ActiveSet with_below = set;
    for (auto it = first; it != mid_below; ++it) Add(*it, &with_below);
    // Σ max(0, b·C − P) over the claims below b = pivot.P / pivot.C, times pivot.C:
    // pivot.P·SC − pivot.C·SP, compared with A·pivot.C (every product < 2^126).
    const int128 at_pivot = static_cast<int128>(pivot.prior) * with_below.recognised -
                            static_cast<int128>(pivot.recognised) * with_below.prior;
    if (at_pivot >= static_cast<int128>(amount) * pivot.recognised) {
      hi = static_cast<size_t>(mid_below - c.begin());  // the level is at or below b
    } else {
      set = with_below;  // the level is above b: every claim up to b is active
      for (auto it = mid_below; it != mid_equal; ++it) Add(*it, &set);
      lo = static_cast<size_t>(mid_equal - c.begin());
    }
  }
  set.count = lo;
  return set;
}

// Rules 2 and 3: the rising tide, rounded to the fen.
RoundResult RisingTide(const RoundPlan& plan) {
  const int64_t amount = plan.amount.fen();
  const size_t n = plan.claims.size();

  // Claims that can gain: 0 < C and P < C (so 0 <= P < C).
  std::vector<Candidate> candidates;
  candidates.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const RoundClaim& claim = plan.claims[i];
    if (claim.prior < claim.recognised) {
      candidates.push_back({claim.prior.fen(), claim.recognised.fen(), static_cast<uint32_t>(i)});
    }
  }
  // ΣO > A >= 0, so some claim can gain.
  assert(!candidates.empty());
  const ActiveSet level = FindLevel(amount, &candidates);
  const size_t active = level.count;
  const int128 numerator = amount + level.prior;  // N
  const int128 denominator = level.recognised;    // D
  // r < 1 because Σ(C − P) over every claim exceeds A; so N < D < 2^63.
  assert(numerator < denominator && denominator <= kMaxFen);

  // e_i = (N·C_i − P_i·D) / D for the active claims, 0 for every other. Keep the floor and
  // the remainder (below D, so it fits in 64 bits) of each.
  RoundResult result;
  result.allocations.resize(n);
  std::vector<int64_t> shares(n, 0);
  struct Fraction {
    int64_t remainder;
    uint32_t index;
  };
  std::vector<Fraction> fractions;
  fractions.reserve(active);
  int128 floors = 0;
  for (size_t k = 0; k < active; ++k) {
    const Candidate& c = candidates[k];
    const int128 excess =
        numerator * c.recognised - static_cast<int128>(c.prior) * denominator;  // < 2^126
    if (excess <= 0) continue;  // on its breakpoint: gains nothing yet
    const int128 whole = excess / denominator;
    const int64_t remainder = static_cast<int64_t>(excess - whole * denominator);
    shares[c.index] = static_cast<int64_t>(whole);
    floors += whole;
    if (remainder != 0) fractions.push_back({remainder, c.index});
  }
  // Σ e_i = A exactly, so the fen left over number Σ remainders / D, fewer than the claims
  // with a fractional part.
  const int128 left_over = amount - floors;
  assert(left_over >= 0 && left_over <= static_cast<int128>(fractions.size()));
  const size_t extra = static_cast<size_t>(left_over);
  if (extra > 0) {
    auto larger = [](const Fraction& a, const Fraction& b) {
      if (a.remainder != b.remainder) return a.remainder > b.remainder;
      return a.index < b.index;  // ties to the claim listed first
    };
    if (extra < fractions.size()) {
      std::nth_element(fractions.begin(), fractions.begin() + static_cast<std::ptrdiff_t>(extra),
                       fractions.end(), larger);
    }
    for (size_t k = 0; k < extra; ++k) ++shares[fractions[k].index];
  }

  for (size_t i = 0; i < n; ++i) {
    result.allocations[i] = Allocate(plan.claims[i], shares[i], plan.min_payment);
    AddToTotals(result.allocations[i], &result.totals);
  }
  const int128 divisor = Gcd(numerator, denominator);
  result.level =
      divisor == 0 ? RoundLevel{0, 1} : RoundLevel{numerator / divisor, denominator / divisor};
  return result;
}

}  // namespace

StatusOr<RoundResult> ComputeRound(const RoundPlan& plan) {
  RETURN_IF_ERROR(ValidatePlan(plan));
  int128 outstanding = 0;
  for (const RoundClaim& claim : plan.claims) {
    outstanding += claim.recognised.fen() - claim.prior.fen();
  }
  RoundResult result = outstanding <= plan.amount.fen()
                           ? PayInFull(plan, static_cast<int64_t>(outstanding))
                           : RisingTide(plan);
  const RoundTotals& t = result.totals;
  // Each term is at most A, so the sum cannot overflow 128 bits.
  if (static_cast<int128>(t.paid.fen()) + t.reserved.fen() + t.deferred.fen() + t.surplus.fen() !=
      plan.amount.fen()) {
    assert(false && "paid + reserved + deferred + surplus must equal the amount");
    return Status::Internal("distribution totals do not add up to the round's amount");
  }
  return result;
}

std::string Int128ToString(Int128 value) {
  if (value == 0) return "0";
  const bool negative = value < 0;
  // The magnitude in unsigned arithmetic, so the most negative value has one too.
  uint128 magnitude =
      negative ? uint128{0} - static_cast<uint128>(value) : static_cast<uint128>(value);
  std::string digits;
  while (magnitude > 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  }
  if (negative) digits.push_back('-');
  return std::string(digits.rbegin(), digits.rend());
}

std::optional<Int128> ParseInt128Digits(std::string_view text) {
  if (text.empty() || text.size() > 38) return std::nullopt;
  Int128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string FormatRatio(Int128 numerator, Int128 denominator, int digits) {
  if (digits < 0) digits = 0;
  if (denominator == 0) return digits == 0 ? "0" : "0." + std::string(digits, '0');
  const bool negative = (numerator < 0) != (denominator < 0) && numerator != 0;
  // Magnitudes in unsigned arithmetic, so the most negative value has one too.
  const uint128 n = numerator < 0 ? uint128{0} - static_cast<uint128>(numerator)
                                  : static_cast<uint128>(numerator);
  const uint128 d = denominator < 0 ? uint128{0} - static_cast<uint128>(denominator)
                                    : static_cast<uint128>(denominator);
  uint128 whole = n / d;
  uint128 remainder = n % d;
  std::string integer_digits;
  do {
    integer_digits.push_back(static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole != 0);
  std::string text = negative ? "-" : "";
  text.append(integer_digits.rbegin(), integer_digits.rend());
  if (digits == 0) return text;
  text.push_back('.');
  for (int i = 0; i < digits; ++i) {
    // remainder · 10 may not fit in 128 bits; add it ten times modulo d instead (each step
    // stays below 2d <= 2^128), counting the wraps: they are the next digit.
    int digit = 0;
    uint128 next = 0;
    for (int k = 0; k < 10; ++k) {
      const uint128 room = d - next;  // > 0
      if (remainder >= room) {
        next = remainder - room;
        ++digit;
      } else {
        next += remainder;
      }
    }
    remainder = next;
    text.push_back(static_cast<char>('0' + digit));
  }
  return text;
}

}  // namespace restitution
