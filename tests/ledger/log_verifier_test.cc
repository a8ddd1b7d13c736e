#include "ledger/log_verifier.h"

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/memory_tree.h"
#include "ledger/merkle.h"
#include "tests/ledger/merkle_reference.h"

namespace restitution::ledger {
namespace {

constexpr char kOrigin[] = "restitution.test/ledger";
constexpr int64_t kStartMs = 1790000000000;

crypto::Ed25519PrivateKey KeyFromSeed(char first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  auto key = crypto::Ed25519PrivateKey::FromSeed(seed);
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

NoteVerifier MustParseVerifierKey(const std::string& vkey) {
  auto verifier = ParseVerifierKey(vkey);
  if (!verifier.ok()) std::abort();
  return *verifier;
}

std::string EntryBytes(uint64_t i) {
  EntryDraft draft;
  draft.type = "test_entry";
  draft.case_id = i % 3 == 0 ? std::nullopt : std::optional<int64_t>(static_cast<int64_t>(i % 3));
  draft.actor = Actor{static_cast<int64_t>(i + 1), "officer"};
  draft.at_ms = kStartMs + static_cast<int64_t>(i) * 1000;
  draft.payload = {{"amount_fen", 1000 + static_cast<int64_t>(i)}, {"n", i}};
  auto bytes = EncodeEntry(draft);
  if (!bytes.ok()) std::abort();
  return *bytes;
}

// A change of one byte that keeps the entry canonical and well formed: the first digit of
// "amount_fen" (always 1) becomes 2.
std::string ChangeOneByte(std::string bytes) {
  const size_t at = bytes.find("\"amount_fen\":") + 13;
  bytes[at] = static_cast<char>(bytes[at] + 1);
  return bytes;
}

// What the verifier said, copied out (the verifier itself is neither copyable nor movable).
struct Verdict {
  std::optional<LogFailure> failure;
  uint64_t size = 0;
  Hash root;
  uint64_t checkpoints_checked = 0;
  uint64_t covered_size = 0;
  std::vector<std::string> keys_used;
};

// A log of n entries and signed checkpoints at chosen sizes, and a feed that can be tampered
// with before it is verified.
class TestLog {
 public:
  TestLog(uint64_t n, const std::vector<uint64_t>& checkpoint_sizes)
      : signer_(kOrigin, KeyFromSeed('a')) {
    size_t next = 0;
    for (uint64_t i = 0; i <= n; ++i) {
      while (next < checkpoint_sizes.size() && checkpoint_sizes[next] == i) {
        notes.push_back(signer_.Sign(CheckpointBody(Checkpoint{kOrigin, i, tree_.Root()})));
        ++next;
      }
      if (i == n) break;
      entries.emplace_back(i, EntryBytes(i));
      leaf_hashes.push_back(LeafHash(entries.back().second));
      tree_.Append(leaf_hashes.back());
    }
    for (int level = 0; level < 64 && (uint64_t{1} << level) <= n; ++level) {
      for (uint64_t index = 0; ((index + 1) << level) <= n; ++index) {
        const NodeId id{level, index};
        auto hash = tree_.GetNodes({id});
        if (!hash.ok()) std::abort();
        nodes.emplace_back(id, (*hash)[0]);
      }
    }
    options.trusted_keys = {MustParseVerifierKey(signer_.verifier_key())};
  }

  const NoteSigner& signer() const { return signer_; }
  Hash root() const { return tree_.Root(); }

  // Checkpoints first (each before the entries it covers, as the contract asks), then node
  // claims, then the entries, then Finish.
  Verdict Verify(bool with_leaf_hashes, bool with_nodes) const {
    LogVerifier verifier(options);
    for (const std::string& note : notes) verifier.AddCheckpoint(note);
    if (with_nodes) verifier.ClaimNodes(nodes);
    for (size_t i = 0; i < entries.size() && !verifier.done(); ++i) {
      verifier.AddEntry(entries[i].first, entries[i].second,
                        with_leaf_hashes ? std::optional<Hash>(leaf_hashes[i]) : std::nullopt);
    }
    verifier.Finish();
    return Verdict{verifier.failure(),      verifier.size(),
                   verifier.root(),         verifier.checkpoints_checked(),
                   verifier.covered_size(), verifier.keys_used()};
  }

  void SwapEntries(size_t a, size_t b) {
    std::swap(entries[a].second, entries[b].second);
    std::swap(leaf_hashes[a], leaf_hashes[b]);
  }

  void Delete(size_t i) {
    entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
    leaf_hashes.erase(leaf_hashes.begin() + static_cast<std::ptrdiff_t>(i));
  }

  std::vector<std::pair<uint64_t, std::string>> entries;
  std::vector<Hash> leaf_hashes;  // as stored: they follow the rows around
  std::vector<std::string> notes;
  std::vector<std::pair<NodeId, Hash>> nodes;
  LogVerifierOptions options;

 private:
  NoteSigner signer_;
  MemoryTree tree_;
};

void ExpectFailure(const Verdict& verdict, uint64_t index, const std::string& words) {
  ASSERT_TRUE(verdict.failure.has_value()) << "no failure; expected one at index " << index;
  EXPECT_EQ(verdict.failure->index, index) << verdict.failure->message;
  EXPECT_NE(verdict.failure->message.find(words), std::string::npos) << verdict.failure->message;
}

TEST(LogVerifierTest, AcceptsAnUntamperedLog) {
  TestLog log(20, {0, 1, 5, 12, 20});
  for (bool leaves : {false, true}) {
    for (bool nodes : {false, true}) {
      const Verdict verdict = log.Verify(leaves, nodes);
      ASSERT_FALSE(verdict.failure) << verdict.failure->message;
      EXPECT_EQ(verdict.size, 20u);
      EXPECT_EQ(verdict.root, log.root());
      EXPECT_EQ(verdict.checkpoints_checked, 5u);
      EXPECT_EQ(verdict.covered_size, 20u);
      // "<name>+<key id>": the verifier key without its public key.
      const std::string vkey = log.signer().verifier_key();
      EXPECT_EQ(verdict.keys_used,
                std::vector<std::string>{vkey.substr(0, vkey.find('+', vkey.find('+') + 1))});
    }
  }
}

TEST(LogVerifierTest, RootAgreesWithTheRfcReference) {
  TestLog log(300, {0, 1, 2, 3, 64, 100, 255, 256, 257, 299, 300});
  std::vector<std::string> data;
  for (const auto& entry : log.entries) data.push_back(entry.second);
  reference::Tree reference(data);
  const Verdict verdict = log.Verify(true, true);
  ASSERT_FALSE(verdict.failure) << verdict.failure->message;
  EXPECT_EQ(verdict.root, reference.Mth(0, 300));
  EXPECT_EQ(verdict.checkpoints_checked, 11u);
}

TEST(LogVerifierTest, EntriesBeyondTheLastCheckpointAreNotAFailure) {
  TestLog log(20, {0, 5, 12});
  const Verdict verdict = log.Verify(true, true);
  ASSERT_FALSE(verdict.failure) << verdict.failure->message;
  EXPECT_EQ(verdict.size, 20u);
  EXPECT_EQ(verdict.covered_size, 12u);
  EXPECT_EQ(verdict.checkpoints_checked, 3u);
}

TEST(LogVerifierTest, EmptyLog) {
  TestLog log(0, {0});
  const Verdict verdict = log.Verify(true, true);
  ASSERT_FALSE(verdict.failure) << verdict.failure->message;
  EXPECT_EQ(verdict.root, EmptyRootHash());
  EXPECT_EQ(verdict.checkpoints_checked, 1u);
}

TEST(LogVerifierTest, EmptyCheckpointWithAnotherRootFails) {
  TestLog log(3, {});
  log.notes.push_back(
      log.signer().Sign(CheckpointBody(Checkpoint{kOrigin, 0, LeafHash("not empty")})));
  ExpectFailure(log.Verify(true, true), 0, "SHA-256(\"\")");
}

TEST(LogVerifierTest, OneChangedByteIsFoundAtItsIndexByTheStoredLeafHash) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.entries[7].second = ChangeOneByte(log.entries[7].second);
  ExpectFailure(log.Verify(true, false), 7, "leaf hash does not match the entry bytes");
}

TEST(LogVerifierTest, OneChangedByteIsFoundAtItsIndexByTheStoredLeafNode) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.entries[7].second = ChangeOneByte(log.entries[7].second);
  ExpectFailure(log.Verify(false, true), 7, "stored tree node (level 0, index 7)");
}

TEST(LogVerifierTest, OneChangedByteWithoutStoredHashesNamesTheCheckpointRange) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.entries[7].second = ChangeOneByte(log.entries[7].second);
  const Verdict verdict = log.Verify(false, false);
  ExpectFailure(verdict, 5, "checkpoint of size 12");
  EXPECT_NE(verdict.failure->message.find("entries 5..11"), std::string::npos)
      << verdict.failure->message;
}

