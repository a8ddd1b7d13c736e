// Security events: logins, logouts, failed logins, authorization denials, account changes.
// Kept in the database for the auditors (and for the six months network logs must be kept).
// Never a password, token, code or personal data: the detail is a fixed phrase.
#ifndef RESTITUTION_SERVICE_SECURITY_EVENTS_H_
#define RESTITUTION_SERVICE_SECURITY_EVENTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "service/db_connection.h"

namespace restitution {

struct SecurityEvent {
  int64_t at_ms = 0;
  std::string event;  // login, login_failed, login_throttled, logout, access_denied, ...
  std::optional<int64_t> user_id;
  std::string role;
  std::string client_address;
  std::string request_id;
  std::string route;
  std::string detail;
};

Status RecordSecurityEvent(DbConnection& db, const SecurityEvent& event);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_SECURITY_EVENTS_H_
