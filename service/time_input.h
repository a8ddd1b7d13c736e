// Instants and dates at the API's edge. Claimants and officers think in Beijing time, so a
// bare date means that day in China Standard Time (UTC+8, no daylight saving); a full
// RFC 3339 time with "Z" or an offset is taken as written. Inside, everything is UTC ms.
#ifndef RESTITUTION_SERVICE_TIME_INPUT_H_
#define RESTITUTION_SERVICE_TIME_INPUT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

enum class DayEdge {
  kStart,  // a bare date means 00:00:00.000 of that day, CST
  kEnd,    // a bare date means the last millisecond of that day, CST (deadlines are inclusive)
};

// "2026-03-01" or "2026-03-01T09:30:00+08:00" / "2026-03-01T01:30:00Z" (optional fraction of
// up to 3 digits). Years 1990-2099. InvalidArgument naming `field` otherwise.
StatusOr<int64_t> ParseInstant(std::string_view text, const std::string& field, DayEdge edge);

// "YYYY-MM-DD" only, as yyyymmdd (20260301). InvalidArgument naming `field` otherwise.
StatusOr<int> ParseDate(std::string_view text, const std::string& field);

// Today's date in China Standard Time as yyyymmdd.
int ChinaDate(int64_t utc_ms);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_TIME_INPUT_H_
