#include "service/ledger_store.h"

#include <algorithm>

#include "crypto/encoding.h"
#include "crypto/hmac.h"

namespace restitution {
namespace {

// "(level = ? AND idx = ?) OR ..." for n nodes: the range optimiser turns this into n point
// lookups on the primary key. The text depends only on n, never on input.
std::string NodeLookupSql(size_t n) {
  std::string sql = "SELECT level, idx, hash FROM ledger_nodes WHERE ";
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) sql += " OR ";
    sql += "(level = ? AND idx = ?)";
  }
  return sql;
}

StoredCheckpoint CheckpointFromRow(const SqlRow& row) {
  StoredCheckpoint c;
  c.size = static_cast<uint64_t>(row.Int(0));
  c.root = row.Bytes(1);
  c.key_id = static_cast<uint32_t>(row.Int(2));
  c.note = row.Bytes(3);
  c.signed_at_ms = row.Int(4);
  return c;
}

}  // namespace

StatusOr<ledger::Hash> HashColumn(const SqlRow& row, size_t column, const char* what) {
  const std::string& bytes = row.Bytes(column);
  if (bytes.size() != ledger::kHashSize) {
    return Status::Internal(std::string("stored ") + what + " is not 32 bytes");
  }
  return bytes;
}

StatusOr<QueuedEntry> AppendLedgerEntry(DbConnection& db, const ledger::EntryDraft& draft) {
  StatusOr<std::string> bytes = ledger::EncodeEntry(draft);
  if (!bytes.ok()) {
    // A draft is built by our own code: one that does not encode is a bug, not bad input.
    return Status::Internal("ledger entry " + draft.type +
                            " does not encode: " + bytes.status().ToString());
  }
  QueuedEntry queued;
  queued.leaf_hash = ledger::LeafHash(*bytes);
  ASSIGN_OR_RETURN(queued.queue_id,
                   db.Insert("INSERT INTO ledger_queue (entry, leaf_hash, queued_at_ms) "
                             "VALUES (?, ?, ?)",
                             {*bytes, queued.leaf_hash, draft.at_ms}));
  return queued;
}

std::string LedgerCommitment(const ServiceKeys& keys, std::string_view kind,
                             std::string_view value) {
  return crypto::HexEncode(keys.BlindIndex("commit:" + std::string(kind), value));
}

StatusOr<std::optional<LedgerReceipt>> FindReceipt(DbConnection& db, int64_t queue_id) {
  ASSIGN_OR_RETURN(
      SqlRows rows,
      db.Query("SELECT idx, leaf_hash FROM ledger_entries WHERE queue_id = ?", {queue_id}));
  if (rows.empty()) return std::optional<LedgerReceipt>();
  ASSIGN_OR_RETURN(ledger::Hash leaf_hash, HashColumn(rows[0], 1, "leaf hash"));
  return std::optional<LedgerReceipt>(
      LedgerReceipt{static_cast<uint64_t>(rows[0].Int(0)), std::move(leaf_hash)});
}

StatusOr<std::optional<ReceiptStatus>> ReceiptOfQueued(DbConnection& db, int64_t queue_id) {
  ASSIGN_OR_RETURN(std::optional<LedgerReceipt> sequenced, FindReceipt(db, queue_id));
  if (sequenced)
    return std::optional<ReceiptStatus>(ReceiptStatus{sequenced->index, sequenced->leaf_hash});
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT leaf_hash FROM ledger_queue WHERE id = ?", {queue_id}));
  if (rows.empty()) return std::optional<ReceiptStatus>();
  ASSIGN_OR_RETURN(ledger::Hash leaf_hash, HashColumn(rows[0], 0, "queued leaf hash"));
  return std::optional<ReceiptStatus>(ReceiptStatus{std::nullopt, std::move(leaf_hash)});
}

