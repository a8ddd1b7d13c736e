// RunInTransaction: the one way to change the database. The function runs inside a
// transaction on one pooled connection and is retried, with a bound, when it loses a race
// (deadlock 1213, lock-wait timeout 1205) or when the connection dies before COMMIT is sent.
// It must therefore have no effect outside the database; effects that must follow a commit
// (sending a text message) go through the outbox.
#ifndef RESTITUTION_SERVICE_TRANSACTION_H_
#define RESTITUTION_SERVICE_TRANSACTION_H_

#include <functional>

#include "crypto/status.h"
#include "service/connection_pool.h"

namespace restitution {

struct TransactionOptions {
  int max_attempts = 5;
};

using TransactionFn = std::function<Status(DbConnection&)>;

// Commits when fn returns OK, rolls back otherwise and returns fn's Status. A Status of
// kAborted after the last attempt is returned as Unavailable (the client may retry).
Status RunInTransaction(ConnectionPool& pool, const TransactionFn& fn,
                        const TransactionOptions& options = {});

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_TRANSACTION_H_
