#include "ledger/log_verifier.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "crypto/encoding.h"
#include "ledger/entry.h"

namespace restitution::ledger {
namespace {

constexpr std::string_view kEmDashSpace = "\xE2\x80\x94 ";

std::string KeyLabel(const NoteVerifier& key) {
  char id[9];
  std::snprintf(id, sizeof(id), "%08x", key.key_id);
  return key.key_name + "+" + id;
}

// Whether the note carries a signature line naming this key (name and key id). Only picks
// which error to report: VerifyCheckpoint does the real parsing and verification.
bool NamesKey(std::string_view note, const NoteVerifier& key) {
  const size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) return false;
  std::string_view lines = note.substr(blank + 2);
  while (!lines.empty()) {
    size_t newline = lines.find('\n');
    if (newline == std::string_view::npos) newline = lines.size();
    std::string_view line = lines.substr(0, newline);
    lines.remove_prefix(std::min(lines.size(), newline + 1));
    if (line.substr(0, kEmDashSpace.size()) != kEmDashSpace) continue;
    line.remove_prefix(kEmDashSpace.size());
    const size_t space = line.find(' ');
    if (space == std::string_view::npos || line.substr(0, space) != key.key_name) continue;
    StatusOr<std::string> blob = crypto::Base64Decode(line.substr(space + 1));
    if (!blob.ok() || blob->size() < 4) continue;
    uint32_t id = 0;
    for (int i = 0; i < 4; ++i) id = id << 8 | static_cast<unsigned char>((*blob)[i]);
    if (id == key.key_id) return true;
  }
  return false;
}

std::string Range(uint64_t begin, uint64_t end) {
  if (end <= begin) return "no entries";
  if (end - begin == 1) return "entry " + std::to_string(begin);
  return "entries " + std::to_string(begin) + ".." + std::to_string(end - 1);
}

}  // namespace

StatusOr<OpenedCheckpoint> OpenCheckpoint(std::string_view note,
                                          const std::vector<NoteVerifier>& keys,
                                          std::string_view expected_origin) {
  if (keys.empty()) return Status::InvalidArgument("keys", "no trusted verifier key");
  for (const NoteVerifier& key : keys) {
    if (!NamesKey(note, key)) continue;
    // C2SP: a bad signature by a trusted key rejects the note, whatever else signed it.
    ASSIGN_OR_RETURN(Checkpoint checkpoint, VerifyCheckpoint(note, key));
    const std::string_view origin = expected_origin.empty() ? key.key_name : expected_origin;
    if (checkpoint.origin != origin) {
      return Status::InvalidArgument("origin", "checkpoint origin \"" + checkpoint.origin +
                                                   "\" is not the log's origin \"" +
                                                   std::string(origin) + "\"");
    }
    return OpenedCheckpoint{std::move(checkpoint), &key};
  }
  // Either malformed (VerifyNote says how) or signed only by keys we do not trust.
  StatusOr<std::string> body = VerifyNote(note, keys.front());
  if (!body.ok() && body.status().message().rfind("malformed", 0) == 0) return body.status();
  std::string trusted;
  for (const NoteVerifier& key : keys) trusted += (trusted.empty() ? "" : ", ") + KeyLabel(key);
  return Status::InvalidArgument("note", "not signed by a trusted key (trusted: " + trusted + ")");
}

LogVerifier::LogVerifier(LogVerifierOptions options)
    : options_(std::move(options)),
      root_(EmptyRootHash()),
      key_used_(options_.trusted_keys.size(), false) {}

bool LogVerifier::Fail(uint64_t index, std::string message, std::optional<MismatchRange> range) {
  if (failure_ && index >= failure_->index) return false;
  failure_ = LogFailure{index, std::move(message), std::move(range)};
  return true;
}

void LogVerifier::ReportFailure(uint64_t index, std::string message) {
  Fail(index, std::move(message));
}

bool LogVerifier::done() const { return finished_ || (failure_ && failure_->index <= size_); }

