// The sequencer against a real MariaDB: entries queued by business transactions
// (AppendLedgerEntry in RunInTransaction) get gapless indices in queue order, the stored tree
// matches an independent recomputation (ledger::MemoryTree), proofs read from the database
// verify, checkpoints verify with the public key alone, a tampered tree is never signed, and
// many threads in two processes still build one gapless log.
#include "service/ledger_sequencer.h"

#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/memory_tree.h"
#include "ledger/merkle.h"
#include "service/clock.h"
#include "service/connection_pool.h"
#include "service/ledger_store.h"
#include "service/transaction.h"
#include "tests/service/ledger_test_util.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::AppendInTransaction;
using testing::ChildProcess;
using testing::CountRows;
using testing::DecodeDbConfig;
using testing::DieWithParent;
using testing::EncodeDbConfig;
using testing::ExpectLedgerIsConsistent;
using testing::kLedgerTestOrigin;
using testing::LedgerContents;
using testing::LedgerTestDraft;
using testing::LedgerTestKey;
using testing::MustSucceed;
using testing::MustValue;
using testing::ReadAll;
using testing::ReadWholeLedger;
using testing::SequenceAll;
using testing::SequenceOnce;
using testing::TestDatabase;
using testing::WriteAll;

constexpr int64_t kStartMs = 1790000000000;
constexpr char kEmptySha256Hex[] =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

SequencerOptions Options(int max_batch, int checkpoint_interval_ms) {
  SequencerOptions options;
  options.max_batch = max_batch;
  options.checkpoint_interval_ms = checkpoint_interval_ms;
  return options;
}

class LedgerSequencerTest : public ::testing::Test {
 protected:
  LedgerSequencerTest()
      : signer_(kLedgerTestOrigin, LedgerTestKey('k')),
        verifier_(MustValue(ledger::ParseVerifierKey(signer_.verifier_key()))),
        db_(tdb_.Connect()) {}

  // Queues `count` entries, each in its own committed business transaction, in this order.
  std::vector<QueuedEntry> Queue(int count) {
    std::vector<QueuedEntry> queued;
    for (int i = 0; i < count; ++i) {
      const ledger::EntryDraft draft = LedgerTestDraft({{"n", appended_}}, kStartMs + appended_);
      bytes_.push_back(MustValue(ledger::EncodeEntry(draft)));
      ++appended_;
      queued.push_back(MustValue(AppendInTransaction(tdb_.pool(), draft)));
    }
    return queued;
  }

  BatchResult Batch(int64_t now_ms, const SequencerOptions& options = {}) {
    return MustValue(SequenceOnce(tdb_.pool(), signer_, now_ms, options));
  }

  // MTH of the first `size` queued entries, from their bytes.
  ledger::Hash Root(size_t size) const {
    ledger::MemoryTree tree;
    for (size_t i = 0; i < size; ++i) tree.Append(ledger::LeafHash(bytes_[i]));
    return tree.Root();
  }

  std::vector<uint64_t> CheckpointSizes() {
    std::vector<uint64_t> sizes;
    for (const StoredCheckpoint& c : MustValue(ReadCheckpoints(*db_, 0, kMaxEntriesPage))) {
      sizes.push_back(c.size);
    }
    return sizes;
  }

  void Exec(const std::string& sql, const std::vector<SqlParam>& params) {
    ASSERT_EQ(MustValue(db_->Exec(sql, params)), 1) << sql;
  }

  ledger::NoteSigner signer_;
  ledger::NoteVerifier verifier_;
  TestDatabase tdb_;
  std::unique_ptr<DbConnection> db_;
  std::vector<std::string> bytes_;  // every queued entry's bytes, in queue order
  int64_t appended_ = 0;
};

