// The sequencer: moves queued entries into the Merkle log, in batches, and signs checkpoints.
//
// SequenceBatch is one transaction: lock the head (SELECT ... FOR UPDATE, so any number of
// restitutiond processes may run a sequencer and still produce one gapless, fork-free log),
// take up to max_batch queued entries in arrival order, give them the next indices, write the
// entries and the perfect subtrees they complete, move the head, delete the queue rows, and —
// after proving the new tree consistent with the last signed checkpoint — sign a checkpoint.
// Business transactions only insert into the queue, so they never wait for this lock.
#ifndef RESTITUTION_SERVICE_LEDGER_SEQUENCER_H_
#define RESTITUTION_SERVICE_LEDGER_SEQUENCER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "service/clock.h"
#include "service/connection_pool.h"
#include "service/ledger_store.h"

namespace restitution {

struct SequencerOptions {
  int max_batch = 4096;
  // Under load a checkpoint is signed at most this often; when the queue runs dry the last
  // batch is always signed, so a receipt is soon covered by a checkpoint.
  int checkpoint_interval_ms = 1000;
  // How often an idle sequencer looks for entries queued by other processes.
  int poll_interval_ms = 200;
};

struct SequencedEntry {
  int64_t queue_id = 0;
  LedgerReceipt receipt;
};

struct BatchResult {
  std::vector<SequencedEntry> entries;
  uint64_t tree_size = 0;
  bool more_waiting = false;            // the batch was full: run again at once
  std::optional<uint64_t> signed_size;  // the checkpoint signed by this batch, if any
};

// One batch in one transaction on db (the caller begins and commits it; RunInTransaction
// does). The first call on an empty log signs a checkpoint: of the empty tree when nothing is
// queued, else of the tree after this batch. Timestamps never go below the head's last update.
// Returns Internal, and signs nothing, if the stored tree is not consistent with the last signed
// checkpoint or the frontier does not match the head.
StatusOr<BatchResult> SequenceBatch(DbConnection& db, const ledger::NoteSigner& signer,
                                    int64_t now_ms, const SequencerOptions& options);

// Runs SequenceBatch on its own thread, woken by Nudge() and by a poll timer, and lets request
// threads wait for their entries' receipts.
class LedgerSequencer {
 public:
  LedgerSequencer(ConnectionPool& pool, const ledger::NoteSigner& signer, Clock clock,
                  SequencerOptions options = {});
  ~LedgerSequencer();
  LedgerSequencer(const LedgerSequencer&) = delete;
  LedgerSequencer& operator=(const LedgerSequencer&) = delete;

  void Start();
  // Finishes the batch in flight, then stops. Idempotent.
  void Stop();
  // Asks for a batch now (an entry was just committed).
  void Nudge();

  // The receipt of a committed queue entry: waits (bounded by timeout) for a batch of this
  // process, and asks the database directly now and then, since another process's
  // sequencer may have taken the entry. nullopt when the time is up.
  StatusOr<std::optional<LedgerReceipt>> AwaitReceipt(int64_t queue_id,
                                                      std::chrono::milliseconds timeout);

 private:
  void Run();
  void Publish(const BatchResult& batch);

  ConnectionPool& pool_;
  const ledger::NoteSigner& signer_;
  Clock clock_;
  const SequencerOptions options_;

  std::mutex mutex_;
  std::condition_variable wake_;       // the sequencer thread waits on it
  std::condition_variable sequenced_;  // request threads wait on it
  bool nudged_ = false;
  bool stopping_ = false;
  // Receipts of recent batches of this process, oldest first; bounded.
  std::unordered_map<int64_t, LedgerReceipt> recent_;
  std::deque<int64_t> recent_order_;
  std::thread thread_;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_LEDGER_SEQUENCER_H_
