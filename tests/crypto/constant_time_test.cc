#include "crypto/constant_time.h"

#include <string>

#include <gtest/gtest.h>

namespace restitution::crypto {
namespace {

TEST(ConstantTimeEqualsTest, EqualInputs) {
  EXPECT_TRUE(ConstantTimeEquals("secret-mac-value", "secret-mac-value"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
}

TEST(ConstantTimeEqualsTest, DifferenceAnywhere) {
  EXPECT_FALSE(ConstantTimeEquals("xecret", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secrex", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("secRet", "secret"));
  // A difference after an embedded NUL still counts: this is not strcmp.
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  // A single-bit difference in the high bit.
  EXPECT_FALSE(ConstantTimeEquals(std::string(1, '\x80'), std::string(1, '\x00')));
}

TEST(ConstantTimeEqualsTest, DifferentLengthsAreUnequal) {
  EXPECT_FALSE(ConstantTimeEquals("secret", "secret2"));
  EXPECT_FALSE(ConstantTimeEquals("secret2", "secret"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  EXPECT_FALSE(ConstantTimeEquals("a", ""));
}

}  // namespace
}  // namespace restitution::crypto
