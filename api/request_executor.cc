#include "api/request_executor.h"

#include <chrono>

#include "api/error_response.h"
#include "crypto/encoding.h"
#include "service/idempotency.h"
#include "service/log.h"
#include "service/outbox.h"
#include "service/security_events.h"
#include "service/sessions.h"
#include "service/transaction.h"

namespace restitution {
namespace {

void RecordDenial(App& app, const HttpRequest& request, const Route& route,
                  const std::optional<Principal>& principal, const Status& denial) {
  SecurityEvent event;
  event.at_ms = app.services().NowMs();
  event.event = "access_denied";
  if (principal) {
    event.user_id = principal->user_id;
    event.role = std::string(RoleName(principal->role));
  }
  event.client_address = request.client_address;
  event.request_id = request.request_id;
  event.route = route.method + " " + route.pattern;
  event.detail = ErrorCodeFor(denial);
  Status recorded = RunInTransaction(
      app.pool(), [&](DbConnection& db) { return RecordSecurityEvent(db, event); });
  if (!recorded.ok()) {
    Log(LogLevel::kError, "cannot record security event",
        {{"request_id", request.request_id}, {"error", recorded.ToString()}});
  }
}

// Adds "receipt" to a JSON object body once the entry has its index: {"ledger_index":i,
// "leaf_hash":b64}. If the sequencer does not get to it in time the change is still
// committed and its entry durably queued, so the answer stands, with a pending receipt.
void AttachReceipt(App& app, const HttpRequest& request, int64_t queue_id,
                   std::optional<ledger::Hash> leaf_hash, HttpResponse* response) {
  StatusOr<std::optional<LedgerReceipt>> receipt = app.sequencer().AwaitReceipt(
      queue_id, std::chrono::milliseconds(app.config().receipt_wait_ms));
  if (!receipt.ok()) {
    Log(LogLevel::kWarn, "receipt lookup failed",
        {{"request_id", request.request_id}, {"error", receipt.status().ToString()}});
  }
  const bool sequenced = receipt.ok() && receipt->has_value();
  if (sequenced) leaf_hash = (*receipt)->leaf_hash;
  if (!leaf_hash) {
    Status read = RunInTransaction(app.pool(), [&](DbConnection& db) -> Status {
      ASSIGN_OR_RETURN(SqlRows rows,
                       db.Query("SELECT leaf_hash FROM ledger_queue WHERE id = ?", {queue_id}));
      if (!rows.empty()) leaf_hash = rows[0].Bytes(0);
      return Status::Ok();
    });
    if (!read.ok()) leaf_hash.reset();
  }
  const nlohmann::json index = sequenced ? nlohmann::json((*receipt)->index) : nlohmann::json();
  const nlohmann::json hash =
      leaf_hash ? nlohmann::json(crypto::Base64Encode(*leaf_hash)) : nlohmann::json();
  nlohmann::json body = nlohmann::json::parse(response->body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    // A CSV or a file cannot carry the receipt in its body: it travels in headers.
    if (sequenced) response->headers.emplace_back("X-Ledger-Index", index.dump());
    if (leaf_hash) response->headers.emplace_back("X-Ledger-Leaf-Hash", hash.get<std::string>());
    return;
  }
  body["receipt"] = {{"ledger_index", index}, {"leaf_hash", hash}};
  if (!sequenced) body["receipt"]["pending"] = true;
  response->body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse Replayed(const StoredResponse& stored) {
  HttpResponse response;
  response.status = stored.status_code;
  response.body = stored.body;
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

}  // namespace

std::string BearerToken(const HttpRequest& request) {
  const std::string header = request.Header("authorization");
  constexpr char kScheme[] = "Bearer ";
  if (header.size() <= sizeof(kScheme) - 1 ||
      header.compare(0, sizeof(kScheme) - 1, kScheme) != 0) {
    return "";
  }
  return header.substr(sizeof(kScheme) - 1);
}

HttpResponse ExecuteRequest(App& app, const HttpRequest& request, const Route& route,
                            const std::map<std::string, std::string>& path_params,
                            const std::any& input, ExecutionOutcome* outcome) {
  const ServiceContext& services = app.services();
  if (!route.uses_database) {
    RequestContext ctx{request, path_params, std::nullopt, nullptr,
                       app,     input,       false,        std::nullopt};
    StatusOr<HttpResponse> result = route.handle(ctx);
    return result.ok() ? std::move(result).value() : ErrorResponse(result.status());
  }

  const std::string token = BearerToken(request);
  if (route.access == Access::kAuthenticated && token.empty()) {
    return ErrorResponse(Status::Unauthenticated("log in first: Authorization: Bearer <token>"));
  }
  const std::string idempotency_key =
      request.method == "POST" ? request.Header("idempotency-key") : std::string();
  if (!idempotency_key.empty()) {
    Status valid = ValidateIdempotencyKey(idempotency_key);
    if (!valid.ok()) return ErrorResponse(valid);
  }

  HttpResponse response;
  std::optional<Principal> principal;
  bool deliver_messages = false;
  std::optional<int64_t> ledger_queue_id;
  std::optional<ledger::Hash> leaf_hash;
  bool ran = false;  // false after a failure: no connection (or no BEGIN) was had
  const TransactionFn run = [&](DbConnection& db) -> Status {
    ran = true;
    principal.reset();
    deliver_messages = false;
    ledger_queue_id.reset();
    leaf_hash.reset();
    if (!token.empty()) {
      StatusOr<Principal> who = AuthenticateToken(db, services, token);
      if (who.ok()) {
        principal = *who;
      } else if (route.access == Access::kAuthenticated ||
                 who.status().code() != StatusCode::kUnauthenticated) {
        return who.status();
      }
    }
    IdempotencyScope scope;
    if (!idempotency_key.empty()) {
      scope.user_id = principal ? principal->user_id : 0;
      scope.key = idempotency_key;
      scope.request_fingerprint = request.method + " " + request.path + "\n" + request.body;
      ASSIGN_OR_RETURN(std::optional<StoredResponse> stored,
                       LookupIdempotentResponse(db, services, scope));
      if (stored) {
        response = Replayed(*stored);
        ledger_queue_id = stored->ledger_queue_id;
        return Status::Ok();
      }
    }
    RequestContext ctx{request, path_params, principal, &db, app, input, false, std::nullopt};
    ASSIGN_OR_RETURN(response, route.handle(ctx));
    deliver_messages = ctx.deliver_messages;
    if (ctx.ledger_entry) {
      ledger_queue_id = ctx.ledger_entry->queue_id;
      leaf_hash = ctx.ledger_entry->leaf_hash;
    }
    if (!idempotency_key.empty()) {
      // A server error is not an answer worth replaying: roll back, key reservation included.
      if (response.status >= 500) return Status::Internal("handler answered " + response.body);
      RETURN_IF_ERROR(SaveIdempotentResponse(
          db, services, scope, StoredResponse{response.status, response.body, ledger_queue_id}));
    }
    return Status::Ok();
  };
  Status status = Status::Unavailable("not run");
  bool answered = false;
  // Public non-money reads go to the replica while it is usable; the replica only answers
  // successes: a failure, a 404 for a row not replicated yet or a proof beyond its head is
  // asked again of the primary (the only one to answer errors).
  if (route.replica_ok && token.empty() && app.replica_monitor() != nullptr &&
      app.replica_monitor()->Usable()) {
    status = RunInTransaction(*app.replica_pool(), run, TransactionOptions{1});
    if (!ran) {
      app.replica_monitor()->ReportUnreachable(status.ToString());
      Log(LogLevel::kWarn, "replica read failed; reading from the primary",
          {{"request_id", request.request_id}, {"error", status.ToString()}});
    }
    answered = status.ok() && response.status < 400;
  }
  if (!answered) status = RunInTransaction(app.pool(), run);
  if (principal) outcome->user_id = principal->user_id;
  if (!status.ok()) {
    if (status.code() == StatusCode::kInternal) {
      Log(LogLevel::kError, "request failed",
          {{"request_id", request.request_id}, {"error", status.ToString()}});
    }
    if (status.code() == StatusCode::kPermissionDenied) {
      RecordDenial(app, request, route, principal, status);
    }
    return ErrorResponse(status);
  }
  if (ledger_queue_id) AttachReceipt(app, request, *ledger_queue_id, leaf_hash, &response);
  if (deliver_messages) {
    StatusOr<int> delivered = DeliverPendingMessages(app.pool(), services, app.sender());
    if (!delivered.ok()) {
      // The message stays queued; the periodic delivery pass retries it.
      Log(LogLevel::kWarn, "outbox delivery failed",
          {{"request_id", request.request_id}, {"error", delivered.status().ToString()}});
    }
  }
  return response;
}

}  // namespace restitution
