// Releasing a disputed claim's reserve when its objection is resolved (called from
// ResolveObjection in the same transaction).
#include <algorithm>
#include <string>
#include <vector>

#include "service/distribution_runs.h"
#include "service/distribution_store.h"
#include "service/pool.h"

namespace restitution {
namespace {

struct Level {
  Int128 numerator = 0;
  Int128 denominator = 1;
};

// The highest level any executed run of the case reached: every claim not ahead was lifted to
// it, so a claim confirmed now has earned that share of its confirmed amount.
StatusOr<Level> HighestLevel(DbConnection& db, int64_t case_id) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT level_numerator, level_denominator FROM "
                                          "distribution_runs WHERE case_id = ? AND status = "
                                          "'executed'",
                                          {case_id}));
  Level best;
  for (const SqlRow& row : rows) {
    ASSIGN_OR_RETURN(Int128 num, ParseInt128(row.Bytes(0)));
    ASSIGN_OR_RETURN(Int128 den, ParseInt128(row.Bytes(1)));
    if (den <= 0) continue;
    if (num * best.denominator > best.numerator * den) best = {num, den};
  }
  return best;
}

}  // namespace

StatusOr<std::optional<QueuedEntry>> ReleaseClaimReserve(DbConnection& db,
                                                         const ServiceContext& ctx,
                                                         const Principal& officer, int64_t case_id,
                                                         int64_t claim_id, int64_t objection_id,
                                                         const std::string& claim_status,
                                                         const std::optional<Money>& allowed) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT committed_fen, reserved_fen FROM "
                                          "distribution_positions WHERE case_id = ? AND "
                                          "claim_id = ? FOR UPDATE",
                                          {case_id, claim_id}));
  if (rows.empty() || rows[0].Int(1) <= 0) return std::optional<QueuedEntry>();
  const int64_t committed = rows[0].Int(0);
  const int64_t reserved = rows[0].Int(1);

  ASSIGN_OR_RETURN(Level level, HighestLevel(db, case_id));
  const int64_t confirmed = claim_status == "confirmed" && allowed ? allowed->fen() : 0;
  Int128 earned = level.numerator >= level.denominator
                      ? Int128{confirmed}
                      : Int128{confirmed} * level.numerator / level.denominator;
  const int64_t payable =
      static_cast<int64_t>(std::clamp<Int128>(earned - committed, 0, Int128{reserved}));
  const int64_t returned = reserved - payable;

  const int64_t now = ctx.NowMs();
  TransferRefs refs;
  refs.claim_id = claim_id;
  std::vector<PoolTransfer> transfers;
  if (payable > 0) {
    std::vector<PoolTransfer> t = {
        {PoolAccount::kReserve, PoolAccount::kPayable, Money::FromFen(payable)}};
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "reserve_payable", refs, t, now));
    transfers.push_back(t[0]);
  }
  if (returned > 0) {
    std::vector<PoolTransfer> t = {
        {PoolAccount::kReserve, PoolAccount::kPool, Money::FromFen(returned)}};
    RETURN_IF_ERROR(ApplyTransfers(db, case_id, "reserve_release", refs, t, now));
    transfers.push_back(t[0]);
  }
  ASSIGN_OR_RETURN(
      QueuedEntry entry,
      AppendLedgerEntry(db, RunEntry("distribution_reserve_released", case_id, officer, now,
                                     {{"claim", claim_id},
                                      {"objection", objection_id},
                                      {"status", claim_status},
                                      {"confirmed_fen", confirmed},
                                      {"level_numerator", Int128ToString(level.numerator)},
                                      {"level_denominator", Int128ToString(level.denominator)},
                                      {"committed_fen", committed},
                                      {"reserved_fen", reserved},
                                      {"payable_fen", payable},
                                      {"returned_fen", returned},
                                      {"transfers", TransfersJson(transfers)}})));
  ASSIGN_OR_RETURN(const int64_t release_id,
                   db.Insert("INSERT INTO distribution_reserve_releases (case_id, claim_id, "
                             "objection_id, reserved_fen, payable_fen, returned_fen, "
                             "released_at_ms, ledger_queue_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                             {case_id, claim_id, objection_id, reserved, payable, returned, now,
                              entry.queue_id}));
  if (payable > 0) {
    // Joins the next executed run's batch (and its payments.csv).
    RETURN_IF_ERROR(db.Exec("INSERT INTO distribution_payments (case_id, run_id, claim_id, kind, "
                            "release_id, amount_fen, reference, status, created_at_ms) VALUES "
                            "(?, NULL, ?, 'release', ?, ?, NULL, 'pending', ?)",
                            {case_id, claim_id, release_id, payable, now})
                        .status());
  }
  RETURN_IF_ERROR(db.Exec("UPDATE distribution_positions SET committed_fen = committed_fen + ?, "
                          "reserved_fen = 0 WHERE case_id = ? AND claim_id = ?",
                          {payable, case_id, claim_id})
                      .status());
  return std::optional<QueuedEntry>(entry);
}

}  // namespace restitution
