// Transactional outbox for text messages. QueueSms writes the message, encrypted, in the
// caller's transaction; DeliverPendingMessages hands committed messages to the sender
// afterwards. A rolled-back change therefore never sends anything, and a crash between commit
// and delivery only delays the message until the next delivery pass.
#ifndef RESTITUTION_SERVICE_OUTBOX_H_
#define RESTITUTION_SERVICE_OUTBOX_H_

#include <string>

#include "crypto/status.h"
#include "service/connection_pool.h"
#include "service/db_connection.h"
#include "service/message_sender.h"
#include "service/service_context.h"

namespace restitution {

Status QueueSms(DbConnection& db, const ServiceContext& ctx, const std::string& to,
                const std::string& text);

// Delivers up to `limit` pending messages; returns how many were sent. Rows are claimed
// with SKIP LOCKED so several processes can deliver at once without sending twice.
StatusOr<int> DeliverPendingMessages(ConnectionPool& pool, const ServiceContext& ctx,
                                     MessageSender& sender, int limit = 50);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_OUTBOX_H_
