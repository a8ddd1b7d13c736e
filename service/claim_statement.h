// A claim's refund statement (GET /api/v1/cases/{case}/claims/{id}/statement): what the claim
// is recognised at, what every executed round gave it and what became of it, what was paid in
// total and what remains, each figure with the receipt of the ledger entry that recorded it,
// so the claimant can check their own record against the public log.
#ifndef RESTITUTION_SERVICE_CLAIM_STATEMENT_H_
#define RESTITUTION_SERVICE_CLAIM_STATEMENT_H_

#include <cstdint>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/principal.h"

namespace restitution {

// The claim's filer, the case's officers and court users, auditors; NotFound for everyone
// else (LoadVisibleClaim). The answer's shape is documented in api/openapi.json:
//   recognised        C now: the allowed amount of a confirmed claim, the amount in dispute
//                     of a disputed one, 0 otherwise
//   rounds[]          per executed round with a share for the claim: round, run, date,
//                     amount, status (paid | pending | failed | reserved | deferred),
//                     receipt (the entry that fixed that status) and allocation_receipt
//                     (the distribution_allocations entry holding the claim's row)
//   releases[]        reserves released on the resolution of an objection
//   cumulative_paid   sent to the bank and not returned (paid + pending)
//   paid, pending     of which the bank confirmed / has not yet answered
//   reserved          held in reserve for the claim now
//   cumulative_ratio  cumulative_paid ÷ recognised, 6 decimals rounded down
//   remaining         max(0, recognised − cumulative_paid)
StatusOr<nlohmann::json> ReadClaimStatement(DbConnection& db, const Principal& reader,
                                            int64_t case_id, int64_t claim_id);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_STATEMENT_H_
