#include "service/region_names.h"

#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "service/region_code.h"

namespace restitution {
namespace {

// The table is compiled in as several literals (service/embed_text.cmake): none may be lost.
TEST(RegionNamesTest, TheCompiledInTableIsTheFileByteForByte) {
  std::ifstream file(RESTITUTION_REGION_NAMES_TSV, std::ios::binary);
  ASSERT_TRUE(file) << RESTITUTION_REGION_NAMES_TSV;
  std::stringstream text;
  text << file.rdbuf();
  ASSERT_GT(text.str().size(), 65536u);  // large enough to be cut into pieces
  EXPECT_TRUE(EmbeddedRegionNamesTsv() == text.str());
}

TEST(RegionNamesTest, NamesEachLevelProvinceFirst) {
  EXPECT_EQ(RegionName("110000"), "北京市");
  EXPECT_EQ(RegionName("320100"), "江苏省南京市");
  EXPECT_EQ(RegionName("320102"), "江苏省南京市玄武区");
  EXPECT_EQ(RegionName("810000"), "香港特别行政区");
}

TEST(RegionNamesTest, LeavesOutThePlaceholdersOfAMissingLevel) {
  // 市辖区 (the municipalities' districts), 县 (Chongqing's counties), 省直辖县级行政区划.
  EXPECT_EQ(RegionName("310104"), "上海市徐汇区");
  EXPECT_EQ(RegionName("500229"), "重庆市城口县");
  EXPECT_EQ(RegionName("429004"), "湖北省仙桃市");
  EXPECT_EQ(RegionName("310100"), std::nullopt);
  // A prefecture-level city without counties is its own county, named once.
  EXPECT_EQ(RegionName("441900"), "广东省东莞市");
}

TEST(RegionNamesTest, UnlistedCodesHaveNoName) {
  // 闸北区, merged into 静安区 in 2015: a valid code for a case of that time, without a name.
  EXPECT_TRUE(ParseRegionCode("310108", "region").ok());
  EXPECT_EQ(RegionName("310108"), std::nullopt);
  for (const char* code : {"", "31010", "3101040", "999999", "31010a", "310104\t"}) {
    EXPECT_EQ(RegionName(code), std::nullopt) << code;
  }
}

TEST(RegionNamesTest, EveryProvinceLevelDivisionHasAName) {
  for (int two = 10; two < 100; ++two) {
    // 83 is a prefix of Taiwan residents' ID numbers, not a division.
    if (!IsProvinceCode(two) || two == 83) continue;
    const std::string code = std::to_string(two) + "0000";
    EXPECT_TRUE(RegionName(code).has_value()) << code;
  }
}

TEST(RegionNamesTest, JsonHoldsOnlyTheNamedCodes) {
  const nlohmann::json names = RegionNamesJson({"310104", "310108", "440106"});
  EXPECT_EQ(names, (nlohmann::json{{"310104", "上海市徐汇区"}, {"440106", "广东省广州市天河区"}}));
  EXPECT_EQ(RegionNamesJson({}), nlohmann::json::object());
  EXPECT_EQ(RegionNameJson("310104"), "上海市徐汇区");
  EXPECT_TRUE(RegionNameJson("310108").is_null());
}

}  // namespace
}  // namespace restitution
