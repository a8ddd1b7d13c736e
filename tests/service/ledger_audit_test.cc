// The database audit against a real MariaDB: the log is filled through the real path (entries
// queued by AppendLedgerEntry in business transactions, sequenced and signed by SequenceBatch),
// then tampered with in SQL, as an insider with database access would.
#include "service/ledger_audit.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TestDatabase;

constexpr char kOrigin[] = "restitution.test/ledger";
constexpr int64_t kStartMs = 1790000000000;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

crypto::Ed25519PrivateKey KeyFromSeed(char first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return Must(crypto::Ed25519PrivateKey::FromSeed(seed));
}

class LedgerAuditTest : public ::testing::Test {
 protected:
  LedgerAuditTest()
      : signer_(kOrigin, KeyFromSeed('a')),
        rotated_(kOrigin, KeyFromSeed('r')),
        db_(tdb_.Connect()) {
    options_.verifier.trusted_keys = {Must(ledger::ParseVerifierKey(signer_.verifier_key()))};
  }

  // Queues `count` entries, one business transaction each, then sequences them as one batch
  // (which signs a checkpoint of the new size).
  void AppendBatch(int count, const ledger::NoteSigner& signer) {
    for (int i = 0; i < count; ++i) {
      ledger::EntryDraft draft;
      draft.type = "test_payment";
      draft.case_id = 1 + appended_ % 4;
      draft.actor = ledger::Actor{7, "officer"};
      draft.at_ms = kStartMs + appended_ * 1000;
      draft.payload = {{"amount_fen", 100000 + appended_}, {"n", appended_}};
      ++appended_;
      ASSERT_TRUE(RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
                    return AppendLedgerEntry(db, draft).status();
                  }).ok());
    }
    Sequence(signer);
  }

  void Sequence(const ledger::NoteSigner& signer) {
    SequencerOptions options;
    options.max_batch = 4096;
    bool more = true;
    while (more) {
      Status status = RunInTransaction(tdb_.pool(), [&](DbConnection& db) -> Status {
        ASSIGN_OR_RETURN(BatchResult batch,
                         SequenceBatch(db, signer, kStartMs + appended_ * 1000, options));
        more = batch.more_waiting;
        return Status::Ok();
      });
      ASSERT_TRUE(status.ok()) << status.ToString();
    }
  }

  // 40 entries under checkpoints of sizes 0, 3, 10, 11 and 40.
  void FillLog() {
    Sequence(signer_);  // signs the empty tree
    for (int count : {3, 7, 1, 29}) AppendBatch(count, signer_);
  }

  LedgerAuditReport Audit() {
    std::unique_ptr<DbConnection> db = tdb_.Connect();
    StatusOr<LedgerAuditReport> report = AuditLedgerDatabase(*db, options_);
    if (!report.ok()) throw std::runtime_error(report.status().ToString());
    return *report;
  }

  void ExpectFailure(const LedgerAuditReport& report, uint64_t index, const std::string& words) {
    ASSERT_TRUE(report.failure.has_value()) << "no failure; expected one at index " << index;
    EXPECT_EQ(report.failure->index, index) << report.failure->message;
    EXPECT_NE(report.failure->message.find(words), std::string::npos) << report.failure->message;
  }

  std::string Bytes(const std::string& sql, int64_t key) {
    SqlRows rows = Must(db_->Query(sql, {key}));
    if (rows.empty()) throw std::runtime_error("no row for " + sql);
    return rows[0].Bytes(0);
  }

  void Exec(const std::string& sql, const std::vector<SqlParam>& params) {
    ASSERT_EQ(Must(db_->Exec(sql, params)), 1) << sql;
  }

  ledger::NoteSigner signer_;
  ledger::NoteSigner rotated_;
  TestDatabase tdb_;
  std::unique_ptr<DbConnection> db_;
  LedgerAuditOptions options_;
  int64_t appended_ = 0;
};

TEST_F(LedgerAuditTest, UntamperedLogPasses) {
  FillLog();
  for (int page_size : {1, 7, 1000}) {
    options_.page_size = page_size;
    const LedgerAuditReport report = Audit();
    ASSERT_FALSE(report.failure) << report.failure->message;
    EXPECT_EQ(report.entries, 40u);
    EXPECT_EQ(report.claimed_size, 40u);
    EXPECT_EQ(report.covered_size, 40u);
    EXPECT_EQ(report.checkpoints_checked, 5u);
    EXPECT_EQ(report.consistency_proofs, 4u);
    EXPECT_EQ(report.root, Must(ReadTreeHead(*db_)).root);
    EXPECT_EQ(report.keys_used.size(), 1u);
    EXPECT_TRUE(report.notes.empty());
  }
}

