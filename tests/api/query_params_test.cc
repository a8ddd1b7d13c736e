#include "api/query_params.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

TEST(PercentDecodeTest, DecodesEscapesAndKeepsTheRest) {
  EXPECT_EQ(PercentDecode("a%2Bb%2Fc%3D%3d"), "a+b/c==");
  EXPECT_EQ(PercentDecode("1+2"), "1+2");  // base64 '+' sent raw stays '+'
  EXPECT_EQ(PercentDecode("%E4%B8%AD"), "\xE4\xB8\xAD");
  EXPECT_EQ(PercentDecode(""), "");
  // Malformed escapes are left for the parameter's own parser to refuse.
  EXPECT_EQ(PercentDecode("%"), "%");
  EXPECT_EQ(PercentDecode("%2"), "%2");
  EXPECT_EQ(PercentDecode("%G1x"), "%G1x");
  EXPECT_EQ(PercentDecode("50%"), "50%");
  EXPECT_EQ(PercentDecode("%00"), std::string(1, '\0'));
}

}  // namespace
}  // namespace restitution
