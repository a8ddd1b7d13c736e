#include "ledger/memory_tree.h"

#include <cstddef>
#include <string>

namespace restitution::ledger {

void MemoryTree::Append(const Hash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // A node at level l + 1 is complete as soon as level l has an even number of nodes.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (level + 1 == levels_.size()) levels_.emplace_back();
    const std::vector<Hash>& row = levels_[level];
    levels_[level + 1].push_back(NodeHash(row[row.size() - 2], row[row.size() - 1]));
  }
}

uint64_t MemoryTree::size() const { return levels_.empty() ? 0 : levels_[0].size(); }

StatusOr<std::vector<Hash>> MemoryTree::GetNodes(const std::vector<NodeId>& ids) {
  std::vector<Hash> hashes;
  hashes.reserve(ids.size());
  for (const NodeId& id : ids) {
    if (id.level < 0 || static_cast<size_t>(id.level) >= levels_.size() ||
        id.index >= levels_[static_cast<size_t>(id.level)].size()) {
      return Status::NotFound("merkle node (" + std::to_string(id.level) + ", " +
                              std::to_string(id.index) + ") is not in a tree of size " +
                              std::to_string(size()));
    }
    hashes.push_back(levels_[static_cast<size_t>(id.level)][id.index]);
  }
  return hashes;
}

Hash MemoryTree::Root() const {
  const std::vector<Hash> frontier = Frontier();
  if (frontier.empty()) return EmptyRootHash();
  Hash root = frontier.back();
  for (size_t i = frontier.size() - 1; i-- > 0;) root = NodeHash(frontier[i], root);
  return root;
}

std::vector<Hash> MemoryTree::Frontier() const {
  std::vector<Hash> frontier;
  for (const NodeId& id : RangeDecomposition(0, size())) {
    frontier.push_back(levels_[static_cast<size_t>(id.level)][id.index]);
  }
  return frontier;
}

}  // namespace restitution::ledger
