#include "ledger/merkle.h"

#include <algorithm>
#include <limits>
#include <string>

#include "crypto/sha256.h"

namespace restitution::ledger {

namespace {

constexpr char kLeafPrefix = '\x00';
constexpr char kNodePrefix = '\x01';

// x must be non-zero.
int FloorLog2(uint64_t x) { return 63 - __builtin_clzll(x); }
int CountTrailingZeros(uint64_t x) { return __builtin_ctzll(x); }

bool IsPowerOfTwo(uint64_t x) { return x != 0 && (x & (x - 1)) == 0; }

// The k of RFC 9162: the largest power of two smaller than n, for n >= 2.
uint64_t SplitPoint(uint64_t n) { return uint64_t{1} << FloorLog2(n - 1); }

// Leaves [begin, end) of the tree.
struct Range {
  uint64_t begin;
  uint64_t end;
};

// MTH of a range from the hashes of its RangeDecomposition, left to right. RFC 9162 splits
// D[a:b] into a perfect left part and the rest, so the hash folds from the right:
// NodeHash(h0, NodeHash(h1, ... NodeHash(h[k-2], h[k-1]))).
Hash FoldFromRight(std::vector<Hash>::const_iterator first,
                   std::vector<Hash>::const_iterator last) {
  if (first == last) return EmptyRootHash();
  Hash hash = *--last;
  while (last != first) hash = NodeHash(*--last, hash);
  return hash;
}

bool AllHashesWellFormed(const std::vector<Hash>& hashes) {
  return std::all_of(hashes.begin(), hashes.end(),
                     [](const Hash& h) { return h.size() == kHashSize; });
}

// The MTH of each range, fetched with one GetNodes call: one round trip however many ranges a
// proof needs. The source's answer is checked, because a short or garbled answer from the
// database must not turn into a proof that silently fails to verify.
StatusOr<std::vector<Hash>> RangeHashes(NodeSource& source, const std::vector<Range>& ranges) {
  std::vector<NodeId> ids;
  std::vector<size_t> ends;  // ids of ranges[i] are [ends[i-1], ends[i])
  for (const Range& range : ranges) {
    const std::vector<NodeId> part = RangeDecomposition(range.begin, range.end);
    ids.insert(ids.end(), part.begin(), part.end());
    ends.push_back(ids.size());
  }
  if (ids.empty()) return std::vector<Hash>();
  ASSIGN_OR_RETURN(std::vector<Hash> nodes, source.GetNodes(ids));
  if (nodes.size() != ids.size()) {
    return Status::Internal("node source returned " + std::to_string(nodes.size()) +
                            " hashes for " + std::to_string(ids.size()) + " nodes");
  }
  if (!AllHashesWellFormed(nodes)) {
    return Status::Internal("node source returned a hash that is not 32 bytes");
  }
  std::vector<Hash> hashes;
  hashes.reserve(ranges.size());
  size_t begin = 0;
  for (size_t end : ends) {
    hashes.push_back(FoldFromRight(nodes.begin() + static_cast<std::ptrdiff_t>(begin),
                                   nodes.begin() + static_cast<std::ptrdiff_t>(end)));
    begin = end;
  }
  return hashes;
}

}  // namespace

Hash LeafHash(std::string_view entry) {
  const char prefix = kLeafPrefix;
  return crypto::Sha256Of({std::string_view(&prefix, 1), entry});
}

Hash NodeHash(std::string_view left, std::string_view right) {
  const char prefix = kNodePrefix;
  return crypto::Sha256Of({std::string_view(&prefix, 1), left, right});
}

Hash EmptyRootHash() { return crypto::Sha256(""); }

std::vector<NodeId> RangeDecomposition(uint64_t begin, uint64_t end) {
  std::vector<NodeId> ids;
  while (begin < end) {
    // The subtree starting at `begin` can be no larger than begin's alignment allows (any
    // size when begin is 0) and no larger than what is left of the range.
    int level = FloorLog2(end - begin);
    if (begin != 0) level = std::min(level, CountTrailingZeros(begin));
    ids.push_back(NodeId{level, begin >> level});
    begin += uint64_t{1} << level;  // cannot wrap: the subtree ends at or before `end`
  }
  return ids;
}

StatusOr<Hash> RootHash(NodeSource& source, uint64_t size) {
  if (size == 0) return EmptyRootHash();
  ASSIGN_OR_RETURN(std::vector<Hash> hashes, RangeHashes(source, {Range{0, size}}));
  return std::move(hashes[0]);
}

StatusOr<std::vector<Hash>> InclusionProof(NodeSource& source, uint64_t index, uint64_t size) {
  if (index >= size) {
    return Status::InvalidArgument("index", "leaf index " + std::to_string(index) +
                                                " is not below tree size " + std::to_string(size));
  }
  // PATH(m, D[n]) recurses into the half holding leaf m and appends the MTH of the other
  // half. Walking down from the root collects those sibling ranges root first; the proof
  // lists them leaf first. At most one sibling is not a perfect subtree (the right one, the
  // first time the path turns left), so the proof needs at most 2 * 64 stored nodes.
  std::vector<Range> siblings;
  uint64_t begin = 0;
  uint64_t end = size;
  while (end - begin > 1) {
    const uint64_t split = begin + SplitPoint(end - begin);
    if (index < split) {
      siblings.push_back(Range{split, end});
      end = split;
    } else {
      siblings.push_back(Range{begin, split});
      begin = split;
    }
  }
  std::reverse(siblings.begin(), siblings.end());
  return RangeHashes(source, siblings);
}

StatusOr<std::vector<Hash>> ConsistencyProof(NodeSource& source, uint64_t old_size,
                                             uint64_t new_size) {
  if (old_size > new_size) {
    return Status::InvalidArgument("old_size", "old size " + std::to_string(old_size) +
                                                   " is larger than new size " +
                                                   std::to_string(new_size));
  }
  if (old_size == 0) {
    return Status::InvalidArgument("old_size",
                                   "a consistency proof needs an old size of at least 1");
  }
  // SUBPROOF(m, D[begin:end], complete), unrolled. Like PATH it appends one range per level
  // on the way down, so the ranges are collected root first and reversed.
  std::vector<Range> ranges;
  uint64_t begin = 0;
  uint64_t end = new_size;
  // RFC 9162's b: whether [begin, end) is still the subtree whose root the verifier already
  // knows as old_root. Once the walk turns right it is not, and the old tree's last perfect
  // subtree has to be in the proof.
  bool known_root = true;
  while (old_size != end) {
    const uint64_t split = begin + SplitPoint(end - begin);
    if (old_size <= split) {
      ranges.push_back(Range{split, end});
      end = split;
    } else {
      ranges.push_back(Range{begin, split});
      begin = split;
      known_root = false;
    }
  }
  if (!known_root) ranges.push_back(Range{begin, end});
  std::reverse(ranges.begin(), ranges.end());
  return RangeHashes(source, ranges);
}

bool VerifyInclusion(uint64_t index, uint64_t size, const Hash& leaf_hash,
                     const std::vector<Hash>& proof, const Hash& root) {
  if (index >= size) return false;
  if (leaf_hash.size() != kHashSize || root.size() != kHashSize) return false;
  if (!AllHashesWellFormed(proof)) return false;
  // RFC 9162 section 2.1.3.2; fn is the node's index in its level, sn the index of the last
  // node of that level. The path is complete when the walk reaches the root (sn == 0).
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof) {
    if (sn == 0) return false;  // more elements than the tree has levels
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      // A node that is the last of its level and a left child has no sibling: it moves up
      // unchanged until it becomes a right child (or the root).
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(uint64_t old_size, uint64_t new_size, const Hash& old_root,
                       const Hash& new_root, const std::vector<Hash>& proof) {
  if (old_root.size() != kHashSize || new_root.size() != kHashSize) return false;
  if (!AllHashesWellFormed(proof)) return false;
  if (old_size > new_size) return false;
  if (old_size == new_size) {
    return proof.empty() && old_root == new_root && (old_size != 0 || old_root == EmptyRootHash());
  }
  if (old_size == 0) return proof.empty() && old_root == EmptyRootHash();

  // RFC 9162 section 2.1.4.2, for 0 < old_size < new_size.
  if (proof.empty()) return false;  // step 1
  // Step 2: when the old tree is a perfect subtree, its root is the proof's implicit first
  // element. `path(i)` reads the proof with that element prepended, without copying it.
  const bool prepend = IsPowerOfTwo(old_size);
  const size_t path_size = proof.size() + (prepend ? 1 : 0);
  auto path = [&](size_t i) -> const Hash& {
    if (prepend) return i == 0 ? old_root : proof[i - 1];
    return proof[i];
  };
  uint64_t fn = old_size - 1;  // step 3
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {  // step 4
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path(0);  // step 5
  Hash sr = path(0);
  for (size_t i = 1; i < path_size; ++i) {  // step 6
    const Hash& c = path(i);
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;  // step 7
}

StatusOr<AppendResult> AppendLeaves(uint64_t size, const std::vector<Hash>& frontier,
                                    const std::vector<Hash>& leaf_hashes) {
  const std::vector<NodeId> frontier_ids = RangeDecomposition(0, size);
  if (frontier.size() != frontier_ids.size()) {
    return Status::InvalidArgument(
        "frontier", "a tree of size " + std::to_string(size) + " has a frontier of " +
                        std::to_string(frontier_ids.size()) + " hashes, not " +
                        std::to_string(frontier.size()));
  }
  if (!AllHashesWellFormed(frontier)) {
    return Status::InvalidArgument("frontier", "every frontier hash must be 32 bytes");
  }
  if (!AllHashesWellFormed(leaf_hashes)) {
    return Status::InvalidArgument("leaf_hashes", "every leaf hash must be 32 bytes");
  }
  if (leaf_hashes.size() > std::numeric_limits<uint64_t>::max() - size) {
    return Status::InvalidArgument("leaf_hashes", "the tree would grow past 2^64 - 1 leaves");
  }

  // The frontier works like a binary counter: its subtrees have strictly decreasing levels,
  // one per set bit of the size. Appending a leaf pushes a level-0 subtree and then merges
  // the two rightmost subtrees while they have the same level, each merge creating the one
  // new node above them.
  std::vector<std::pair<NodeId, Hash>> stack;
  stack.reserve(frontier.size() + 64);
  for (size_t i = 0; i < frontier.size(); ++i) stack.emplace_back(frontier_ids[i], frontier[i]);

  AppendResult result;
  result.nodes.reserve(2 * leaf_hashes.size());
  uint64_t next_index = size;
  for (const Hash& leaf : leaf_hashes) {
    stack.emplace_back(NodeId{0, next_index++}, leaf);
    result.nodes.push_back(stack.back());
    while (stack.size() >= 2 && stack[stack.size() - 2].first.level == stack.back().first.level) {
      std::pair<NodeId, Hash> right = std::move(stack.back());
      stack.pop_back();
      std::pair<NodeId, Hash>& left = stack.back();
      left.second = NodeHash(left.second, right.second);
      left.first = NodeId{left.first.level + 1, left.first.index >> 1};
      result.nodes.push_back(left);
    }
  }
  std::sort(result.nodes.begin(), result.nodes.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });

  result.frontier.reserve(stack.size());
  for (auto& entry : stack) result.frontier.push_back(std::move(entry.second));
  result.root = FoldFromRight(result.frontier.begin(), result.frontier.end());
  return result;
}

}  // namespace restitution::ledger