TEST(LogVerifierTest, ChangedByteWithItsLeafHashRecomputedStillFails) {
  // Whoever edits an entry can also rewrite its stored leaf hash; the signed roots remain.
  TestLog log(20, {0, 1, 5, 12, 20});
  log.entries[13].second = ChangeOneByte(log.entries[13].second);
  log.leaf_hashes[13] = LeafHash(log.entries[13].second);
  ExpectFailure(log.Verify(true, false), 12, "entries 12..19");
}

TEST(LogVerifierTest, ByteThatBreaksCanonicalFormIsNamed) {
  TestLog log(20, {0, 20});
  std::string& bytes = log.entries[4].second;
  bytes.insert(1, " ");  // whitespace: valid JSON, not canonical
  ExpectFailure(log.Verify(false, false), 4, "canonical");
}

TEST(LogVerifierTest, NonCanonicalEntryBytesAreRefused) {
  for (const std::string& bad :
       {std::string("{\"v\":1}"), std::string("[]"), std::string("not json"),
        std::string(
            "{\"actor\":{\"id\":1,\"role\":\"officer\"},\"at\":\"2026-09-21T13:33:20.000Z\","
            "\"case\":null,\"payload\":{\"x\":1.0},\"type\":\"t\",\"v\":1}")}) {
    TestLog log(10, {0, 10});
    log.entries[6].second = bad;
    log.leaf_hashes[6] = LeafHash(bad);
    ExpectFailure(log.Verify(true, true), 6, "well-formed canonical entry");
  }
}