TEST_F(LedgerAuditTest, EmptyLogPasses) {
  Sequence(signer_);
  const LedgerAuditReport report = Audit();
  ASSERT_FALSE(report.failure) << report.failure->message;
  EXPECT_EQ(report.entries, 0u);
  EXPECT_EQ(report.checkpoints_checked, 1u);
  EXPECT_EQ(report.root, ledger::EmptyRootHash());
}

TEST_F(LedgerAuditTest, QueuedEntriesAreMentionedNotAudited) {
  FillLog();
  ASSERT_TRUE(RunInTransaction(tdb_.pool(), [&](DbConnection& db) {
                ledger::EntryDraft draft;
                draft.type = "queued_only";
                draft.at_ms = kStartMs;
                return AppendLedgerEntry(db, draft).status();
              }).ok());
  const LedgerAuditReport report = Audit();
  ASSERT_FALSE(report.failure) << report.failure->message;
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("1 entries are queued"), std::string::npos) << report.notes[0];
}

TEST_F(LedgerAuditTest, OneChangedByteOfOneEntryIsNamed) {
  FillLog();
  std::string entry = Bytes("SELECT entry FROM ledger_entries WHERE idx = ?", 17);
  const size_t at = entry.find("\"amount_fen\":") + 13;
  entry[at] = static_cast<char>(entry[at] + 1);  // still canonical, still well formed
  Exec("UPDATE ledger_entries SET entry = ? WHERE idx = ?", {entry, 17});
  options_.page_size = 7;
  ExpectFailure(Audit(), 17, "leaf hash does not match the entry bytes");
}

TEST_F(LedgerAuditTest, OneChangedByteInSqlIsNamed) {
  FillLog();
  // The same, the way an insider would type it: the 3rd byte of entry 23 becomes 'B'.
  Exec("UPDATE ledger_entries SET entry = INSERT(entry, 3, 1, 'B') WHERE idx = ?", {23});
  ExpectFailure(Audit(), 23, "entry");
}

TEST_F(LedgerAuditTest, ChangedEntryWithItsLeafHashAndLeafNodeRewrittenIsNamed) {
  FillLog();
  std::string entry = Bytes("SELECT entry FROM ledger_entries WHERE idx = ?", 17);
  const size_t at = entry.find("\"amount_fen\":") + 13;
  entry[at] = static_cast<char>(entry[at] + 1);
  const ledger::Hash leaf = ledger::LeafHash(entry);
  Exec("UPDATE ledger_entries SET entry = ?, leaf_hash = ? WHERE idx = ?", {entry, leaf, 17});
  Exec("UPDATE ledger_nodes SET hash = ? WHERE level = 0 AND idx = ?", {leaf, 17});
  // Node (1, 8) over entries 16..17 no longer matches: entry 17 is where the trees part.
  ExpectFailure(Audit(), 17, "stored tree node (level 1, index 8)");
}

TEST_F(LedgerAuditTest, DeletedEntryIsMissing) {
  FillLog();
  Exec("DELETE FROM ledger_entries WHERE idx = ?", {17});
  ExpectFailure(Audit(), 17, "index 17 missing");
}

TEST_F(LedgerAuditTest, DeletedLastEntryIsMissing) {
  FillLog();
  Exec("DELETE FROM ledger_entries WHERE idx = ?", {39});
  ExpectFailure(Audit(), 39, "index 39 missing");
}

TEST_F(LedgerAuditTest, DeletedFirstEntryIsMissing) {
  FillLog();
  Exec("DELETE FROM ledger_entries WHERE idx = ?", {0});
  ExpectFailure(Audit(), 0, "index 0 missing");
}

TEST_F(LedgerAuditTest, SwappedEntriesAreNamedAtTheFirst) {
  FillLog();
  const std::string entry12 = Bytes("SELECT entry FROM ledger_entries WHERE idx = ?", 12);
  const std::string leaf12 = Bytes("SELECT leaf_hash FROM ledger_entries WHERE idx = ?", 12);
  const std::string entry25 = Bytes("SELECT entry FROM ledger_entries WHERE idx = ?", 25);
  const std::string leaf25 = Bytes("SELECT leaf_hash FROM ledger_entries WHERE idx = ?", 25);
  Exec("UPDATE ledger_entries SET entry = ?, leaf_hash = ? WHERE idx = ?", {entry25, leaf25, 12});
  Exec("UPDATE ledger_entries SET entry = ?, leaf_hash = ? WHERE idx = ?", {entry12, leaf12, 25});
  options_.page_size = 5;
  ExpectFailure(Audit(), 12, "stored tree node (level 0, index 12)");
}

TEST_F(LedgerAuditTest, SwappedIndicesAreNamedAtTheFirst) {
  FillLog();
  // Renumbering the rows themselves: -1 is a free key for the three-step swap.
  Exec("UPDATE ledger_entries SET idx = -1 WHERE idx = ?", {30});
  Exec("UPDATE ledger_entries SET idx = 30 WHERE idx = ?", {31});
  Exec("UPDATE ledger_entries SET idx = 31 WHERE idx = ?", {-1});
  ExpectFailure(Audit(), 30, "stored tree node (level 0, index 30)");
}