StatusOr<std::optional<ReceiptStatus>> ReceiptOfLeafHash(DbConnection& db,
                                                         const ledger::Hash& leaf_hash) {
  const std::string hash(leaf_hash.begin(), leaf_hash.end());
  ASSIGN_OR_RETURN(
      SqlRows rows,
      db.Query("SELECT idx FROM ledger_entries WHERE leaf_hash = ? ORDER BY idx LIMIT 1", {hash}));
  if (!rows.empty()) {
    return std::optional<ReceiptStatus>(
        ReceiptStatus{static_cast<uint64_t>(rows[0].Int(0)), leaf_hash});
  }
  // The queue holds only what the sequencer has not taken yet: a few rows, drained in ms.
  ASSIGN_OR_RETURN(rows,
                   db.Query("SELECT id FROM ledger_queue WHERE leaf_hash = ? LIMIT 1", {hash}));
  if (rows.empty()) return std::optional<ReceiptStatus>();
  return std::optional<ReceiptStatus>(ReceiptStatus{std::nullopt, leaf_hash});
}

nlohmann::json ReceiptStatusJson(const ReceiptStatus& receipt) {
  nlohmann::json json = {
      {"ledger_index", receipt.index ? nlohmann::json(*receipt.index) : nlohmann::json(nullptr)},
      {"leaf_hash", crypto::Base64Encode(receipt.leaf_hash)}};
  if (!receipt.index) json["pending"] = true;
  return json;
}

StatusOr<nlohmann::json> ReceiptJson(DbConnection& db, int64_t queue_id) {
  ASSIGN_OR_RETURN(std::optional<ReceiptStatus> receipt, ReceiptOfQueued(db, queue_id));
  return receipt ? ReceiptStatusJson(*receipt) : nlohmann::json(nullptr);
}

StatusOr<TreeHead> ReadTreeHead(DbConnection& db) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT size, root FROM ledger_head WHERE id = 1"));
  if (rows.empty()) return Status::Internal("ledger_head row is missing");
  TreeHead head;
  head.size = static_cast<uint64_t>(rows[0].Int(0));
  ASSIGN_OR_RETURN(head.root, HashColumn(rows[0], 1, "root"));
  return head;
}

StatusOr<std::vector<ledger::Hash>> DbNodeSource::GetNodes(const std::vector<ledger::NodeId>& ids) {
  std::vector<ledger::Hash> hashes(ids.size());
  if (ids.empty()) return hashes;
  // RangeDecomposition never yields more than 128 ids; the statement cache stays small.
  if (ids.size() > 2 * 64 + 2) return Status::Internal("too many nodes in one lookup");
  std::vector<SqlParam> params;
  params.reserve(ids.size() * 2);
  for (const ledger::NodeId& id : ids) {
    params.emplace_back(static_cast<int64_t>(id.level));
    params.emplace_back(static_cast<int64_t>(id.index));
  }
  ASSIGN_OR_RETURN(SqlRows rows, db_.Query(NodeLookupSql(ids.size()), params));
  std::vector<bool> found(ids.size(), false);
  for (const SqlRow& row : rows) {
    const ledger::NodeId id{static_cast<int>(row.Int(0)), static_cast<uint64_t>(row.Int(1))};
    ASSIGN_OR_RETURN(ledger::Hash hash, HashColumn(row, 2, "node hash"));
    // The same node may be asked for twice; fill every slot that names it.
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] == id) {
        hashes[i] = hash;
        found[i] = true;
      }
    }
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (!found[i]) {
      return Status::Internal("ledger node (" + std::to_string(ids[i].level) + ", " +
                              std::to_string(ids[i].index) + ") is missing");
    }
  }
  return hashes;
}