TEST(LogVerifierTest, DeletedEntryIsMissing) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.Delete(7);
  ExpectFailure(log.Verify(true, true), 7, "index 7 missing");
  ExpectFailure(log.Verify(false, false), 7, "index 7 missing");
}

TEST(LogVerifierTest, DeletedLastEntryIsMissingFromTheCheckpoint) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.Delete(19);
  ExpectFailure(log.Verify(true, true), 19, "index 19 missing");
}

TEST(LogVerifierTest, DeletedFirstEntryIsMissing) {
  TestLog log(5, {0, 5});
  log.Delete(0);
  ExpectFailure(log.Verify(true, true), 0, "index 0 missing");
}

TEST(LogVerifierTest, SwappedEntriesAreFoundByTheStoredLeafNodes) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.SwapEntries(3, 9);  // bytes and stored leaf hashes move together
  ExpectFailure(log.Verify(true, true), 3, "stored tree node (level 0, index 3)");
}

TEST(LogVerifierTest, SwappedEntriesWithoutNodesNameTheCheckpointRange) {
  TestLog log(20, {0, 1, 5, 12, 20});
  log.SwapEntries(3, 9);
  const Verdict verdict = log.Verify(true, false);
  ExpectFailure(verdict, 1, "checkpoint of size 5");
  EXPECT_NE(verdict.failure->message.find("entries 1..4"), std::string::npos)
      << verdict.failure->message;
}

