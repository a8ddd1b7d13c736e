// The ledger's Merkle tree: RFC 9162 section 2.1 hashing, inclusion and consistency proofs,
// and the append step of the sequencer.
//
// Everything here is pure: the stored node hashes come in through NodeSource, which the
// database implements (and MemoryTree, for tests and the offline verifier). The tree only
// ever stores perfect subtrees: node (level, index) is the root of the complete subtree over
// leaves [index << level, (index + 1) << level), and it never changes once its last leaf is
// appended. Every other hash (the root of a tree whose size is not a power of two, the right
// edge of a proof) is computed on the fly from at most 64 perfect subtrees. That is the
// layout of the Certificate Transparency log servers, and it makes the stored tree itself
// append-only: a new leaf adds rows, it never rewrites one.
#ifndef RESTITUTION_LEDGER_MERKLE_H_
#define RESTITUTION_LEDGER_MERKLE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/status.h"

namespace restitution::ledger {

// A SHA-256 digest: always 32 raw bytes.
using Hash = std::string;

constexpr size_t kHashSize = 32;

// RFC 9162 section 2.1.1. The one-byte prefixes keep a leaf from ever hashing like an
// interior node (the second-preimage attack on plain Merkle trees).
Hash LeafHash(std::string_view entry);                         // SHA-256(0x00 || entry)
Hash NodeHash(std::string_view left, std::string_view right);  // SHA-256(0x01 || left || right)
Hash EmptyRootHash();  // SHA-256(""), the root of the tree with no leaves

// A perfect subtree: node (level, index) covers leaves [index << level, (index + 1) << level).
// Level 0 holds the leaf hashes; level is at most 63.
struct NodeId {
  int level;
  uint64_t index;

  bool operator==(const NodeId& other) const {
    return level == other.level && index == other.index;
  }
  bool operator!=(const NodeId& other) const { return !(*this == other); }
  // Level first, then index: the order AppendResult::nodes uses.
  bool operator<(const NodeId& other) const {
    return level != other.level ? level < other.level : index < other.index;
  }
};

// The perfect subtrees covering leaves [begin, end), left to right: at each step the largest
// subtree that starts at the current leaf and fits. When begin is 0, or more generally is a
// multiple of a power of two >= end - begin, this is exactly how RFC 9162's MTH recursion
// splits D[begin:end]: subtrees strictly decreasing in size, largest first, one per set bit
// of end - begin. For other ranges sizes first grow, then shrink. At most 2 * 64 ids; empty
// when begin >= end.
std::vector<NodeId> RangeDecomposition(uint64_t begin, uint64_t end);

// Where the stored perfect-subtree hashes come from: the database, or MemoryTree.
class NodeSource {
 public:
  virtual ~NodeSource() = default;

  // Returns the hashes of `ids` in the same order. Every id is a complete subtree of the
  // current tree. One call should be one database round trip, which is why the functions
  // below work out every id they need first and ask for them in a single call.
  virtual StatusOr<std::vector<Hash>> GetNodes(const std::vector<NodeId>& ids) = 0;
};

// MTH(D[0:size]), RFC 9162 section 2.1.1: EmptyRootHash() for size 0 (without calling the
// source), otherwise one GetNodes call for the popcount(size) subtrees of
// RangeDecomposition(0, size).
StatusOr<Hash> RootHash(NodeSource& source, uint64_t size);

// PATH(index, D[0:size]), RFC 9162 section 2.1.3.1: the audit path, leaf to root.
// InvalidArgument when index >= size (so always for size 0). One GetNodes call for at most
// 2 * 64 nodes; errors of the source are returned as they are, and a source that answers
// with the wrong number of hashes or hashes of the wrong length gives Internal.
StatusOr<std::vector<Hash>> InclusionProof(NodeSource& source, uint64_t index, uint64_t size);

// PROOF(old_size, D[0:new_size]), RFC 9162 section 2.1.4.1. InvalidArgument when
// old_size > new_size, and for old_size == 0, which the RFC excludes (0 < m): there is no
// tree head of size 0 to be consistent with, and VerifyConsistency accepts an empty proof
// from the empty tree anyway. old_size == new_size gives the empty proof SUBPROOF(m, D[m],
// true) without calling the source. Otherwise one GetNodes call, at most 2 * 64 nodes.
StatusOr<std::vector<Hash>> ConsistencyProof(NodeSource& source, uint64_t old_size,
                                             uint64_t new_size);

// RFC 9162 section 2.1.3.2, written from the RFC's verification steps rather than by
// regenerating the path, so a bug in the generator cannot hide itself. False for any
// malformed input: index >= size, hashes that are not 32 bytes, a path that is too short or
// too long, or simply the wrong root.
bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root);

// RFC 9162 section 2.1.4.2, likewise. Beyond the RFC (which covers 0 < old_size < new_size):
// old_size == new_size needs an empty proof and old_root == new_root; old_size == 0 needs an
// empty proof and old_root == EmptyRootHash() (the empty tree is a prefix of every tree). False
// for old_size > new_size, hashes that are not 32 bytes, and extra or missing proof elements.
bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof);

struct AppendResult {
  // Every perfect-subtree node that exists after the append but not before, leaves (level 0)
  // included, sorted by NodeId: increasing level, then increasing index.
  std::vector<std::pair<NodeId, Hash>> nodes;
  Hash root;                   // root of the new tree
  std::vector<Hash> frontier;  // hashes of RangeDecomposition(0, new size), left to right
};

// The sequencer's step: appends leaf_hashes to a tree of `size` leaves whose frontier is the
// hashes of RangeDecomposition(0, size), left to right (empty for size 0). The frontier is all
// the sequencer needs to remember between batches: no node has to be read back. Appending no
// leaves is allowed (nodes empty, root and frontier of the same tree).
// InvalidArgument when the frontier does not have popcount(size) hashes, when a frontier or
// leaf hash is not 32 bytes, or when the new size would overflow 64 bits.
StatusOr<AppendResult> AppendLeaves(uint64_t size, const std::vector<Hash>& frontier,
                                    const std::vector<Hash>& leaf_hashes);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_MERKLE_H_
