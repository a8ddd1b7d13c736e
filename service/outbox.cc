#include "service/outbox.h"

#include "service/transaction.h"

namespace restitution {

Status QueueSms(DbConnection& db, const ServiceContext& ctx, const std::string& to,
                const std::string& text) {
  ASSIGN_OR_RETURN(std::string recipient, ctx.keys->Seal("outbox.recipient", to));
  ASSIGN_OR_RETURN(std::string body, ctx.keys->Seal("outbox.body", text));
  return db
      .Exec(
          "INSERT INTO outbox (channel, recipient_enc, body_enc, created_at_ms) VALUES ('sms', "
          "?, ?, ?)",
          {recipient, body, ctx.NowMs()})
      .status();
}

StatusOr<int> DeliverPendingMessages(ConnectionPool& pool, const ServiceContext& ctx,
                                     MessageSender& sender, int limit) {
  int sent = 0;
  Status status = RunInTransaction(pool, [&](DbConnection& db) -> Status {
    sent = 0;
    ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT id, recipient_enc, body_enc FROM outbox "
                                            "WHERE sent_at_ms IS NULL ORDER BY id LIMIT ? FOR "
                                            "UPDATE SKIP LOCKED",
                                            {limit}));
    for (const SqlRow& row : rows) {
      ASSIGN_OR_RETURN(std::string to, ctx.keys->Open("outbox.recipient", row.Bytes(1)));
      ASSIGN_OR_RETURN(std::string text, ctx.keys->Open("outbox.body", row.Bytes(2)));
      Status delivered = sender.SendSms(to, text, ctx.NowMs());
      if (!delivered.ok()) {
        RETURN_IF_ERROR(
            db.Exec("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?", {row.Int(0)})
                .status());
        continue;
      }
      RETURN_IF_ERROR(db.Exec("UPDATE outbox SET sent_at_ms = ?, attempts = attempts + 1 WHERE "
                              "id = ?",
                              {ctx.NowMs(), row.Int(0)})
                          .status());
      ++sent;
    }
    return Status::Ok();
  });
  RETURN_IF_ERROR(status);
  return sent;
}

}  // namespace restitution