TEST_F(LedgerSequencerTest, FirstBatchOnAnEmptyLogSignsTheEmptyTree) {
  const BatchResult batch = Batch(kStartMs);
  EXPECT_TRUE(batch.entries.empty());
  EXPECT_EQ(batch.tree_size, 0u);
  EXPECT_FALSE(batch.more_waiting);
  ASSERT_TRUE(batch.signed_size.has_value());
  EXPECT_EQ(*batch.signed_size, 0u);

  const std::optional<StoredCheckpoint> latest = MustValue(ReadLatestCheckpoint(*db_));
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->size, 0u);
  EXPECT_EQ(latest->root, crypto::Sha256(""));
  EXPECT_EQ(crypto::HexEncode(latest->root), kEmptySha256Hex);
  EXPECT_EQ(latest->key_id, signer_.key_id());
  EXPECT_EQ(latest->signed_at_ms, kStartMs);
  const ledger::Checkpoint verified = MustValue(ledger::VerifyCheckpoint(latest->note, verifier_));
  EXPECT_EQ(verified.origin, kLedgerTestOrigin);
  EXPECT_EQ(verified.size, 0u);
  EXPECT_EQ(verified.root, crypto::Sha256(""));

  // The signing key is published for verifiers.
  const std::vector<StoredVerifierKey> keys = MustValue(ReadVerifierKeys(*db_));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key_id, signer_.key_id());
  EXPECT_EQ(keys[0].verifier_key, signer_.verifier_key());
  EXPECT_EQ(keys[0].first_used_at_ms, kStartMs);
  EXPECT_FALSE(keys[0].retired_at_ms.has_value());

  // Nothing new: nothing more to sign.
  const BatchResult idle = Batch(kStartMs + 60000);
  EXPECT_TRUE(idle.entries.empty());
  EXPECT_FALSE(idle.signed_size.has_value());
  EXPECT_EQ(CountRows(*db_, "ledger_checkpoints"), 1);
  EXPECT_EQ(CountRows(*db_, "ledger_keys"), 1);
}

