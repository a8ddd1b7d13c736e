// Reading the personal-data access log (written by LogPersonalDataAccess in claims.h): who
// read which claimant's data, when, through which request. For auditors.
#ifndef RESTITUTION_SERVICE_PII_ACCESS_LOG_H_
#define RESTITUTION_SERVICE_PII_ACCESS_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "service/db_connection.h"

namespace restitution {

struct PiiAccessFilter {
  std::optional<int64_t> user_id;
  std::optional<int64_t> case_id;
  std::optional<int64_t> claim_id;
  int64_t since_ms = 0;
  int64_t before_id = 0;  // 0: newest first from the top; else rows with id < before_id
  int limit = 100;        // at most 1000
};

struct PiiAccess {
  int64_t id = 0;
  int64_t at_ms = 0;
  int64_t user_id = 0;
  std::string role;
  std::optional<int64_t> case_id;
  std::optional<int64_t> claim_id;
  std::string what;
  std::optional<std::string> request_id;
};

// Newest first.
StatusOr<std::vector<PiiAccess>> ReadPiiAccessLog(DbConnection& db, const PiiAccessFilter& filter);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_PII_ACCESS_LOG_H_
