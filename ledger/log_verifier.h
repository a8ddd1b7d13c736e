// The offline audit's core: a streaming verifier of the whole log that trusts nothing but the
// verifier keys it is given. Whoever reads the log (the database, or a running service over
// HTTPS) feeds it entries in index order and the stored checkpoints in size order; the
// verifier recomputes every leaf hash and the tree itself, checks each checkpoint's signature
// and, when the recomputed tree reaches a checkpoint's size, its root.
//
// It remembers only the frontier of the tree (RangeDecomposition(0, size), at most 64
// hashes), the checkpoints given ahead of the entries they cover, and the stored node hashes
// claimed for the entries about to arrive: memory is O(log n) plus what the caller feeds ahead,
// whatever the size of the log. Pure: no I/O, no clock.
//
// The verdict names the FIRST index at which anything disagrees. Every failure carries an
// index; a failure found early (a checkpoint is checked before the entries it covers) waits
// until every entry before its index has been checked, so a tampered entry further back still
// wins. Once done() the caller should stop feeding: nothing fed later can change the verdict.
#ifndef RESTITUTION_LEDGER_LOG_VERIFIER_H_
#define RESTITUTION_LEDGER_LOG_VERIFIER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "ledger/merkle.h"

namespace restitution::ledger {

// What went wrong, and the first index of the log it concerns.
// Entries [failure index, end) disagree with the signed root of the checkpoint of size end,
// and nothing stored beside them said which one.
struct MismatchRange {
  uint64_t end = 0;
  Hash signed_root;
};

struct LogFailure {
  uint64_t index = 0;
  std::string message;
  // Set for a signed root that does not match: index is then where the range begins. A caller
  // that can fetch inclusion proofs against the signed root may narrow it with RefineFailure.
  std::optional<MismatchRange> range;
};

// What a stored checkpoint row (or a served checkpoint object) says beside its note. The note
// is authoritative; these are compared with it, since a row that disagrees with its own note
// has been tampered with.
struct CheckpointClaims {
  std::optional<uint64_t> size;
  std::optional<Hash> root;
  std::optional<uint32_t> key_id;
};

struct LogVerifierOptions {
  // The keys checkpoints may be signed with: the current one and any older one that signed
  // before a rotation. At least one.
  std::vector<NoteVerifier> trusted_keys;
  // The log's origin line. Empty: each checkpoint's origin must equal the name of the key that
  // signed it (which is how this ledger signs).
  std::string expected_origin;
  // Every perfect-subtree node the recomputed tree creates must have been claimed with
  // ClaimNodes (the database keeps all of them); a node that was not is reported missing.
  bool require_stored_nodes = false;
};

// A checkpoint whose signature verified under one of the trusted keys, and which key that was.
struct OpenedCheckpoint {
  Checkpoint checkpoint;
  const NoteVerifier* key = nullptr;  // points into LogVerifierOptions::trusted_keys
};

// Verifies note under any of keys (a rotated log has checkpoints by several) and checks its
// origin. InvalidArgument naming what is wrong: malformed, a signature that does not verify,
// signed by none of the keys, or the wrong origin.
StatusOr<OpenedCheckpoint> OpenCheckpoint(std::string_view note,
                                          const std::vector<NoteVerifier>& keys,
                                          std::string_view expected_origin);

class LogVerifier {
 public:
  explicit LogVerifier(LogVerifierOptions options);
  LogVerifier(const LogVerifier&) = delete;
  LogVerifier& operator=(const LogVerifier&) = delete;

  // The next entry. index must be the number of entries added so far; a larger one means the
  // entries in between are missing, a smaller one that the source repeats or reorders.
  // claimed_leaf_hash is the hash the source stored or served with the bytes, if any.
  void AddEntry(uint64_t index, std::string_view bytes,
                const std::optional<Hash>& claimed_leaf_hash = std::nullopt);

