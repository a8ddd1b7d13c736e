#include "service/time_input.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

constexpr int64_t kHour = 3600000;

TEST(TimeInputTest, BareDatesAreBeijingDaysWithInclusiveEnds) {
  // 2026-01-01 00:00 in Beijing is 2025-12-31 16:00 UTC = 1767196800000 ms.
  EXPECT_EQ(ParseInstant("2026-01-01", "f", DayEdge::kStart).value(), 1767196800000);
  EXPECT_EQ(ParseInstant("2026-01-01", "f", DayEdge::kEnd).value(), 1767196800000 + 24 * kHour - 1);
}

TEST(TimeInputTest, FullTimesHonourTheirOffset) {
  const int64_t utc = ParseInstant("2026-01-01T01:00:00Z", "f", DayEdge::kStart).value();
  EXPECT_EQ(ParseInstant("2026-01-01T09:00:00+08:00", "f", DayEdge::kEnd).value(), utc);
  EXPECT_EQ(ParseInstant("2025-12-31T20:00:00-05:00", "f", DayEdge::kEnd).value(), utc);
  EXPECT_EQ(ParseInstant("2026-01-01T01:00:00.5Z", "f", DayEdge::kStart).value(), utc + 500);
  EXPECT_EQ(ParseInstant("2026-01-01T01:00:00.123Z", "f", DayEdge::kStart).value(), utc + 123);
}

TEST(TimeInputTest, RefusesWhatCouldBeReadTwoWays) {
  for (const char* text :
       {"", "2026-1-1", "2026/01/01", "2026-02-30", "2026-13-01", "1989-12-31", "2100-01-01",
        "2026-01-01T09:00:00", "2026-01-01 09:00:00+08:00", "2026-01-01T24:00:00Z",
        "2026-01-01T09:00:00.1234Z", "2026-01-01T09:00:00.Z", "2026-01-01T09:00:00+0800",
        "2026-01-01T09:00:00+15:00", "2026-01-01T09:00Z", "２０２６-01-01", " 2026-01-01"}) {
    StatusOr<int64_t> parsed = ParseInstant(text, "registration_opens", DayEdge::kStart);
    EXPECT_FALSE(parsed.ok()) << text;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().field(), "registration_opens") << text;
    }
  }
}

TEST(TimeInputTest, ParseDateGivesYyyymmddAndKnowsLeapYears) {
  EXPECT_EQ(ParseDate("2024-02-29", "d").value(), 20240229);
  EXPECT_FALSE(ParseDate("2023-02-29", "d").ok());
  EXPECT_FALSE(ParseDate("2024-02-29T00:00:00Z", "d").ok());
}

TEST(TimeInputTest, ChinaDateTurnsAtBeijingMidnight) {
  const int64_t midnight = ParseInstant("2026-03-01", "f", DayEdge::kStart).value();
  EXPECT_EQ(ChinaDate(midnight), 20260301);
  EXPECT_EQ(ChinaDate(midnight - 1), 20260228);
}

}  // namespace
}  // namespace restitution
