#include "service/security_events.h"

namespace restitution {
namespace {

std::optional<std::string> NullIfEmpty(const std::string& text, size_t max) {
  if (text.empty()) return std::nullopt;
  return text.substr(0, max);
}

}  // namespace

Status RecordSecurityEvent(DbConnection& db, const SecurityEvent& e) {
  return db
      .Exec(
          "INSERT INTO security_events (at_ms, event, user_id, role, client_address, "
          "request_id, route, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
          {e.at_ms, e.event.substr(0, 48), e.user_id, NullIfEmpty(e.role, 16),
           NullIfEmpty(e.client_address, 64), NullIfEmpty(e.request_id, 64),
           NullIfEmpty(e.route, 128), NullIfEmpty(e.detail, 255)})
      .status();
}

}  // namespace restitution
