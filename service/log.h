// Structured logs: one JSON object per line on stderr. Callers pass only fields that are safe
// to keep: ids, routes, statuses, durations. Never a password, token, code, name, ID number,
// phone or bank account.
#ifndef RESTITUTION_SERVICE_LOG_H_
#define RESTITUTION_SERVICE_LOG_H_

#include <string>

#include <nlohmann/json.hpp>

namespace restitution {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

// "debug", "info", "warn", "error"; false for anything else.
bool SetLogLevel(const std::string& name);
void Log(LogLevel level, const std::string& message,
         nlohmann::json fields = nlohmann::json::object());

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_LOG_H_
