// What every service operation needs besides its database connection: the keys, the
// account policy and the clock. Built once by restitutiond (or a test) and shared read-only.
#ifndef RESTITUTION_SERVICE_SERVICE_CONTEXT_H_
#define RESTITUTION_SERVICE_SERVICE_CONTEXT_H_

#include "crypto/password_hash.h"
#include "service/clock.h"
#include "service/service_keys.h"

namespace restitution {

struct AccountPolicy {
  int session_ttl_seconds = 8 * 3600;
  int password_min_length = 10;
  crypto::ScryptParams scrypt;
  // Failed logins: from the Nth failure on, each further attempt must wait 2^(k) seconds
  // (k = failures - N, capped), and at the lock threshold the subject is locked for a while.
  int slow_after_failures = 3;
  int lock_after_failures = 10;
  int lock_seconds = 15 * 60;
  // Verification codes.
  int code_ttl_seconds = 10 * 60;
  int code_max_attempts = 5;
  int code_resend_seconds = 60;
  int codes_per_hour = 5;
};

struct ServiceContext {
  const ServiceKeys* keys = nullptr;
  AccountPolicy policy;
  Clock clock = SystemNowMs;

  int64_t NowMs() const { return clock(); }
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_SERVICE_CONTEXT_H_
