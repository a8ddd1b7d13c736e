// Wall-clock time in UTC milliseconds. Services take a Clock so tests can move time.
#ifndef RESTITUTION_SERVICE_CLOCK_H_
#define RESTITUTION_SERVICE_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace restitution {

using Clock = std::function<int64_t()>;

inline int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-11-22T21:36:25.123Z"
std::string FormatUtcMs(int64_t ms);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLOCK_H_