TEST(LogVerifierTest, ExactNodeFailureWinsOverTheCheckpointRangeItBreaks) {
  TestLog log(10, {0, 3, 10});
  log.SwapEntries(1, 2);  // the checkpoint of size 3 is due right after entry 2
  ExpectFailure(log.Verify(true, true), 1, "stored tree node (level 0, index 1)");
}

TEST(LogVerifierTest, RootMismatchKeepsItsRangeForNarrowing) {
  TestLog log(10, {0, 4, 10});
  log.SwapEntries(5, 7);
  LogVerifier verifier(log.options);
  for (const std::string& note : log.notes) verifier.AddCheckpoint(note);
  for (const auto& [index, bytes] : log.entries) verifier.AddEntry(index, bytes);
  verifier.Finish();
  ASSERT_TRUE(verifier.failure());
  EXPECT_EQ(verifier.failure()->index, 4u);
  ASSERT_TRUE(verifier.failure()->range);
  EXPECT_EQ(verifier.failure()->range->end, 10u);
  EXPECT_EQ(verifier.failure()->range->signed_root, log.root());
  const std::vector<Hash> leaves = verifier.RangeLeaves();
  ASSERT_EQ(leaves.size(), 6u);
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(leaves[i], LeafHash(log.entries[4 + i].second)) << i;
  }
  verifier.RefineFailure(10, "outside the range");
  EXPECT_EQ(verifier.failure()->index, 4u);
  verifier.RefineFailure(5, "entry 5 is not what was signed");
  EXPECT_EQ(verifier.failure()->index, 5u);
  EXPECT_EQ(verifier.failure()->message, "entry 5 is not what was signed");
  EXPECT_FALSE(verifier.failure()->range);
  EXPECT_TRUE(verifier.RangeLeaves().empty());
}

TEST(LogVerifierTest, OnlyASignedHeadKeepsItsRangeForNarrowing) {
  TestLog log(6, {0});
  for (bool signed_root : {false, true}) {
    LogVerifier verifier(log.options);
    verifier.AddCheckpoint(log.notes[0]);
    verifier.ExpectHead(6, LeafHash("wrong"), "the head", signed_root);
    for (const auto& [index, bytes] : log.entries) verifier.AddEntry(index, bytes);
    ASSERT_TRUE(verifier.failure());
    EXPECT_EQ(verifier.failure()->range.has_value(), signed_root);
    EXPECT_EQ(verifier.RangeLeaves().size(), signed_root ? 6u : 0u);
    EXPECT_EQ(verifier.checkpoints_checked(), 1u) << "a head is not one of the checkpoints";
  }
}

TEST(LogVerifierTest, RepeatedIndexIsReported) {
  TestLog log(10, {0, 10});
  log.entries[5].first = 4;
  ExpectFailure(log.Verify(true, true), 4, "out of order");
}

TEST(LogVerifierTest, TamperedInteriorNodeNamesTheEntryThatCompletesIt) {
  TestLog log(20, {0, 20});
  for (auto& [id, hash] : log.nodes) {
    if (id == NodeId{2, 2}) hash[0] = static_cast<char>(hash[0] ^ 1);
  }
  ExpectFailure(log.Verify(true, true), 11,
                "stored tree node (level 2, index 2) over entries 8..11");
}

TEST(LogVerifierTest, MissingStoredNodeIsReportedWhenNodesAreRequired) {
  TestLog log(20, {0, 20});
  std::vector<std::pair<NodeId, Hash>> kept;
  for (const auto& node : log.nodes) {
    if (node.first != NodeId{1, 3}) kept.push_back(node);
  }
  log.nodes = kept;
  ASSERT_FALSE(log.Verify(true, true).failure);
  log.options.require_stored_nodes = true;
  ExpectFailure(log.Verify(true, true), 7,
                "stored tree node (level 1, index 3) over entries 6..7 is missing");
}

