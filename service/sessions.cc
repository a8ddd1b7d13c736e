#include "service/sessions.h"

#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/sha256.h"

namespace restitution {
namespace {

constexpr size_t kTokenBytes = 32;

Status InvalidSession() {
  return Status::Unauthenticated("session missing, expired or revoked; log in again")
      .WithReason("unauthenticated");
}

}  // namespace

StatusOr<NewSession> CreateSession(DbConnection& db, const ServiceContext& ctx, int64_t user_id) {
  NewSession session;
  session.token = crypto::Base64UrlEncode(crypto::RandomBytes(kTokenBytes));
  const int64_t now = ctx.NowMs();
  session.expires_at_ms = now + int64_t{ctx.policy.session_ttl_seconds} * 1000;
  RETURN_IF_ERROR(db.Exec("INSERT INTO sessions (token_hash, user_id, created_at_ms, "
                          "expires_at_ms) VALUES (?, ?, ?, ?)",
                          {crypto::Sha256(session.token), user_id, now, session.expires_at_ms})
                      .status());
  return session;
}

StatusOr<Principal> AuthenticateToken(DbConnection& db, const ServiceContext& ctx,
                                      const std::string& token) {
  // A token of the wrong shape is rejected without touching the database.
  if (token.size() != 43) return InvalidSession();
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT u.id, u.role FROM sessions s JOIN users u ON u.id = "
                            "s.user_id WHERE s.token_hash = ? AND s.revoked_at_ms IS NULL AND "
                            "s.expires_at_ms > ? AND u.status = 'active'",
                            {crypto::Sha256(token), ctx.NowMs()}));
  if (rows.empty()) return InvalidSession();
  std::optional<Role> role = ParseRole(rows[0].Bytes(1));
  if (!role) return Status::Internal("unknown role in users table");
  return Principal{rows[0].Int(0), *role};
}

Status RevokeSession(DbConnection& db, const ServiceContext& ctx, const std::string& token) {
  return db
      .Exec(
          "UPDATE sessions SET revoked_at_ms = ? WHERE token_hash = ? AND revoked_at_ms IS "
          "NULL",
          {ctx.NowMs(), crypto::Sha256(token)})
      .status();
}

}  // namespace restitution
