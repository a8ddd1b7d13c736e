#include "service/ledger_sequencer.h"

#include <algorithm>

#include "service/log.h"
#include "service/transaction.h"

namespace restitution {
namespace {

// Multi-row INSERTs go in chunks of these sizes (largest first), so a batch of any size uses
// at most a handful of distinct prepared statements per connection.
constexpr size_t kChunkSizes[] = {256, 64, 16, 4, 1};
constexpr size_t kMaxBatchBytes = 4 << 20;
// Receipts of this process's recent batches kept for waiting requests.
constexpr size_t kMaxRecentReceipts = 1 << 17;
// How often a waiting request asks the database itself (another process may have sequenced
// its entry).
constexpr auto kReceiptDbCheckInterval = std::chrono::milliseconds(250);

// Runs `prefix` + n copies of `row` for rows [begin, end) of a table of values, in chunks.
// make(i, params) appends row i's parameters.
template <typename MakeRow>
Status InsertInChunks(DbConnection& db, const std::string& prefix, const std::string& row,
                      size_t count, const MakeRow& make) {
  size_t done = 0;
  for (size_t chunk : kChunkSizes) {
    while (count - done >= chunk) {
      std::vector<SqlParam> params;
      for (size_t i = done; i < done + chunk; ++i) make(i, &params);
      RETURN_IF_ERROR(db.Exec(prefix + RepeatSql(row, chunk), params).status());
      done += chunk;
    }
  }
  return Status::Ok();
}

StatusOr<std::vector<ledger::Hash>> SplitFrontier(const std::string& bytes, uint64_t size) {
  const size_t expected = static_cast<size_t>(__builtin_popcountll(size));
  if (bytes.size() != expected * ledger::kHashSize) {
    return Status::Internal("ledger head frontier does not match its size");
  }
  std::vector<ledger::Hash> frontier;
  for (size_t i = 0; i < expected; ++i) {
    frontier.push_back(bytes.substr(i * ledger::kHashSize, ledger::kHashSize));
  }
  return frontier;
}

// Refuses to sign unless the tree being signed extends the last signed one: the proof is
// built from the stored nodes, this batch's included, and checked against both roots.
Status CheckExtendsLastCheckpoint(DbConnection& db, const StoredCheckpoint& last, uint64_t new_size,
                                  const ledger::Hash& new_root) {
  std::vector<ledger::Hash> proof;
  if (last.size > 0 && last.size < new_size) {
    DbNodeSource source(db);
    ASSIGN_OR_RETURN(proof, ledger::ConsistencyProof(source, last.size, new_size));
  }
  if (!ledger::VerifyConsistency(last.size, new_size, last.root, new_root, proof)) {
    return Status::Internal("ledger tree of size " + std::to_string(new_size) +
                            " is not consistent with the checkpoint of size " +
                            std::to_string(last.size) + "; refusing to sign");
  }
  return Status::Ok();
}

Status RecordSigningKey(DbConnection& db, const ledger::NoteSigner& signer, int64_t now_ms) {
  const int64_t key_id = signer.key_id();
  ASSIGN_OR_RETURN(
      SqlRows known,
      db.Query("SELECT verifier_key, retired_at_ms FROM ledger_keys WHERE key_id = ?", {key_id}));
  if (!known.empty()) {
    if (known[0].Bytes(0) != signer.verifier_key()) {
      return Status::Internal("another ledger key has key id " + std::to_string(key_id));
    }
    if (known[0].IsNull(1)) return Status::Ok();
    // A retired key brought back (a rollback of a rotation): it is current again.
    RETURN_IF_ERROR(db.Exec("UPDATE ledger_keys SET retired_at_ms = ? WHERE retired_at_ms IS "
                            "NULL",
                            {now_ms})
                        .status());
    return db.Exec("UPDATE ledger_keys SET retired_at_ms = NULL WHERE key_id = ?", {key_id})
        .status();
  }
  // A new key: every older key is now retired, but stays published for old checkpoints.
  RETURN_IF_ERROR(
      db.Exec("UPDATE ledger_keys SET retired_at_ms = ? WHERE retired_at_ms IS NULL", {now_ms})
          .status());
  return db
      .Exec("INSERT INTO ledger_keys (key_id, verifier_key, first_used_at_ms) VALUES (?, ?, ?)",
            {key_id, signer.verifier_key(), now_ms})
      .status();
}

Status SignCheckpoint(DbConnection& db, const ledger::NoteSigner& signer, uint64_t size,
                      const ledger::Hash& root, int64_t now_ms) {
  RETURN_IF_ERROR(RecordSigningKey(db, signer, now_ms));
  const std::string note =
      signer.Sign(ledger::CheckpointBody(ledger::Checkpoint{signer.key_name(), size, root}));
  return db
      .Exec(
          "INSERT INTO ledger_checkpoints (size, root, key_id, note, signed_at_ms) "
          "VALUES (?, ?, ?, ?, ?)",
          {static_cast<int64_t>(size), root, static_cast<int64_t>(signer.key_id()), note, now_ms})
      .status();
}

}  // namespace

StatusOr<BatchResult> SequenceBatch(DbConnection& db, const ledger::NoteSigner& signer,
                                    int64_t now_ms, const SequencerOptions& options) {
  const int max_batch = std::max(1, options.max_batch);
  ASSIGN_OR_RETURN(SqlRows head_rows,
                   db.Query("SELECT size, root, frontier, updated_at_ms FROM ledger_head "
                            "WHERE id = 1 FOR UPDATE"));
  if (head_rows.empty()) return Status::Internal("ledger_head row is missing");
  // The caller read its clock before waiting for the head lock, perhaps behind another
  // process's batch: never let the log's own timestamps run backwards.
  now_ms = std::max(now_ms, head_rows[0].Int(3));
  const uint64_t old_size = static_cast<uint64_t>(head_rows[0].Int(0));
  ASSIGN_OR_RETURN(std::vector<ledger::Hash> frontier,
                   SplitFrontier(head_rows[0].Bytes(2), old_size));
  // The head's root is redundant with its frontier; if they disagree, one was altered and
  // nothing built on either can be trusted.
  ASSIGN_OR_RETURN(ledger::AppendResult current, ledger::AppendLeaves(old_size, frontier, {}));
  if (current.root != head_rows[0].Bytes(1)) {
    return Status::Internal("ledger head root does not match its frontier; refusing to append");
  }
  // Nothing is appended to a head that the stored tree and the last signature do not both
  // vouch for: the frontier must be the stored perfect subtrees, and the tree they form must
  // extend the last signed checkpoint. Two small reads per batch, whether or not it signs.
  if (old_size > 0) {
    DbNodeSource source(db);
    ASSIGN_OR_RETURN(std::vector<ledger::Hash> stored,
                     source.GetNodes(ledger::RangeDecomposition(0, old_size)));
    if (stored != frontier) {
      return Status::Internal("ledger head frontier does not match the stored tree");
    }
  }
  ASSIGN_OR_RETURN(std::optional<StoredCheckpoint> last, ReadLatestCheckpoint(db));
  if (last) {
    if (old_size < last->size) return Status::Internal("ledger head is behind its last checkpoint");
    RETURN_IF_ERROR(CheckExtendsLastCheckpoint(db, *last, old_size, current.root));
  }

  ASSIGN_OR_RETURN(SqlRows queued, db.Query("SELECT id, entry FROM ledger_queue "
                                            "ORDER BY id LIMIT ?",
                                            {max_batch + 1}));
  BatchResult result;
  result.more_waiting = queued.size() > static_cast<size_t>(max_batch);
  if (result.more_waiting) queued.pop_back();
  // A batch's entry bytes are capped so that no multi-row INSERT can outgrow the server's
  // max_allowed_packet (16 MiB by default): 256 entries of the 64 KiB maximum would.
  size_t batch_bytes = 0;
  for (size_t i = 0; i < queued.size(); ++i) {
    batch_bytes += queued[i].Bytes(1).size();
    if (i > 0 && batch_bytes > kMaxBatchBytes) {
      queued.erase(queued.begin() + static_cast<std::ptrdiff_t>(i), queued.end());
      result.more_waiting = true;
      break;
    }
  }

  // Leaf hashes are recomputed from the bytes: the queue's stored hash is only for receipts.
  std::vector<ledger::Hash> leaves;
  leaves.reserve(queued.size());
  for (const SqlRow& row : queued) leaves.push_back(ledger::LeafHash(row.Bytes(1)));
  ASSIGN_OR_RETURN(ledger::AppendResult appended, ledger::AppendLeaves(old_size, frontier, leaves));
  if (old_size == 0 && leaves.empty() && appended.root != ledger::EmptyRootHash()) {
    return Status::Internal("empty tree root mismatch");
  }
  const uint64_t new_size = old_size + leaves.size();
  if (appended.root.size() != ledger::kHashSize) return Status::Internal("bad root");

  if (!queued.empty()) {
    RETURN_IF_ERROR(InsertInChunks(
        db, "INSERT INTO ledger_entries (idx, queue_id, entry, leaf_hash, sequenced_at_ms) VALUES ",
        "(?, ?, ?, ?, ?)", queued.size(), [&](size_t i, std::vector<SqlParam>* params) {
          params->emplace_back(static_cast<int64_t>(old_size + i));
          params->emplace_back(queued[i].Int(0));
          params->emplace_back(queued[i].Bytes(1));
          params->emplace_back(leaves[i]);
          params->emplace_back(now_ms);
        }));
    RETURN_IF_ERROR(
        InsertInChunks(db, "INSERT INTO ledger_nodes (level, idx, hash) VALUES ", "(?, ?, ?)",
                       appended.nodes.size(), [&](size_t i, std::vector<SqlParam>* params) {
                         params->emplace_back(static_cast<int64_t>(appended.nodes[i].first.level));
                         params->emplace_back(static_cast<int64_t>(appended.nodes[i].first.index));
                         params->emplace_back(appended.nodes[i].second);
                       }));
    size_t deleted = 0;
    for (size_t chunk : kChunkSizes) {
      while (queued.size() - deleted >= chunk) {
        std::vector<SqlParam> ids;
        for (size_t i = deleted; i < deleted + chunk; ++i) ids.emplace_back(queued[i].Int(0));
        // ORDER BY … LIMIT makes the optimiser walk the primary key: on a small queue a bare
        // IN list was planned as a full scan, which cost more than the rest of the batch.
        ids.emplace_back(static_cast<int64_t>(chunk));
        ASSIGN_OR_RETURN(int64_t removed,
                         db.Exec("DELETE FROM ledger_queue WHERE id IN (" + RepeatSql("?", chunk) +
                                     ") ORDER BY id LIMIT ?",
                                 ids));
        // The head lock admits one sequencer at a time, so nobody else can have taken them.
        if (removed != static_cast<int64_t>(chunk)) {
          return Status::Internal("ledger queue rows vanished under the sequencer");
        }
        deleted += chunk;
      }
    }
    std::string frontier_bytes;
    for (const ledger::Hash& hash : appended.frontier) frontier_bytes += hash;
    RETURN_IF_ERROR(db.Exec("UPDATE ledger_head SET size = ?, root = ?, frontier = ?, "
                            "updated_at_ms = ? WHERE id = 1",
                            {static_cast<int64_t>(new_size), appended.root, frontier_bytes, now_ms})
                        .status());
  }

  bool sign = false;
  if (!last) {
    sign = true;
  } else if (new_size > last->size) {
    sign = !result.more_waiting || now_ms - last->signed_at_ms >= options.checkpoint_interval_ms;
  }
  if (sign) {
    if (last) RETURN_IF_ERROR(CheckExtendsLastCheckpoint(db, *last, new_size, appended.root));
    RETURN_IF_ERROR(SignCheckpoint(db, signer, new_size, appended.root, now_ms));
    result.signed_size = new_size;
  }

  result.tree_size = new_size;
  result.entries.reserve(queued.size());
  for (size_t i = 0; i < queued.size(); ++i) {
    result.entries.push_back(
        SequencedEntry{queued[i].Int(0), LedgerReceipt{old_size + i, leaves[i]}});
  }
  return result;
}

LedgerSequencer::LedgerSequencer(ConnectionPool& pool, const ledger::NoteSigner& signer,
                                 Clock clock, SequencerOptions options)
    : pool_(pool), signer_(signer), clock_(std::move(clock)), options_(options) {}

LedgerSequencer::~LedgerSequencer() { Stop(); }

void LedgerSequencer::Start() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (thread_.joinable() || stopping_) return;
  nudged_ = true;  // the first batch signs the empty tree, or catches up after a restart
  thread_ = std::thread([this] { Run(); });
}

