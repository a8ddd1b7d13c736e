#include "service/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

#include "service/clock.h"

namespace restitution {
namespace {

std::atomic<int> g_threshold{static_cast<int>(LogLevel::kInfo)};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

bool SetLogLevel(const std::string& name) {
  for (LogLevel level : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (name == LevelName(level)) {
      g_threshold = static_cast<int>(level);
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, const std::string& message, nlohmann::json fields) {
  if (static_cast<int>(level) < g_threshold.load()) return;
  nlohmann::json line = {
      {"time", FormatUtcMs(SystemNowMs())}, {"level", LevelName(level)}, {"msg", message}};
  if (fields.is_object()) {
    for (auto& [key, value] : fields.items()) line[key] = value;
  }
  // Replace invalid UTF-8 instead of throwing: a log line must never take the server down.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace restitution
