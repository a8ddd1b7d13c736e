// The distribution rule of one round (清退批次), as pure arithmetic: no I/O, no clock, no
// database. The service drafts runs with it, `restitutionctl distribution compute` lets courts
// and auditors re-run it by hand, and the replay audit re-runs it from the ledger alone, so all
// three must be this one function.
//
// Rising tide: the round makes A fen available. Every claim i has a recognised amount C_i and a
// prior P_i (paid plus still reserved for it in earlier rounds). If the outstanding total
// Σ(C_i − P_i) fits in A, everyone is paid in full and the rest is surplus. Otherwise the level
// r < 1 solves Σ max(0, r·C_i − P_i) = A: claims already ahead wait until the others catch up.
// Shares are rounded down to the fen and the R fen left over go one each to the R largest
// fractional parts, ties to the claim listed first, so the shares add up to A exactly. All of it
// is exact integer arithmetic (128-bit products), never floating point.
#ifndef RESTITUTION_SERVICE_DISTRIBUTION_RULE_H_
#define RESTITUTION_SERVICE_DISTRIBUTION_RULE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/money.h"

namespace restitution {

// -Wpedantic objects to __int128 unless it is marked as a deliberate extension.
__extension__ typedef __int128 Int128;

enum class RoundClaimStatus { kConfirmed, kDisputed };

struct RoundClaim {
  Money recognised;  // C: the allowed amount; for a disputed claim, the amount in dispute
  Money prior;       // P: paid plus still held in reserve in earlier rounds, 0 <= P <= C
  RoundClaimStatus status = RoundClaimStatus::kConfirmed;
};

struct RoundPlan {
  Money amount;       // A
  Money min_payment;  // M: a confirmed share below it is deferred
  std::vector<RoundClaim> claims;
};

// Exactly one of pay, reserve, deferred is non-zero (or all are zero).
struct RoundAllocation {
  Money pay;       // confirmed claim, share >= M
  Money reserve;   // disputed claim: held, not paid
  Money deferred;  // confirmed claim, share < M: stays in the pool, caught up later
};

struct RoundTotals {
  Money paid;
  Money reserved;
  Money deferred;
  Money surplus;  // A − Σ outstanding when everything outstanding fits in A, else 0
};

// The level reached, r = numerator / denominator (exactly 1/1 when every claim is paid in full).
struct RoundLevel {
  Int128 numerator = 0;
  Int128 denominator = 1;
};

struct RoundResult {
  std::vector<RoundAllocation> allocations;  // in the order of plan.claims
  RoundTotals totals;                        // paid + reserved + deferred + surplus == A
  RoundLevel level;
};

// InvalidArgument naming the offending field ("amount", "min_payment", "claims[i].amount",
// "claims[i].prior") for negative amounts or a prior outside [0, recognised]; RuleViolated on
// totals that overflow int64 fen. At most kMaxRoundClaims claims.
inline constexpr size_t kMaxRoundClaims = 20'000'000;
StatusOr<RoundResult> ComputeRound(const RoundPlan& plan);

// numerator / denominator as a decimal string with `digits` decimals, rounded down
// ("0.123456"); "0" followed by zeros when the denominator is zero.
std::string FormatRatio(Int128 numerator, Int128 denominator, int digits = 6);

// The decimal text of a 128-bit integer ("-" for negatives), and back from plain digits (at
// most 38, so the value always fits): the form levels are stored in and put on the ledger.
std::string Int128ToString(Int128 value);
std::optional<Int128> ParseInt128Digits(std::string_view text);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_DISTRIBUTION_RULE_H_