void LedgerSequencer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  sequenced_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void LedgerSequencer::Nudge() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    nudged_ = true;
  }
  wake_.notify_one();
}

void LedgerSequencer::Run() {
  const auto poll = std::chrono::milliseconds(std::max(1, options_.poll_interval_ms));
  bool run_now = false;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!run_now) wake_.wait_for(lock, poll, [this] { return nudged_ || stopping_; });
      if (stopping_) return;
      nudged_ = false;
    }
    BatchResult batch;
    Status status = RunInTransaction(pool_, [&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer_, clock_(), options_));
      return Status::Ok();
    });
    if (!status.ok()) {
      // Nothing was written; the entries stay queued. Try again after the poll interval.
      Log(LogLevel::kError, "ledger sequencer batch failed", {{"error", status.ToString()}});
      run_now = false;
      continue;
    }
    if (!batch.entries.empty() || batch.signed_size) {
      Log(LogLevel::kDebug, "ledger batch sequenced",
          {{"entries", std::to_string(batch.entries.size())},
           {"size", std::to_string(batch.tree_size)}});
    }
    Publish(batch);
    // A full batch means more are waiting; an unsigned tail still needs its checkpoint.
    run_now = batch.more_waiting || (!batch.entries.empty() && !batch.signed_size);
  }
}

