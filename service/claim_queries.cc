#include "service/claim_queries.h"

#include <algorithm>

#include "service/claim_state.h"
#include "service/person_index.h"
#include "service/resident_id.h"

namespace restitution {
namespace {

constexpr int kMaxPageSize = 200;

void Accumulate(ClaimTotals* totals, int64_t count, int64_t declared_net, int64_t allowed) {
  // The per-group sums come from the database as exact integers; adding groups cannot
  // overflow in practice, but a wrapped total would be published, so saturate loudly instead.
  totals->count += count;
  StatusOr<Money> net = totals->declared_net.Add(Money::FromFen(declared_net));
  StatusOr<Money> all = totals->allowed.Add(Money::FromFen(allowed));
  totals->declared_net = net.ok() ? *net : Money::FromFen(INT64_MAX);
  totals->allowed = all.ok() ? *all : Money::FromFen(INT64_MAX);
}

}  // namespace

StatusOr<CaseClaimStats> ReadCaseClaimStats(DbConnection& db, int64_t case_id) {
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT region, status, COUNT(*), "
                            "CAST(COALESCE(SUM(declared_net_fen), 0) AS SIGNED), "
                            "CAST(COALESCE(SUM(COALESCE(allowed_fen, 0)), 0) AS SIGNED), "
                            "CAST(COALESCE(SUM(late), 0) AS SIGNED) "
                            "FROM claims WHERE case_id = ? GROUP BY region, status",
                            {case_id}));
  CaseClaimStats stats;
  for (const SqlRow& row : rows) {
    const std::string region = row.Bytes(0);
    const std::string status = row.Bytes(1);
    const int64_t count = row.Int(2);
    const int64_t net = row.Int(3);
    // Only decided amounts count as allowed.
    const int64_t allowed = (status == "confirmed" || status == "disputed") ? row.Int(4) : 0;
    Accumulate(&stats.by_status[status], count, net, allowed);
    Accumulate(&stats.by_region[region][status], count, net, allowed);
    if (status != "withdrawn") {
      Accumulate(&stats.all, count, net, allowed);
      stats.late += row.Int(5);
    }
  }
  for (std::string_view reason : ObjectionReasonNames()) {
    stats.objections_by_reason[std::string(reason)] = ObjectionCounts{};
  }
  // From the objections (few) to their claims by primary key, never through every claim of
  // the case: this is a public read.
  ASSIGN_OR_RETURN(SqlRows objections,
                   db.Query("SELECT o.reason_code, o.status, o.outcome, COUNT(*) "
                            "FROM claim_objections o STRAIGHT_JOIN claims c ON c.id = o.claim_id "
                            "WHERE c.case_id = ? GROUP BY o.reason_code, o.status, o.outcome",
                            {case_id}));
  for (const SqlRow& row : objections) {
    auto found = stats.objections_by_reason.find(row.Bytes(0));
    if (found == stats.objections_by_reason.end()) {
      return Status::Internal("claim_objections holds an unknown reason code");
    }
    ObjectionCounts& counts = found->second;
    const std::optional<std::string> outcome = row.OptionalBytes(2);
    int64_t* slot = row.Bytes(1) == "open"  ? &counts.open
                    : outcome == "adjusted" ? &counts.adjusted
                                            : &counts.upheld;
    *slot += row.Int(3);
  }
  return stats;
}

StatusOr<ClaimQueuePage> ReadClaimQueue(DbConnection& db, const ServiceKeys& keys, int64_t case_id,
                                        const ClaimQueueFilter& filter, int today_yyyymmdd) {
  // The WHERE clause is assembled from fixed fragments only; every value is a parameter.
  std::string where = " WHERE c.case_id = ?";
  std::vector<SqlParam> params = {case_id};
  if (filter.status) {
    where += " AND c.status = ?";
    params.emplace_back(*filter.status);
  }
  if (filter.region) {
    where += " AND c.region = ?";
    params.emplace_back(*filter.region);
  }
  if (filter.query) {
    const std::string& q = *filter.query;
    const bool numeric =
        !q.empty() && q.size() <= 18 &&
        std::all_of(q.begin(), q.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (numeric && q.size() < 18) {
      where += " AND c.id = ?";
      params.emplace_back(static_cast<int64_t>(std::stoll(q)));
    } else {
      ASSIGN_OR_RETURN(ResidentId id, ParseResidentId(q, "q", today_yyyymmdd));
      where += " AND c.person_hash = ?";
      params.emplace_back(PersonIndex(keys, id.number));
    }
  }
  ClaimQueuePage page;
  page.page_size = std::clamp(filter.page_size, 1, kMaxPageSize);
  page.page = std::max(1, filter.page);

  ASSIGN_OR_RETURN(SqlRows totals,
                   db.Query("SELECT COUNT(*), CAST(COALESCE(SUM(c.declared_net_fen), 0) AS "
                            "SIGNED), CAST(COALESCE(SUM(COALESCE(c.allowed_fen, 0)), 0) AS "
                            "SIGNED) FROM claims c" +
                                where,
                            params));
  if (!totals.empty()) {
    Accumulate(&page.totals, totals[0].Int(0), totals[0].Int(1), totals[0].Int(2));
  }
  std::vector<SqlParam> page_params = params;
  page_params.emplace_back(int64_t{page.page_size});
  page_params.emplace_back(static_cast<int64_t>(page.page - 1) * page.page_size);
  ASSIGN_OR_RETURN(
      SqlRows rows,
      db.Query("SELECT c.id, c.status, c.region, c.filed_as, c.late, c.version, "
               "c.declared_principal_fen, c.declared_returns_fen, c.declared_net_fen, "
               "c.allowed_fen, c.created_at_ms, c.updated_at_ms, "
               "(SELECT CAST(SUM(b.deposits_fen) - SUM(b.withdrawals_fen) AS SIGNED) FROM "
               "book_accounts b WHERE b.case_id = c.case_id AND b.person_hash = c.person_hash) "
               "FROM claims c" +
                   where + " ORDER BY c.id LIMIT ? OFFSET ?",
               page_params));
  for (const SqlRow& row : rows) {
    ClaimQueueItem item;
    item.id = row.Int(0);
    item.status = row.Bytes(1);
    item.region = row.Bytes(2);
    item.filed_as = row.Bytes(3);
    item.late = row.Int(4) != 0;
    item.version = static_cast<int>(row.Int(5));
    item.declared_principal = Money::FromFen(row.Int(6));
    item.declared_returns = Money::FromFen(row.Int(7));
    item.declared_net = Money::FromFen(row.Int(8));
    if (!row.IsNull(9)) item.allowed = Money::FromFen(row.Int(9));
    item.created_at_ms = row.Int(10);
    item.updated_at_ms = row.Int(11);
    if (!row.IsNull(12)) item.book_net = Money::FromFen(row.Int(12));
    page.items.push_back(std::move(item));
  }
  return page;
}

}  // namespace restitution
