#include "api/error_response.h"

#include <nlohmann/json.hpp>

namespace restitution {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kConflict:
      return 409;
    case StatusCode::kTooLarge:
      return 413;
    case StatusCode::kRuleViolated:
      return 422;
    case StatusCode::kTooManyAttempts:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kAborted:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

std::string ErrorCodeFor(const Status& status) {
  if (!status.reason().empty()) return status.reason();
  switch (status.code()) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "validation_failed";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "forbidden";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kConflict:
      return "conflict";
    case StatusCode::kTooLarge:
      return "payload_too_large";
    case StatusCode::kRuleViolated:
      return "rule_violated";
    case StatusCode::kTooManyAttempts:
      return "too_many_attempts";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kAborted:
      return "unavailable";
    case StatusCode::kInternal:
      return "internal";
  }
  return "internal";
}

HttpResponse ErrorResponse(const Status& status) {
  return ErrorResponseWithDetails(status, nlohmann::json::object());
}

HttpResponse ErrorResponseWithDetails(const Status& status, const nlohmann::json& details) {
  HttpResponse response;
  response.status = HttpStatusFor(status.code());
  nlohmann::json error = {{"code", ErrorCodeFor(status)}};
  if (status.code() == StatusCode::kInternal) {
    error["message"] = "internal error; the request id identifies it in the server log";
  } else {
    error["message"] = status.message();
  }
  if (!status.field().empty()) error["field"] = status.field();
  if (!status.rule().empty()) error["rule"] = status.rule();
  int retry_after = status.retry_after_seconds();
  if (status.code() == StatusCode::kAborted || status.code() == StatusCode::kUnavailable) {
    retry_after = retry_after > 0 ? retry_after : 1;
  }
  if (retry_after > 0) {
    error["retry_after_seconds"] = retry_after;
    response.headers.emplace_back("Retry-After", std::to_string(retry_after));
  }
  for (const auto& [key, value] : details.items()) {
    if (!error.contains(key)) error[key] = value;
  }
  // Messages may echo a client's bytes (a parameter name): never let invalid UTF-8 throw.
  response.body = nlohmann::json{{"error", error}}.dump(-1, ' ', false,
                                                        nlohmann::json::error_handler_t::replace);
  return response;
}

HttpResponse RouteNotFoundResponse() { return ErrorResponse(Status::NotFound("no such route")); }

}  // namespace restitution
