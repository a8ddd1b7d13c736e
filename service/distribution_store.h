// What the distribution files share: loading runs, reading a round's claims in claim id order
// (streamed in pages, never one query per claim) with their fingerprint, and the checks every
// step makes. Internal to service/distribution_*.cc.
#ifndef RESTITUTION_SERVICE_DISTRIBUTION_STORE_H_
#define RESTITUTION_SERVICE_DISTRIBUTION_STORE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/entry.h"
#include "service/db_connection.h"
#include "service/distribution_rule.h"
#include "service/distribution_runs.h"
#include "service/principal.h"

namespace restitution {

// A claim as a round sees it.
struct RoundInputClaim {
  int64_t claim_id = 0;
  RoundClaim claim;
};

struct RoundInputs {
  std::vector<RoundInputClaim> claims;  // claim id order
  std::string fingerprint;              // raw SHA-256
};

// The case's confirmed and disputed claims with C and P (see distribution_runs.h), read in
// pages of the (case_id, status, id) index and merged by id.
StatusOr<RoundInputs> ReadRoundInputs(DbConnection& db, int64_t case_id);

// The run, NotFound unless it belongs to the case. for_update locks the row.
StatusOr<DistributionRun> LoadRun(DbConnection& db, int64_t case_id, int64_t run_id,
                                  bool for_update);
// The case's runs, newest first, at most limit.
StatusOr<std::vector<DistributionRun>> LoadRuns(DbConnection& db, int64_t case_id, int limit);

// PermissionDenied (reason "forbidden") unless the principal has the role; then NotFound
// unless bound to the case (RequireCaseStaff).
Status RequireCaseRole(DbConnection& db, const Principal& principal, Role role, int64_t case_id,
                       const char* what);

// Conflict (reason "stale") when the claims changed since the run was drafted.
Status CheckNotStale(DbConnection& db, const DistributionRun& run);

// Conflict (reason "invalid_transition") naming the run's status.
Status InvalidTransition(const DistributionRun& run, const char* action);

// A ledger entry of the case by the actor at now.
ledger::EntryDraft RunEntry(const std::string& type, int64_t case_id, const Principal& actor,
                            int64_t now_ms, nlohmann::json payload);

// Exact 128-bit integers as decimal strings (the level's numerator and denominator).
StatusOr<Int128> ParseInt128(const std::string& text);

// "YYYY-MM-DD" for yyyymmdd.
std::string FormatYmd(int yyyymmdd);

// {"ledger_index": n | null (not yet sequenced), "leaf_hash": hex} of a queued entry.

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_DISTRIBUTION_STORE_H_