TEST_F(LedgerSequencerTest, BatchIndexesTheQueueInOrderAndSignsTheDrainedTree) {
  Batch(kStartMs);  // the empty tree's checkpoint
  const std::vector<QueuedEntry> queued = Queue(10);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 10);
  EXPECT_EQ(CountRows(*db_, "ledger_entries"), 0);

  const BatchResult batch = Batch(kStartMs + 1000);
  ASSERT_EQ(batch.entries.size(), 10u);
  for (size_t i = 0; i < queued.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(queued[i - 1].queue_id, queued[i].queue_id);
    }
    EXPECT_EQ(queued[i].leaf_hash, ledger::LeafHash(bytes_[i]));
    EXPECT_EQ(batch.entries[i].queue_id, queued[i].queue_id);
    EXPECT_EQ(batch.entries[i].receipt.index, i);
    EXPECT_EQ(batch.entries[i].receipt.leaf_hash, queued[i].leaf_hash);
    // The receipt a request would read back later.
    const std::optional<LedgerReceipt> receipt = MustValue(FindReceipt(*db_, queued[i].queue_id));
    ASSERT_TRUE(receipt.has_value());
    EXPECT_EQ(receipt->index, i);
    EXPECT_EQ(receipt->leaf_hash, queued[i].leaf_hash);
  }
  EXPECT_EQ(batch.tree_size, 10u);
  EXPECT_FALSE(batch.more_waiting);
  ASSERT_TRUE(batch.signed_size.has_value());
  EXPECT_EQ(*batch.signed_size, 10u);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);

  // The stored entries are the queued bytes, untouched, in queue order.
  const std::vector<StoredEntry> entries = MustValue(ReadEntries(*db_, 0, kMaxEntriesPage));
  ASSERT_EQ(entries.size(), 10u);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(entries[i].index, i);
    EXPECT_EQ(entries[i].bytes, bytes_[i]);
  }
  const TreeHead head = MustValue(ReadTreeHead(*db_));
  EXPECT_EQ(head.size, 10u);
  EXPECT_EQ(head.root, Root(10));

  const std::optional<StoredCheckpoint> latest = MustValue(ReadLatestCheckpoint(*db_));
  ASSERT_TRUE(latest.has_value());
  const ledger::Checkpoint verified = MustValue(ledger::VerifyCheckpoint(latest->note, verifier_));
  EXPECT_EQ(verified.origin, kLedgerTestOrigin);
  EXPECT_EQ(verified.size, 10u);
  EXPECT_EQ(verified.root, Root(10));

  // The next batch continues where this one stopped.
  const std::vector<QueuedEntry> more = Queue(5);
  const BatchResult next = Batch(kStartMs + 2000);
  ASSERT_EQ(next.entries.size(), 5u);
  for (size_t i = 0; i < more.size(); ++i) {
    EXPECT_EQ(next.entries[i].queue_id, more[i].queue_id);
    EXPECT_EQ(next.entries[i].receipt.index, 10 + i);
  }
  ASSERT_TRUE(next.signed_size.has_value());
  EXPECT_EQ(*next.signed_size, 15u);
  EXPECT_EQ(CheckpointSizes(), (std::vector<uint64_t>{0, 10, 15}));
  EXPECT_EQ(CountRows(*db_, "ledger_keys"), 1);
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerTest, FullBatchesLeaveMoreWaitingAndOnlyTheDrainingBatchSigns) {
  Batch(kStartMs);
  const std::vector<QueuedEntry> queued = Queue(10);
  const SequencerOptions options = Options(3, 3600 * 1000);
  const std::vector<size_t> expected_sizes = {3, 3, 3, 1};
  uint64_t next_index = 0;
  for (size_t b = 0; b < expected_sizes.size(); ++b) {
    const BatchResult batch = Batch(kStartMs + 10 + static_cast<int64_t>(b), options);
    ASSERT_EQ(batch.entries.size(), expected_sizes[b]) << "batch " << b;
    for (const SequencedEntry& entry : batch.entries) {
      EXPECT_EQ(entry.queue_id, queued[next_index].queue_id);
      EXPECT_EQ(entry.receipt.index, next_index);
      ++next_index;
    }
    EXPECT_EQ(batch.tree_size, next_index);
    const bool last = b + 1 == expected_sizes.size();
    EXPECT_EQ(batch.more_waiting, !last) << "batch " << b;
    EXPECT_EQ(batch.signed_size.has_value(), last) << "batch " << b;
  }
  EXPECT_EQ(CheckpointSizes(), (std::vector<uint64_t>{0, 10}));

  // Exactly max_batch waiting: one batch takes them all, and it is the draining one.
  Queue(3);
  const BatchResult exact = Batch(kStartMs + 100, options);
  EXPECT_EQ(exact.entries.size(), 3u);
  EXPECT_FALSE(exact.more_waiting);
  ASSERT_TRUE(exact.signed_size.has_value());
  EXPECT_EQ(*exact.signed_size, 13u);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

// Large entries (a distribution's allocation chunks are near the 64 KiB maximum) are sequenced
// in batches capped by bytes, so no INSERT outgrows the server's packet limit.
TEST_F(LedgerSequencerTest, LargeEntriesAreSequencedInBatchesCappedByBytes) {
  Batch(kStartMs);
  const std::string padding(60000, 'x');
  for (int i = 0; i < 150; ++i) {
    MustValue(AppendInTransaction(tdb_.pool(),
                                  LedgerTestDraft({{"i", i}, {"padding", padding}}, kStartMs)));
  }
  const std::vector<BatchResult> batches =
      MustValue(SequenceAll(tdb_.pool(), signer_, kStartMs + 10, Options(4096, 3600 * 1000)));
  size_t sequenced = 0;
  for (const BatchResult& batch : batches) {
    EXPECT_LE(batch.entries.size() * padding.size(), size_t{4} << 20);
    sequenced += batch.entries.size();
  }
  EXPECT_EQ(sequenced, 150u);
  EXPECT_GE(batches.size(), 3u);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerTest, UnderLoadAFullBatchSignsOnceTheIntervalHasPassed) {
  Batch(kStartMs);
  Queue(7);
  const SequencerOptions options = Options(2, 1000);
  struct Step {
    int64_t at_ms;
    bool more;
    std::optional<uint64_t> signed_size;
  };
  const std::vector<Step> steps = {
      {kStartMs + 999, true, std::nullopt},   // 999 ms since the last checkpoint
      {kStartMs + 1000, true, 4},             // the interval has passed
      {kStartMs + 1500, true, std::nullopt},  // 500 ms since size 4
      {kStartMs + 1600, false, 7},            // drained: always signed
  };
  for (const Step& step : steps) {
    const BatchResult batch = Batch(step.at_ms, options);
    EXPECT_EQ(batch.more_waiting, step.more) << step.at_ms - kStartMs;
    EXPECT_EQ(batch.signed_size, step.signed_size) << step.at_ms - kStartMs;
  }
  EXPECT_EQ(CheckpointSizes(), (std::vector<uint64_t>{0, 4, 7}));
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerTest, RolledBackBusinessTransactionLeavesNoQueueRowAndNoEntry) {
  int64_t rolled_back_id = 0;
  const Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(
        QueuedEntry queued,
        AppendLedgerEntry(db, LedgerTestDraft({{"outcome", "rolled_back"}}, kStartMs)));
    rolled_back_id = queued.queue_id;
    return Status::RuleViolated("amount", "over the limit");
  });
  EXPECT_EQ(status.code(), StatusCode::kRuleViolated);
  EXPECT_GT(rolled_back_id, 0);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);

  // A draft that does not encode fails the business transaction and queues nothing.
  ledger::EntryDraft malformed = LedgerTestDraft({{"n", 1}}, kStartMs);
  malformed.type = "Not Snake Case";
  const Status refused = RunInTransaction(
      tdb_.pool(), [&](DbConnection& db) { return AppendLedgerEntry(db, malformed).status(); });
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);

  const std::vector<QueuedEntry> kept = Queue(1);
  const BatchResult batch = Batch(kStartMs + 1000);
  ASSERT_EQ(batch.entries.size(), 1u);
  EXPECT_EQ(batch.entries[0].queue_id, kept[0].queue_id);
  EXPECT_EQ(batch.entries[0].receipt.index, 0u);
  EXPECT_FALSE(MustValue(FindReceipt(*db_, rolled_back_id)).has_value());
  const std::vector<StoredEntry> entries = MustValue(ReadEntries(*db_, 0, kMaxEntriesPage));
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].bytes, bytes_[0]);
  EXPECT_EQ(entries[0].bytes.find("rolled_back"), std::string::npos);
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerTest, ProofsFromTheDatabaseVerifyForEverySizeAndIndex) {
  constexpr size_t kEntries = 70;
  Queue(kEntries);
  // Irregular batches, every one signed (interval 0), so the tree grows through many shapes.
  uint64_t size = 0;
  for (int max_batch : {1, 2, 3, 5, 8, 13, 21, 17}) {
    const BatchResult batch = Batch(kStartMs + static_cast<int64_t>(size), Options(max_batch, 0));
    size += static_cast<uint64_t>(max_batch);
    ASSERT_EQ(batch.tree_size, size);
    ASSERT_EQ(batch.signed_size, std::optional<uint64_t>(size));
  }
  ASSERT_EQ(size, kEntries);
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);
  EXPECT_EQ(CheckpointSizes(), (std::vector<uint64_t>{1, 3, 6, 11, 19, 32, 53, 70}));

  std::vector<ledger::Hash> roots;
  {
    ledger::MemoryTree tree;
    roots.push_back(tree.Root());
    for (const std::string& bytes : bytes_) {
      tree.Append(ledger::LeafHash(bytes));
      roots.push_back(tree.Root());
    }
  }
  EXPECT_EQ(MustValue(ReadTreeHead(*db_)).root, roots[kEntries]);

  for (uint64_t n = 1; n <= kEntries; ++n) {
    for (uint64_t i = 0; i < n; ++i) {
      const InclusionProofView view = MustValue(ReadInclusionProof(*db_, i, n));
      ASSERT_EQ(view.index, i);
      ASSERT_EQ(view.size, n);
      ASSERT_EQ(view.leaf_hash, ledger::LeafHash(bytes_[i])) << i;
      ASSERT_TRUE(ledger::VerifyInclusion(i, n, view.leaf_hash, view.hashes, roots[n]))
          << "index " << i << " size " << n;
      // Not vacuous: the same proof does not place another leaf there.
      const uint64_t other = (i + 1) % n;
      if (other != i) {
        ASSERT_FALSE(
            ledger::VerifyInclusion(i, n, ledger::LeafHash(bytes_[other]), view.hashes, roots[n]))
            << "index " << i << " size " << n;
      }
    }
  }
  for (uint64_t to = 0; to <= kEntries; ++to) {
    for (uint64_t from = 0; from <= to; ++from) {
      const std::vector<ledger::Hash> proof = MustValue(ReadConsistencyProof(*db_, from, to));
      if (from == 0 || from == to) {
        ASSERT_TRUE(proof.empty()) << from << " -> " << to;
      }
      ASSERT_TRUE(ledger::VerifyConsistency(from, to, roots[from], roots[to], proof))
          << from << " -> " << to;
      if (from > 0 && from < to) {
        ASSERT_FALSE(ledger::VerifyConsistency(from, to, roots[from - 1], roots[to], proof))
            << from << " -> " << to;
      }
    }
  }

  const auto expect_invalid = [](const Status& status, const std::string& field) {
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
    EXPECT_EQ(status.field(), field) << status.ToString();
  };
  expect_invalid(ReadInclusionProof(*db_, 0, kEntries + 1).status(), "size");
  expect_invalid(ReadInclusionProof(*db_, kEntries + 5, kEntries + 1).status(), "size");
  expect_invalid(ReadInclusionProof(*db_, kEntries, kEntries).status(), "index");
  expect_invalid(ReadInclusionProof(*db_, 5, 5).status(), "index");
  expect_invalid(ReadInclusionProof(*db_, 0, 0).status(), "index");
  expect_invalid(ReadConsistencyProof(*db_, 1, kEntries + 1).status(), "to");
  expect_invalid(ReadConsistencyProof(*db_, 0, kEntries + 1).status(), "to");
  expect_invalid(ReadConsistencyProof(*db_, 5, 4).status(), "from");
  expect_invalid(ReadConsistencyProof(*db_, kEntries, kEntries - 1).status(), "from");
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

