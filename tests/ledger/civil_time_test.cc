#include "ledger/civil_time.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

TEST(CivilTimeTest, KnownDayNumbers) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
}

TEST(CivilTimeTest, RoundTripsEveryDayForFourCenturies) {
  for (int64_t days = DaysFromCivil(1900, 1, 1); days < DaysFromCivil(2300, 1, 1); ++days) {
    const CivilDate date = CivilFromDays(days);
    ASSERT_TRUE(IsValidCivilDate(date.year, date.month, date.day)) << days;
    ASSERT_EQ(DaysFromCivil(date.year, date.month, date.day), days);
  }
}

TEST(CivilTimeTest, KnowsWhichDatesExist) {
  EXPECT_TRUE(IsValidCivilDate(2024, 2, 29));
  EXPECT_TRUE(IsValidCivilDate(2000, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(1900, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(2023, 2, 29));
  EXPECT_FALSE(IsValidCivilDate(2026, 4, 31));
  EXPECT_FALSE(IsValidCivilDate(2026, 0, 1));
  EXPECT_FALSE(IsValidCivilDate(2026, 13, 1));
  EXPECT_FALSE(IsValidCivilDate(2026, 1, 0));
}

}  // namespace
}  // namespace restitution