  // Stored node hashes for nodes the coming entries complete, compared with the recomputed
  // ones as they appear. Claims for nodes that already exist are ignored.
  void ClaimNodes(const std::vector<std::pair<NodeId, Hash>>& nodes);

  // A stored checkpoint note, in strictly increasing size, given before the entry at index
  // `size` (so its root can be compared when the recomputed tree has exactly that many
  // leaves). Returns the opened checkpoint when its signature, origin and claims are good.
  std::optional<OpenedCheckpoint> AddCheckpoint(std::string_view note,
                                                const CheckpointClaims& claims = {});

  // A tree head the recomputed tree must match too, outside the sequence of checkpoints: the
  // database's ledger_head row, or the latest checkpoint served apart from the list. what
  // names it in failure messages. signed_root: the caller verified a signature over root (as
  // OpenCheckpoint does), so a mismatch keeps its range for narrowing.
  void ExpectHead(uint64_t size, const Hash& root, std::string what, bool signed_root = false);

  // Records a failure found by the caller (a proof that does not verify, say).
  void ReportFailure(uint64_t index, std::string message);

  // The recomputed leaf hashes of the failure's range, when it has one and they were kept
  // (the leaves since the last good checkpoint are, up to kMaxRetainedLeaves); else empty.
  std::vector<Hash> RangeLeaves() const;
  // Names the entry of the failure's range that disagrees, replacing the range.
  void RefineFailure(uint64_t index, std::string message);

  // The end of the entries: heads and checkpoints beyond the last entry mean entries are
  // missing. Further input is ignored.
  void Finish();

  // True when the verdict is known: a failure whose index every entry before has been checked,
  // or Finish.
  bool done() const;
  const std::optional<LogFailure>& failure() const { return failure_; }

  uint64_t size() const { return size_; }     // entries added and recomputed
  const Hash& root() const { return root_; }  // MTH of those entries
  const std::vector<Hash>& frontier() const { return frontier_; }
  uint64_t checkpoints_checked() const { return checkpoints_checked_; }
  // Size of the largest checkpoint whose root matched the recomputed tree (0: none).
  uint64_t covered_size() const { return covered_size_; }
  // "<name>+<key id>" of each trusted key that verified at least one checkpoint.
  std::vector<std::string> keys_used() const;

 private:
  struct Expected {
    Hash root;
    std::string what;  // "checkpoint of size 12", "ledger_head"
    bool counted;      // one of the checkpoints: counted in checkpoints_checked() on a match
    bool signed_root;  // a mismatch keeps its range (MismatchRange)
  };

  // Keeps the failure with the smallest index; true when this one is it.
  bool Fail(uint64_t index, std::string message, std::optional<MismatchRange> range = std::nullopt);
  // Compares the heads due at the current size.
  void CheckDueHeads();

  // Leaves kept for RangeLeaves: 2 MiB at most.
  static constexpr size_t kMaxRetainedLeaves = 1 << 16;

  const LogVerifierOptions options_;
  uint64_t size_ = 0;
  Hash root_;
  std::vector<Hash> frontier_;
  // Heads given ahead of the entries they cover, by size.
  std::multimap<uint64_t, Expected> pending_;
  std::map<NodeId, Hash> claimed_nodes_;
  std::optional<uint64_t> last_checkpoint_size_;  // of the checkpoints given so far
  uint64_t checkpoints_checked_ = 0;
  uint64_t covered_size_ = 0;
  // covered_size_ before the last entry: where a root mismatch at the current size begins.
  uint64_t covered_below_ = 0;
  // Leaf hashes from index retained_begin_ (the last good checkpoint) on; dropped, not
  // truncated, once there are more than kMaxRetainedLeaves.
  uint64_t retained_begin_ = 0;
  std::vector<Hash> retained_;
  bool retained_overflow_ = false;
  std::vector<bool> key_used_;  // parallel to options_.trusted_keys
  std::optional<LogFailure> failure_;
  bool finished_ = false;
};

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_LOG_VERIFIER_H_
