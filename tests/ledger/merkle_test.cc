#include "ledger/merkle.h"

#include <cstdint>
#include <limits>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/memory_tree.h"
#include "tests/ledger/merkle_reference.h"

namespace restitution::ledger {

// gtest prints NodeIds in failure messages with this.
void PrintTo(const NodeId& id, std::ostream* os) {
  *os << "(" << id.level << ", " << id.index << ")";
}

namespace {

using reference::CtLeaves;
using reference::CtNodesHex;
using reference::CtRootsHex;
using reference::Unhex;

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kTreeSize = 256;  // the exhaustive tests cover every size up to this

std::string Hex(const std::string& bytes) { return crypto::HexEncode(bytes); }

std::vector<std::string> HexAll(const std::vector<Hash>& hashes) {
  std::vector<std::string> hex;
  for (const Hash& h : hashes) hex.push_back(Hex(h));
  return hex;
}

Hash FlipBit(Hash hash, size_t bit) {
  hash[bit / 8] = static_cast<char>(hash[bit / 8] ^ (1 << (bit % 8)));
  return hash;
}

int BitLength(uint64_t x) {
  int bits = 0;
  for (; x != 0; x >>= 1) ++bits;
  return bits;
}

// Passes GetNodes through to a tree while checking what the proof code asks for: how many
// round trips, how many nodes, and that every node is a complete subtree of the tree of
// `size` leaves the proof is about (not merely of the larger tree behind it).
class CheckingSource : public NodeSource {
 public:
  CheckingSource(NodeSource& tree, uint64_t size) : tree_(tree), size_(size) {}

  StatusOr<std::vector<Hash>> GetNodes(const std::vector<NodeId>& ids) override {
    ++calls_;
    nodes_ += ids.size();
    for (const NodeId& id : ids) {
      if (id.level < 0 || id.level > 63 || id.index >= (size_ >> id.level)) {
        ADD_FAILURE() << "node (" << id.level << ", " << id.index
                      << ") is not a complete subtree of a tree of size " << size_;
        return Status::Internal("bad node id");
      }
    }
    return tree_.GetNodes(ids);
  }

  int calls() const { return calls_; }
  size_t nodes() const { return nodes_; }
  void Reset() {
    calls_ = 0;
    nodes_ = 0;
  }

 private:
  NodeSource& tree_;
  uint64_t size_;
  int calls_ = 0;
  size_t nodes_ = 0;
};

// A tree of any size up to 2^64 - 1 in which every leaf hash is the same, so every node of
// level l has the same hash: enough to run proofs against trees far too large to build.
class UniformTree : public NodeSource {
 public:
  UniformTree() {
    level_hashes_.push_back(LeafHash("the same entry"));
    for (int level = 1; level <= 64; ++level) {
      level_hashes_.push_back(NodeHash(level_hashes_.back(), level_hashes_.back()));
    }
  }

  StatusOr<std::vector<Hash>> GetNodes(const std::vector<NodeId>& ids) override {
    std::vector<Hash> hashes;
    for (const NodeId& id : ids) {
      if (id.level < 0 || id.level > 63) return Status::Internal("bad level");
      hashes.push_back(level_hashes_[static_cast<size_t>(id.level)]);
    }
    return hashes;
  }

  const Hash& AtLevel(int level) const { return level_hashes_[static_cast<size_t>(level)]; }

 private:
  std::vector<Hash> level_hashes_;
};

// A source that answers every call the same way, to test how the proof code treats errors
// and malformed answers from the database.
class FixedSource : public NodeSource {
 public:
  explicit FixedSource(StatusOr<std::vector<Hash>> answer) : answer_(std::move(answer)) {}
  StatusOr<std::vector<Hash>> GetNodes(const std::vector<NodeId>&) override { return answer_; }