TEST_F(LedgerAuditTest, TamperedLeafNodeIsNamed) {
  FillLog();
  Exec("UPDATE ledger_nodes SET hash = ? WHERE level = 0 AND idx = ?",
       {ledger::LeafHash("forged"), 21});
  ExpectFailure(Audit(), 21, "stored tree node (level 0, index 21)");
}

TEST_F(LedgerAuditTest, TamperedInteriorNodeIsNamedAtTheEntryThatCompletesIt) {
  FillLog();
  Exec("UPDATE ledger_nodes SET hash = ? WHERE level = 2 AND idx = ?",
       {ledger::LeafHash("forged"), 3});
  ExpectFailure(Audit(), 15, "stored tree node (level 2, index 3) over entries 12..15");
}

TEST_F(LedgerAuditTest, DeletedNodeIsNamed) {
  FillLog();
  Exec("DELETE FROM ledger_nodes WHERE level = ? AND idx = ?", {3, 1});
  ExpectFailure(Audit(), 15, "stored tree node (level 3, index 1) over entries 8..15 is missing");
}

TEST_F(LedgerAuditTest, TamperedCheckpointSignatureIsNamed) {
  FillLog();
  std::string note = Bytes("SELECT note FROM ledger_checkpoints WHERE size = ?", 11);
  const size_t at = note.rfind(' ') + 10;
  note[at] = note[at] == 'A' ? 'B' : 'A';
  Exec("UPDATE ledger_checkpoints SET note = ? WHERE size = ?", {note, 11});
  ExpectFailure(Audit(), 10, "checkpoint after size 10");
}

TEST_F(LedgerAuditTest, CheckpointRootColumnMustMatchItsNote) {
  FillLog();
  Exec("UPDATE ledger_checkpoints SET root = ? WHERE size = ?", {ledger::LeafHash("x"), 10});
  ExpectFailure(Audit(), 3, "stored root differs");
}

TEST_F(LedgerAuditTest, ForgedCheckpointByAnotherKeyIsNamed) {
  FillLog();
  const std::string root = Bytes("SELECT root FROM ledger_checkpoints WHERE size = ?", 40);
  ledger::NoteSigner forger(kOrigin, KeyFromSeed('f'));
  Exec("UPDATE ledger_checkpoints SET note = ?, key_id = ? WHERE size = ?",
       {forger.Sign(ledger::CheckpointBody(ledger::Checkpoint{kOrigin, 40, root})),
        static_cast<int64_t>(forger.key_id()), 40});
  ExpectFailure(Audit(), 11, "not signed by a trusted key");
}

TEST_F(LedgerAuditTest, TamperedHeadIsNamed) {
  FillLog();
  Exec("UPDATE ledger_head SET root = ? WHERE id = ?", {ledger::LeafHash("x"), 1});
  ExpectFailure(Audit(), 11, "ledger_head");
}

TEST_F(LedgerAuditTest, TamperedFrontierIsNamed) {
  FillLog();
  std::string frontier = Bytes("SELECT frontier FROM ledger_head WHERE id = ?", 1);
  frontier[40] = static_cast<char>(frontier[40] ^ 1);  // the second hash: node (3, 4), 32..39
  Exec("UPDATE ledger_head SET frontier = ? WHERE id = ?", {frontier, 1});
  ExpectFailure(Audit(), 39, "frontier hash over entries 32..39");
}

TEST_F(LedgerAuditTest, RowBeyondTheHeadIsNamed) {
  FillLog();
  Exec(
      "INSERT INTO ledger_entries (idx, queue_id, entry, leaf_hash, sequenced_at_ms) "
      "SELECT 40, 999999, entry, leaf_hash, sequenced_at_ms FROM ledger_entries WHERE idx = ?",
      {39});
  // Entry 39's bytes again at index 40: its leaf node is missing, and the head ends at 40.
  ExpectFailure(Audit(), 40, "index 40");
}

TEST_F(LedgerAuditTest, RotatedKeyNeedsBothKeysTrusted) {
  Sequence(signer_);
  AppendBatch(5, signer_);
  AppendBatch(4, rotated_);
  AppendBatch(2, rotated_);
  LedgerAuditReport report = Audit();
  ExpectFailure(report, 5, "not signed by a trusted key");
  options_.verifier.trusted_keys.push_back(Must(ledger::ParseVerifierKey(rotated_.verifier_key())));
  report = Audit();
  ASSERT_FALSE(report.failure) << report.failure->message;
  EXPECT_EQ(report.checkpoints_checked, 4u);
  EXPECT_EQ(report.consistency_proofs, 3u);
  EXPECT_EQ(report.keys_used.size(), 2u);
}

}  // namespace
}  // namespace restitution
