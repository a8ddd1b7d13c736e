#include "service/claimant_registration.h"

#include "crypto/constant_time.h"
#include "crypto/password_hash.h"
#include "crypto/random.h"
#include "service/outbox.h"
#include "service/phone_number.h"
#include "service/security_events.h"

namespace restitution {
namespace {

constexpr int kCodeDigits = 6;
constexpr int64_t kHourMs = 60 * 60 * 1000;

std::string CodeHash(const ServiceContext& ctx, int64_t user_id, const std::string& code) {
  return ctx.keys->BlindIndex("verification_code", std::to_string(user_id) + ":" + code);
}

Status InvalidCode() {
  return Status::RuleViolated("code", "the code is wrong or has expired; request a new one")
      .WithReason("invalid_code");
}

// Refuses a new code while the last one is fresh or the hourly allowance is spent.
Status CheckCodeRate(DbConnection& db, const ServiceContext& ctx, int64_t user_id) {
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT COUNT(*), MAX(created_at_ms) FROM "
                                          "verification_codes WHERE user_id = ? AND "
                                          "created_at_ms > ?",
                                          {user_id, now - kHourMs}));
  if (rows.empty() || rows[0].Int(0) == 0) return Status::Ok();
  const int64_t last = rows[0].Int(1);
  const int64_t resend_at = last + int64_t{ctx.policy.code_resend_seconds} * 1000;
  if (resend_at > now) {
    return Status::TooManyAttempts("a code was sent moments ago; wait before asking again",
                                   static_cast<int>((resend_at - now + 999) / 1000));
  }
  if (rows[0].Int(0) >= ctx.policy.codes_per_hour) {
    return Status::TooManyAttempts("too many codes requested; try again in an hour", 3600);
  }
  return Status::Ok();
}

}  // namespace

std::string VerificationMessage(const std::string& code, int ttl_minutes) {
  return "【清退登记】您的验证码为" + code + "，" + std::to_string(ttl_minutes) +
         "分钟内有效。工作人员不会向您索要验证码，清退不收取任何费用，谨防诈骗。";
}

Status RegisterClaimant(DbConnection& db, const ServiceContext& ctx,
                        const RegistrationRequest& request) {
  ASSIGN_OR_RETURN(std::string phone, NormalizeMobileNumber(request.phone, "phone"));
  RETURN_IF_ERROR(CheckPasswordPolicy(ctx, request.password));
  const std::string login_hash = ctx.keys->BlindIndex("login", phone);
  // Hashed before anything else, so an active account costs the same scrypt time as a new
  // one (the answer's timing does not reveal that the phone is registered), and before the
  // row lock below, which must not be held for the length of a password hash.
  ASSIGN_OR_RETURN(std::string password_hash,
                   crypto::HashPassword(request.password, ctx.policy.scrypt));
  ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT id, status FROM users WHERE login_hash = ? FOR "
                                          "UPDATE",
                                          {login_hash}));
  // An active account answers exactly like a new one, and nothing changes.
  if (!rows.empty() && rows[0].Bytes(1) != "pending") return Status::Ok();

  int64_t user_id = 0;
  if (rows.empty()) {
    ASSIGN_OR_RETURN(std::string phone_enc, ctx.keys->Seal("users.phone", phone));
    StatusOr<int64_t> inserted = db.Insert(
        "INSERT INTO users (login_hash, phone_enc, role, status, password_hash, created_at_ms) "
        "VALUES (?, ?, 'claimant', 'pending', ?, ?)",
        {login_hash, phone_enc, password_hash, ctx.NowMs()});
    // Two first registrations of one phone at once: the loser retries its transaction and
    // then finds the winner's pending account, exactly as a later request would.
    if (inserted.status().reason() == "duplicate_key") {
      return Status::Aborted("concurrent registration of the same phone");
    }
    RETURN_IF_ERROR(inserted.status());
    user_id = *inserted;
  } else {
    user_id = rows[0].Int(0);
    RETURN_IF_ERROR(CheckCodeRate(db, ctx, user_id));
    // Whoever can read the codes sent to this phone owns the pending account.
    RETURN_IF_ERROR(
        db.Exec("UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, user_id})
            .status());
  }
  const std::string code = crypto::RandomDigits(kCodeDigits);
  const int64_t now = ctx.NowMs();
  RETURN_IF_ERROR(db.Exec("INSERT INTO verification_codes (user_id, code_hash, created_at_ms, "
                          "expires_at_ms) VALUES (?, ?, ?, ?)",
                          {user_id, CodeHash(ctx, user_id, code), now,
                           now + int64_t{ctx.policy.code_ttl_seconds} * 1000})
                      .status());
  RETURN_IF_ERROR(
      QueueSms(db, ctx, phone, VerificationMessage(code, ctx.policy.code_ttl_seconds / 60)));
  SecurityEvent event;
  event.at_ms = now;
  event.event = "verification_code_sent";
  event.user_id = user_id;
  event.role = "claimant";
  event.client_address = request.client_address;
  event.request_id = request.request_id;
  event.route = "POST /api/v1/claimants/register";
  return RecordSecurityEvent(db, event);
}