// Sequences 5 entries under a checkpoint, then queues one more: the state every tampering
// test starts from.
class LedgerSequencerTamperTest : public LedgerSequencerTest {
 protected:
  void SetUp() override {
    Batch(kStartMs);
    Queue(5);
    ASSERT_EQ(Batch(kStartMs + 1000).signed_size, std::optional<uint64_t>(5));
    Queue(1);
  }

  struct Snapshot {
    int64_t entries, nodes, checkpoints, queue, keys;
    uint64_t head_size;
    ledger::Hash head_root;
    std::string frontier;
  };
  Snapshot Take() {
    const TreeHead head = MustValue(ReadTreeHead(*db_));
    return Snapshot{
        CountRows(*db_, "ledger_entries"),
        CountRows(*db_, "ledger_nodes"),
        CountRows(*db_, "ledger_checkpoints"),
        CountRows(*db_, "ledger_queue"),
        CountRows(*db_, "ledger_keys"),
        head.size,
        head.root,
        MustValue(db_->Query("SELECT frontier FROM ledger_head WHERE id = 1"))[0].Bytes(0)};
  }

  // The next batch fails as Internal and, rolled back, leaves every table as it was: no
  // entry, no node, no checkpoint, the queued entry still queued.
  void ExpectRefusedAndNothingWritten(const SequencerOptions& options = {}) {
    const Snapshot before = Take();
    ASSERT_EQ(before.queue, 1);
    const StatusOr<BatchResult> batch =
        SequenceOnce(tdb_.pool(), signer_, kStartMs + 2000, options);
    ASSERT_FALSE(batch.ok()) << "signed size "
                             << (batch->signed_size ? std::to_string(*batch->signed_size) : "-");
    EXPECT_EQ(batch.status().code(), StatusCode::kInternal) << batch.status().ToString();
    const Snapshot after = Take();
    EXPECT_EQ(after.entries, before.entries);
    EXPECT_EQ(after.nodes, before.nodes);
    EXPECT_EQ(after.checkpoints, before.checkpoints);
    EXPECT_EQ(after.queue, 1);
    EXPECT_EQ(after.keys, before.keys);
    EXPECT_EQ(after.head_size, before.head_size);
    EXPECT_EQ(after.head_root, before.head_root);
    EXPECT_EQ(after.frontier, before.frontier);
    EXPECT_EQ(MustValue(ReadLatestCheckpoint(*db_))->size, 5u);
  }

