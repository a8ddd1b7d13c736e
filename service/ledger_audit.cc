#include "service/ledger_audit.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <utility>

#include "ledger/checkpoint.h"

namespace restitution {
namespace {

// The database could not be read (as opposed to holding something wrong).
bool IsReadError(const Status& status) {
  return status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kAborted;
}

class DatabaseAudit {
 public:
  DatabaseAudit(DbConnection& db, const LedgerAuditOptions& options)
      : db_(db),
        page_size_(std::clamp(options.page_size, 1, kMaxEntriesPage)),
        verifier_(WithStoredNodes(options.verifier)) {}

  StatusOr<LedgerAuditReport> Run() {
    ASSIGN_OR_RETURN(SqlRows head,
                     db_.Query("SELECT size, root, frontier FROM ledger_head WHERE id = 1"));
    std::optional<uint64_t> head_size;
    std::string head_frontier;
    if (head.empty()) {
      verifier_.ReportFailure(0, "the tree head (ledger_head) is missing");
    } else {
      head_size = static_cast<uint64_t>(head[0].Int(0));
      head_frontier = head[0].Bytes(2);
      report_.claimed_size = *head_size;
      verifier_.ExpectHead(*head_size, head[0].Bytes(1), "the tree head (ledger_head)");
    }

    uint64_t next = 0;
    while (!verifier_.done()) {
      RETURN_IF_ERROR(FeedCheckpointsUpTo(next));
      ASSIGN_OR_RETURN(std::vector<StoredEntry> page, ReadEntries(db_, next, page_size_));
      if (page.empty()) break;
      const uint64_t end = page.back().index + 1;
      RETURN_IF_ERROR(FeedCheckpointsUpTo(end));
      RETURN_IF_ERROR(ClaimNodes(next, end));
      for (const StoredEntry& entry : page) {
        if (verifier_.done()) break;
        verifier_.AddEntry(entry.index, entry.bytes, entry.leaf_hash);
      }
      RETURN_IF_ERROR(ProveDueConsistency());
      // A repeated or backwards index has already failed; never read the same page again.
      next = std::max(next + 1, end);
    }
    // Checkpoints beyond the last entry: the verifier reports the entries they miss.
    RETURN_IF_ERROR(FeedCheckpointsUpTo(std::numeric_limits<uint64_t>::max()));
    verifier_.Finish();
    RETURN_IF_ERROR(ProveDueConsistency());
    if (head_size && verifier_.size() > *head_size) {
      // The sequencer moves the head with the entries it writes: rows beyond it were added.
      verifier_.ReportFailure(*head_size, "entry " + std::to_string(*head_size) +
                                              " lies beyond the tree head (ledger_head, size " +
                                              std::to_string(*head_size) + ")");
    }
    if (!verifier_.failure() && head_size && verifier_.size() == *head_size) {
      CheckFrontier(head_frontier);
    }

    ASSIGN_OR_RETURN(SqlRows queued, db_.Query("SELECT COUNT(*) FROM ledger_queue"));
    const int64_t waiting = queued.empty() ? 0 : queued[0].Int(0);
    if (waiting > 0) {
      report_.notes.push_back(std::to_string(waiting) +
                              " entries are queued and not yet in the log (not audited)");
    }
    TakeVerifierFindings(verifier_, &report_);
    return report_;
  }

 private:
  static ledger::LogVerifierOptions WithStoredNodes(ledger::LogVerifierOptions options) {
    options.require_stored_nodes = true;  // the database keeps every perfect subtree
    return options;
  }

  // Gives the verifier every stored checkpoint of at most `size` it has not had yet, reading
  // them a page at a time, and checks each against the one before with a proof built from
  // the stored nodes.
  Status FeedCheckpointsUpTo(uint64_t size) {
    for (;;) {
      if (checkpoints_.empty() && more_checkpoints_) {
        ASSIGN_OR_RETURN(std::vector<StoredCheckpoint> page,
                         ReadCheckpoints(db_, next_checkpoint_size_, page_size_));
        more_checkpoints_ = page.size() == static_cast<size_t>(page_size_);
        if (!page.empty()) next_checkpoint_size_ = page.back().size + 1;
        for (StoredCheckpoint& c : page) checkpoints_.push_back(std::move(c));
      }
      if (checkpoints_.empty() || checkpoints_.front().size > size || verifier_.done()) {
        return Status::Ok();
      }
      const StoredCheckpoint stored = std::move(checkpoints_.front());
      checkpoints_.pop_front();
      ledger::CheckpointClaims claims;
      claims.size = stored.size;
      claims.root = stored.root;
      claims.key_id = stored.key_id;
      std::optional<ledger::OpenedCheckpoint> opened = verifier_.AddCheckpoint(stored.note, claims);
      if (!opened) continue;
      if (previous_) unproven_.emplace_back(previous_->checkpoint, opened->checkpoint);
      previous_ = std::move(opened);
    }
  }

  // Proves each pair of successive checkpoints consistent once the entries have matched the
  // newer one, so the proofs counted never outrun the checkpoints checked.
  Status ProveDueConsistency() {
    while (!unproven_.empty() && unproven_.front().second.size <= verifier_.covered_size()) {
      RETURN_IF_ERROR(CheckConsistency(unproven_.front().first, unproven_.front().second));
      unproven_.pop_front();
    }
    return Status::Ok();
  }

