// Executing an approved run: one transaction moves the money (pool -> payable, pool -> reserve),
// creates the batch's payment lines and advances every claim's position, set-based (INSERT …
// SELECT), so a crash leaves all of it done or none, and a second call finds the run executed.
#include <string>
#include <vector>

#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/pool.h"

namespace restitution {

StatusOr<RunChange> ExecuteDistribution(DbConnection& db, const ServiceContext& ctx,
                                        const Principal& officer, int64_t case_id, int64_t run_id) {
  RETURN_IF_ERROR(RequireCaseRole(db, officer, Role::kOfficer, case_id, "execute distributions"));
  ASSIGN_OR_RETURN(DistributionRun run, LoadRun(db, case_id, run_id, /*for_update=*/true));
  if (run.status == "executed") {
    return Status::Conflict("distribution " + std::to_string(run.id) +
                            " was already executed; its money moved once")
        .WithReason("already_executed");
  }
  if (run.status != "approved") return InvalidTransition(run, "executed");
  RETURN_IF_ERROR(CheckNotStale(db, run));

  ASSIGN_OR_RETURN(PoolBalances before, ReadPoolBalances(db, case_id, /*for_update=*/true));
  std::vector<PoolTransfer> pay;
  std::vector<PoolTransfer> reserve;
  if (!run.paid.IsZero()) pay.push_back({PoolAccount::kPool, PoolAccount::kPayable, run.paid});
  if (!run.reserved.IsZero()) {
    reserve.push_back({PoolAccount::kPool, PoolAccount::kReserve, run.reserved});
  }
  const int64_t now = ctx.NowMs();
  TransferRefs refs;
  refs.run_id = run.id;
  // Insufficient funds (the pool shrank since drafting) refuses with RuleViolated.
  if (!pay.empty())
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "distribution_pay", refs, pay, now));
  if (!reserve.empty()) {
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "distribution_reserve", refs, reserve, now));
  }
  std::vector<PoolTransfer> transfers = pay;
  transfers.insert(transfers.end(), reserve.begin(), reserve.end());

  // The batch: one line per paid claim, and every released reserve waiting for a batch.
  ASSIGN_OR_RETURN(const int64_t round_lines,
                   db.Exec("INSERT INTO distribution_payments (case_id, run_id, claim_id, kind, "
                           "amount_fen, reference, status, created_at_ms) SELECT ?, run_id, "
                           "claim_id, 'round', pay_fen, CONCAT('R', run_id, '-C', claim_id), "
                           "'pending', ? FROM distribution_allocations WHERE run_id = ? AND "
                           "pay_fen > 0 ORDER BY claim_id",
                           {case_id, now, run.id}));
  ASSIGN_OR_RETURN(SqlRows releases,
                   db.Query("SELECT COUNT(*), COALESCE(SUM(amount_fen), 0) FROM "
                            "distribution_payments WHERE case_id = ? AND run_id IS NULL",
                            {case_id}));
  const int64_t release_lines = releases.empty() ? 0 : releases[0].Int(0);
  const int64_t release_fen = releases.empty() ? 0 : releases[0].Int(1);
  if (release_lines > 0) {
    RETURN_IF_ERROR(db.Exec("UPDATE distribution_payments SET run_id = ?, reference = "
                            "CONCAT('R', ?, '-C', claim_id, '-V', release_id) WHERE case_id = ? "
                            "AND run_id IS NULL",
                            {run.id, run.id, case_id})
                        .status());
  }
  // P of the next round: what was sent plus what is held.
  RETURN_IF_ERROR(db.Exec("INSERT INTO distribution_positions (case_id, claim_id, committed_fen, "
                          "reserved_fen) SELECT ?, claim_id, pay_fen, reserve_fen FROM "
                          "distribution_allocations WHERE run_id = ? AND (pay_fen > 0 OR "
                          "reserve_fen > 0) ORDER BY claim_id ON DUPLICATE KEY UPDATE "
                          "committed_fen = committed_fen + VALUES(committed_fen), reserved_fen = "
                          "reserved_fen + VALUES(reserved_fen)",
                          {case_id, run.id})
                      .status());
  ASSIGN_OR_RETURN(SqlRows rounds, db.Query("SELECT COALESCE(MAX(round_no), 0) FROM "
                                            "distribution_runs WHERE case_id = ?",
                                            {case_id}));
  const int64_t round_no = (rounds.empty() ? 0 : rounds[0].Int(0)) + 1;
  const int64_t lines = round_lines + release_lines;

  ASSIGN_OR_RETURN(QueuedEntry entry,
                   AppendLedgerEntry(db, RunEntry("distribution_executed", case_id, officer, now,
                                                  {{"run", run.id},
                                                   {"round", round_no},
                                                   {"order_reference", *run.order_reference},
                                                   {"pool_before_fen", before.Available().fen()},
                                                   {"paid_fen", run.paid.fen()},
                                                   {"reserved_fen", run.reserved.fen()},
                                                   {"payment_lines", round_lines},
                                                   {"release_lines", release_lines},
                                                   {"release_fen", release_fen},
                                                   {"transfers", TransfersJson(transfers)}})));
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_runs SET status = 'executed', active_case_id = "
                          "NULL, round_no = ?, pool_before_fen = ?, executed_by = ?, "
                          "executed_at_ms = ?, executed_queue_id = ?, payment_lines = ?, "
                          "payment_lines_open = ? WHERE id = ?",
                          {round_no, before.Available().fen(), officer.user_id, now, entry.queue_id,
                           lines, lines, run.id})
                      .status());
  ASSIGN_OR_RETURN(DistributionRun executed, LoadRun(db, case_id, run.id, /*for_update=*/false));
  return RunChange{std::move(executed), entry};
}

}  // namespace restitution
