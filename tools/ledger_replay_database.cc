// ReplayDatabase (tools/ledger_replay.h): the replay fed from ledger_entries, then the
// database's own figures compared with the rebuilt ones, in one read-only snapshot.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "service/ledger_store.h"
#include "service/money.h"
#include "tools/ledger_replay.h"

namespace restitution {
namespace {

constexpr int64_t kAllocationPage = 10000;

std::string Yuan(int64_t fen) { return Money::FromFen(fen).ToString(); }

class TableComparison {
 public:
  TableComparison(DbConnection& db, LedgerReplayReport& report) : db_(db), report_(report) {}

  // Sets report_.failure at the first difference.
  Status Run() {
    RETURN_IF_ERROR(ComparePool());
    if (report_.failure) return Status::Ok();
    RETURN_IF_ERROR(CompareRuns());
    if (report_.failure) return Status::Ok();
    RETURN_IF_ERROR(CompareAllocations());
    if (report_.failure) return Status::Ok();
    return ComparePositions();
  }

 private:
  void Differ(uint64_t index, const std::string& type, const std::string& message) {
    if (!report_.failure) {
      report_.failure =
          ReplayFailure{index, type, "the database disagrees with the ledger: " + message};
    }
  }

  Status ComparePool() {
    ASSIGN_OR_RETURN(SqlRows rows, db_.Query("SELECT case_id, account, balance_fen FROM "
                                             "pool_balances ORDER BY case_id, account"));
    std::map<std::pair<int64_t, std::string>, int64_t> stored;
    for (const SqlRow& row : rows) stored[{row.Int(0), row.Bytes(1)}] = row.Int(2);
    std::map<std::pair<int64_t, std::string>, int64_t> rebuilt;
    for (const auto& [case_id, c] : report_.cases) {
      for (size_t a = 0; a < kPoolAccountCount; ++a) {
        rebuilt[{case_id, std::string(PoolAccountName(static_cast<PoolAccount>(a)))}] =
            c.balances[a];
      }
    }
    for (const auto& [key, value] : stored) rebuilt.emplace(key, 0);
    for (const auto& [key, value] : rebuilt) {
      auto found = stored.find(key);
      const int64_t db_value = found == stored.end() ? 0 : found->second;
      if (db_value == value) continue;
      auto c = report_.cases.find(key.first);
      const bool known = c != report_.cases.end() && !c->second.last_transfer_type.empty();
      Differ(known ? c->second.last_transfer_index : report_.last_index,
             known ? c->second.last_transfer_type : "",
             "pool_balances of case " + std::to_string(key.first) + ", account " + key.second +
                 ", holds " + Yuan(db_value) + "; the ledger's transfers give " + Yuan(value));
      return Status::Ok();
    }
    return Status::Ok();
  }

