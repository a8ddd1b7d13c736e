// The JSON shapes of a claim shared by the claims routes (routes_claims.cc) and the review
// routes (routes_claim_review.cc).
#ifndef RESTITUTION_API_CLAIM_JSON_H_
#define RESTITUTION_API_CLAIM_JSON_H_

#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "service/claims.h"
#include "service/money.h"

namespace restitution {

// A money string ("1234.56") or null.
nlohmann::json OptionalMoneyJson(const std::optional<Money>& amount);
// A UTC time ("2026-03-01T01:30:00.000Z") or null.
nlohmann::json OptionalTimeJson(const std::optional<int64_t>& ms);

// A claim's row without personal data: what every claim-changing request answers with.
nlohmann::json ClaimSummaryJson(const ClaimRecord& c);

}  // namespace restitution

#endif  // RESTITUTION_API_CLAIM_JSON_H_
