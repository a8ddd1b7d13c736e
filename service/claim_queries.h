// Read-only views of a case's claims: the public statistics (no personal data) and the
// review queue the task force works through. Personal data never appears here.
#ifndef RESTITUTION_SERVICE_CLAIM_QUERIES_H_
#define RESTITUTION_SERVICE_CLAIM_QUERIES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/money.h"
#include "service/service_keys.h"

namespace restitution {

// Counts and amounts of one group of claims.
struct ClaimTotals {
  int64_t count = 0;
  Money declared_net;  // Σ declared_net
  Money allowed;       // Σ allowed amounts (confirmed claims; disputed ones keep theirs)
};

// Objections of one reason: still open, and resolved either way.
struct ObjectionCounts {
  int64_t open = 0;
  int64_t upheld = 0;
  int64_t adjusted = 0;
};

struct CaseClaimStats {
  ClaimTotals all;
  std::map<std::string, ClaimTotals> by_status;                         // status -> totals
  std::map<std::string, std::map<std::string, ClaimTotals>> by_region;  // region -> status ->
  int64_t late = 0;
  // Every reason code (ObjectionReasonNames), zero or not.
  std::map<std::string, ObjectionCounts> objections_by_reason;
};

// Withdrawn claims are counted under their own status and left out of "all".
StatusOr<CaseClaimStats> ReadCaseClaimStats(DbConnection& db, int64_t case_id);

struct ClaimQueueFilter {
  std::optional<std::string> status;
  std::optional<std::string> region;
  // A resident ID number (matched through its blind index, never stored in clear) or a claim id.
  std::optional<std::string> query;
  int page = 1;  // 1-based
  int page_size = 50;
};

struct ClaimQueueItem {
  int64_t id = 0;
  std::string status;
  std::string region;
  std::string filed_as;
  bool late = false;
  int version = 0;
  Money declared_principal;
  Money declared_returns;
  Money declared_net;
  std::optional<Money> allowed;
  std::optional<Money> book_net;  // the seized books' deposits minus withdrawals for the person
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct ClaimQueuePage {
  std::vector<ClaimQueueItem> items;
  ClaimTotals totals;  // of every claim matching the filter, not just this page
  int page = 1;
  int page_size = 50;
};

// today_yyyymmdd validates an ID-number query's birth date.
StatusOr<ClaimQueuePage> ReadClaimQueue(DbConnection& db, const ServiceKeys& keys, int64_t case_id,
                                        const ClaimQueueFilter& filter, int today_yyyymmdd);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_QUERIES_H_