 private:
  StatusOr<std::vector<Hash>> answer_;
};

// The 256 entries of the exhaustive tests, of varying lengths, with the reference and the
// MemoryTree built over them.
struct BigTree {
  BigTree() : reference(Entries()) {
    for (const std::string& entry : Entries()) tree.Append(LeafHash(entry));
    for (uint64_t n = 0; n <= kTreeSize; ++n) roots.push_back(reference.Mth(0, n));
  }
  static std::vector<std::string> Entries() {
    std::vector<std::string> entries;
    for (uint64_t i = 0; i < kTreeSize; ++i) {
      entries.push_back(std::string(i % 5, '#') + "entry " + std::to_string(i));
    }
    return entries;
  }
  reference::Tree reference;
  MemoryTree tree;
  std::vector<Hash> roots;  // roots[n] = MTH(D[0:n])
};

BigTree& Big() {
  static BigTree* big = new BigTree();
  return *big;
}

// The subtrees RFC 9162's MTH recursion splits D[begin:end] into, when begin is aligned.
std::vector<NodeId> MthSplit(uint64_t begin, uint64_t end) {
  const uint64_t n = end - begin;
  if ((n & (n - 1)) == 0) return {NodeId{BitLength(n) - 1, begin >> (BitLength(n) - 1)}};
  uint64_t k = 1;
  while (2 * k < n) k *= 2;
  std::vector<NodeId> ids = MthSplit(begin, begin + k);
  std::vector<NodeId> rest = MthSplit(begin + k, end);
  ids.insert(ids.end(), rest.begin(), rest.end());
  return ids;
}

// ---------------------------------------------------------------------------------------
// Hashing.

TEST(MerkleHashTest, LeafHashOfEmptyEntry) {
  EXPECT_EQ(Hex(LeafHash("")), "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
}

TEST(MerkleHashTest, EmptyRootHashIsSha256OfNothing) {
  EXPECT_EQ(Hex(EmptyRootHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(MerkleHashTest, LeafHashPrefixesZeroByte) {
  EXPECT_EQ(LeafHash("abc"), crypto::Sha256(std::string("\x00"
                                                        "abc",
                                                        4)));
  EXPECT_EQ(Hex(LeafHash(Unhex("00"))),
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
  EXPECT_EQ(LeafHash("abc").size(), kHashSize);
}

TEST(MerkleHashTest, NodeHashPrefixesOneByte) {
  const Hash left = LeafHash("");
  const Hash right = LeafHash(Unhex("00"));
  EXPECT_EQ(NodeHash(left, right), crypto::Sha256("\x01" + left + right));
  EXPECT_EQ(Hex(NodeHash(left, right)),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
  EXPECT_NE(NodeHash(left, right), NodeHash(right, left));
}

TEST(MerkleHashTest, LeafAndNodeHashesAreDomainSeparated) {
  // The same 64 bytes as a leaf entry and as two children must not hash alike.
  const Hash a = LeafHash("a");
  const Hash b = LeafHash("b");
  EXPECT_NE(LeafHash(a + b), NodeHash(a, b));
}

TEST(NodeIdTest, EqualityAndOrder) {
  EXPECT_EQ((NodeId{2, 5}), (NodeId{2, 5}));
  EXPECT_NE((NodeId{2, 5}), (NodeId{2, 6}));
  EXPECT_NE((NodeId{1, 5}), (NodeId{2, 5}));
  EXPECT_TRUE((NodeId{0, 100}) < (NodeId{1, 0}));  // level first
  EXPECT_TRUE((NodeId{1, 3}) < (NodeId{1, 4}));
  EXPECT_FALSE((NodeId{1, 4}) < (NodeId{1, 4}));
  EXPECT_FALSE((NodeId{2, 0}) < (NodeId{1, 9}));
}

// ---------------------------------------------------------------------------------------
// Certificate Transparency reference vectors.

MemoryTree CtTree() {
  MemoryTree tree;
  for (const std::string& leaf : CtLeaves()) tree.Append(LeafHash(leaf));
  return tree;
}

TEST(MerkleCtVectorsTest, RootsOfEverySize) {
  MemoryTree tree = CtTree();
  for (uint64_t size = 0; size <= 8; ++size) {
    auto root = RootHash(tree, size);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(Hex(*root), CtRootsHex()[size]) << "size " << size;
  }
}

TEST(MerkleCtVectorsTest, ReferenceImplementationAgrees) {
  reference::Tree ref(CtLeaves());
  for (uint64_t size = 0; size <= 8; ++size) {
    EXPECT_EQ(Hex(ref.Mth(0, size)), CtRootsHex()[size]) << "size " << size;
  }
}

TEST(MerkleCtVectorsTest, InclusionProofs) {
  // From transparency-dev/merkle testonly/reference_test.go.
  const struct {
    uint64_t index;
    uint64_t size;
    std::vector<std::string> proof;
  } kVectors[] = {
      {0, 1, {}},
      {0, 2, {CtNodesHex()[0][1]}},
      {1, 2, {CtNodesHex()[0][0]}},
      {2, 3, {CtNodesHex()[1][0]}},
      {1, 5, {CtNodesHex()[0][0], CtNodesHex()[1][1], CtNodesHex()[0][4]}},
      {0, 8, {CtNodesHex()[0][1], CtNodesHex()[1][1], CtNodesHex()[2][1]}},
      {5, 8, {CtNodesHex()[0][4], CtNodesHex()[1][3], CtNodesHex()[2][0]}},
  };
  MemoryTree tree = CtTree();
  for (const auto& v : kVectors) {
    auto proof = InclusionProof(tree, v.index, v.size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(HexAll(*proof), v.proof) << v.index << " in " << v.size;
    EXPECT_TRUE(VerifyInclusion(v.index, v.size, LeafHash(CtLeaves()[v.index]), *proof,
                                Unhex(CtRootsHex()[v.size])));
  }
}

TEST(MerkleCtVectorsTest, ConsistencyProofs) {
  const struct {
    uint64_t old_size;
    uint64_t new_size;
    std::vector<std::string> proof;
  } kVectors[] = {
      {1, 1, {}},
      {1, 8, {CtNodesHex()[0][1], CtNodesHex()[1][1], CtNodesHex()[2][1]}},
      {2, 5, {CtNodesHex()[1][1], CtNodesHex()[0][4]}},
      {6, 8, {CtNodesHex()[1][2], CtNodesHex()[1][3], CtNodesHex()[2][0]}},
  };
  MemoryTree tree = CtTree();
  for (const auto& v : kVectors) {
    auto proof = ConsistencyProof(tree, v.old_size, v.new_size);
    ASSERT_TRUE(proof.ok()) << proof.status().ToString();
    EXPECT_EQ(HexAll(*proof), v.proof) << v.old_size << " -> " << v.new_size;
    EXPECT_TRUE(VerifyConsistency(v.old_size, v.new_size, Unhex(CtRootsHex()[v.old_size]),
                                  Unhex(CtRootsHex()[v.new_size]), *proof));
  }
}

// ---------------------------------------------------------------------------------------
// RangeDecomposition.

TEST(RangeDecompositionTest, Examples) {
  EXPECT_EQ(RangeDecomposition(0, 1), (std::vector<NodeId>{{0, 0}}));
  EXPECT_EQ(RangeDecomposition(0, 8), (std::vector<NodeId>{{3, 0}}));
  EXPECT_EQ(RangeDecomposition(0, 13), (std::vector<NodeId>{{3, 0}, {2, 2}, {0, 12}}));
  EXPECT_EQ(RangeDecomposition(8, 13), (std::vector<NodeId>{{2, 2}, {0, 12}}));
  EXPECT_EQ(RangeDecomposition(3, 13), (std::vector<NodeId>{{0, 3}, {2, 1}, {2, 2}, {0, 12}}));
  EXPECT_EQ(RangeDecomposition(5, 6), (std::vector<NodeId>{{0, 5}}));
  EXPECT_TRUE(RangeDecomposition(5, 5).empty());
  EXPECT_TRUE(RangeDecomposition(6, 5).empty());
  EXPECT_TRUE(RangeDecomposition(0, 0).empty());
}

TEST(RangeDecompositionTest, PrefixesAreTheBitsOfTheSizeLargestFirst) {
  for (uint64_t n = 1; n <= 1024; ++n) {
    const std::vector<NodeId> ids = RangeDecomposition(0, n);
    ASSERT_EQ(ids.size(), static_cast<size_t>(__builtin_popcountll(n))) << n;
    uint64_t covered = 0;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (i > 0) {
        ASSERT_LT(ids[i].level, ids[i - 1].level) << n;
      }
      ASSERT_TRUE((n >> ids[i].level) & 1) << n;  // one subtree per set bit
      ASSERT_EQ(ids[i].index << ids[i].level, covered) << n;
      covered += uint64_t{1} << ids[i].level;
    }
    ASSERT_EQ(covered, n);
  }
}

TEST(RangeDecompositionTest, AlignedRangesSplitLikeTheMthRecursion) {
  for (uint64_t n = 1; n <= 300; ++n) {
    ASSERT_EQ(RangeDecomposition(0, n), MthSplit(0, n)) << n;
  }
  // Ranges the proof code asks for: begin a multiple of a power of two >= the length.
  for (int t = 0; t <= 8; ++t) {
    const uint64_t block = uint64_t{1} << t;
    for (uint64_t j = 0; j < 4; ++j) {
      for (uint64_t length = 1; length <= block; ++length) {
        const uint64_t begin = j * block;
        ASSERT_EQ(RangeDecomposition(begin, begin + length), MthSplit(begin, begin + length))
            << begin << ".." << begin + length;
      }
    }
  }
}

TEST(RangeDecompositionTest, ArbitraryRangesAreCoveredMinimally) {
  for (uint64_t begin = 0; begin < 200; ++begin) {
    for (uint64_t end = begin + 1; end <= 200; ++end) {
      const std::vector<NodeId> ids = RangeDecomposition(begin, end);
      ASSERT_LE(ids.size(), static_cast<size_t>(2 * BitLength(end - begin))) << begin << " " << end;
      uint64_t next = begin;
      for (size_t i = 0; i < ids.size(); ++i) {
        const NodeId& id = ids[i];
        ASSERT_EQ(id.index << id.level, next) << begin << " " << end;
        next += uint64_t{1} << id.level;
        ASSERT_LE(next, end);
        // Greedy: the parent would start elsewhere or run past the end.
        const bool parent_fits = (id.index % 2 == 0) && ((id.index + 2) << id.level) <= end;
        ASSERT_FALSE(parent_fits) << begin << " " << end << " node " << i;
      }
      ASSERT_EQ(next, end);
    }
  }
}

TEST(RangeDecompositionTest, ExtremeSizes) {
  const std::vector<NodeId> all = RangeDecomposition(0, kMax);
  ASSERT_EQ(all.size(), 64u);
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(all[static_cast<size_t>(i)].level, 63 - i);
    EXPECT_EQ(all[static_cast<size_t>(i)].index, (kMax >> (63 - i)) - 1);
  }
  EXPECT_EQ(RangeDecomposition(0, uint64_t{1} << 63), (std::vector<NodeId>{{63, 0}}));
  EXPECT_EQ(RangeDecomposition(kMax - 1, kMax), (std::vector<NodeId>{{0, kMax - 1}}));
  EXPECT_EQ(RangeDecomposition(1, kMax).size(), 126u);
}

// ---------------------------------------------------------------------------------------
// RootHash.

TEST(RootHashTest, EverySizeMatchesTheReferenceInOneRoundTrip) {
  BigTree& big = Big();
  for (uint64_t n = 0; n <= kTreeSize; ++n) {
    CheckingSource source(big.tree, n);
    auto root = RootHash(source, n);
    ASSERT_TRUE(root.ok()) << root.status().ToString();
    EXPECT_EQ(Hex(*root), Hex(big.roots[n])) << "size " << n;
    EXPECT_EQ(source.calls(), n == 0 ? 0 : 1) << "size " << n;
    EXPECT_EQ(source.nodes(), static_cast<size_t>(__builtin_popcountll(n))) << "size " << n;
  }
}

TEST(RootHashTest, EmptyTreeDoesNotTouchTheSource) {
  FixedSource failing(Status::Unavailable("database down"));
  auto root = RootHash(failing, 0);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, EmptyRootHash());
}

TEST(RootHashTest, SourceErrorsAndBadAnswers) {
  FixedSource failing(Status::Unavailable("database down"));
  EXPECT_EQ(RootHash(failing, 5).status().code(), StatusCode::kUnavailable);

  FixedSource too_few(std::vector<Hash>{LeafHash("x")});
  EXPECT_EQ(RootHash(too_few, 5).status().code(), StatusCode::kInternal);  // needs 2

  FixedSource short_hash(std::vector<Hash>{LeafHash("x"), "short"});
  EXPECT_EQ(RootHash(short_hash, 5).status().code(), StatusCode::kInternal);
}

// ---------------------------------------------------------------------------------------
// Proof generation: argument checks, batching, huge trees.

TEST(InclusionProofTest, RejectsIndexOutsideTree) {
  MemoryTree tree = CtTree();
  EXPECT_EQ(InclusionProof(tree, 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, 3, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, 9, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(InclusionProof(tree, kMax, kMax).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(InclusionProof(tree, 2, 3).ok());
}

TEST(InclusionProofTest, PropagatesSourceErrors) {
  FixedSource failing(Status::Unavailable("database down"));
  EXPECT_EQ(InclusionProof(failing, 1, 5).status().code(), StatusCode::kUnavailable);
  FixedSource too_many(std::vector<Hash>(9, LeafHash("x")));
  EXPECT_EQ(InclusionProof(too_many, 1, 5).status().code(), StatusCode::kInternal);
  FixedSource empty_hashes(std::vector<Hash>(3, ""));
  EXPECT_EQ(InclusionProof(empty_hashes, 1, 5).status().code(), StatusCode::kInternal);
}

TEST(ConsistencyProofTest, RejectsBadSizes) {
  MemoryTree tree = CtTree();
  EXPECT_EQ(ConsistencyProof(tree, 4, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 0, 3).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, 0, 0).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(tree, kMax, 1).status().code(), StatusCode::kInvalidArgument);
}

TEST(ConsistencyProofTest, EqualSizesGiveEmptyProofWithoutTouchingTheSource) {
  FixedSource failing(Status::Unavailable("database down"));
  for (uint64_t size : {uint64_t{1}, uint64_t{7}, uint64_t{8}, kMax}) {
    auto proof = ConsistencyProof(failing, size, size);
    ASSERT_TRUE(proof.ok()) << size;
    EXPECT_TRUE(proof->empty());
  }
}

TEST(ConsistencyProofTest, PropagatesSourceErrors) {
  FixedSource failing(Status::Unavailable("database down"));
  EXPECT_EQ(ConsistencyProof(failing, 3, 7).status().code(), StatusCode::kUnavailable);
  FixedSource too_few(std::vector<Hash>{LeafHash("x")});
  EXPECT_EQ(ConsistencyProof(too_few, 3, 7).status().code(), StatusCode::kInternal);
}

TEST(ProofBatchingTest, HugeTreesNeedOneRoundTripAndFewNodes) {
  UniformTree uniform;
  const uint64_t sizes[] = {1,
                            2,
                            3,
                            1000,
                            uint64_t{1} << 32,
                            (uint64_t{1} << 32) + 5,
                            12345678901234567,
                            uint64_t{1} << 63,
                            (uint64_t{1} << 63) + 1,
                            kMax - 1,
                            kMax};
  for (uint64_t size : sizes) {
    CheckingSource source(uniform, size);
    auto root = RootHash(source, size);
    ASSERT_TRUE(root.ok());
    // Every leaf is the same, so every root is a fold of level hashes; a perfect tree's root
    // is simply the hash of its level.
    if ((size & (size - 1)) == 0) {
      EXPECT_EQ(*root, uniform.AtLevel(BitLength(size) - 1));
    }

    for (uint64_t index : {uint64_t{0}, uint64_t{1}, size / 2, size - 2, size - 1}) {
      if (index >= size) continue;
      source.Reset();
      auto proof = InclusionProof(source, index, size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      EXPECT_LE(source.calls(), 1);
      EXPECT_LE(source.nodes(), 128u);
      EXPECT_LE(proof->size(), 64u);
      EXPECT_TRUE(VerifyInclusion(index, size, uniform.AtLevel(0), *proof, *root))
          << index << " in " << size;
    }
    for (uint64_t old_size : {uint64_t{1}, uint64_t{2}, size / 3, size - 1, size}) {
      if (old_size == 0 || old_size > size) continue;
      source.Reset();
      auto proof = ConsistencyProof(source, old_size, size);
      ASSERT_TRUE(proof.ok()) << proof.status().ToString();
      EXPECT_LE(source.calls(), 1);
      EXPECT_LE(source.nodes(), 128u);
      EXPECT_LE(proof->size(), 128u);
      CheckingSource old_source(uniform, old_size);
      auto old_root = RootHash(old_source, old_size);
      ASSERT_TRUE(old_root.ok());
      EXPECT_TRUE(VerifyConsistency(old_size, size, *old_root, *root, *proof))
          << old_size << " -> " << size;
    }
  }
}

// ---------------------------------------------------------------------------------------
// Exhaustive: every proof of every tree up to 256 leaves.

// The proofs are mutated in place and restored rather than copied: under the sanitizers
// allocation, not hashing, would otherwise dominate these loops.
void FlipBitInPlace(Hash& hash, size_t bit) {
  hash[bit / 8] = static_cast<char>(hash[bit / 8] ^ (1 << (bit % 8)));
}

TEST(MerkleExhaustiveTest, EveryInclusionProofMatchesTheRfcAndRejectsMutations) {
  BigTree& big = Big();
  const Hash junk = LeafHash("not a node of this tree");
  for (uint64_t n = 1; n <= kTreeSize; ++n) {
    CheckingSource source(big.tree, n);
    const Hash& root = big.roots[n];
    for (uint64_t i = 0; i < n; ++i) {
      source.Reset();
      auto generated = InclusionProof(source, i, n);
      ASSERT_TRUE(generated.ok()) << generated.status().ToString();
      std::vector<Hash>& proof = *generated;
      const std::vector<Hash> expected = big.reference.Path(i, 0, n);
      ASSERT_TRUE(proof == expected) << i << " in " << n << "\n"
                                     << ::testing::PrintToString(HexAll(proof)) << "\n"
                                     << ::testing::PrintToString(HexAll(expected));
      ASSERT_LE(source.calls(), 1);
      ASSERT_LE(source.nodes(), static_cast<size_t>(2 * BitLength(n)));

      Hash leaf = big.reference.LeafHashOf(i);
      ASSERT_TRUE(VerifyInclusion(i, n, leaf, proof, root)) << i << " in " << n;

      // A bit flipped in the first and in the last element, at positions that vary.
      for (size_t e : {size_t{0}, proof.size() - 1}) {
        if (proof.empty()) break;
        const size_t bit = (i * 7 + n * 13 + e * 31) % 256;
        FlipBitInPlace(proof[e], bit);
        ASSERT_FALSE(VerifyInclusion(i, n, leaf, proof, root)) << i << " in " << n << " e " << e;
        FlipBitInPlace(proof[e], bit);
      }
      // One element missing, one too many.
      if (!proof.empty()) {
        Hash last = std::move(proof.back());
        proof.pop_back();
        ASSERT_FALSE(VerifyInclusion(i, n, leaf, proof, root)) << i << " in " << n;
        proof.push_back(std::move(last));
      }
      proof.push_back(junk);
      ASSERT_FALSE(VerifyInclusion(i, n, leaf, proof, root)) << i << " in " << n;
      proof.pop_back();
      // Neighbouring indices.
      if (i > 0) {
        ASSERT_FALSE(VerifyInclusion(i - 1, n, leaf, proof, root)) << i << " in " << n;
      }
      ASSERT_FALSE(VerifyInclusion(i + 1, n, leaf, proof, root)) << i << " in " << n;
      // Neighbouring tree heads, each with its own root: an inclusion proof is only good for
      // the head it was made for.
      if (n < kTreeSize) {
        ASSERT_FALSE(VerifyInclusion(i, n + 1, leaf, proof, big.roots[n + 1])) << i << " " << n;
      }
      if (i < n - 1) {
        ASSERT_FALSE(VerifyInclusion(i, n - 1, leaf, proof, big.roots[n - 1])) << i << " " << n;
      }
      // Wrong root, wrong leaf.
      ASSERT_FALSE(VerifyInclusion(i, n, leaf, proof, FlipBit(root, (i + n) % 256)));
      FlipBitInPlace(leaf, (3 * i + n) % 256);
      ASSERT_FALSE(VerifyInclusion(i, n, leaf, proof, root)) << i << " in " << n;
      if (n > 1) {
        ASSERT_FALSE(VerifyInclusion(i, n, big.reference.LeafHashOf((i + 1) % n), proof, root));
      }
    }
  }
}

TEST(MerkleExhaustiveTest, EveryConsistencyProofMatchesTheRfcAndRejectsMutations) {
  BigTree& big = Big();
  const Hash junk = LeafHash("not a node of this tree");
  for (uint64_t n = 1; n <= kTreeSize; ++n) {
    CheckingSource source(big.tree, n);
    const Hash& new_root = big.roots[n];
    for (uint64_t m = 1; m <= n; ++m) {
      source.Reset();
      auto generated = ConsistencyProof(source, m, n);
      ASSERT_TRUE(generated.ok()) << generated.status().ToString();
      std::vector<Hash>& proof = *generated;
      const std::vector<Hash> expected = big.reference.Proof(m, n);
      ASSERT_TRUE(proof == expected) << m << " -> " << n << "\n"
                                     << ::testing::PrintToString(HexAll(proof)) << "\n"
                                     << ::testing::PrintToString(HexAll(expected));
      ASSERT_LE(source.calls(), 1);
      ASSERT_LE(source.nodes(), static_cast<size_t>(2 * BitLength(n)));

      const Hash& old_root = big.roots[m];
      ASSERT_TRUE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << " -> " << n;

      for (size_t e : {size_t{0}, proof.size() - 1}) {
        if (proof.empty()) break;
        const size_t bit = (m * 11 + n * 5 + e * 37) % 256;
        FlipBitInPlace(proof[e], bit);
        ASSERT_FALSE(VerifyConsistency(m, n, old_root, new_root, proof))
            << m << " -> " << n << " e " << e;
        FlipBitInPlace(proof[e], bit);
      }
      if (!proof.empty()) {
        Hash last = std::move(proof.back());
        proof.pop_back();
        ASSERT_FALSE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
        proof.push_back(std::move(last));
      }
      proof.push_back(junk);
      ASSERT_FALSE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      proof.pop_back();
      // Some implementations send the old root as an explicit first element when the old
      // tree is perfect; the RFC's proof never contains it.
      proof.insert(proof.begin(), old_root);
      ASSERT_FALSE(VerifyConsistency(m, n, old_root, new_root, proof)) << m << " -> " << n;
      proof.erase(proof.begin());

      // Neighbouring tree heads, each with its own correct root.
      if (m > 1) {
        ASSERT_FALSE(VerifyConsistency(m - 1, n, big.roots[m - 1], new_root, proof)) << m << n;
      }
      if (m < n) {
        ASSERT_FALSE(VerifyConsistency(m + 1, n, big.roots[m + 1], new_root, proof)) << m << n;
      }
      if (n < kTreeSize) {
        ASSERT_FALSE(VerifyConsistency(m, n + 1, old_root, big.roots[n + 1], proof)) << m << n;
      }
      if (n - 1 >= m) {
        ASSERT_FALSE(VerifyConsistency(m, n - 1, old_root, big.roots[n - 1], proof)) << m << n;
      }
      // Wrong roots.
      ASSERT_FALSE(VerifyConsistency(m, n, FlipBit(old_root, (m + n) % 256), new_root, proof));
      ASSERT_FALSE(VerifyConsistency(m, n, old_root, FlipBit(new_root, (m * n) % 256), proof));
      if (m < n) {
        ASSERT_FALSE(VerifyConsistency(m, n, new_root, old_root, proof)) << m << " -> " << n;
      }
    }
  }
}

// Every bit of every element, for a sample of proofs: no bit of a proof is unchecked.
TEST(MerkleExhaustiveTest, EveryBitFlipIsRejectedForSampledProofs) {
  BigTree& big = Big();
  const uint64_t sizes[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 31, 32, 33, 100, 127, 128, 129, 255, 256};
  for (uint64_t n : sizes) {
    const Hash& root = big.roots[n];
    for (uint64_t i : {uint64_t{0}, n / 3, n / 2, n - 1}) {
      auto proof = InclusionProof(big.tree, i, n);
      ASSERT_TRUE(proof.ok());
      const Hash leaf = big.reference.LeafHashOf(i);
      for (size_t bit = 0; bit < 256; ++bit) {
        ASSERT_FALSE(VerifyInclusion(i, n, FlipBit(leaf, bit), *proof, root));
        ASSERT_FALSE(VerifyInclusion(i, n, leaf, *proof, FlipBit(root, bit)));
        for (size_t e = 0; e < proof->size(); ++e) {
          std::vector<Hash> bad = *proof;
          bad[e] = FlipBit(bad[e], bit);
          ASSERT_FALSE(VerifyInclusion(i, n, leaf, bad, root)) << i << " " << n << " " << e;
        }
      }
    }
    for (uint64_t m : {uint64_t{1}, n / 3, n / 2, n - 1, n}) {
      if (m == 0) continue;
      auto proof = ConsistencyProof(big.tree, m, n);
      ASSERT_TRUE(proof.ok());
      const Hash& old_root = big.roots[m];
      for (size_t bit = 0; bit < 256; ++bit) {
        ASSERT_FALSE(VerifyConsistency(m, n, FlipBit(old_root, bit), root, *proof));
        ASSERT_FALSE(VerifyConsistency(m, n, old_root, FlipBit(root, bit), *proof));
        for (size_t e = 0; e < proof->size(); ++e) {
          std::vector<Hash> bad = *proof;
          bad[e] = FlipBit(bad[e], bit);
          ASSERT_FALSE(VerifyConsistency(m, n, old_root, root, bad)) << m << " " << n << " " << e;
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------
// Verification edge cases.

TEST(VerifyInclusionTest, RejectsMalformedInput) {
  BigTree& big = Big();
  const uint64_t n = 13;
  const uint64_t i = 6;
  auto proof = InclusionProof(big.tree, i, n);
  ASSERT_TRUE(proof.ok());
  const Hash leaf = big.reference.LeafHashOf(i);
  const Hash& root = big.roots[n];
  ASSERT_TRUE(VerifyInclusion(i, n, leaf, *proof, root));

  EXPECT_FALSE(VerifyInclusion(n, n, leaf, *proof, root));
  EXPECT_FALSE(VerifyInclusion(kMax, n, leaf, *proof, root));
  EXPECT_FALSE(VerifyInclusion(0, 0, leaf, {}, EmptyRootHash()));
  EXPECT_FALSE(VerifyInclusion(i, n, leaf.substr(0, 31), *proof, root));
  EXPECT_FALSE(VerifyInclusion(i, n, leaf + "x", *proof, root));
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, *proof, root.substr(0, 31)));
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, *proof, ""));
  std::vector<Hash> short_element = *proof;
  short_element[1].pop_back();
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, short_element, root));
  std::vector<Hash> long_element = *proof;
  long_element[1].push_back('\0');
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, long_element, root));
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, {}, root));
  // The leaf hash is not the entry: the raw entry or a second hashing does not verify.
  EXPECT_FALSE(VerifyInclusion(i, n, LeafHash(leaf), *proof, root));
  std::vector<Hash> reversed(proof->rbegin(), proof->rend());
  EXPECT_FALSE(VerifyInclusion(i, n, leaf, reversed, root));
}

// A proof must climb all the way to the root of a tree of the claimed size: a shortened
// proof checked against the inner node it does lead to is still rejected.
TEST(VerifyInclusionTest, ProofMustReachTheRootOfTheClaimedSize) {
  BigTree& big = Big();
  const Hash leaf0 = big.reference.LeafHashOf(0);
  auto proof = InclusionProof(big.tree, 0, 8);
  ASSERT_TRUE(proof.ok());
  ASSERT_EQ(proof->size(), 3u);
  EXPECT_FALSE(VerifyInclusion(0, 8, leaf0, {}, leaf0));
  EXPECT_FALSE(VerifyInclusion(0, 2, leaf0, {}, leaf0));
  EXPECT_FALSE(VerifyInclusion(0, 8, leaf0, {(*proof)[0]}, big.roots[2]));
  EXPECT_FALSE(VerifyInclusion(0, 8, leaf0, {(*proof)[0], (*proof)[1]}, big.roots[4]));
  // The same shortened proofs are fine for the smaller trees they do prove.
  EXPECT_TRUE(VerifyInclusion(0, 2, leaf0, {(*proof)[0]}, big.roots[2]));
  EXPECT_TRUE(VerifyInclusion(0, 4, leaf0, {(*proof)[0], (*proof)[1]}, big.roots[4]));
  // And a proof for a smaller tree does not stretch to a larger one with the same root.
  EXPECT_FALSE(VerifyInclusion(0, 5, leaf0, {(*proof)[0], (*proof)[1]}, big.roots[4]));
}

TEST(VerifyConsistencyTest, ProofMustReachTheNewRootOfTheClaimedSize) {
  BigTree& big = Big();
  auto proof = ConsistencyProof(big.tree, 2, 8);
  ASSERT_TRUE(proof.ok());
  ASSERT_EQ(proof->size(), 2u);  // MTH(D[2:4]), MTH(D[4:8])
  EXPECT_TRUE(VerifyConsistency(2, 8, big.roots[2], big.roots[8], *proof));
  // Without its last element the proof leads to the root of 4 leaves, not of 8.
  EXPECT_FALSE(VerifyConsistency(2, 8, big.roots[2], big.roots[4], {(*proof)[0]}));
  EXPECT_TRUE(VerifyConsistency(2, 4, big.roots[2], big.roots[4], {(*proof)[0]}));
  // And the other way round.
  EXPECT_FALSE(VerifyConsistency(2, 4, big.roots[2], big.roots[8], *proof));
}

TEST(VerifyInclusionTest, SingleLeafTree) {
  const Hash leaf = LeafHash("only");
  EXPECT_TRUE(VerifyInclusion(0, 1, leaf, {}, leaf));
  EXPECT_FALSE(VerifyInclusion(0, 1, leaf, {leaf}, leaf));
  EXPECT_FALSE(VerifyInclusion(0, 1, leaf, {}, LeafHash("other")));
  EXPECT_FALSE(VerifyInclusion(1, 1, leaf, {}, leaf));
}

TEST(VerifyConsistencyTest, EmptyOldTree) {
  BigTree& big = Big();
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{5}, uint64_t{256}}) {
    EXPECT_TRUE(VerifyConsistency(0, n, EmptyRootHash(), big.roots[n], {})) << n;
    EXPECT_FALSE(VerifyConsistency(0, n, EmptyRootHash(), big.roots[n], {big.roots[n]})) << n;
    EXPECT_FALSE(VerifyConsistency(0, n, big.roots[1], big.roots[n], {})) << n;
  }
  EXPECT_TRUE(VerifyConsistency(0, 0, EmptyRootHash(), EmptyRootHash(), {}));
  EXPECT_FALSE(VerifyConsistency(0, 0, EmptyRootHash(), big.roots[1], {}));
  EXPECT_FALSE(VerifyConsistency(0, 0, big.roots[1], big.roots[1], {}));
  EXPECT_FALSE(VerifyConsistency(0, 5, EmptyRootHash(), "", {}));
}

TEST(VerifyConsistencyTest, EqualSizes) {
  BigTree& big = Big();
  for (uint64_t n : {uint64_t{1}, uint64_t{2}, uint64_t{7}, uint64_t{256}}) {
    EXPECT_TRUE(VerifyConsistency(n, n, big.roots[n], big.roots[n], {})) << n;
    EXPECT_FALSE(VerifyConsistency(n, n, big.roots[n], big.roots[n - 1], {})) << n;
    EXPECT_FALSE(VerifyConsistency(n, n, big.roots[n], big.roots[n], {big.roots[n]})) << n;
    EXPECT_FALSE(VerifyConsistency(n, n, big.roots[n], FlipBit(big.roots[n], 0), {})) << n;
  }
}

TEST(VerifyConsistencyTest, RejectsMalformedInput) {
  BigTree& big = Big();
  auto proof = ConsistencyProof(big.tree, 6, 13);
  ASSERT_TRUE(proof.ok());
  const Hash& old_root = big.roots[6];
  const Hash& new_root = big.roots[13];
  ASSERT_TRUE(VerifyConsistency(6, 13, old_root, new_root, *proof));

  EXPECT_FALSE(VerifyConsistency(13, 6, new_root, old_root, *proof));
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root, new_root, {}));
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root.substr(1), new_root, *proof));
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root, new_root + "x", *proof));
  std::vector<Hash> short_element = *proof;
  short_element.back().pop_back();
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root, new_root, short_element));
  EXPECT_FALSE(VerifyConsistency(kMax, kMax - 1, old_root, new_root, *proof));
  std::vector<Hash> reversed(proof->rbegin(), proof->rend());
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root, new_root, reversed));
  // A very long proof is rejected, not looped over forever.
  std::vector<Hash> huge(10000, new_root);
  EXPECT_FALSE(VerifyConsistency(6, 13, old_root, new_root, huge));
  EXPECT_FALSE(VerifyInclusion(0, 13, big.reference.LeafHashOf(0), huge, new_root));
}

