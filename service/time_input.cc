#include "service/time_input.h"

#include "ledger/civil_time.h"
#include "service/input_rules.h"

namespace restitution {
namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kChinaOffsetMs = 8 * 3600000;

bool Digits(std::string_view text, size_t pos, size_t count, int* out) {
  if (pos + count > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

// "YYYY-MM-DD" at the start of text.
bool DatePart(std::string_view text, int* year, int* month, int* day) {
  return text.size() >= 10 && text[4] == '-' && text[7] == '-' && Digits(text, 0, 4, year) &&
         Digits(text, 5, 2, month) && Digits(text, 8, 2, day) && *year >= 1990 && *year <= 2099 &&
         IsValidCivilDate(*year, *month, *day);
}

}  // namespace

StatusOr<int> ParseDate(std::string_view text, const std::string& field) {
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || !DatePart(text, &year, &month, &day)) {
    return Status::InvalidArgument(field, "must be a date written YYYY-MM-DD")
        .WithRule(rules::kDateFormat);
  }
  return year * 10000 + month * 100 + day;
}

StatusOr<int64_t> ParseInstant(std::string_view text, const std::string& field, DayEdge edge) {
  const Status bad = Status::InvalidArgument(
      field,
      "must be a date (YYYY-MM-DD, Beijing time) or an RFC 3339 time such as "
      "2026-03-01T09:00:00+08:00");
  int year = 0, month = 0, day = 0;
  if (!DatePart(text, &year, &month, &day)) return bad;
  const int64_t midnight_utc = DaysFromCivil(year, month, day) * kMsPerDay;
  if (text.size() == 10) {
    const int64_t start = midnight_utc - kChinaOffsetMs;
    return edge == DayEdge::kStart ? start : start + kMsPerDay - 1;
  }
  int hour = 0, minute = 0, second = 0;
  if (text.size() < 20 || (text[10] != 'T') || text[13] != ':' || text[16] != ':' ||
      !Digits(text, 11, 2, &hour) || !Digits(text, 14, 2, &minute) ||
      !Digits(text, 17, 2, &second) || hour > 23 || minute > 59 || second > 59) {
    return bad;
  }
  size_t pos = 19;
  int64_t millis = 0;
  if (text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (++digits > 3) return bad;
      millis = millis * 10 + (text[pos] - '0');
      ++pos;
    }
    if (digits == 0) return bad;
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  int64_t offset_ms = 0;
  const std::string_view zone = text.substr(pos);
  if (zone == "Z") {
    offset_ms = 0;
  } else {
    int offset_hours = 0, offset_minutes = 0;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' ||
        !Digits(zone, 1, 2, &offset_hours) || !Digits(zone, 4, 2, &offset_minutes) ||
        offset_hours > 14 || offset_minutes > 59) {
      return bad;
    }
    offset_ms = (offset_hours * 60 + offset_minutes) * int64_t{60000};
    if (zone[0] == '-') offset_ms = -offset_ms;
  }
  return midnight_utc + hour * int64_t{3600000} + minute * int64_t{60000} + second * int64_t{1000} +
         millis - offset_ms;
}

int ChinaDate(int64_t utc_ms) {
  const int64_t local = utc_ms + kChinaOffsetMs;
  const int64_t days = local >= 0 ? local / kMsPerDay : (local - kMsPerDay + 1) / kMsPerDay;
  const CivilDate date = CivilFromDays(days);
  return static_cast<int>(date.year) * 10000 + date.month * 100 + date.day;
}

}  // namespace restitution
