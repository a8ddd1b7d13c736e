// Reading runs: the staff's list, one run with its stale flag, its allocations page by page,
// and the public's view of every executed round.
#include <algorithm>
#include <string>
#include <vector>

#include "service/cases.h"
#include "service/distribution_runs.h"
#include "service/distribution_store.h"

namespace restitution {
namespace {

constexpr int kMaxRunsListed = 200;

}  // namespace

StatusOr<std::vector<DistributionRun>> ListDistributions(DbConnection& db, const Principal& reader,
                                                         int64_t case_id) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  return LoadRuns(db, case_id, kMaxRunsListed);
}

StatusOr<DistributionRun> GetDistribution(DbConnection& db, const Principal& reader,
                                          int64_t case_id, int64_t run_id) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/false));
  if (run.active()) {
    ASSIGN_OR_RETURN(RoundInputs inputs, ReadRoundInputs(db, case_id));
    run.stale = inputs.fingerprint != run.fingerprint;
  }
  return run;
}

StatusOr<AllocationsPage> ListAllocations(DbConnection& db, const Principal& reader,
                                          int64_t case_id, int64_t run_id, int page) {
  RETURN_IF_ERROR(RequireCaseStaff(db, reader, case_id));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/false));
  AllocationsPage out;
  out.page = std::max(page, 1);
  out.total = run.claims;
  const int64_t offset = int64_t{out.page - 1} * kAllocationsPageSize;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT claim_id, disputed, recognised_fen, prior_fen, pay_fen, "
                            "reserve_fen, deferred_fen FROM distribution_allocations WHERE "
                            "run_id = ? ORDER BY claim_id LIMIT ? OFFSET ?",
                            {run.id, int64_t{kAllocationsPageSize}, offset}));
  out.rows.reserve(rows.size());
  for (const SqlRow& row : rows) {
    AllocationRow a;
    a.claim_id = row.Int(0);
    a.disputed = row.Int(1) != 0;
    a.recognised = Money::FromFen(row.Int(2));
    a.prior = Money::FromFen(row.Int(3));
    a.pay = Money::FromFen(row.Int(4));
    a.reserve = Money::FromFen(row.Int(5));
    a.deferred = Money::FromFen(row.Int(6));
    out.rows.push_back(a);
  }
  return out;
}

StatusOr<std::vector<PublicRound>> ListPublicRounds(DbConnection& db, int64_t case_id) {
  ASSIGN_OR_RETURN(CaseView c, LoadCase(db, case_id));
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT round_no, id, executed_at_ms, record_date, pool_before_fen, "
                            "amount_fen, paid_fen, reserved_fen, deferred_fen, surplus_fen, "
                            "ratio, level, paid_count, reserved_count, claims_count FROM "
                            "distribution_runs WHERE case_id = ? AND status = 'executed' ORDER "
                            "BY round_no LIMIT ?",
                            {c.id, int64_t{kMaxRunsListed}}));
  std::vector<PublicRound> rounds;
  for (const SqlRow& row : rows) {
    PublicRound r;
    r.round_no = static_cast<int>(row.Int(0));
    r.run_id = row.Int(1);
    r.executed_at_ms = row.Int(2);
    r.record_date = static_cast<int>(row.Int(3));
    r.pool_before = Money::FromFen(row.Int(4));
    r.amount = Money::FromFen(row.Int(5));
    r.paid = Money::FromFen(row.Int(6));
    r.reserved = Money::FromFen(row.Int(7));
    r.deferred = Money::FromFen(row.Int(8));
    r.surplus = Money::FromFen(row.Int(9));
    r.ratio = row.Bytes(10);
    r.level = row.Bytes(11);
    r.paid_count = row.Int(12);
    r.reserved_count = row.Int(13);
    r.claims = row.Int(14);
    rounds.push_back(std::move(r));
  }
  return rounds;
}

}  // namespace restitution
