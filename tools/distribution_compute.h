// restitutionctl distribution compute: the distribution rule of one round
// (service/distribution_rule.h), for auditors and courts to re-run by hand.
//
// Reads a plan on stdin:
//   {"amount":"1000000.00","min_payment":"10.00",
//    "claims":[{"id":"C-1","amount":"5000.00","prior":"0.00","status":"confirmed"}, …]}
// (min_payment and prior optional, default 0; status "confirmed" or "disputed"; every amount a
// JSON string, never a JSON number) and writes the result on stdout:
//   {"allocations":[{"id":"C-1","pay":"…","reserve":"…","deferred":"…"}, …],
//    "totals":{"paid":"…","reserved":"…","deferred":"…","surplus":"…"},"level":"0.123456"}
// with the allocations in the order of the plan and every amount a two-decimal money string.
// "level" is the level r the round reached, rounded down to six decimals ("1.000000" when
// everything outstanding was paid in full).
//
// A bad plan is parsed with the API's own strict JSON rules (service/json_input.h: duplicate
// keys, malformed JSON and unknown members are refused) and reported on stderr naming the
// field ("claims[3].prior: must not exceed the claim's amount"); nothing is written to stdout.
#ifndef RESTITUTION_TOOLS_DISTRIBUTION_COMPUTE_H_
#define RESTITUTION_TOOLS_DISTRIBUTION_COMPUTE_H_

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "service/distribution_rule.h"

namespace restitution {

// The longest claim id accepted, in bytes of UTF-8.
inline constexpr size_t kMaxPlanClaimIdBytes = 128;

struct DistributionPlan {
  RoundPlan plan;
  std::vector<std::string> ids;  // ids[i] names plan.claims[i]
};

// Status::InvalidArgument naming the field for anything wrong with the plan, including
// duplicate ids ("claims[4].id") and a prior above the amount ("claims[3].prior"). The first
// problem in the order of the document is reported.
StatusOr<DistributionPlan> ParseDistributionPlan(std::string_view json);

// The same, always through the API's DOM parser (ParseJsonObject and JsonReader). Slower for
// large plans; ParseDistributionPlan falls back to it for every plan it does not accept on its
// streaming fast path, so that both give the same result for every input (the tests check it).
StatusOr<DistributionPlan> ParseDistributionPlanWithDom(std::string_view json);

// The streaming fast path alone: the plan (ids not yet checked for duplicates) when it accepts
// the input, nullopt when it leaves the input to the DOM path. Exposed for the tests.
std::optional<DistributionPlan> ParseDistributionPlanFast(std::string_view json);

// The result document described above, ending in a newline.
std::string FormatDistributionResult(const DistributionPlan& plan, const RoundResult& result);

// The whole command: plan from `in`, result to `out`, errors to `err`. Returns the exit status:
// 0, or 1 for a plan that cannot be computed (then `out` is left untouched).
int DistributionComputeCommand(std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace restitution

#endif  // RESTITUTION_TOOLS_DISTRIBUTION_COMPUTE_H_