  // A proof that cannot be built or does not verify is named at the last entry the newer
  // checkpoint covers: the stored nodes are compared one by one as the entries go by, so a
  // node that is really wrong has already been named at the exact index, further back.
  Status CheckConsistency(const ledger::Checkpoint& from, const ledger::Checkpoint& to) {
    const std::string what = "consistency proof from the checkpoint of size " +
                             std::to_string(from.size) + " to the one of size " +
                             std::to_string(to.size);
    StatusOr<std::vector<ledger::Hash>> proof = ReadConsistencyProof(db_, from.size, to.size);
    if (!proof.ok()) {
      if (IsReadError(proof.status())) return proof.status();
      // A node the proof needs is missing or malformed, or the head is behind the checkpoint.
      verifier_.ReportFailure(to.size - 1, "cannot build the " + what + " from the stored nodes: " +
                                               proof.status().message());
      return Status::Ok();
    }
    if (!ledger::VerifyConsistency(from.size, to.size, from.root, to.root, *proof)) {
      verifier_.ReportFailure(to.size - 1,
                              "the " + what + ", built from the stored nodes, does not verify");
      return Status::Ok();
    }
    report_.consistency_proofs += 1;
    return Status::Ok();
  }

  // The stored nodes that entries [begin, end) complete: node (level, j) is completed by its
  // last leaf, (j + 1) << level - 1, so j runs over [begin >> level, end >> level).
  Status ClaimNodes(uint64_t begin, uint64_t end) {
    std::vector<std::pair<ledger::NodeId, ledger::Hash>> nodes;
    for (int level = 0; level < 64 && (end >> level) > (begin >> level); ++level) {
      ASSIGN_OR_RETURN(SqlRows rows, db_.Query("SELECT idx, hash FROM ledger_nodes WHERE level = ? "
                                               "AND idx >= ? AND idx < ? ORDER BY idx",
                                               {level, static_cast<int64_t>(begin >> level),
                                                static_cast<int64_t>(end >> level)}));
      for (const SqlRow& row : rows) {
        nodes.emplace_back(ledger::NodeId{level, static_cast<uint64_t>(row.Int(0))}, row.Bytes(1));
      }
    }
    verifier_.ClaimNodes(nodes);
    return Status::Ok();
  }

  // The head's frontier is what the sequencer appends to next: it must be the recomputed one.
  void CheckFrontier(const std::string& stored) {
    const std::vector<ledger::Hash>& frontier = verifier_.frontier();
    const std::vector<ledger::NodeId> ids = ledger::RangeDecomposition(0, verifier_.size());
    for (size_t i = 0; i < frontier.size(); ++i) {
      if (stored.size() < (i + 1) * ledger::kHashSize ||
          stored.compare(i * ledger::kHashSize, ledger::kHashSize, frontier[i]) != 0) {
        verifier_.ReportFailure(((ids[i].index + 1) << ids[i].level) - 1,
                                "the tree head's frontier hash over entries " +
                                    std::to_string(ids[i].index << ids[i].level) + ".." +
                                    std::to_string(((ids[i].index + 1) << ids[i].level) - 1) +
                                    " does not match the entries");
        return;
      }
    }
    if (stored.size() != frontier.size() * ledger::kHashSize) {
      verifier_.ReportFailure(verifier_.size() - 1, "the tree head's frontier has extra bytes");
    }
  }

  DbConnection& db_;
  const int page_size_;
  ledger::LogVerifier verifier_;
  LedgerAuditReport report_;
  std::deque<StoredCheckpoint> checkpoints_;  // read, not yet given to the verifier
  uint64_t next_checkpoint_size_ = 0;
  bool more_checkpoints_ = true;
  std::optional<ledger::OpenedCheckpoint> previous_;  // the last checkpoint that opened
  // Successive checkpoints whose consistency proof waits for the entries to match the newer.
  std::deque<std::pair<ledger::Checkpoint, ledger::Checkpoint>> unproven_;
};

}  // namespace

void TakeVerifierFindings(const ledger::LogVerifier& verifier, LedgerAuditReport* report) {
  report->failure = verifier.failure();
  report->entries = verifier.size();
  report->root = verifier.root();
  report->checkpoints_checked = verifier.checkpoints_checked();
  report->covered_size = verifier.covered_size();
  report->keys_used = verifier.keys_used();
}

StatusOr<LedgerAuditReport> AuditLedgerDatabase(DbConnection& db,
                                                const LedgerAuditOptions& options) {
  if (db.in_transaction()) return Status::Internal("the ledger audit needs its own transaction");
  // One snapshot for every query (the service may be appending meanwhile), and a promise to
  // the database that the audit changes nothing.
  RETURN_IF_ERROR(db.Exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").status());
  RETURN_IF_ERROR(db.Begin());
  DatabaseAudit audit(db, options);
  StatusOr<LedgerAuditReport> report = audit.Run();
  db.Rollback();
  return report;
}

}  // namespace restitution
