#include "service/idempotency.h"

#include "crypto/constant_time.h"
#include "crypto/sha256.h"

namespace restitution {
namespace {

constexpr char kPurpose[] = "idempotency.response";

}  // namespace

Status ValidateIdempotencyKey(const std::string& key) {
  if (key.empty() || key.size() > 128) {
    return Status::InvalidArgument("Idempotency-Key", "must be 1 to 128 characters");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Status::InvalidArgument("Idempotency-Key", "must be visible ASCII characters");
    }
  }
  return Status::Ok();
}

StatusOr<std::optional<StoredResponse>> LookupIdempotentResponse(DbConnection& db,
                                                                 const ServiceContext& ctx,
                                                                 const IdempotencyScope& scope) {
  // Reserve the key first: a new key (nearly every request) costs one statement. A key that is
  // taken fails on the unique key; one still held by a running transaction makes this INSERT
  // wait until that transaction ends. Either way the row read below is committed, and a
  // committed row never changes again: a plain read, no lock (two replays of one key locking it
  // for update after the INSERT's shared lock would deadlock each other).
  const std::string key_hash = crypto::Sha256(scope.key);
  Status reserved =
      db.Exec(
            "INSERT INTO idempotency_keys (user_id, key_hash, request_hash, "
            "status_code, response_enc, created_at_ms) VALUES (?, ?, ?, 0, '', ?)",
            {scope.user_id, key_hash, crypto::Sha256(scope.request_fingerprint), ctx.NowMs()})
          .status();
  if (reserved.ok()) return std::optional<StoredResponse>();
  if (reserved.reason() != "duplicate_key") return reserved;
  ASSIGN_OR_RETURN(SqlRows rows,
                   db.Query("SELECT request_hash, status_code, response_enc, ledger_queue_id FROM "
                            "idempotency_keys WHERE user_id = ? AND key_hash = ?",
                            {scope.user_id, key_hash}));
  if (rows.empty()) {
    // Taken, then gone before the read (rows are never deleted today): the retry settles it.
    return Status::Aborted("the Idempotency-Key changed hands while this request ran");
  }
  if (rows[0].Int(1) == 0) {
    return Status::Aborted("a request with this Idempotency-Key is still in progress");
  }
  if (!crypto::ConstantTimeEquals(rows[0].Bytes(0), crypto::Sha256(scope.request_fingerprint))) {
    return Status::RuleViolated("Idempotency-Key",
                                "this key was already used for a different request")
        .WithReason("idempotency_key_reused");
  }
  ASSIGN_OR_RETURN(std::string body, ctx.keys->Open(kPurpose, rows[0].Bytes(2)));
  return std::optional<StoredResponse>(
      StoredResponse{static_cast<int>(rows[0].Int(1)), std::move(body), rows[0].OptionalInt(3)});
}

Status SaveIdempotentResponse(DbConnection& db, const ServiceContext& ctx,
                              const IdempotencyScope& scope, const StoredResponse& response) {
  ASSIGN_OR_RETURN(std::string sealed, ctx.keys->Seal(kPurpose, response.body));
  ASSIGN_OR_RETURN(
      int64_t updated,
      db.Exec("UPDATE idempotency_keys SET status_code = ?, response_enc = ?, ledger_queue_id = ? "
              "WHERE user_id = ? AND key_hash = ? AND status_code = 0",
              {response.status_code, sealed, response.ledger_queue_id, scope.user_id,
               crypto::Sha256(scope.key)}));
  if (updated != 1) return Status::Internal("idempotency key was not reserved");
  return Status::Ok();
}

}  // namespace restitution