StatusOr<VerificationResult> VerifyClaimant(DbConnection& db, const ServiceContext& ctx,
                                            const std::string& phone_text, const std::string& code,
                                            const std::string& client_address,
                                            const std::string& request_id) {
  VerificationResult result;
  ASSIGN_OR_RETURN(std::string phone, NormalizeMobileNumber(phone_text, "phone"));
  if (code.size() != kCodeDigits || code.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument("code", "must be the six digits from the text message");
  }
  ASSIGN_OR_RETURN(SqlRows users, db.Query("SELECT id, status FROM users WHERE login_hash = ? "
                                           "FOR UPDATE",
                                           {ctx.keys->BlindIndex("login", phone)}));
  if (users.empty() || users[0].Bytes(1) != "pending") {
    result.refusal = InvalidCode();
    return result;
  }
  const int64_t user_id = users[0].Int(0);
  const int64_t now = ctx.NowMs();
  ASSIGN_OR_RETURN(SqlRows codes, db.Query("SELECT id, code_hash, expires_at_ms, attempts, "
                                           "consumed_at_ms FROM verification_codes WHERE "
                                           "user_id = ? ORDER BY id DESC LIMIT 1 FOR UPDATE",
                                           {user_id}));
  if (codes.empty() || !codes[0].IsNull(4) || codes[0].Int(2) <= now) {
    result.refusal = InvalidCode();
    return result;
  }
  const int64_t code_id = codes[0].Int(0);
  if (codes[0].Int(3) >= ctx.policy.code_max_attempts) {
    result.refusal = Status::TooManyAttempts("too many wrong codes; request a new one", 60);
    return result;
  }
  if (!crypto::ConstantTimeEquals(CodeHash(ctx, user_id, code), codes[0].Bytes(1))) {
    RETURN_IF_ERROR(
        db.Exec("UPDATE verification_codes SET attempts = attempts + 1 WHERE id = ?", {code_id})
            .status());
    result.refusal = InvalidCode();
    return result;
  }
  RETURN_IF_ERROR(
      db.Exec("UPDATE verification_codes SET consumed_at_ms = ? WHERE id = ?", {now, code_id})
          .status());
  RETURN_IF_ERROR(db.Exec("UPDATE users SET status = 'active', activated_at_ms = ? WHERE id = ?",
                          {now, user_id})
                      .status());
  SecurityEvent event;
  event.at_ms = now;
  event.event = "claimant_activated";
  event.user_id = user_id;
  event.role = "claimant";
  event.client_address = client_address;
  event.request_id = request_id;
  event.route = "POST /api/v1/claimants/verify";
  RETURN_IF_ERROR(RecordSecurityEvent(db, event));
  ledger::EntryDraft entry;
  entry.type = "claimant_activated";
  entry.at_ms = now;
  entry.actor = ledger::Actor{user_id, "claimant"};
  entry.payload = {{"user", user_id},
                   {"phone_commitment", LedgerCommitment(*ctx.keys, "phone", phone)}};
  ASSIGN_OR_RETURN(QueuedEntry queued, AppendLedgerEntry(db, entry));
  result.user = UserView{user_id, "", Role::kClaimant, queued};
  return result;
}

}  // namespace restitution