  void CorruptNode(int level, int64_t index) {
    Exec("UPDATE ledger_nodes SET hash = ? WHERE level = ? AND idx = ?",
         {crypto::Sha256("forged node"), level, index});
  }
};

TEST_F(LedgerSequencerTamperTest, RefusesToSignWhenTheHeadRootWasRewritten) {
  Exec("UPDATE ledger_head SET root = ? WHERE id = 1", {crypto::Sha256("forged root")});
  ExpectRefusedAndNothingWritten();
}

TEST_F(LedgerSequencerTamperTest, RefusesToSignATreeGrownFromAForgedFrontier) {
  // A head rewritten consistently: a forged left subtree and the root it implies.
  const ledger::Hash forged = crypto::Sha256("forged subtree");
  const ledger::Hash leaf4 = ledger::LeafHash(bytes_[4]);
  Exec("UPDATE ledger_head SET root = ?, frontier = ? WHERE id = 1",
       {ledger::NodeHash(forged, leaf4), forged + leaf4});
  ExpectRefusedAndNothingWritten();
}

TEST_F(LedgerSequencerTamperTest, RefusesToExtendAForgedFrontierInAnUnsignedBatch) {
  // The same forgery under load: a full batch inside the checkpoint interval signs nothing,
  // yet it must not give indices on top of a head that no checkpoint can ever cover.
  const ledger::Hash forged = crypto::Sha256("forged subtree");
  const ledger::Hash leaf4 = ledger::LeafHash(bytes_[4]);
  Exec("UPDATE ledger_head SET root = ?, frontier = ? WHERE id = 1",
       {ledger::NodeHash(forged, leaf4), forged + leaf4});
  Queue(1);  // two waiting, one per batch: the first batch leaves more waiting
  const Snapshot before = Take();
  const StatusOr<BatchResult> batch =
      SequenceOnce(tdb_.pool(), signer_, kStartMs + 2000, Options(1, 3600 * 1000));
  ASSERT_FALSE(batch.ok()) << "sequenced up to " << batch->tree_size << ", more waiting "
                           << batch->more_waiting;
  EXPECT_EQ(batch.status().code(), StatusCode::kInternal) << batch.status().ToString();
  const Snapshot after = Take();
  EXPECT_EQ(after.entries, before.entries);
  EXPECT_EQ(after.nodes, before.nodes);
  EXPECT_EQ(after.queue, 2);
  EXPECT_EQ(after.head_size, 5u);
}

// Size 5 -> 6: the consistency proof is [leaf 4, leaf 5, node (2, 0)], so a forged node
// (2, 0) or leaf 4 under the last checkpoint must stop the signature.
TEST_F(LedgerSequencerTamperTest, RefusesToSignWhenASubtreeUnderTheCheckpointWasCorrupted) {
  CorruptNode(2, 0);
  ExpectRefusedAndNothingWritten();
}

