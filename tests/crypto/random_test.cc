#include "crypto/random.h"

#include <array>
#include <cstdint>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace restitution::crypto {
namespace {

TEST(RandomBytesTest, Length) {
  EXPECT_EQ(RandomBytes(0), "");
  EXPECT_EQ(RandomBytes(1).size(), 1u);
  EXPECT_EQ(RandomBytes(32).size(), 32u);
  EXPECT_EQ(RandomBytes(100000).size(), 100000u);
}

TEST(RandomBytesTest, DrawsDiffer) {
  // Two equal 32-byte draws would mean a broken generator (chance 2^-256 otherwise).
  EXPECT_NE(RandomBytes(32), RandomBytes(32));
}

TEST(RandomBytesTest, UsesEveryByteValue) {
  // 64 KiB misses some byte value with probability about 256 * e^-256.
  const std::string bytes = RandomBytes(65536);
  std::array<int, 256> counts{};
  for (char c : bytes) ++counts[static_cast<unsigned char>(c)];
  for (int value = 0; value < 256; ++value) EXPECT_GT(counts[value], 0) << value;
}

TEST(RandomUniformTest, BoundOneIsAlwaysZero) {
  for (int i = 0; i < 100; ++i) EXPECT_EQ(RandomUniform(1), 0u);
}

TEST(RandomUniformTest, StaysBelowBound) {
  const uint64_t bounds[] = {2, 3, 7, 10, 1000, (uint64_t{1} << 63) + 1, UINT64_MAX};
  for (uint64_t bound : bounds) {
    for (int i = 0; i < 1000; ++i) EXPECT_LT(RandomUniform(bound), bound) << bound;
  }
}

TEST(RandomUniformTest, CoversSmallRangeEvenly) {
  // 10000 draws over 10 values: each count has mean 1000 and standard deviation 30, so the
  // band below is over 6 standard deviations wide and fails only if the sampling is biased.
  std::array<int, 10> counts{};
  for (int i = 0; i < 10000; ++i) ++counts[RandomUniform(10)];
  for (int value = 0; value < 10; ++value) {
    EXPECT_GT(counts[value], 800) << value;
    EXPECT_LT(counts[value], 1200) << value;
  }
}

TEST(RandomUniformTest, HighBoundUsesUpperHalf) {
  // With bound 2^63 + 1 nearly half of all draws are rejected; the survivors must still
  // reach the upper half of the range (probability of none in 200 draws: 2^-200).
  const uint64_t bound = (uint64_t{1} << 63) + 1;
  bool saw_upper_half = false;
  for (int i = 0; i < 200 && !saw_upper_half; ++i) {
    saw_upper_half = RandomUniform(bound) >= (uint64_t{1} << 62);
  }
  EXPECT_TRUE(saw_upper_half);
}

TEST(RandomDigitsTest, Format) {
  for (int i = 0; i < 200; ++i) {
    const std::string code = RandomDigits(6);
    ASSERT_EQ(code.size(), 6u);
    for (char c : code) EXPECT_TRUE(c >= '0' && c <= '9') << code;
  }
  EXPECT_EQ(RandomDigits(0), "");
  EXPECT_EQ(RandomDigits(-3), "");
  EXPECT_EQ(RandomDigits(40).size(), 40u);
}

TEST(RandomDigitsTest, EveryDigitInEveryPosition) {
  // Leading zeros must be kept: a code is a digit string, not a number. With 500 codes a
  // given digit is missing from a given position with probability 0.9^500, about 1e-23.
  std::array<std::set<char>, 6> seen;
  for (int i = 0; i < 500; ++i) {
    const std::string code = RandomDigits(6);
    for (size_t position = 0; position < code.size(); ++position) {
      seen[position].insert(code[position]);
    }
  }
  for (const std::set<char>& digits : seen) EXPECT_EQ(digits.size(), 10u);
}

}  // namespace
}  // namespace restitution::crypto
