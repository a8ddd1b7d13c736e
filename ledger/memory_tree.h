// An in-memory Merkle tree that stores every perfect-subtree node: for tests, the offline
// verifier and benchmarks. The database keeps the same nodes in a table.
//
// It deliberately does not use AppendLeaves: tests check AppendLeaves against it, so the two
// must not share the code that builds nodes.
#ifndef RESTITUTION_LEDGER_MEMORY_TREE_H_
#define RESTITUTION_LEDGER_MEMORY_TREE_H_

#include <cstdint>
#include <vector>

#include "crypto/status.h"
#include "ledger/merkle.h"

namespace restitution::ledger {

class MemoryTree : public NodeSource {
 public:
  MemoryTree() = default;

  // Appends a leaf hash (a LeafHash(entry), 32 bytes) and every node it completes.
  void Append(const Hash& leaf_hash);

  // Number of leaves.
  uint64_t size() const;

  // The stored hashes of `ids`, in order. NotFound for an id that is not a complete subtree
  // of the current tree.
  StatusOr<std::vector<Hash>> GetNodes(const std::vector<NodeId>& ids) override;

  // MTH of the whole tree; EmptyRootHash() when empty.
  Hash Root() const;

  // The hashes of RangeDecomposition(0, size()), left to right: what AppendLeaves takes.
  std::vector<Hash> Frontier() const;

 private:
  // levels_[l][i] is node (l, i). Level l has size() >> l nodes.
  std::vector<std::vector<Hash>> levels_;
};

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_MEMORY_TREE_H_