TEST_F(LedgerSequencerTamperTest, RefusesToSignWhenALeafUnderTheCheckpointWasCorrupted) {
  CorruptNode(0, 4);
  ExpectRefusedAndNothingWritten();
}

TEST_F(LedgerSequencerTamperTest, UntamperedTreeIsSigned) {
  // The control for the tests above: the same state, untouched, signs size 6.
  const BatchResult batch = Batch(kStartMs + 2000);
  EXPECT_EQ(batch.signed_size, std::optional<uint64_t>(6));
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

// The background sequencer and its receipts.
class LedgerSequencerThreadTest : public LedgerSequencerTest {
 protected:
  std::unique_ptr<ConnectionPool> NewPool() {
    DbConfig config = tdb_.config();
    config.pool_size = 16;
    return std::make_unique<ConnectionPool>(config);
  }
  static SequencerOptions ThreadOptions() {
    SequencerOptions options;
    options.poll_interval_ms = 50;
    return options;
  }
};

TEST_F(LedgerSequencerThreadTest, AwaitReceiptGivesEachThreadItsIndexAndLeafHash) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::unique_ptr<ConnectionPool> pool = NewPool();
  LedgerSequencer sequencer(*pool, signer_, SystemNowMs, ThreadOptions());
  sequencer.Start();

  struct Outcome {
    QueuedEntry queued;
    std::optional<LedgerReceipt> receipt;
    std::string error;
  };
  std::vector<std::vector<Outcome>> outcomes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        Outcome outcome;
        StatusOr<QueuedEntry> queued =
            AppendInTransaction(*pool, LedgerTestDraft({{"t", t}, {"n", n}}, SystemNowMs()));
        if (!queued.ok()) {
          outcome.error = queued.status().ToString();
        } else {
          outcome.queued = *queued;
          StatusOr<std::optional<LedgerReceipt>> receipt =
              sequencer.AwaitReceipt(queued->queue_id, std::chrono::seconds(30));
          if (receipt.ok()) {
            outcome.receipt = *receipt;
          } else {
            outcome.error = receipt.status().ToString();
          }
        }
        outcomes[t].push_back(std::move(outcome));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  sequencer.Stop();

  std::set<uint64_t> indices;
  for (const std::vector<Outcome>& per_thread : outcomes) {
    for (const Outcome& outcome : per_thread) {
      ASSERT_TRUE(outcome.error.empty()) << outcome.error;
      ASSERT_TRUE(outcome.receipt.has_value()) << "queue id " << outcome.queued.queue_id;
      EXPECT_EQ(outcome.receipt->leaf_hash, outcome.queued.leaf_hash);
      EXPECT_TRUE(indices.insert(outcome.receipt->index).second) << outcome.receipt->index;
      const std::optional<LedgerReceipt> stored =
          MustValue(FindReceipt(*db_, outcome.queued.queue_id));
      ASSERT_TRUE(stored.has_value());
      EXPECT_EQ(stored->index, outcome.receipt->index);
      EXPECT_EQ(stored->leaf_hash, outcome.receipt->leaf_hash);
    }
  }
  ASSERT_EQ(indices.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*indices.begin(), 0u);
  EXPECT_EQ(*indices.rbegin(), static_cast<uint64_t>(kThreads * kPerThread - 1));
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);
  // The batch that drained the queue signed, so the whole log is covered.
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerThreadTest, AwaitReceiptFindsEntriesSequencedByAnotherProcess) {
  // Two pools on one database, as two restitutiond processes would have. Only the other
  // process runs its sequencer, so this one can only learn the receipt from the database.
  std::unique_ptr<ConnectionPool> here_pool = NewPool();
  std::unique_ptr<ConnectionPool> other_pool = NewPool();
  LedgerSequencer here(*here_pool, signer_, SystemNowMs, ThreadOptions());
  LedgerSequencer other(*other_pool, signer_, SystemNowMs, ThreadOptions());
  other.Start();
  for (int n = 0; n < 3; ++n) {
    const QueuedEntry queued =
        MustValue(AppendInTransaction(*here_pool, LedgerTestDraft({{"n", n}}, SystemNowMs())));
    const auto started = std::chrono::steady_clock::now();
    const std::optional<LedgerReceipt> receipt =
        MustValue(here.AwaitReceipt(queued.queue_id, std::chrono::seconds(10)));
    const auto waited = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(receipt.has_value()) << "entry " << n;
    EXPECT_EQ(receipt->index, static_cast<uint64_t>(n));
    EXPECT_EQ(receipt->leaf_hash, queued.leaf_hash);
    EXPECT_LT(waited, std::chrono::seconds(5));
  }
  other.Stop();
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 0);
  ExpectLedgerIsConsistent(*db_, ReadWholeLedger(*db_), verifier_);
}