TEST(LogVerifierTest, WrongCheckpointSignatureNamesTheRangeItCovers) {
  TestLog log(20, {0, 1, 5, 12, 20});
  std::string& note = log.notes[3];  // size 12
  const size_t space = note.rfind(' ');
  auto blob = crypto::Base64Decode(note.substr(space + 1, note.size() - space - 2));
  ASSERT_TRUE(blob.ok());
  std::string signature = *blob;
  signature[10] = static_cast<char>(signature[10] ^ 0x40);
  note = note.substr(0, space + 1) + crypto::Base64Encode(signature) + "\n";
  const Verdict verdict = log.Verify(true, true);
  ExpectFailure(verdict, 5, "does not verify");
}

TEST(LogVerifierTest, CheckpointWithAlteredBodyFails) {
  TestLog log(20, {0, 1, 5, 12, 20});
  std::string& note = log.notes[4];  // size 20: claim 21 instead under the same signature
  note.replace(note.find("\n20\n"), 4, "\n21\n");
  ExpectFailure(log.Verify(true, true), 12, "does not verify");
}

TEST(LogVerifierTest, CheckpointSignedByAnUnknownKeyFails) {
  TestLog log(20, {0, 1, 5, 12, 20});
  NoteSigner stranger(kOrigin, KeyFromSeed('z'));
  MemoryTree tree;
  for (int i = 0; i < 12; ++i) tree.Append(log.leaf_hashes[static_cast<size_t>(i)]);
  log.notes[3] = stranger.Sign(CheckpointBody(Checkpoint{kOrigin, 12, tree.Root()}));
  ExpectFailure(log.Verify(true, true), 5, "not signed by a trusted key");
}

TEST(LogVerifierTest, CheckpointOfAnotherOriginFails) {
  TestLog log(20, {0, 20});
  log.options.expected_origin = "someone.else/ledger";
  ExpectFailure(log.Verify(true, true), 0, "is not the log's origin");
}

TEST(LogVerifierTest, OldCheckpointsVerifyUnderARotatedKey) {
  TestLog log(20, {0, 1, 5});
  NoteSigner next(kOrigin, KeyFromSeed('n'));
  MemoryTree tree;
  for (uint64_t i = 0; i < 20; ++i) {
    tree.Append(log.leaf_hashes[i]);
    if (i + 1 == 12 || i + 1 == 20) {
      log.notes.push_back(next.Sign(CheckpointBody(Checkpoint{kOrigin, i + 1, tree.Root()})));
    }
  }
  // Trusting only the new key, the first old checkpoint fails.
  const std::vector<NoteVerifier> both = {MustParseVerifierKey(next.verifier_key()),
                                          log.options.trusted_keys[0]};
  log.options.trusted_keys = {both[0]};
  ExpectFailure(log.Verify(true, true), 0, "not signed by a trusted key");
  log.options.trusted_keys = both;
  const Verdict verdict = log.Verify(true, true);
  ASSERT_FALSE(verdict.failure) << verdict.failure->message;
  EXPECT_EQ(verdict.checkpoints_checked, 5u);
  EXPECT_EQ(verdict.keys_used.size(), 2u);
}

TEST(LogVerifierTest, DecreasingCheckpointSizesFail) {
  TestLog log(20, {0, 5, 12, 20});
  std::swap(log.notes[1], log.notes[2]);  // 0, 12, 5, 20
  ExpectFailure(log.Verify(true, true), 5, "strictly increase");
}

TEST(LogVerifierTest, RepeatedCheckpointSizeFails) {
  TestLog log(20, {0, 5, 20});
  log.notes.insert(log.notes.begin() + 2, log.notes[1]);
  ExpectFailure(log.Verify(true, true), 5, "strictly increase");
}

TEST(LogVerifierTest, CheckpointBeyondTheEntriesMeansEntriesAreMissing) {
  TestLog log(20, {0, 20});
  log.Delete(19);
  log.Delete(18);
  ExpectFailure(log.Verify(true, true), 18, "index 18 missing");
}

