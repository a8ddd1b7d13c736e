// Idempotency-Key storage. The first response to (user, key) is saved, encrypted, in the same
// transaction as the change it reports; a repeat returns it and changes nothing. A repeat with
// a different request under the same key is refused (422): it is a client bug, not a retry.
#ifndef RESTITUTION_SERVICE_IDEMPOTENCY_H_
#define RESTITUTION_SERVICE_IDEMPOTENCY_H_

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/service_context.h"

namespace restitution {

struct StoredResponse {
  int status_code = 0;
  std::string body;
  // The ledger entry the response reports, if any: its receipt is added to the body on every
  // answer (first and replayed), since the index is only known once the entry is sequenced.
  std::optional<int64_t> ledger_queue_id;
};

struct IdempotencyScope {
  int64_t user_id = 0;              // 0 before login; the request hash then binds the caller
  std::string key;                  // the header value
  std::string request_fingerprint;  // method, path and body
};

// Checks the header value: 1 to 128 visible ASCII characters.
Status ValidateIdempotencyKey(const std::string& key);

// The stored response for this scope, or nullopt if the key is new — in which case the key is
// reserved by inserting its row in the caller's transaction. A concurrent request with the
// same key then waits on that row; once this transaction commits it fails with Aborted and
// its retry finds the stored response. If this transaction rolls back, so does the reservation.
StatusOr<std::optional<StoredResponse>> LookupIdempotentResponse(DbConnection& db,
                                                                 const ServiceContext& ctx,
                                                                 const IdempotencyScope& scope);

// Stores the response under the key reserved by LookupIdempotentResponse.
Status SaveIdempotentResponse(DbConnection& db, const ServiceContext& ctx,
                              const IdempotencyScope& scope, const StoredResponse& response);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_IDEMPOTENCY_H_
