// Bearer sessions. A token is 256 random bits, shown to the client once and stored only as
// its SHA-256, so a copy of the database does not let anyone act as a user.
#ifndef RESTITUTION_SERVICE_SESSIONS_H_
#define RESTITUTION_SERVICE_SESSIONS_H_

#include <cstdint>
#include <string>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/principal.h"
#include "service/service_context.h"

namespace restitution {

struct NewSession {
  std::string token;  // base64url, 43 characters
  int64_t expires_at_ms = 0;
};

StatusOr<NewSession> CreateSession(DbConnection& db, const ServiceContext& ctx, int64_t user_id);

// Unauthenticated (401) for an unknown, expired or revoked token, or an inactive account.
StatusOr<Principal> AuthenticateToken(DbConnection& db, const ServiceContext& ctx,
                                      const std::string& token);

Status RevokeSession(DbConnection& db, const ServiceContext& ctx, const std::string& token);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_SESSIONS_H_
