// Failed-login throttling per account and per client address, kept in the database so it
// holds across restarts and across several restitutiond processes. Failures first slow the
// subject down (exponential back-off between attempts), then lock it for a while.
#ifndef RESTITUTION_SERVICE_LOGIN_THROTTLE_H_
#define RESTITUTION_SERVICE_LOGIN_THROTTLE_H_

#include <string>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/service_context.h"

namespace restitution {

struct ThrottleSubject {
  std::string scope;         // "account" or "address"
  std::string subject_hash;  // 32 bytes; a blind index, never the name or address itself
};

// TooManyAttempts (429, with Retry-After) when the subject must wait; OK otherwise.
// Locks the subject's row (FOR UPDATE) so concurrent attempts are counted exactly.
Status CheckThrottle(DbConnection& db, const ServiceContext& ctx, const ThrottleSubject& subject);
Status RecordLoginFailure(DbConnection& db, const ServiceContext& ctx,
                          const ThrottleSubject& subject);
Status ClearLoginFailures(DbConnection& db, const ThrottleSubject& subject);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_LOGIN_THROTTLE_H_