// ---------------------------------------------------------------------------------------
// AppendLeaves.

TEST(AppendLeavesTest, RandomBatchesMatchMemoryTree) {
  std::mt19937_64 random(20240611);
  MemoryTree tree;
  uint64_t size = 0;
  std::vector<Hash> frontier;
  std::uniform_int_distribution<int> batch_size(0, 40);
  while (size < 1500) {
    std::vector<Hash> batch;
    const int count = batch_size(random);
    for (int j = 0; j < count; ++j) batch.push_back(LeafHash("leaf " + std::to_string(size + j)));

    auto result = AppendLeaves(size, frontier, batch);
    ASSERT_TRUE(result.ok()) << result.status().ToString();
    const uint64_t old_size = size;
    for (const Hash& leaf : batch) tree.Append(leaf);
    size = tree.size();

    // Exactly the nodes that exist now but did not before, level by level.
    std::vector<NodeId> expected_ids;
    for (int level = 0; level < 64; ++level) {
      for (uint64_t index = old_size >> level; index < (size >> level); ++index) {
        expected_ids.push_back(NodeId{level, index});
      }
    }
    std::vector<NodeId> ids;
    std::vector<Hash> hashes;
    for (const auto& [id, hash] : result->nodes) {
      ids.push_back(id);
      hashes.push_back(hash);
    }
    ASSERT_EQ(ids, expected_ids) << old_size << " + " << count;
    auto stored = tree.GetNodes(ids);
    ASSERT_TRUE(stored.ok());
    ASSERT_EQ(HexAll(hashes), HexAll(*stored));
    ASSERT_EQ(Hex(result->root), Hex(tree.Root()));
    ASSERT_EQ(HexAll(result->frontier), HexAll(tree.Frontier()));
    auto root = RootHash(tree, size);
    ASSERT_TRUE(root.ok());
    ASSERT_EQ(*root, result->root);
    frontier = result->frontier;
  }
}

