// Claimant self-registration: phone + password, then a six-digit code by SMS activates the
// account. Answers never reveal whether a phone number is already registered: victims'
// phone numbers are exactly what scammers want to confirm.
#ifndef RESTITUTION_SERVICE_CLAIMANT_REGISTRATION_H_
#define RESTITUTION_SERVICE_CLAIMANT_REGISTRATION_H_

#include <string>

#include "crypto/status.h"
#include "service/accounts.h"
#include "service/db_connection.h"
#include "service/service_context.h"

namespace restitution {

struct RegistrationRequest {
  std::string phone;
  std::string password;
  std::string client_address;
  std::string request_id;
};

// Queues the code message in the caller's transaction (deliver after commit).
Status RegisterClaimant(DbConnection& db, const ServiceContext& ctx,
                        const RegistrationRequest& request);

struct VerificationResult {
  Status refusal;  // not OK: refused, and the failed attempt was counted; commit anyway
  UserView user;
};

StatusOr<VerificationResult> VerifyClaimant(DbConnection& db, const ServiceContext& ctx,
                                            const std::string& phone, const std::string& code,
                                            const std::string& client_address,
                                            const std::string& request_id);

// The SMS text for a code; it warns that staff never ask for codes or fees.
std::string VerificationMessage(const std::string& code, int ttl_minutes);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIMANT_REGISTRATION_H_