TEST_F(LedgerSequencerThreadTest, AwaitReceiptGivesUpWhenNobodySequencesTheEntry) {
  std::unique_ptr<ConnectionPool> pool = NewPool();
  // A stopped sequencer answers at once, after one look at the database. (The entry is queued
  // only once it has stopped: its first batch may still have run.)
  LedgerSequencer stopped(*pool, signer_, SystemNowMs, ThreadOptions());
  stopped.Start();
  stopped.Stop();
  const QueuedEntry queued =
      MustValue(AppendInTransaction(*pool, LedgerTestDraft({{"n", 0}}, SystemNowMs())));
  auto started = std::chrono::steady_clock::now();
  StatusOr<std::optional<LedgerReceipt>> receipt =
      stopped.AwaitReceipt(queued.queue_id, std::chrono::milliseconds(300));
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_FALSE(receipt->has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(300 + 2000));

  // One that never ran waits out its timeout, then says so.
  LedgerSequencer idle(*pool, signer_, SystemNowMs, ThreadOptions());
  started = std::chrono::steady_clock::now();
  receipt = idle.AwaitReceipt(queued.queue_id, std::chrono::milliseconds(400));
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(receipt.ok()) << receipt.status().ToString();
  EXPECT_FALSE(receipt->has_value());
  EXPECT_GE(waited, std::chrono::milliseconds(400));
  EXPECT_LT(waited, std::chrono::milliseconds(400 + 2000));

  // The entry is still queued, untouched.
  EXPECT_EQ(CountRows(*db_, "ledger_queue"), 1);
  EXPECT_EQ(CountRows(*db_, "ledger_entries"), 0);
}

// ---- Two processes, eight threads each ----

constexpr int kProcessThreads = 8;
constexpr int kEntriesPerThread = 1000;

struct AppendReport {
  std::atomic<int64_t> appended{0};
  std::atomic<int64_t> receipts{0};
  std::mutex mu;
  std::string first_error;  // guarded by mu

  void Fail(const std::string& error) {
    std::lock_guard<std::mutex> lock(mu);
    if (first_error.empty()) first_error = error;
  }
};