  Status CompareRuns() {
    ASSIGN_OR_RETURN(
        SqlRows rows,
        db_.Query("SELECT id, case_id, status, round_no, amount_fen, min_payment_fen, "
                  "pool_before_fen, claims_count, paid_count, reserved_count, deferred_count, "
                  "recognised_fen, prior_fen, paid_fen, reserved_fen, deferred_fen, surplus_fen, "
                  "level_numerator, level_denominator, level, ratio, fingerprint, chunks, "
                  "payment_lines, payment_lines_open FROM distribution_runs ORDER BY id"));
    std::map<int64_t, bool> seen;
    for (const SqlRow& row : rows) {
      const int64_t id = row.Int(0);
      seen[id] = true;
      auto found = report_.runs.find(id);
      if (found == report_.runs.end()) {
        Differ(report_.last_index, "",
               "distribution run " + std::to_string(id) + " is not on the ledger");
        return Status::Ok();
      }
      const ReplayedRun& r = found->second;
      const std::vector<std::pair<const char*, std::pair<std::string, std::string>>> fields = {
          {"case_id", {std::to_string(row.Int(1)), std::to_string(r.case_id)}},
          {"status", {row.Bytes(2), r.status}},
          {"round_no",
           {row.IsNull(3) ? "null" : std::to_string(row.Int(3)),
            r.round ? std::to_string(*r.round) : "null"}},
          {"amount_fen", {std::to_string(row.Int(4)), std::to_string(r.amount)}},
          {"min_payment_fen", {std::to_string(row.Int(5)), std::to_string(r.min_payment)}},
          {"pool_before_fen", {std::to_string(row.Int(6)), std::to_string(r.pool_before)}},
          {"claims_count", {std::to_string(row.Int(7)), std::to_string(r.claims)}},
          {"paid_count", {std::to_string(row.Int(8)), std::to_string(r.paid_count)}},
          {"reserved_count", {std::to_string(row.Int(9)), std::to_string(r.reserved_count)}},
          {"deferred_count", {std::to_string(row.Int(10)), std::to_string(r.deferred_count)}},
          {"recognised_fen", {std::to_string(row.Int(11)), std::to_string(r.recognised)}},
          {"prior_fen", {std::to_string(row.Int(12)), std::to_string(r.prior)}},
          {"paid_fen", {std::to_string(row.Int(13)), std::to_string(r.paid)}},
          {"reserved_fen", {std::to_string(row.Int(14)), std::to_string(r.reserved)}},
          {"deferred_fen", {std::to_string(row.Int(15)), std::to_string(r.deferred)}},
          {"surplus_fen", {std::to_string(row.Int(16)), std::to_string(r.surplus)}},
          {"level_numerator", {row.Bytes(17), r.level_numerator}},
          {"level_denominator", {row.Bytes(18), r.level_denominator}},
          {"level", {row.Bytes(19), r.level}},
          {"ratio", {row.Bytes(20), r.ratio}},
          {"fingerprint", {crypto::HexEncode(row.Bytes(21)), r.fingerprint}},
          {"chunks", {std::to_string(row.Int(22)), std::to_string(r.chunks)}},
          {"payment_lines", {std::to_string(row.Int(23)), std::to_string(r.payment_lines)}},
          {"payment_lines_open", {std::to_string(row.Int(24)), std::to_string(r.open_lines)}},
      };
      for (const auto& [name, values] : fields) {
        if (values.first == values.second) continue;
        Differ(r.drafted_index, "distribution_drafted",
               "distribution_runs row " + std::to_string(id) + " has " + name + " " + values.first +
                   "; the ledger gives " + values.second);
        return Status::Ok();
      }
    }
    for (const auto& [id, r] : report_.runs) {
      if (seen.count(id) == 0) {
        Differ(r.drafted_index, "distribution_drafted",
               "run " + std::to_string(id) + " has no distribution_runs row");
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  static uint64_t ChunkIndexOf(const ReplayedRun& run, size_t position) {
    uint64_t index = run.drafted_index;
    for (const auto& [begin, chunk_index] : run.chunk_entries) {
      if (begin <= position) index = chunk_index;
    }
    return index;
  }

  Status CompareAllocations() {
    for (const auto& [id, run] : report_.runs) {
      if (!run.computed) continue;
      size_t position = 0;
      int64_t after = -1;
      for (;;) {
        ASSIGN_OR_RETURN(SqlRows rows,
                         db_.Query("SELECT claim_id, disputed, recognised_fen, prior_fen, pay_fen, "
                                   "reserve_fen, deferred_fen FROM distribution_allocations WHERE "
                                   "run_id = ? AND claim_id > ? ORDER BY claim_id LIMIT ?",
                                   {id, after, kAllocationPage}));
        for (const SqlRow& row : rows) {
          const std::string stored = std::to_string(row.Int(0)) + (row.Int(1) ? ",d," : ",c,") +
                                     std::to_string(row.Int(2)) + "," + std::to_string(row.Int(3)) +
                                     "," + std::to_string(row.Int(4)) + "," +
                                     std::to_string(row.Int(5)) + "," + std::to_string(row.Int(6));
          if (position >= run.allocations.size()) {
            Differ(run.drafted_index, "distribution_drafted",
                   "distribution_allocations of run " + std::to_string(id) + " has a row [" +
                       stored + "] beyond the ledger's " + std::to_string(run.allocations.size()));
            return Status::Ok();
          }
          const ReplayedAllocation& a = run.allocations[position];
          const std::string rebuilt = std::to_string(a.claim_id) + (a.disputed ? ",d," : ",c,") +
                                      std::to_string(a.recognised) + "," + std::to_string(a.prior) +
                                      "," + std::to_string(a.pay) + "," +
                                      std::to_string(a.reserve) + "," + std::to_string(a.deferred);
          if (stored != rebuilt) {
            Differ(ChunkIndexOf(run, position), "distribution_allocations",
                   "distribution_allocations of run " + std::to_string(id) + " holds [" + stored +
                       "] (claim, c|d, C, P, pay, reserve, deferred in fen); the ledger has [" +
                       rebuilt + "]");
            return Status::Ok();
          }
          ++position;
        }
        if (rows.size() < static_cast<size_t>(kAllocationPage)) break;
        after = rows.back().Int(0);
      }
      if (position != run.allocations.size()) {
        Differ(ChunkIndexOf(run, position), "distribution_allocations",
               "distribution_allocations of run " + std::to_string(id) + " has " +
                   std::to_string(position) + " rows; the ledger has " +
                   std::to_string(run.allocations.size()));
        return Status::Ok();
      }
    }
    return Status::Ok();
  }

  Status ComparePositions() {
    ASSIGN_OR_RETURN(SqlRows rows, db_.Query("SELECT case_id, claim_id, committed_fen, "
                                             "reserved_fen FROM distribution_positions ORDER BY "
                                             "case_id, claim_id"));
    std::map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>> stored;
    for (const SqlRow& row : rows) stored[{row.Int(0), row.Int(1)}] = {row.Int(2), row.Int(3)};
    std::map<std::pair<int64_t, int64_t>, const ReplayedPosition*> rebuilt;
    for (const auto& [case_id, c] : report_.cases) {
      for (const auto& [claim, position] : c.positions) rebuilt[{case_id, claim}] = &position;
    }
    const ReplayedPosition none;
    for (const auto& [key, value] : stored) rebuilt.emplace(key, &none);
    for (const auto& [key, position] : rebuilt) {
      auto found = stored.find(key);
      const std::pair<int64_t, int64_t> db_value =
          found == stored.end() ? std::make_pair(int64_t{0}, int64_t{0}) : found->second;
      if (db_value.first == position->committed && db_value.second == position->reserved) continue;
      const bool known = !position->last_type.empty();
      Differ(known ? position->last_index : report_.last_index, known ? position->last_type : "",
             "distribution_positions of claim " + std::to_string(key.second) + " (case " +
                 std::to_string(key.first) + ") holds committed " + Yuan(db_value.first) +
                 ", reserved " + Yuan(db_value.second) + "; the ledger gives committed " +
                 Yuan(position->committed) + ", reserved " + Yuan(position->reserved));
      return Status::Ok();
    }
    return Status::Ok();
  }

  DbConnection& db_;
  LedgerReplayReport& report_;
};

StatusOr<LedgerReplayReport> ReplayInSnapshot(DbConnection& db, bool compare_tables) {
  LedgerReplay replay;
  uint64_t next = 0;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<StoredEntry> page, ReadEntries(db, next, kMaxEntriesPage));
    if (page.empty()) break;
    for (const StoredEntry& entry : page) replay.AddBytes(entry.index, entry.bytes);
    next = std::max(next + 1, page.back().index + 1);
  }
  LedgerReplayReport report = replay.Finish();
  if (!compare_tables || report.failure) return report;
  ASSIGN_OR_RETURN(SqlRows queued, db.Query("SELECT COUNT(*) FROM ledger_queue"));
  const int64_t waiting = queued.empty() ? 0 : queued[0].Int(0);
  if (waiting > 0) {
    // The database already holds what those entries record: comparing would blame the log.
    report.notes.push_back(std::to_string(waiting) +
                           " entries are still queued: the database's figures were not compared "
                           "(run again once they are sequenced)");
    return report;
  }
  TableComparison comparison(db, report);
  RETURN_IF_ERROR(comparison.Run());
  return report;
}

}  // namespace

StatusOr<LedgerReplayReport> ReplayDatabase(DbConnection& db, bool compare_tables) {
  if (db.in_transaction()) return Status::Internal("the replay audit needs its own transaction");
  RETURN_IF_ERROR(db.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").status());
  RETURN_IF_ERROR(db.Begin());
  StatusOr<LedgerReplayReport> report = ReplayInSnapshot(db, compare_tables);
  db.Rollback();
  return report;
}

}  // namespace restitution