StatusOr<InclusionProofView> ReadInclusionProof(DbConnection& db, uint64_t index, uint64_t size) {
  ASSIGN_OR_RETURN(TreeHead head, ReadTreeHead(db));
  if (size > head.size) {
    return Status::InvalidArgument("size", "exceeds the tree size " + std::to_string(head.size));
  }
  if (index >= size) return Status::InvalidArgument("index", "must be less than size");
  DbNodeSource source(db);
  InclusionProofView view;
  view.index = index;
  view.size = size;
  ASSIGN_OR_RETURN(std::vector<ledger::Hash> leaf, source.GetNodes({ledger::NodeId{0, index}}));
  view.leaf_hash = leaf[0];
  ASSIGN_OR_RETURN(view.hashes, ledger::InclusionProof(source, index, size));
  return view;
}

StatusOr<std::vector<ledger::Hash>> ReadConsistencyProof(DbConnection& db, uint64_t from,
                                                         uint64_t to) {
  ASSIGN_OR_RETURN(TreeHead head, ReadTreeHead(db));
  if (to > head.size) {
    return Status::InvalidArgument("to", "exceeds the tree size " + std::to_string(head.size));
  }
  if (from > to) return Status::InvalidArgument("from", "must not exceed to");
  // The empty tree is a prefix of every tree: its proof is empty (RFC 9162 leaves m = 0 out).
  if (from == 0 || from == to) return std::vector<ledger::Hash>();
  DbNodeSource source(db);
  return ledger::ConsistencyProof(source, from, to);
}

StatusOr<std::vector<StoredEntry>> ReadEntries(DbConnection& db, uint64_t start, int limit) {
  limit = std::clamp(limit, 0, kMaxEntriesPage);
  std::vector<StoredEntry> entries;
  if (limit == 0) return entries;
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT idx, entry, leaf_hash FROM ledger_entries "
                                          "WHERE idx >= ? ORDER BY idx LIMIT ?",
                                          {static_cast<int64_t>(start), limit}));
  entries.reserve(rows.size());
  for (const SqlRow& row : rows) {
    StoredEntry entry;
    entry.index = static_cast<uint64_t>(row.Int(0));
    entry.bytes = row.Bytes(1);
    entry.leaf_hash = row.Bytes(2);
    entries.push_back(std::move(entry));
  }
  return entries;
}

StatusOr<std::optional<StoredCheckpoint>> ReadLatestCheckpoint(DbConnection& db) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT size, root, key_id, note, signed_at_ms FROM "
                                          "ledger_checkpoints ORDER BY size DESC LIMIT 1"));
  if (rows.empty()) return std::optional<StoredCheckpoint>();
  return std::optional<StoredCheckpoint>(CheckpointFromRow(rows[0]));
}

StatusOr<std::vector<StoredCheckpoint>> ReadCheckpoints(DbConnection& db, uint64_t start_size,
                                                        int limit) {
  limit = std::clamp(limit, 0, kMaxEntriesPage);
  std::vector<StoredCheckpoint> checkpoints;
  if (limit == 0) return checkpoints;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT size, root, key_id, note, signed_at_ms FROM "
                            "ledger_checkpoints WHERE size >= ? ORDER BY size LIMIT ?",
                            {static_cast<int64_t>(start_size), limit}));
  checkpoints.reserve(rows.size());
  for (const SqlRow& row : rows) checkpoints.push_back(CheckpointFromRow(row));
  return checkpoints;
}

StatusOr<std::vector<StoredVerifierKey>> ReadVerifierKeys(DbConnection& db) {
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT key_id, verifier_key, first_used_at_ms, retired_at_ms FROM "
                            "ledger_keys ORDER BY (retired_at_ms IS NULL) DESC, "
                            "first_used_at_ms DESC LIMIT 1000"));
  std::vector<StoredVerifierKey> keys;
  for (const SqlRow& row : rows) {
    keys.push_back(StoredVerifierKey{static_cast<uint32_t>(row.Int(0)), row.Bytes(1), row.Int(2),
                                     row.OptionalInt(3)});
  }
  return keys;
}

}  // namespace restitution
