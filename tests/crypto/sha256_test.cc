#include "crypto/sha256.h"

#include <atomic>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace restitution::crypto {
namespace {

// FIPS 180-2, appendix B.
constexpr char kAbc[] = "abc";
constexpr char kAbcDigest[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char k448Bit[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
constexpr char k448BitDigest[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kMillionADigest[] =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr char kEmptyDigest[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(Sha256Test, Abc) { EXPECT_EQ(HexEncode(Sha256(kAbc)), kAbcDigest); }

TEST(Sha256Test, EmptyString) { EXPECT_EQ(HexEncode(Sha256("")), kEmptyDigest); }

TEST(Sha256Test, FourHundredFortyEightBitMessage) {
  EXPECT_EQ(HexEncode(Sha256(k448Bit)), k448BitDigest);
}

TEST(Sha256Test, MillionAs) {
  EXPECT_EQ(HexEncode(Sha256(std::string(1000000, 'a'))), kMillionADigest);
}

TEST(Sha256Test, DigestIsRawBytes) {
  const std::string digest = Sha256(kAbc);
  ASSERT_EQ(digest.size(), kSha256Size);
  EXPECT_EQ(static_cast<unsigned char>(digest[0]), 0xba);
  EXPECT_EQ(static_cast<unsigned char>(digest[31]), 0xad);
}

TEST(Sha256Test, BinaryInputWithNulBytes) {
  const std::string with_nul("a\0b", 3);
  EXPECT_NE(Sha256(with_nul), Sha256("a"));
  EXPECT_NE(Sha256(with_nul), Sha256(std::string("a\0c", 3)));
}

TEST(Sha256HasherTest, IncrementalMatchesOneShot) {
  Sha256Hasher hasher;
  hasher.Update("abcdbcdecdefdefgefgh");
  hasher.Update("");
  hasher.Update("fghighijhijkijkljklmklmnlmnomnopnopq");
  EXPECT_EQ(HexEncode(hasher.Finish()), k448BitDigest);
}

TEST(Sha256HasherTest, ByteAtATimeMatchesOneShot) {
  const std::string message(k448Bit);
  Sha256Hasher hasher;
  for (char c : message) hasher.Update(std::string(1, c));
  EXPECT_EQ(hasher.Finish(), Sha256(message));
}

TEST(Sha256HasherTest, NothingHashedIsEmptyDigest) {
  Sha256Hasher hasher;
  EXPECT_EQ(HexEncode(hasher.Finish()), kEmptyDigest);
}

TEST(Sha256HasherTest, FinishResetsForTheNextMessage) {
  Sha256Hasher hasher;
  hasher.Update("unrelated earlier message");
  hasher.Finish();
  hasher.Update(kAbc);
  EXPECT_EQ(HexEncode(hasher.Finish()), kAbcDigest);
}

TEST(Sha256HasherTest, MoveKeepsState) {
  Sha256Hasher first;
  first.Update("ab");
  Sha256Hasher second(std::move(first));
  second.Update("c");
  EXPECT_EQ(HexEncode(second.Finish()), kAbcDigest);

  Sha256Hasher third;
  third.Update("ignored");
  third = std::move(second);
  third.Update(kAbc);
  EXPECT_EQ(HexEncode(third.Finish()), kAbcDigest);
}

}  // namespace
}  // namespace restitution::crypto

namespace restitution::crypto {
namespace {

TEST(Sha256OfTest, HashesTheConcatenationOfItsParts) {
  EXPECT_EQ(Sha256Of({"ab", "", "c"}), Sha256("abc"));
  EXPECT_EQ(Sha256Of({}), Sha256(""));
  const std::string nul_prefixed("\x00hello", 6);
  EXPECT_EQ(Sha256Of({std::string_view("\x00", 1), "hello"}), Sha256(nul_prefixed));
}

TEST(Sha256OfTest, ThreadsKeepTheirOwnContexts) {
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  const std::string expected = Sha256("abc");
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        if (Sha256Of({"a", "b", "c"}) != expected) ++mismatches;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace restitution::crypto
