// Status: the one error type of the project, from OpenSSL up to the HTTP layer.
//
// It lives in crypto/ because crypto/ is the bottom library every layer links. A Status
// carries a code (which fixes the HTTP status), a human message, the input field it
// concerns (for validation errors) and an optional machine-readable reason that
// replaces the code's default name in the JSON error body.
#ifndef RESTITUTION_CRYPTO_STATUS_H_
#define RESTITUTION_CRYPTO_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace restitution {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // 400 malformed input
  kUnauthenticated,   // 401 no or expired session, bad credentials
  kPermissionDenied,  // 403 authenticated but not allowed
  kNotFound,          // 404 absent, or not the caller's to see
  kConflict,          // 409 wrong state, duplicate
  kTooLarge,          // 413
  kRuleViolated,      // 422 well-formed but breaks a business rule
  kTooManyAttempts,   // 429
  kUnavailable,       // 503 overloaded or dependency down; retry later
  kAborted,           // transaction lost a race (deadlock, lock wait); retry
  kInternal,          // 500 a bug or a broken invariant
};

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string field, std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message), std::move(field));
  }
  static Status Unauthenticated(std::string message) {
    return Status(StatusCode::kUnauthenticated, std::move(message));
  }
  static Status PermissionDenied(std::string message) {
    return Status(StatusCode::kPermissionDenied, std::move(message));
  }
  static Status NotFound(std::string message) {
    return Status(StatusCode::kNotFound, std::move(message));
  }
  static Status Conflict(std::string message) {
    return Status(StatusCode::kConflict, std::move(message));
  }
  static Status TooLarge(std::string message) {
    return Status(StatusCode::kTooLarge, std::move(message));
  }
  static Status RuleViolated(std::string field, std::string message) {
    return Status(StatusCode::kRuleViolated, std::move(message), std::move(field));
  }
  static Status TooManyAttempts(std::string message, int retry_after_seconds) {
    Status s(StatusCode::kTooManyAttempts, std::move(message));
    s.retry_after_seconds_ = retry_after_seconds;
    return s;
  }
  static Status Unavailable(std::string message, int retry_after_seconds = 1) {
    Status s(StatusCode::kUnavailable, std::move(message));
    s.retry_after_seconds_ = retry_after_seconds;
    return s;
  }
  static Status Aborted(std::string message) {
    return Status(StatusCode::kAborted, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The input field this error concerns ("contributions[2].amount"), or empty.
  const std::string& field() const { return field_; }
  // Machine-readable reason ("already_registered"); empty means the code's default name.
  const std::string& reason() const { return reason_; }
  // For bad input: which rule the value broke ("id_check", service/input_rules.h), so a client
  // can say it in the user's language without parsing the English message; empty if unnamed.
  const std::string& rule() const { return rule_; }
  // For 429 and 503: how long the client should wait; 0 when not set.
  int retry_after_seconds() const { return retry_after_seconds_; }

  Status&& WithReason(std::string reason) && {
    reason_ = std::move(reason);
    return std::move(*this);
  }
  Status&& WithRule(std::string rule) && {
    rule_ = std::move(rule);
    return std::move(*this);
  }

  // "NotFound: claim 12" — for logs and test failure messages, never for clients.
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string message, std::string field = "")
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
  std::string reason_;
  std::string rule_;
  int retry_after_seconds_ = 0;
};

// A value or the Status that explains its absence.
template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "StatusOr needs a value or an error");
    if (status_.ok()) status_ = Status::Internal("StatusOr built from an OK status");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace restitution

// Early return of a non-OK Status.
#define RETURN_IF_ERROR(expr)                \
  do {                                       \
    ::restitution::Status _status_ = (expr); \
    if (!_status_.ok()) return _status_;     \
  } while (false)

#define RESTITUTION_CONCAT_INNER(a, b) a##b
#define RESTITUTION_CONCAT(a, b) RESTITUTION_CONCAT_INNER(a, b)
// ASSIGN_OR_RETURN(auto x, F()): binds F()'s value or returns its Status.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(RESTITUTION_CONCAT(_status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#endif  // RESTITUTION_CRYPTO_STATUS_H_