TEST(AppendLeavesTest, OneBatchEqualsManyBatches) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 100; ++i) leaves.push_back(LeafHash(std::to_string(i)));
  auto all = AppendLeaves(0, {}, leaves);
  ASSERT_TRUE(all.ok());
  uint64_t size = 0;
  std::vector<Hash> frontier;
  std::set<NodeId> seen;
  for (const Hash& leaf : leaves) {
    auto one = AppendLeaves(size++, frontier, {leaf});
    ASSERT_TRUE(one.ok());
    frontier = one->frontier;
    for (const auto& node : one->nodes) EXPECT_TRUE(seen.insert(node.first).second);
  }
  EXPECT_EQ(frontier, all->frontier);
  EXPECT_EQ(seen.size(), all->nodes.size());
  EXPECT_EQ(all->nodes.size(), 100u + 50 + 25 + 12 + 6 + 3 + 1);
}

TEST(AppendLeavesTest, CtVectors) {
  std::vector<Hash> leaves;
  for (const std::string& entry : CtLeaves()) leaves.push_back(LeafHash(entry));
  auto first = AppendLeaves(0, {}, std::vector<Hash>(leaves.begin(), leaves.begin() + 3));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(Hex(first->root), CtRootsHex()[3]);
  EXPECT_EQ(HexAll(first->frontier),
            (std::vector<std::string>{CtNodesHex()[1][0], CtNodesHex()[0][2]}));
  auto rest = AppendLeaves(3, first->frontier, std::vector<Hash>(leaves.begin() + 3, leaves.end()));
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(Hex(rest->root), CtRootsHex()[8]);
  EXPECT_EQ(HexAll(rest->frontier), (std::vector<std::string>{CtRootsHex()[8]}));
  // Leaves 3..7, pairs (1,1)..(1,3), quads (2,0) (2,1), and the root (3,0).
  ASSERT_EQ(rest->nodes.size(), 5u + 3 + 2 + 1);
  EXPECT_EQ(rest->nodes.front().first, (NodeId{0, 3}));
  EXPECT_EQ(rest->nodes.back().first, (NodeId{3, 0}));
  EXPECT_EQ(Hex(rest->nodes[5].second), CtNodesHex()[1][1]);
}

