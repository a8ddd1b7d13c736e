#include "service/pii_access_log.h"

#include <algorithm>

namespace restitution {

StatusOr<std::vector<PiiAccess>> ReadPiiAccessLog(DbConnection& db, const PiiAccessFilter& filter) {
  // Fixed fragments only; every value is a parameter.
  std::string sql =
      "SELECT id, at_ms, user_id, role, case_id, claim_id, what, request_id FROM pii_access_log "
      "WHERE at_ms >= ?";
  std::vector<SqlParam> params = {filter.since_ms};
  if (filter.user_id) {
    sql += " AND user_id = ?";
    params.emplace_back(*filter.user_id);
  }
  if (filter.case_id) {
    sql += " AND case_id = ?";
    params.emplace_back(*filter.case_id);
  }
  if (filter.claim_id) {
    sql += " AND claim_id = ?";
    params.emplace_back(*filter.claim_id);
  }
  if (filter.before_id > 0) {
    sql += " AND id < ?";
    params.emplace_back(filter.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(int64_t{std::clamp(filter.limit, 1, 1000)});
  ASSIGN_OR_RETURN(SqlRows rows, db.Query(sql, params));
  std::vector<PiiAccess> out;
  for (const SqlRow& row : rows) {
    out.push_back(PiiAccess{row.Int(0), row.Int(1), row.Int(2), row.Bytes(3), row.OptionalInt(4),
                            row.OptionalInt(5), row.Bytes(6), row.OptionalBytes(7)});
  }
  return out;
}

}  // namespace restitution
