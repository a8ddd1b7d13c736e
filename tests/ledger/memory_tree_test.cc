#include "ledger/memory_tree.h"

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "ledger/merkle.h"
#include "tests/ledger/merkle_reference.h"

namespace restitution::ledger {
namespace {

using reference::CtLeaves;
using reference::CtNodesHex;
using reference::CtRootsHex;

std::string Hex(const std::string& bytes) { return crypto::HexEncode(bytes); }

TEST(MemoryTreeTest, EmptyTree) {
  MemoryTree tree;
  EXPECT_EQ(tree.size(), 0u);
  EXPECT_EQ(tree.Root(), EmptyRootHash());
  EXPECT_TRUE(tree.Frontier().empty());
  auto none = tree.GetNodes({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(tree.GetNodes({NodeId{0, 0}}).status().code(), StatusCode::kNotFound);
}

TEST(MemoryTreeTest, StoresEveryNodeOfTheCtTree) {
  MemoryTree tree;
  for (const std::string& leaf : CtLeaves()) tree.Append(LeafHash(leaf));
  ASSERT_EQ(tree.size(), 8u);
  for (size_t level = 0; level < CtNodesHex().size(); ++level) {
    for (size_t index = 0; index < CtNodesHex()[level].size(); ++index) {
      auto node = tree.GetNodes({NodeId{static_cast<int>(level), index}});
      ASSERT_TRUE(node.ok()) << level << " " << index;
      EXPECT_EQ(Hex((*node)[0]), CtNodesHex()[level][index]) << level << " " << index;
    }
  }
  EXPECT_EQ(Hex(tree.Root()), CtRootsHex()[8]);
}

TEST(MemoryTreeTest, RootAndFrontierAfterEveryAppend) {
  MemoryTree tree;
  for (size_t size = 1; size <= 8; ++size) {
    tree.Append(LeafHash(CtLeaves()[size - 1]));
    EXPECT_EQ(tree.size(), size);
    EXPECT_EQ(Hex(tree.Root()), CtRootsHex()[size]) << size;
    const std::vector<NodeId> ids = RangeDecomposition(0, size);
    auto expected = tree.GetNodes(ids);
    ASSERT_TRUE(expected.ok());
    EXPECT_EQ(tree.Frontier(), *expected);
  }
}

TEST(MemoryTreeTest, RootMatchesReferenceForManySizes) {
  std::vector<std::string> entries;
  for (int i = 0; i < 100; ++i) entries.push_back("e" + std::to_string(i));
  reference::Tree ref(entries);
  MemoryTree tree;
  for (uint64_t n = 0; n <= entries.size(); ++n) {
    EXPECT_EQ(Hex(tree.Root()), Hex(ref.Mth(0, n))) << n;
    if (n < entries.size()) tree.Append(LeafHash(entries[n]));
  }
}

TEST(MemoryTreeTest, GetNodesAnswersInOrderAndRejectsIncompleteSubtrees) {
  MemoryTree tree;
  for (int i = 0; i < 7; ++i) tree.Append(LeafHash(CtLeaves()[static_cast<size_t>(i)]));
  auto nodes = tree.GetNodes({NodeId{2, 0}, NodeId{0, 6}, NodeId{1, 2}, NodeId{0, 0}});
  ASSERT_TRUE(nodes.ok());
  ASSERT_EQ(nodes->size(), 4u);
  EXPECT_EQ(Hex((*nodes)[0]), CtNodesHex()[2][0]);
  EXPECT_EQ(Hex((*nodes)[1]), CtNodesHex()[0][6]);
  EXPECT_EQ(Hex((*nodes)[2]), CtNodesHex()[1][2]);
  EXPECT_EQ(Hex((*nodes)[3]), CtNodesHex()[0][0]);

  EXPECT_EQ(tree.GetNodes({NodeId{0, 7}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tree.GetNodes({NodeId{1, 3}}).status().code(), StatusCode::kNotFound);  // 6..7
  EXPECT_EQ(tree.GetNodes({NodeId{2, 1}}).status().code(), StatusCode::kNotFound);  // 4..7
  EXPECT_EQ(tree.GetNodes({NodeId{3, 0}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tree.GetNodes({NodeId{-1, 0}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(tree.GetNodes({NodeId{64, 0}}).status().code(), StatusCode::kNotFound);
  // One bad id fails the whole batch.
  EXPECT_FALSE(tree.GetNodes({NodeId{0, 0}, NodeId{0, 7}}).ok());
}

}  // namespace
}  // namespace restitution::ledger