TEST(LogVerifierTest, StoredClaimsMustMatchTheSignedNote) {
  TestLog log(8, {0, 4, 8});
  {
    LogVerifier verifier(log.options);
    CheckpointClaims claims;
    claims.size = 0;
    EXPECT_TRUE(verifier.AddCheckpoint(log.notes[0], claims));
    claims.size = 5;
    EXPECT_FALSE(verifier.AddCheckpoint(log.notes[1], claims));
    ASSERT_TRUE(verifier.failure());
    EXPECT_EQ(verifier.failure()->index, 0u);
    EXPECT_NE(verifier.failure()->message.find("stored as size 5"), std::string::npos);
  }
  {
    LogVerifier verifier(log.options);
    CheckpointClaims claims;
    claims.root = LeafHash("wrong");
    EXPECT_FALSE(verifier.AddCheckpoint(log.notes[0], claims));
    ASSERT_TRUE(verifier.failure());
    EXPECT_NE(verifier.failure()->message.find("stored root"), std::string::npos);
  }
  {
    LogVerifier verifier(log.options);
    CheckpointClaims claims;
    claims.key_id = log.signer().key_id() + 1;
    EXPECT_FALSE(verifier.AddCheckpoint(log.notes[0], claims));
    ASSERT_TRUE(verifier.failure());
    EXPECT_NE(verifier.failure()->message.find("key id"), std::string::npos);
  }
}

TEST(LogVerifierTest, UnsignedHeadMustMatchToo) {
  TestLog log(10, {0, 10});
  {
    LogVerifier verifier(log.options);
    verifier.ExpectHead(10, log.root(), "ledger_head");
    for (const auto& [index, bytes] : log.entries) verifier.AddEntry(index, bytes);
    verifier.Finish();
    EXPECT_FALSE(verifier.failure());
  }
  {
    LogVerifier verifier(log.options);
    verifier.AddCheckpoint(log.notes[0]);
    verifier.ExpectHead(10, LeafHash("wrong"), "ledger_head");
    for (const auto& [index, bytes] : log.entries) verifier.AddEntry(index, bytes);
    verifier.Finish();
    ASSERT_TRUE(verifier.failure());
    EXPECT_EQ(verifier.failure()->index, 0u);
    EXPECT_NE(verifier.failure()->message.find("ledger_head"), std::string::npos);
  }
}

TEST(LogVerifierTest, TheFirstIndexWinsOverAFailureFoundEarlier) {
  TestLog log(20, {0, 5, 12, 20});
  // The checkpoint of size 20 fails as soon as it is given (index 12), but entry 7, checked
  // later, is further back.
  log.notes[3].insert(log.notes[3].size() - 5, "A");
  log.entries[7].second = ChangeOneByte(log.entries[7].second);
  ExpectFailure(log.Verify(true, true), 7, "leaf hash");
}

TEST(LogVerifierTest, CallerReportedFailuresKeepTheFirstIndex) {
  TestLog log(10, {0, 10});
  LogVerifier verifier(log.options);
  for (const std::string& note : log.notes) verifier.AddCheckpoint(note);
  for (size_t i = 0; i < 6; ++i) verifier.AddEntry(i, log.entries[i].second);
  verifier.ReportFailure(8, "a later proof");
  EXPECT_FALSE(verifier.done());
  verifier.ReportFailure(3, "an earlier proof");
  EXPECT_TRUE(verifier.done());
  EXPECT_EQ(verifier.failure()->index, 3u);
  EXPECT_EQ(verifier.failure()->message, "an earlier proof");
}

TEST(OpenCheckpointTest, NamesWhatIsWrong) {
  TestLog log(4, {4});
  const std::vector<NoteVerifier>& keys = log.options.trusted_keys;
  auto opened = OpenCheckpoint(log.notes[0], keys, "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->checkpoint.size, 4u);
  EXPECT_EQ(opened->key, &keys[0]);
  EXPECT_NE(OpenCheckpoint("garbage", keys, "").status().message().find("malformed"),
            std::string::npos);
  EXPECT_FALSE(OpenCheckpoint(log.notes[0], {}, "").ok());
  EXPECT_NE(OpenCheckpoint(log.notes[0], keys, "x/y").status().message().find("origin"),
            std::string::npos);
}

}  // namespace
}  // namespace restitution::ledger