// kProcessThreads threads, each queueing kEntriesPerThread entries (one business transaction
// each) whose payload names the process, the thread and the entry's number; every 100th
// append also waits for its receipt.
void AppendFromThreads(ConnectionPool& pool, LedgerSequencer& sequencer, int process,
                       AppendReport* report) {
  std::vector<std::thread> threads;
  for (int t = 0; t < kProcessThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kEntriesPerThread; ++n) {
        StatusOr<QueuedEntry> queued = AppendInTransaction(
            pool, LedgerTestDraft({{"p", process}, {"t", t}, {"n", n}}, SystemNowMs()));
        if (!queued.ok()) {
          report->Fail("append: " + queued.status().ToString());
          continue;
        }
        ++report->appended;
        sequencer.Nudge();
        if (n % 100 != 99) continue;
        StatusOr<std::optional<LedgerReceipt>> receipt =
            sequencer.AwaitReceipt(queued->queue_id, std::chrono::seconds(60));
        if (!receipt.ok()) {
          report->Fail("receipt: " + receipt.status().ToString());
        } else if (!receipt->has_value()) {
          report->Fail("no receipt for queue id " + std::to_string(queued->queue_id));
        } else if ((*receipt)->leaf_hash != queued->leaf_hash ||
                   (*receipt)->index >= 2u * kProcessThreads * kEntriesPerThread) {
          report->Fail("wrong receipt for queue id " + std::to_string(queued->queue_id));
        } else {
          ++report->receipts;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
}

SequencerOptions ProcessOptions() {
  SequencerOptions options;
  options.poll_interval_ms = 50;
  return options;
}

// The second process: reads the database settings from config_fd (written once the parent
// has created the database), then appends like the parent. Its exit code is the verdict.
int RunSecondProcess(int config_fd) {
  try {
    const std::string text = ReadAll(config_fd);
    close(config_fd);
    if (text.empty()) return 2;  // the parent gave up before creating the database
    DbConfig config = DecodeDbConfig(text);
    config.pool_size = kProcessThreads + 4;
    ConnectionPool pool(config);
    const ledger::NoteSigner signer(kLedgerTestOrigin, LedgerTestKey('k'));
    LedgerSequencer sequencer(pool, signer, SystemNowMs, ProcessOptions());
    sequencer.Start();
    AppendReport report;
    AppendFromThreads(pool, sequencer, /*process=*/1, &report);
    sequencer.Stop();
    if (!report.first_error.empty()) {
      std::fprintf(stderr, "second process: %s\n", report.first_error.c_str());
      return 1;
    }
    if (report.appended.load() != kProcessThreads * kEntriesPerThread) return 1;
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "second process: %s\n", e.what());
    return 1;
  }
}

TEST(LedgerSequencerProcessesTest, EightThreadsInEachOfTwoProcessesBuildOneGaplessLog) {
  // Fork first: the parent has no thread and no connection yet. The child waits for the
  // database's name on the pipe.
  const auto started = std::chrono::steady_clock::now();
  int config_pipe[2];
  ASSERT_EQ(pipe(config_pipe), 0);
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(config_pipe[1]);
    _exit(DieWithParent(parent) ? RunSecondProcess(config_pipe[0]) : 3);
  }
  close(config_pipe[0]);
  ChildProcess child(pid);

  TestDatabase tdb;
  const bool sent = WriteAll(config_pipe[1], EncodeDbConfig(tdb.config()));
  close(config_pipe[1]);
  ASSERT_TRUE(sent);

  DbConfig config = tdb.config();
  config.pool_size = kProcessThreads + 4;
  ConnectionPool pool(config);
  const ledger::NoteSigner signer(kLedgerTestOrigin, LedgerTestKey('k'));
  const ledger::NoteVerifier verifier = MustValue(ledger::ParseVerifierKey(signer.verifier_key()));
  LedgerSequencer sequencer(pool, signer, SystemNowMs, ProcessOptions());
  sequencer.Start();
  AppendReport report;
  AppendFromThreads(pool, sequencer, /*process=*/0, &report);
  EXPECT_EQ(report.first_error, "");
  EXPECT_EQ(report.appended.load(), kProcessThreads * kEntriesPerThread);
  EXPECT_EQ(report.receipts.load(), kProcessThreads * kEntriesPerThread / 100);
  const int status = child.Wait(std::chrono::seconds(240));
  ASSERT_TRUE(WIFEXITED(status)) << "second process wait status " << status;
  ASSERT_EQ(WEXITSTATUS(status), 0) << "the second process failed (its stderr says why)";
  sequencer.Stop();
  const auto appended = std::chrono::steady_clock::now();

  // Whatever is still queued goes in now.
  MustValue(SequenceAll(pool, signer, SystemNowMs(), SequencerOptions{}));

  constexpr int kTotal = 2 * kProcessThreads * kEntriesPerThread;
  std::unique_ptr<DbConnection> db = tdb.Connect();
  EXPECT_EQ(CountRows(*db, "ledger_queue"), 0);
  EXPECT_EQ(CountRows(*db, "ledger_entries"), kTotal);
  const LedgerContents contents = ReadWholeLedger(*db);
  ASSERT_EQ(contents.entries.size(), static_cast<size_t>(kTotal));
  // Gapless, head = MTH recomputed from every entry's bytes in index order, every checkpoint
  // signed, covering the recomputed prefix, and consistent with the one before.
  ExpectLedgerIsConsistent(*db, contents, verifier);
  EXPECT_EQ(contents.head.size, static_cast<uint64_t>(kTotal));

  // Every entry appended exactly once: payload (process, thread, number) covers the grid.
  std::vector<int> seen(kTotal, 0);
  std::set<ledger::Hash> leaves;
  for (const StoredEntry& entry : contents.entries) {
    const ledger::EntryDraft draft = MustValue(ledger::DecodeEntry(entry.bytes));
    const int p = draft.payload.at("p").get<int>();
    const int t = draft.payload.at("t").get<int>();
    const int n = draft.payload.at("n").get<int>();
    ASSERT_TRUE(p >= 0 && p < 2 && t >= 0 && t < kProcessThreads && n >= 0 && n < kEntriesPerThread)
        << entry.bytes;
    ++seen[(p * kProcessThreads + t) * kEntriesPerThread + n];
    leaves.insert(entry.leaf_hash);
  }
  for (int key = 0; key < kTotal; ++key) {
    ASSERT_EQ(seen[key], 1) << "process " << key / (kProcessThreads * kEntriesPerThread)
                            << " thread " << key / kEntriesPerThread % kProcessThreads << " entry "
                            << key % kEntriesPerThread;
  }
  EXPECT_EQ(leaves.size(), static_cast<size_t>(kTotal));

  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::printf(
      "%d entries from 2 processes: appended in %lld ms, checked in %lld ms, %zu checkpoints\n",
      kTotal, static_cast<long long>(ms(appended - started)),
      static_cast<long long>(ms(std::chrono::steady_clock::now() - appended)),
      contents.checkpoints.size());
}

}  // namespace
}  // namespace restitution
