// The replay audit (restitutionctl ledger verify --replay): the case's money and every
// distribution run rebuilt from the ledger entries alone, with the same engine the service
// drafts with (service/distribution_rule.h), and compared with what the entries recorded.
//
// Pool balances: every entry's payload "transfers" replayed in index order from zero; each
// transfer must have the documented shape, no account but `recoveries` may go below zero, and
// the accounts of a case add up to zero. The entries that move money must list exactly the
// transfers their other members imply (a sale's net and costs, a run's paid and reserved
// totals, a batch's paid and failed lines, a release's payable and returned parts).
//
// Runs: each distribution_drafted with its distribution_allocations chunks (numbering, claim id
// order, counts, fingerprint) is re-run through ComputeRound, and every claim's pay, reserve and
// deferred and the totals, counts, level and ratio must be the ones recorded. Each claim's
// position across executed runs (committed: sent to be paid and not returned; reserved: held)
// is rebuilt from the execution, payment result and reserve release entries, and every later
// draft's P for the claim must be what the ledger implies, capped at C.
//
// The replay itself is pure (no I/O): feed it decoded entries in index order. CompareWithDatabase
// then checks a database's own figures against what the replay rebuilt.
#ifndef RESTITUTION_TOOLS_LEDGER_REPLAY_H_
#define RESTITUTION_TOOLS_LEDGER_REPLAY_H_

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "crypto/status.h"
#include "ledger/entry.h"
#include "service/db_connection.h"
#include "service/distribution_rule.h"
#include "service/pool.h"

namespace restitution {

// The first disagreement: the entry (index and type) and what differs.
struct ReplayFailure {
  uint64_t index = 0;
  std::string type;
  std::string message;
};

struct ReplayedAllocation {
  int64_t claim_id = 0;
  bool disputed = false;
  int64_t recognised = 0;
  int64_t prior = 0;
  int64_t pay = 0;
  int64_t reserve = 0;
  int64_t deferred = 0;
};

// A claim's standing across executed runs; the P of its next round is committed + reserved.
struct ReplayedPosition {
  int64_t committed = 0;    // sent to be paid (pending or paid), not returned as failed
  int64_t reserved = 0;     // held in reserve while disputed
  uint64_t last_index = 0;  // the entry that last changed it
  std::string last_type;
};

struct ReplayedRun {
  int64_t id = 0;
  int64_t case_id = 0;
  uint64_t drafted_index = 0;
  int64_t drafted_by = 0;
  std::string status;  // drafted, endorsed, approved, executed, cancelled
  int64_t amount = 0;
  int64_t min_payment = 0;
  int64_t pool_before = 0;  // available pool when drafted; when executed, just before
  int64_t claims = 0;
  int64_t chunks = 0;
  int64_t recognised = 0;
  int64_t prior = 0;
  int64_t paid = 0;
  int64_t reserved = 0;
  int64_t deferred = 0;
  int64_t surplus = 0;
  int64_t paid_count = 0;
  int64_t reserved_count = 0;
  int64_t deferred_count = 0;
  std::string level_numerator;
  std::string level_denominator;
  std::string level;
  std::string ratio;
  std::string fingerprint;  // hex
  std::optional<int64_t> endorsed_by;
  std::optional<std::string> order_reference;
  std::optional<int64_t> round;
  int64_t payment_lines = 0;                    // round lines plus release lines of the batch
  int64_t open_lines = 0;                       // of which still without a bank result
  bool computed = false;                        // every chunk seen and the engine re-run
  std::vector<ReplayedAllocation> allocations;  // claim id order
  // (position in allocations of the chunk's first claim, the chunk entry's index)
  std::vector<std::pair<size_t, uint64_t>> chunk_entries;
};

struct ReplayedCase {
  std::array<int64_t, kPoolAccountCount> balances{};  // indexed by PoolAccount
  uint64_t last_transfer_index = 0;                   // the entry that last moved its money
  std::string last_transfer_type;
  std::map<int64_t, ReplayedPosition> positions;  // by claim id
};

struct LedgerReplayReport {
  std::optional<ReplayFailure> failure;
  uint64_t entries = 0;    // entries replayed (up to the failure)
  uint64_t transfers = 0;  // transfers applied
  uint64_t runs_recomputed = 0;
  std::map<int64_t, ReplayedCase> cases;  // cases whose money moved or that drafted a run
  std::map<int64_t, ReplayedRun> runs;
  uint64_t last_index = 0;         // of the last entry replayed
  std::vector<std::string> notes;  // worth saying, not failures
};

// Streaming: Add every entry in index order, then Finish. After a failure further entries are
// ignored.
class LedgerReplay {
 public:
  LedgerReplay();
  ~LedgerReplay();
  LedgerReplay(const LedgerReplay&) = delete;
  LedgerReplay& operator=(const LedgerReplay&) = delete;

  void Add(uint64_t index, const ledger::EntryDraft& entry);
  // Bytes as stored or served; bytes that do not decode are a failure at that index.
  void AddBytes(uint64_t index, const std::string& bytes);
  bool failed() const;
  LedgerReplayReport Finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

struct ReplayEntry {
  uint64_t index = 0;
  ledger::EntryDraft entry;
};
LedgerReplayReport ReplayLedger(const std::vector<ReplayEntry>& entries);

// Reads the ledger entries (ledger_entries, index order) and replays them, then compares the
// database's pool balances (per case and account), distribution runs (totals, counts, level,
// ratio, fingerprint, status, round, payment lines), distribution_allocations rows and claim
// positions with the rebuilt figures, all in one read-only snapshot. db must not be in a
// transaction. A difference becomes the report's failure, named at the entry whose figure the
// database contradicts. A Status error means the database could not be read.
StatusOr<LedgerReplayReport> ReplayDatabase(DbConnection& db, bool compare_tables = true);

}  // namespace restitution

#endif  // RESTITUTION_TOOLS_LEDGER_REPLAY_H_
