// Inclusion and consistency proof verification (ledger/merkle.h).
//
// Half the inputs describe a random tree (size, leaves, which index, which old size, which
// bit to flip): the product's proofs must equal the RFC 9162 reference's (the recursive
// transcription the unit tests use), verify, and stop verifying when any bit, the leaf, or
// the length changes; AppendLeaves, in one batch or two, must reach the same root. The other
// half feed raw, arbitrary proofs and sizes to the verifiers: never a crash, never true for
// malformed input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "crypto/status.h"
#include "ledger/memory_tree.h"
#include "ledger/merkle.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/ledger/merkle_reference.h"

namespace restitution::ledger {
namespace {

using fuzz::ByteReader;

// Most trees are small, so one run stays fast; one input in 32 builds up to 130 leaves (past 2^7).
constexpr uint64_t kSmallTreeSize = 20;
constexpr uint64_t kMaxTreeSize = 130;

std::vector<Hash> Flipped(std::vector<Hash> proof, ByteReader& in) {
  const size_t element = in.Byte() % proof.size();
  const size_t byte = in.Byte() % kHashSize;
  proof[element][byte] = static_cast<char>(proof[element][byte] ^ (1 << (in.Byte() % 8)));
  return proof;
}

void CheckRandomTree(ByteReader& in) {
  const uint64_t bound = in.Byte() % 32 == 0 ? kMaxTreeSize : kSmallTreeSize;
  const uint64_t size = 1 + (in.Uint64() % bound);
  const std::string salt = in.Bytes(4);
  std::vector<std::string> entries;
  std::vector<Hash> leaves;
  MemoryTree tree;
  for (uint64_t i = 0; i < size; ++i) {
    entries.push_back(salt + std::to_string(i));
    leaves.push_back(LeafHash(entries.back()));
    tree.Append(leaves.back());
  }
  reference::Tree ref(entries);
  const Hash root = ref.Mth(0, size);
  FUZZ_CHECK(tree.Root() == root, "MemoryTree root = RFC MTH");
  const StatusOr<Hash> stored_root = RootHash(tree, size);
  FUZZ_CHECK(stored_root.ok() && *stored_root == root, "RootHash = RFC MTH");

  // AppendLeaves from empty, and in two batches split where the input says.
  const StatusOr<AppendResult> whole = AppendLeaves(0, {}, leaves);
  FUZZ_CHECK(whole.ok() && whole->root == root && whole->frontier == tree.Frontier(),
             "AppendLeaves in one batch");
  const uint64_t split = in.Uint64() % (size + 1);
  const std::vector<Hash> first(leaves.begin(), leaves.begin() + static_cast<long>(split));
  const std::vector<Hash> rest(leaves.begin() + static_cast<long>(split), leaves.end());
  const StatusOr<AppendResult> head = AppendLeaves(0, {}, first);
  FUZZ_CHECK(head.ok() && head->root == ref.Mth(0, split), "AppendLeaves, first batch");
  const StatusOr<AppendResult> tail = AppendLeaves(split, head->frontier, rest);
  FUZZ_CHECK(tail.ok() && tail->root == root && tail->frontier == whole->frontier,
             "AppendLeaves, second batch");

  // Inclusion.
  const uint64_t index = in.Uint64() % size;
  const StatusOr<std::vector<Hash>> path = InclusionProof(tree, index, size);
  FUZZ_CHECK(path.ok() && *path == ref.Path(index, 0, size), "InclusionProof = RFC PATH");
  FUZZ_CHECK(VerifyInclusion(index, size, leaves[index], *path, root),
             "a valid inclusion proof verifies");
  if (!path->empty()) {
    FUZZ_CHECK(!VerifyInclusion(index, size, leaves[index], Flipped(*path, in), root),
               "a flipped bit breaks the inclusion proof");
    std::vector<Hash> shorter(*path);
    shorter.pop_back();
    FUZZ_CHECK(!VerifyInclusion(index, size, leaves[index], shorter, root), "too short");
  }
  std::vector<Hash> longer(*path);
  longer.push_back(root);
  FUZZ_CHECK(!VerifyInclusion(index, size, leaves[index], longer, root), "too long");
  if (size > 1) {
    const uint64_t other = (index + 1 + in.Uint64() % (size - 1)) % size;
    FUZZ_CHECK(!VerifyInclusion(index, size, leaves[other], *path, root), "another leaf");
  }
  // The wrong tree size must not crash; the answer may be either (paths can coincide).
  (void)VerifyInclusion(index, size + 1 + in.Byte(), leaves[index], *path, root);
  FUZZ_CHECK(!VerifyInclusion(size, size, leaves[index], *path, root), "index >= size");

  // Consistency.
  const uint64_t old_size = 1 + in.Uint64() % size;
  const Hash old_root = ref.Mth(0, old_size);
  const StatusOr<std::vector<Hash>> proof = ConsistencyProof(tree, old_size, size);
  FUZZ_CHECK(proof.ok() && *proof == ref.Proof(old_size, size), "ConsistencyProof = RFC PROOF");
  FUZZ_CHECK(VerifyConsistency(old_size, size, old_root, root, *proof),
             "a valid consistency proof verifies");
  FUZZ_CHECK(VerifyConsistency(0, size, EmptyRootHash(), root, {}), "empty tree is a prefix");
  if (!proof->empty()) {
    FUZZ_CHECK(!VerifyConsistency(old_size, size, old_root, root, Flipped(*proof, in)),
               "a flipped bit breaks the consistency proof");
    std::vector<Hash> shorter(*proof);
    shorter.pop_back();
    FUZZ_CHECK(!VerifyConsistency(old_size, size, old_root, root, shorter), "too short");
  }
  std::vector<Hash> longer_proof(*proof);
  longer_proof.push_back(root);
  FUZZ_CHECK(!VerifyConsistency(old_size, size, old_root, root, longer_proof), "too long");
  FUZZ_CHECK(!VerifyConsistency(old_size, size, Hash(kHashSize, 'w'), root, *proof),
             "a wrong old root");
  if (old_size < size) {
    FUZZ_CHECK(!VerifyConsistency(size, old_size, root, old_root, *proof), "old > new");
  }
}

// Arbitrary sizes and proofs: a hash is 32 bytes except when the input says otherwise.
Hash RawHash(ByteReader& in) {
  const uint8_t length = in.Byte();
  return in.Bytes(length < 224 ? kHashSize : length % 40);
}

void CheckRawProof(ByteReader& in) {
  const uint8_t shape = in.Byte();
  // Small sizes reach the interesting paths; big ones test the edges of 64 bits.
  const uint64_t a = (shape & 1) != 0 ? in.Uint64() : in.Byte();
  const uint64_t b = (shape & 2) != 0 ? ~uint64_t{0} - in.Byte() : in.Uint64() % 1024;
  const Hash leaf = RawHash(in);
  const Hash root = RawHash(in);
  const Hash other_root = RawHash(in);
  std::vector<Hash> proof(in.Byte() % 72);
  for (Hash& element : proof) element = RawHash(in);
  bool malformed = leaf.size() != kHashSize || root.size() != kHashSize;
  for (const Hash& element : proof) malformed = malformed || element.size() != kHashSize;

  const bool included = VerifyInclusion(a, b, leaf, proof, root);
  FUZZ_CHECK(!included || (!malformed && a < b && proof.size() <= 64), "inclusion: malformed");
  const bool consistent = VerifyConsistency(a, b, other_root, root, proof);
  FUZZ_CHECK(!consistent ||
                 (!malformed && other_root.size() == kHashSize && a <= b && proof.size() <= 128),
             "consistency: malformed");
}

}  // namespace
}  // namespace restitution::ledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  restitution::fuzz::ByteReader in(data, size);
  if (in.Byte() % 2 == 0) {
    restitution::ledger::CheckRandomTree(in);
  } else {
    restitution::ledger::CheckRawProof(in);
  }
  return 0;
}
