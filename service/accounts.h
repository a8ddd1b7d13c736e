// Accounts: staff accounts created by an admin, password login for every role, logout.
// Claimant self-registration lives in claimant_registration.h.
#ifndef RESTITUTION_SERVICE_ACCOUNTS_H_
#define RESTITUTION_SERVICE_ACCOUNTS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/status.h"
#include "service/db_connection.h"
#include "service/ledger_store.h"
#include "service/principal.h"
#include "service/service_context.h"
#include "service/sessions.h"

namespace restitution {

struct UserView {
  int64_t id = 0;
  std::string username;  // staff only; empty for claimants (their login is their phone)
  Role role = Role::kClaimant;
  // The ledger entry of the call that created or activated the account, if it did.
  std::optional<QueuedEntry> ledger_entry;
};

// Blind index of a login name: phones normalised to 11 digits, staff names lower-cased.
std::string LoginHash(const ServiceContext& ctx, const std::string& login_name);

// Checks length bounds; the message names the field "password".
Status CheckPasswordPolicy(const ServiceContext& ctx, const std::string& password);

// Admin creates an officer, court, auditor or admin account. created_by is 0 for the
// bootstrap admin made by restitutionctl. Appends a staff_created ledger entry.
StatusOr<UserView> CreateStaffUser(DbConnection& db, const ServiceContext& ctx, int64_t created_by,
                                   const std::string& username, const std::string& password,
                                   const std::string& role_name);

struct LoginAttempt {
  std::string username;
  std::string password;
  std::string client_address;
  std::string request_id;
};

struct LoginResult {
  // Not OK when the login was refused (401 or 429). The refusal has been counted in the
  // database, so the caller commits either way.
  Status refusal;
  UserView user;
  NewSession session;
};

StatusOr<LoginResult> Login(DbConnection& db, const ServiceContext& ctx,
                            const LoginAttempt& attempt);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_ACCOUNTS_H_
