#include "service/accounts.h"

#include <cctype>

#include "crypto/password_hash.h"
#include "service/input_rules.h"
#include "service/login_throttle.h"
#include "service/phone_number.h"
#include "service/security_events.h"

namespace restitution {
namespace {

constexpr size_t kMaxPasswordBytes = 128;

std::string Lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

Status CheckStaffUsername(const std::string& username) {
  if (username.size() < 3 || username.size() > 64) {
    return Status::InvalidArgument("username", "must be 3 to 64 characters");
  }
  if (!std::islower(static_cast<unsigned char>(username[0]))) {
    return Status::InvalidArgument("username", "must start with a lower-case letter");
  }
  for (char c : username) {
    const bool ok = std::islower(static_cast<unsigned char>(c)) ||
                    std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Status::InvalidArgument("username", "may hold only a-z, 0-9, '.', '_' and '-'");
    }
  }
  return Status::Ok();
}

// A well-formed hash of a random password: verifying against it costs what a real check
// costs, so a login for an unknown name takes as long as one for a known name.
const std::string& DummyPasswordHash(const ServiceContext& ctx) {
  static const std::string hash = [&] {
    StatusOr<std::string> h = crypto::HashPassword("no such user", ctx.policy.scrypt);
    return h.ok() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

std::string LoginHash(const ServiceContext& ctx, const std::string& login_name) {
  StatusOr<std::string> phone = NormalizeMobileNumber(login_name, "username");
  return ctx.keys->BlindIndex("login", phone.ok() ? *phone : Lowercase(login_name));
}

Status CheckPasswordPolicy(const ServiceContext& ctx, const std::string& password) {
  if (password.size() < static_cast<size_t>(ctx.policy.password_min_length)) {
    return Status::InvalidArgument(
               "password",
               "must be at least " + std::to_string(ctx.policy.password_min_length) + " characters")
        .WithRule(rules::kPasswordShort);
  }
  if (password.size() > kMaxPasswordBytes) {
    return Status::InvalidArgument("password", "must be at most 128 characters")
        .WithRule(rules::kTooLong);
  }
  // Control characters are refused: scrypt's HMAC-based mixing would treat "pw" and "pw\0"
  // alike, and nobody types them on purpose.
  for (char c : password) {
    const unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return Status::InvalidArgument("password", "must not contain control characters")
          .WithRule(rules::kBadChars);
    }
  }
  return Status::Ok();
}

StatusOr<UserView> CreateStaffUser(DbConnection& db, const ServiceContext& ctx, int64_t created_by,
                                   const std::string& username, const std::string& password,
                                   const std::string& role_name) {
  RETURN_IF_ERROR(CheckStaffUsername(username));
  std::optional<Role> role = ParseRole(role_name);
  if (!role) {
    return Status::InvalidArgument("role", "must be one of officer, court, auditor, admin");
  }
  if (*role == Role::kClaimant) {
    return Status::RuleViolated("role", "claimants register themselves with their phone number");
  }
  RETURN_IF_ERROR(CheckPasswordPolicy(ctx, password));
  if (Lowercase(password) == username) {
    return Status::InvalidArgument("password", "must not be the username");
  }
  ASSIGN_OR_RETURN(std::string password_hash, crypto::HashPassword(password, ctx.policy.scrypt));
  StatusOr<int64_t> inserted = db.Insert(
      "INSERT INTO users (login_hash, username, role, status, password_hash, "
      "created_by, created_at_ms, activated_at_ms) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)",
      {LoginHash(ctx, username), username, std::string(RoleName(*role)), password_hash,
       created_by == 0 ? SqlParam(nullptr) : SqlParam(created_by), ctx.NowMs(), ctx.NowMs()});
  if (!inserted.ok()) {
    if (inserted.status().reason() == "duplicate_key") {
      return Status::Conflict("username is taken").WithReason("username_taken");
    }
    return inserted.status();
  }
  const int64_t id = *inserted;
  ledger::EntryDraft entry;
  entry.type = "staff_created";
  entry.at_ms = ctx.NowMs();
  if (created_by != 0) {
    ASSIGN_OR_RETURN(SqlRows creator,
                     db.Query("SELECT role FROM users WHERE id = ?", {created_by}));
    if (creator.empty()) return Status::Internal("creating user vanished");
    entry.actor = ledger::Actor{created_by, creator[0].Bytes(0)};
  }
  // The username stays off the log: staff names are often real names.
  entry.payload = {{"user", id}, {"role", std::string(RoleName(*role))}};
  ASSIGN_OR_RETURN(QueuedEntry queued, AppendLedgerEntry(db, entry));
  return UserView{id, username, *role, queued};
}

StatusOr<LoginResult> Login(DbConnection& db, const ServiceContext& ctx,
                            const LoginAttempt& attempt) {
  LoginResult result;
  const ThrottleSubject account{"account", LoginHash(ctx, attempt.username)};
  const ThrottleSubject address{"address", ctx.keys->BlindIndex("address", attempt.client_address)};
  SecurityEvent event;
  event.at_ms = ctx.NowMs();
  event.client_address = attempt.client_address;
  event.request_id = attempt.request_id;
  event.route = "POST /api/v1/auth/login";

  for (const ThrottleSubject* subject : {&account, &address}) {
    Status throttled = CheckThrottle(db, ctx, *subject);
    if (throttled.code() == StatusCode::kTooManyAttempts) {
      event.event = "login_throttled";
      event.detail = subject->scope;
      RETURN_IF_ERROR(RecordSecurityEvent(db, event));
      result.refusal = std::move(throttled);
      return result;
    }
    RETURN_IF_ERROR(throttled);
  }

  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT id, username, role, status, password_hash "
                                          "FROM users WHERE login_hash = ?",
                                          {account.subject_hash}));
  const bool found = !rows.empty();
  const std::string stored_hash = found ? rows[0].Bytes(4) : DummyPasswordHash(ctx);
  const bool password_ok = crypto::VerifyPassword(attempt.password, stored_hash) && found;
  if (!password_ok) {
    RETURN_IF_ERROR(RecordLoginFailure(db, ctx, account));
    RETURN_IF_ERROR(RecordLoginFailure(db, ctx, address));
    event.event = "login_failed";
    if (found) event.user_id = rows[0].Int(0);
    RETURN_IF_ERROR(RecordSecurityEvent(db, event));
    result.refusal =
        Status::Unauthenticated("wrong username or password").WithReason("invalid_credentials");
    return result;
  }
  const SqlRow& row = rows[0];
  result.user.id = row.Int(0);
  result.user.username = row.OptionalBytes(1).value_or("");
  result.user.role = ParseRole(row.Bytes(2)).value_or(Role::kClaimant);
  event.user_id = result.user.id;
  event.role = std::string(RoleName(result.user.role));
  if (row.Bytes(3) != "active") {
    event.event = "login_refused_inactive";
    RETURN_IF_ERROR(RecordSecurityEvent(db, event));
    result.refusal =
        row.Bytes(3) == "pending"
            ? Status::Unauthenticated("verify your phone number first")
                  .WithReason("account_not_verified")
            : Status::Unauthenticated("this account is disabled").WithReason("account_disabled");
    return result;
  }
  RETURN_IF_ERROR(ClearLoginFailures(db, account));
  if (crypto::PasswordHashNeedsUpgrade(stored_hash, ctx.policy.scrypt)) {
    ASSIGN_OR_RETURN(std::string upgraded,
                     crypto::HashPassword(attempt.password, ctx.policy.scrypt));
    RETURN_IF_ERROR(
        db.Exec("UPDATE users SET password_hash = ? WHERE id = ?", {upgraded, result.user.id})
            .status());
  }
  ASSIGN_OR_RETURN(result.session, CreateSession(db, ctx, result.user.id));
  event.event = "login";
  RETURN_IF_ERROR(RecordSecurityEvent(db, event));
  return result;
}

}  // namespace restitution