void LedgerSequencer::Publish(const BatchResult& batch) {
  if (batch.entries.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const SequencedEntry& entry : batch.entries) {
      if (recent_.emplace(entry.queue_id, entry.receipt).second) {
        recent_order_.push_back(entry.queue_id);
      }
    }
    while (recent_order_.size() > kMaxRecentReceipts) {
      recent_.erase(recent_order_.front());
      recent_order_.pop_front();
    }
  }
  sequenced_.notify_all();
}

StatusOr<std::optional<LedgerReceipt>> LedgerSequencer::AwaitReceipt(
    int64_t queue_id, std::chrono::milliseconds timeout) {
  using Steady = std::chrono::steady_clock;
  const Steady::time_point deadline = Steady::now() + timeout;
  Steady::time_point next_db_check = Steady::now() + kReceiptDbCheckInterval;
  Nudge();
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    auto found = recent_.find(queue_id);
    if (found != recent_.end()) return std::optional<LedgerReceipt>(found->second);
    const Steady::time_point now = Steady::now();
    if (now >= next_db_check || now >= deadline || stopping_) {
      lock.unlock();
      std::optional<LedgerReceipt> receipt;
      Status status = RunInTransaction(pool_, [&](DbConnection& db) -> Status {
        ASSIGN_OR_RETURN(receipt, FindReceipt(db, queue_id));
        return Status::Ok();
      });
      RETURN_IF_ERROR(status);
      if (receipt || Steady::now() >= deadline || stopping_) return receipt;
      next_db_check = Steady::now() + kReceiptDbCheckInterval;
      lock.lock();
      continue;
    }
    sequenced_.wait_until(lock, std::min(deadline, next_db_check));
  }
}

}  // namespace restitution
