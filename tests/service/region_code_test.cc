#include "service/region_code.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

TEST(RegionCodeTest, AcceptsProvinceLevelPrefixes) {
  for (const char* code : {"110105", "310115", "440305", "654321", "710000", "810000", "820000"}) {
    EXPECT_TRUE(ParseRegionCode(code, "region").ok()) << code;
  }
}

TEST(RegionCodeTest, RefusesOtherPrefixesAndShapes) {
  for (const char* code : {"", "11010", "1101050", "100000", "160000", "240000", "380000", "470000",
                           "550000", "660000", "720000", "840000", "990000", "11010a", " 11010"}) {
    StatusOr<std::string> parsed = ParseRegionCode(code, "regions[0]");
    EXPECT_FALSE(parsed.ok()) << code;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().field(), "regions[0]");
    }
  }
}

}  // namespace
}  // namespace restitution
