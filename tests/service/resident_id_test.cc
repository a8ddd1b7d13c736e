#include "service/resident_id.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

constexpr int kToday = 20260315;

// Every valid number below was computed with the GB 11643 algorithm, independently of the
// code under test.
TEST(ResidentIdTest, AcceptsValidNumbers) {
  const std::vector<std::string> valid = {
      "11010519491231002X",  // the standard's own example
      "44030519900101123X", "310115200002290048", "510107198808086676", "65010219751105001X",
      "110105199909090014", "820000198503150027", "71000019850315003X",
  };
  for (const std::string& number : valid) {
    StatusOr<ResidentId> id = ParseResidentId(number, "id_number", kToday);
    ASSERT_TRUE(id.ok()) << number << ": " << id.status().ToString();
    EXPECT_EQ(id->number, number);
  }
}

TEST(ResidentIdTest, ExtractsTheBirthDate) {
  StatusOr<ResidentId> id = ParseResidentId("11010519491231002X", "id_number", kToday);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->birth_year, 1949);
  EXPECT_EQ(id->birth_month, 12);
  EXPECT_EQ(id->birth_day, 31);
}

TEST(ResidentIdTest, NormalisesLowerCaseXAndSurroundingSpaces) {
  for (const std::string& input :
       {std::string("11010519491231002x"), std::string("  11010519491231002X "),
        std::string(" 11010519491231002x  ")}) {
    StatusOr<ResidentId> id = ParseResidentId(input, "id_number", kToday);
    ASSERT_TRUE(id.ok()) << "\"" << input << "\": " << id.status().ToString();
    EXPECT_EQ(id->number, "11010519491231002X");
  }
}

TEST(ResidentIdTest, CheckCharacter) {
  EXPECT_EQ(ResidentIdCheckCharacter("11010519491231002"), 'X');
  EXPECT_EQ(ResidentIdCheckCharacter("31011520000229004"), '8');
  EXPECT_EQ(ResidentIdCheckCharacter("11010519990909001"), '4');
  EXPECT_EQ(ResidentIdCheckCharacter("82000019850315002"), '7');
}

// Each refusal, with the message that tells the claimant what is wrong.
TEST(ResidentIdTest, RefusalReasons) {
  const std::vector<std::pair<std::string, std::string>> refused = {
      {"", "must be an 18-character resident ID number"},
      {"   ", "must be an 18-character resident ID number"},
      {"11010519491231002", "must be an 18-character resident ID number"},
      {"11010519491231002X0", "must be an 18-character resident ID number"},
      {"110105491231002", "must be an 18-character resident ID number"},  // old 15-digit form
      {"1101051949 1231002X", "must be an 18-character resident ID number"},
      {"110105 19491231002X", "must be an 18-character resident ID number"},
      {"1101051949123100XX", "must be 17 digits followed by a digit or X"},
      {"X10105194912310020", "must be 17 digits followed by a digit or X"},
      {"11010519491231002Y", "must be 17 digits followed by a digit or X"},
      {"11010519491231002-", "must be 17 digits followed by a digit or X"},
      {"１２３４５６", "must be 17 digits followed by a digit or X"},  // 18 bytes
      {"11010519491231002\t", "must be 17 digits followed by a digit or X"},
      {std::string("11010519491231002\0", 18), "must be 17 digits followed by a digit or X"},
      {"990105194912310023", "does not start with a valid region code"},
      {"100105194912310028", "does not start with a valid region code"},
      {"110105194913010029", "contains a birth date that does not exist"},  // month 13
      {"11010519490001002X", "contains a birth date that does not exist"},  // month 0
      {"110105194912000021", "contains a birth date that does not exist"},  // day 0
      {"110105189912310015", "contains a birth date before 1900"},
      {"110105202603160010", "contains a birth date in the future"},  // tomorrow
      {"110105194912310020",
       "has a wrong check character: please check the number for a typing "
       "mistake"},
      {"110105194912310021",
       "has a wrong check character: please check the number for a typing "
       "mistake"},
      {"310115200002290040",
       "has a wrong check character: please check the number for a typing "
       "mistake"},
  };
  for (const auto& [input, message] : refused) {
    StatusOr<ResidentId> id = ParseResidentId(input, "identity.id_number", kToday);
    ASSERT_FALSE(id.ok()) << "accepted \"" << input << "\"";
    EXPECT_EQ(id.status().code(), StatusCode::kInvalidArgument) << input;
    EXPECT_EQ(id.status().field(), "identity.id_number") << input;
    EXPECT_EQ(id.status().message(), message) << input;
    // The number is personal data: it never comes back in an error.
    if (input.size() >= 6) {
      EXPECT_EQ(id.status().message().find(input.substr(0, 6)), std::string::npos) << input;
    }
  }
}

TEST(ResidentIdTest, SwappedDigitsAreCaught) {
  // A transposition of two different adjacent digits is the typical typo the check catches.
  EXPECT_FALSE(ParseResidentId("11010519491213002X", "id_number", kToday).ok());
  EXPECT_FALSE(ParseResidentId("11010519491231020X", "id_number", kToday).ok());
}

TEST(ResidentIdTest, February29) {
  // 2000 is a leap year (divisible by 400), 1900 is not (divisible by 100), 2023 is not, 2024 is.
  EXPECT_TRUE(ParseResidentId("310115200002290048", "id_number", kToday).ok());
  EXPECT_TRUE(ParseResidentId("110105202402290038", "id_number", kToday).ok());
  StatusOr<ResidentId> y2023 = ParseResidentId("110105202302290014", "id_number", kToday);
  ASSERT_FALSE(y2023.ok());
  EXPECT_EQ(y2023.status().message(), "contains a birth date that does not exist");
  StatusOr<ResidentId> y1900 = ParseResidentId("110105190002290017", "id_number", kToday);
  ASSERT_FALSE(y1900.ok());
  EXPECT_EQ(y1900.status().message(), "contains a birth date that does not exist");
  // The day before, 1900-02-28, is the earliest kind of date accepted.
  EXPECT_TRUE(ParseResidentId("110105190002280011", "id_number", kToday).ok());
}

TEST(ResidentIdTest, BirthDateIsJudgedAgainstToday) {
  // Born today: accepted. Born tomorrow: refused today, accepted from tomorrow on.
  EXPECT_TRUE(ParseResidentId("110105202603150015", "id_number", 20260315).ok());
  EXPECT_FALSE(ParseResidentId("110105202603160010", "id_number", 20260315).ok());
  EXPECT_TRUE(ParseResidentId("110105202603160010", "id_number", 20260316).ok());
  // 2024-02-29 lies in the future for someone checking in 2023.
  StatusOr<ResidentId> early = ParseResidentId("110105202402290038", "id_number", 20231231);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.status().message(), "contains a birth date in the future");
}

}  // namespace
}  // namespace restitution