TEST(AppendLeavesTest, NothingToAppend) {
  auto empty = AppendLeaves(0, {}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->nodes.empty());
  EXPECT_TRUE(empty->frontier.empty());
  EXPECT_EQ(empty->root, EmptyRootHash());

  MemoryTree tree = CtTree();
  auto same = AppendLeaves(8, tree.Frontier(), {});
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same->nodes.empty());
  EXPECT_EQ(same->frontier, tree.Frontier());
  EXPECT_EQ(Hex(same->root), CtRootsHex()[8]);
}

TEST(AppendLeavesTest, RejectsFrontierOfWrongLength) {
  const Hash h = LeafHash("x");
  EXPECT_EQ(AppendLeaves(0, {h}, {h}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(1, {}, {h}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(5, {h}, {h}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(5, {h, h, h}, {h}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(8, {h, h}, {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(AppendLeaves(5, {h, h}, {h}).ok());
  EXPECT_EQ(AppendLeaves(5, {h}, {h}).status().field(), "frontier");
}

TEST(AppendLeavesTest, RejectsHashesOfWrongLength) {
  const Hash h = LeafHash("x");
  EXPECT_EQ(AppendLeaves(1, {h.substr(1)}, {h}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(1, {h}, {h, "entry, not hash"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(0, {}, {""}).status().code(), StatusCode::kInvalidArgument);
}

TEST(AppendLeavesTest, HugeTreeAndOverflow) {
  UniformTree uniform;
  const uint64_t size = (uint64_t{1} << 40) - 1;
  std::vector<Hash> frontier;
  for (int level = 39; level >= 0; --level) frontier.push_back(uniform.AtLevel(level));
  auto result = AppendLeaves(size, frontier, {uniform.AtLevel(0)});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->nodes.size(), 41u);
  for (int level = 0; level <= 40; ++level) {
    EXPECT_EQ(result->nodes[static_cast<size_t>(level)].first,
              (NodeId{level, (uint64_t{1} << (40 - level)) - 1}));
    EXPECT_EQ(result->nodes[static_cast<size_t>(level)].second, uniform.AtLevel(level));
  }
  EXPECT_EQ(result->root, uniform.AtLevel(40));
  EXPECT_EQ(result->frontier, std::vector<Hash>{uniform.AtLevel(40)});

  std::vector<Hash> full_frontier;  // size 2^64 - 2: every level but 0
  for (int level = 63; level >= 1; --level) full_frontier.push_back(uniform.AtLevel(level));
  const Hash leaf = uniform.AtLevel(0);
  auto last = AppendLeaves(kMax - 1, full_frontier, {leaf});
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->frontier.size(), 64u);
  EXPECT_EQ(AppendLeaves(kMax - 1, full_frontier, {leaf, leaf}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AppendLeaves(kMax, last->frontier, {leaf}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(AppendLeaves(kMax, last->frontier, {}).ok());
}

}  // namespace
}  // namespace restitution::ledger