void LogVerifier::AddEntry(uint64_t index, std::string_view bytes,
                           const std::optional<Hash>& claimed_leaf_hash) {
  if (done()) return;
  if (index > size_) {
    Fail(size_, "index " + std::to_string(size_) + " missing (the next entry has index " +
                    std::to_string(index) + ")");
    return;
  }
  if (index < size_) {
    Fail(index, "entry " + std::to_string(index) + " appears again after entry " +
                    std::to_string(size_ - 1) + " (entries repeated or out of order)");
    return;
  }
  StatusOr<EntryDraft> decoded = DecodeEntry(bytes);
  if (!decoded.ok()) {
    Fail(index, "entry bytes are not a well-formed canonical entry: " + decoded.status().message());
    return;
  }
  const Hash leaf = LeafHash(bytes);
  if (claimed_leaf_hash && *claimed_leaf_hash != leaf) {
    Fail(index, "leaf hash does not match the entry bytes");
    return;
  }
  StatusOr<AppendResult> appended = AppendLeaves(size_, frontier_, {leaf});
  if (!appended.ok()) {  // only when the log would outgrow 64 bits
    Fail(index, "cannot append: " + appended.status().message());
    return;
  }
  // Every node this entry completes ends at this index, which is where the stored tree first
  // disagrees with the entries. The leaf (level 0) comes first, so a changed entry is named as
  // such rather than through the ancestors its change also breaks.
  for (const auto& [id, hash] : appended->nodes) {
    const std::string name = "stored tree node (level " + std::to_string(id.level) + ", index " +
                             std::to_string(id.index) + ") over " +
                             Range(id.index << id.level, (id.index + 1) << id.level);
    auto claimed = claimed_nodes_.find(id);
    if (claimed == claimed_nodes_.end()) {
      if (options_.require_stored_nodes) Fail(index, name + " is missing");
      continue;
    }
    if (claimed->second != hash) Fail(index, name + " does not match the entries");
    claimed_nodes_.erase(claimed);
  }
  // A node of this entry failed: that is the disagreement, not the checkpoints it breaks.
  if (done()) return;
  if (!retained_overflow_) {
    if (retained_.size() < kMaxRetainedLeaves) {
      retained_.push_back(leaf);
    } else {
      retained_overflow_ = true;
      retained_.clear();
      retained_.shrink_to_fit();
    }
  }
  size_ += 1;
  root_ = std::move(appended->root);
  frontier_ = std::move(appended->frontier);
  covered_below_ = covered_size_;
  CheckDueHeads();
}

void LogVerifier::ClaimNodes(const std::vector<std::pair<NodeId, Hash>>& nodes) {
  if (done()) return;
  for (const auto& [id, hash] : nodes) {
    // Nodes complete when their last leaf arrives: only those still to come can be compared.
    if (id.level < 0 || id.level > 63) continue;
    if (((id.index + 1) << id.level) <= size_) continue;
    claimed_nodes_[id] = hash;
  }
}

