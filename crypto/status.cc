#include "crypto/status.h"

namespace restitution {
namespace {

const char* CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "InvalidArgument";
    case StatusCode::kUnauthenticated:
      return "Unauthenticated";
    case StatusCode::kPermissionDenied:
      return "PermissionDenied";
    case StatusCode::kNotFound:
      return "NotFound";
    case StatusCode::kConflict:
      return "Conflict";
    case StatusCode::kTooLarge:
      return "TooLarge";
    case StatusCode::kRuleViolated:
      return "RuleViolated";
    case StatusCode::kTooManyAttempts:
      return "TooManyAttempts";
    case StatusCode::kUnavailable:
      return "Unavailable";
    case StatusCode::kAborted:
      return "Aborted";
    case StatusCode::kInternal:
      return "Internal";
  }
  return "Unknown";
}

}  // namespace

std::string Status::ToString() const {
  std::string out = CodeName(code_);
  if (ok()) return out;
  out += ": ";
  out += message_;
  if (!field_.empty()) out += " [field " + field_ + "]";
  if (!reason_.empty()) out += " [reason " + reason_ + "]";
  if (!rule_.empty()) out += " [rule " + rule_ + "]";
  return out;
}

}  // namespace restitution
