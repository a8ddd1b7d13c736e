#include "api/claim_json.h"

#include <string>

#include "ledger/entry.h"
#include "service/claim_state.h"
#include "service/region_names.h"

namespace restitution {

using Json = nlohmann::json;

Json OptionalMoneyJson(const std::optional<Money>& amount) {
  return amount ? Json(amount->ToString()) : Json(nullptr);
}

Json OptionalTimeJson(const std::optional<int64_t>& ms) {
  return ms ? Json(ledger::FormatUtcMillis(*ms)) : Json(nullptr);
}

Json ClaimSummaryJson(const ClaimRecord& c) {
  return {{"id", c.id},
          {"case_id", c.case_id},
          {"status", std::string(ClaimStatusName(c.status))},
          {"region", c.region},
          {"region_name", RegionNameJson(c.region)},
          {"filed_as", c.filed_as},
          {"late", c.late},
          {"version", c.version},
          {"declared_principal", c.declared_principal.ToString()},
          {"declared_returns", c.declared_returns.ToString()},
          {"declared_net", c.declared_net.ToString()},
          {"allowed_amount", OptionalMoneyJson(c.allowed)},
          {"reject_reason", c.reject_reason ? Json(*c.reject_reason) : Json(nullptr)},
          {"decided_at", OptionalTimeJson(c.decided_at_ms)},
          {"cure_by", OptionalTimeJson(c.cure_by_ms)},
          {"created_at", ledger::FormatUtcMillis(c.created_at_ms)},
          {"updated_at", ledger::FormatUtcMillis(c.updated_at_ms)}};
}

}  // namespace restitution