std::optional<OpenedCheckpoint> LogVerifier::AddCheckpoint(std::string_view note,
                                                           const CheckpointClaims& claims) {
  if (done()) return std::nullopt;
  const uint64_t previous = last_checkpoint_size_.value_or(0);
  const std::string after =
      last_checkpoint_size_ ? "after size " + std::to_string(previous) : "first";
  const std::string row =
      claims.size ? " (stored as size " + std::to_string(*claims.size) + ")" : "";
  StatusOr<OpenedCheckpoint> opened =
      OpenCheckpoint(note, options_.trusted_keys, options_.expected_origin);
  if (!opened.ok()) {
    Fail(previous, "checkpoint " + after + row + ": " + opened.status().message());
    return std::nullopt;
  }
  const Checkpoint& c = opened->checkpoint;
  const std::string what = "checkpoint of size " + std::to_string(c.size);
  if (last_checkpoint_size_ && c.size <= previous) {
    Fail(c.size, what + " follows the checkpoint of size " + std::to_string(previous) +
                     ": checkpoint sizes must strictly increase");
    return std::nullopt;
  }
  if (claims.size && *claims.size != c.size) {
    Fail(std::min(previous, *claims.size),
         "checkpoint stored as size " + std::to_string(*claims.size) +
             " holds a signed note for size " + std::to_string(c.size));
    return std::nullopt;
  }
  if (claims.root && *claims.root != c.root) {
    Fail(previous, what + ": the stored root differs from the signed one");
    return std::nullopt;
  }
  if (claims.key_id && *claims.key_id != opened->key->key_id) {
    Fail(previous, what + ": stored with key id " + std::to_string(*claims.key_id) +
                       " but signed by " + KeyLabel(*opened->key));
    return std::nullopt;
  }
  if (c.size < size_) {
    // The caller's contract: a checkpoint comes before the entries it covers.
    Fail(c.size, what + " was given after the entries it covers");
    return std::nullopt;
  }
  last_checkpoint_size_ = c.size;
  key_used_[static_cast<size_t>(opened->key - options_.trusted_keys.data())] = true;
  pending_.emplace(c.size, Expected{c.root, what, true, true});
  CheckDueHeads();
  return std::move(opened).value();
}

void LogVerifier::ExpectHead(uint64_t size, const Hash& root, std::string what, bool signed_root) {
  if (done()) return;
  if (size < size_) {
    Fail(size, what + " was given after the entries it covers");
    return;
  }
  pending_.emplace(size, Expected{root, std::move(what), false, signed_root});
  CheckDueHeads();
}

void LogVerifier::CheckDueHeads() {
  while (!pending_.empty() && pending_.begin()->first <= size_) {
    auto head = pending_.begin();
    if (head->first == size_ && head->second.root != root_) {
      const std::string where = size_ == 0
                                    ? "the empty tree's root is SHA-256(\"\")"
                                    : "the disagreement is in " + Range(covered_below_, size_) +
                                          " (since the last good checkpoint)";
      // Only a signed root is worth proofs against: an unsigned head proves nothing.
      std::optional<MismatchRange> range;
      if (head->second.signed_root && size_ > 0) {
        range = MismatchRange{size_, head->second.root};
      }
      Fail(covered_below_,
           head->second.what + " has a root that does not match the entries; " + where,
           std::move(range));
    } else if (head->first == size_ && head->second.counted) {
      checkpoints_checked_ += 1;
      covered_size_ = std::max(covered_size_, size_);
      retained_begin_ = size_;
      retained_.clear();
      retained_overflow_ = false;
    }
    pending_.erase(head);
  }
}

std::vector<Hash> LogVerifier::RangeLeaves() const {
  if (!failure_ || !failure_->range || retained_overflow_ || retained_begin_ != failure_->index ||
      retained_.size() < failure_->range->end - failure_->index) {
    return {};
  }
  return std::vector<Hash>(
      retained_.begin(),
      retained_.begin() + static_cast<std::ptrdiff_t>(failure_->range->end - failure_->index));
}

void LogVerifier::RefineFailure(uint64_t index, std::string message) {
  if (!failure_ || !failure_->range || index < failure_->index || index >= failure_->range->end) {
    return;
  }
  failure_ = LogFailure{index, std::move(message), std::nullopt};
}

void LogVerifier::Finish() {
  if (finished_) return;
  if (!done() && !pending_.empty()) {
    const auto& [size, head] = *pending_.begin();
    Fail(size_, "index " + std::to_string(size_) + " missing: " + head.what + " covers " +
                    std::to_string(size) + " entries but the log has only " +
                    std::to_string(size_));
  }
  finished_ = true;
}

std::vector<std::string> LogVerifier::keys_used() const {
  std::vector<std::string> labels;
  for (size_t i = 0; i < key_used_.size(); ++i) {
    if (key_used_[i]) labels.push_back(KeyLabel(options_.trusted_keys[i]));
  }
  return labels;
}

}  // namespace restitution::ledger
