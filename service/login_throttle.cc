#include "service/login_throttle.h"

#include <algorithm>

namespace restitution {
namespace {

// A subject whose last failure is older than this starts again from zero.
constexpr int64_t kForgetAfterMs = 60 * 60 * 1000;
constexpr int kMaxBackoffExponent = 8;  // 256 s between attempts at most before the lock

int64_t BackoffMs(const AccountPolicy& policy, int failures) {
  if (failures < policy.slow_after_failures) return 0;
  const int exponent = std::min(failures - policy.slow_after_failures, kMaxBackoffExponent);
  return (int64_t{1} << exponent) * 1000;
}

int SecondsUntil(int64_t now_ms, int64_t until_ms) {
  return static_cast<int>(std::max<int64_t>(1, (until_ms - now_ms + 999) / 1000));
}

}  // namespace

Status CheckThrottle(DbConnection& db, const ServiceContext& ctx, const ThrottleSubject& subject) {
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT failures, last_failure_at_ms, locked_until_ms "
                                          "FROM login_throttle WHERE scope = ? AND "
                                          "subject_hash = ? FOR UPDATE",
                                          {subject.scope, subject.subject_hash}));
  if (rows.empty()) return Status::Ok();
  const int64_t now = ctx.NowMs();
  const int failures = static_cast<int>(rows[0].Int(0));
  const int64_t last_failure = rows[0].Int(1);
  const int64_t locked_until = rows[0].Int(2);
  if (locked_until > now) {
    return Status::TooManyAttempts("too many failed attempts; try again later",
                                   SecondsUntil(now, locked_until));
  }
  if (now - last_failure > kForgetAfterMs) return Status::Ok();
  const int64_t wait_until = last_failure + BackoffMs(ctx.policy, failures);
  if (wait_until > now) {
    return Status::TooManyAttempts("too many failed attempts; wait before trying again",
                                   SecondsUntil(now, wait_until));
  }
  return Status::Ok();
}

Status RecordLoginFailure(DbConnection& db, const ServiceContext& ctx,
                          const ThrottleSubject& subject) {
  const int64_t now = ctx.NowMs();
  // FOR UPDATE locks nothing when the row does not exist yet (READ COMMITTED has no gap
  // locks), so two concurrent first failures would both count from zero. Create the row
  // first: on a duplicate this waits for, then takes, the row's exclusive lock.
  RETURN_IF_ERROR(db.Exec("INSERT INTO login_throttle (scope, subject_hash, failures, "
                          "last_failure_at_ms, locked_until_ms) VALUES (?, ?, 0, 0, 0) ON "
                          "DUPLICATE KEY UPDATE failures = failures",
                          {subject.scope, subject.subject_hash})
                      .status());
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT failures, last_failure_at_ms FROM "
                                          "login_throttle WHERE scope = ? AND subject_hash = ? "
                                          "FOR UPDATE",
                                          {subject.scope, subject.subject_hash}));
  int failures = 1;
  if (!rows.empty() && now - rows[0].Int(1) <= kForgetAfterMs) {
    failures = static_cast<int>(rows[0].Int(0)) + 1;
  }
  int64_t locked_until = 0;
  if (failures >= ctx.policy.lock_after_failures) {
    locked_until = now + int64_t{ctx.policy.lock_seconds} * 1000;
    failures = 0;  // after the lock the subject starts again
  }
  return db
      .Exec(
          "INSERT INTO login_throttle (scope, subject_hash, failures, last_failure_at_ms, "
          "locked_until_ms) VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE failures = "
          "VALUES(failures), last_failure_at_ms = VALUES(last_failure_at_ms), "
          "locked_until_ms = VALUES(locked_until_ms)",
          {subject.scope, subject.subject_hash, failures, now, locked_until})
      .status();
}

Status ClearLoginFailures(DbConnection& db, const ThrottleSubject& subject) {
  return db
      .Exec("DELETE FROM login_throttle WHERE scope = ? AND subject_hash = ?",
            {subject.scope, subject.subject_hash})
      .status();
}

}  // namespace restitution
