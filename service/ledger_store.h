// The ledger's storage in MariaDB (schema: service/migrations/0002_ledger.sql). Business
// operations call AppendLedgerEntry inside their own transaction; the sequencer
// (ledger_sequencer.h) later gives queued entries their index. Everything else here reads.
#ifndef RESTITUTION_SERVICE_LEDGER_STORE_H_
#define RESTITUTION_SERVICE_LEDGER_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "service/db_connection.h"
#include "service/service_keys.h"

namespace restitution {

// An entry queued by a business transaction, not yet in the tree.
struct QueuedEntry {
  int64_t queue_id = 0;
  ledger::Hash leaf_hash;
};

// What a caller gets back once its entry is sequenced.
struct LedgerReceipt {
  uint64_t index = 0;
  ledger::Hash leaf_hash;
};

// Encodes the entry and queues it in the caller's transaction. Internal (a bug of ours: every
// draft is built by our own code) when the draft does not encode.
StatusOr<QueuedEntry> AppendLedgerEntry(DbConnection& db, const ledger::EntryDraft& draft);

// A keyed commitment to a piece of personal data, as the ledger records it: lowercase hex of
// HMAC-SHA256(index key, "commit:" kind ":" value). Stable for a deployment, so the same
// person is recognisable across entries; meaningless without the key, so the log can be
// published and the data erased off it.
std::string LedgerCommitment(const ServiceKeys& keys, std::string_view kind,
                             std::string_view value);

// A stored 32-byte hash column; Internal when the stored value has another length.
StatusOr<ledger::Hash> HashColumn(const SqlRow& row, size_t column, const char* what);

// The receipt of a queued entry, or nullopt while it waits in the queue.
StatusOr<std::optional<LedgerReceipt>> FindReceipt(DbConnection& db, int64_t queue_id);

// Where an entry stands for the people holding its receipt: sequenced (index known) or still
// waiting in the queue (no index yet), with its leaf hash.
struct ReceiptStatus {
  std::optional<uint64_t> index;
  ledger::Hash leaf_hash;
};
// By the queue id a change recorded; nullopt when it names nothing.
StatusOr<std::optional<ReceiptStatus>> ReceiptOfQueued(DbConnection& db, int64_t queue_id);
// By leaf hash (what a receipt carries), so a receipt handed out while its entry was still
// queued can learn its index later; nullopt when no entry has that hash.
StatusOr<std::optional<ReceiptStatus>> ReceiptOfLeafHash(DbConnection& db,
                                                         const ledger::Hash& leaf_hash);
// The API's receipt object: {"ledger_index": i | null, "leaf_hash": base64, "pending": true?}.
nlohmann::json ReceiptStatusJson(const ReceiptStatus& receipt);
// ReceiptOfQueued as that object, or null when the queue id names nothing.
StatusOr<nlohmann::json> ReceiptJson(DbConnection& db, int64_t queue_id);

struct TreeHead {
  uint64_t size = 0;
  ledger::Hash root;
};
// The current head (not locked: a snapshot for readers).
StatusOr<TreeHead> ReadTreeHead(DbConnection& db);

// Reads stored perfect subtrees, one query per GetNodes call.
class DbNodeSource : public ledger::NodeSource {
 public:
  explicit DbNodeSource(DbConnection& db) : db_(db) {}
  StatusOr<std::vector<ledger::Hash>> GetNodes(const std::vector<ledger::NodeId>& ids) override;

 private:
  DbConnection& db_;
};

struct InclusionProofView {
  uint64_t index = 0;
  uint64_t size = 0;
  ledger::Hash leaf_hash;
  std::vector<ledger::Hash> hashes;
};
// InvalidArgument naming "size" when size exceeds the tree, "index" when index >= size.
StatusOr<InclusionProofView> ReadInclusionProof(DbConnection& db, uint64_t index, uint64_t size);

// The proof from `from` to `to` (empty when from is 0 or equals to). InvalidArgument naming
// "to" when to exceeds the tree, "from" when from > to.
StatusOr<std::vector<ledger::Hash>> ReadConsistencyProof(DbConnection& db, uint64_t from,
                                                         uint64_t to);

struct StoredEntry {
  uint64_t index = 0;
  std::string bytes;
  ledger::Hash leaf_hash;
};
// Entries [start, start + limit) that exist, in index order. limit is at most kMaxEntriesPage.
constexpr int kMaxEntriesPage = 1000;
StatusOr<std::vector<StoredEntry>> ReadEntries(DbConnection& db, uint64_t start, int limit);

struct StoredCheckpoint {
  uint64_t size = 0;
  ledger::Hash root;
  uint32_t key_id = 0;
  std::string note;
  int64_t signed_at_ms = 0;
};
StatusOr<std::optional<StoredCheckpoint>> ReadLatestCheckpoint(DbConnection& db);
// Checkpoints with size >= start_size, smallest first; limit at most kMaxEntriesPage.
StatusOr<std::vector<StoredCheckpoint>> ReadCheckpoints(DbConnection& db, uint64_t start_size,
                                                        int limit);

struct StoredVerifierKey {
  uint32_t key_id = 0;
  std::string verifier_key;
  int64_t first_used_at_ms = 0;
  std::optional<int64_t> retired_at_ms;
};
// Every key that ever signed, the current one first.
StatusOr<std::vector<StoredVerifierKey>> ReadVerifierKeys(DbConnection& db);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_LEDGER_STORE_H_
