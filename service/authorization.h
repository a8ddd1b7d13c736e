// Authorization: what a role may do at all (a permission), and — from the claims issue on —
// whether this principal may touch this object (case membership, ownership). Route handlers
// call both; a denial is a Status the HTTP layer records as a security event.
#ifndef RESTITUTION_SERVICE_AUTHORIZATION_H_
#define RESTITUTION_SERVICE_AUTHORIZATION_H_

#include "crypto/status.h"
#include "service/principal.h"

namespace restitution {

enum class Permission {
  kManageStaffAccounts,  // create officers, court users, auditors, admins
  kReadOwnAccount,
  kReadLedgerEntries,  // every entry and checkpoint: auditors, courts, admins
  kManageCases,        // create cases, bind staff to them, move them through their lifecycle
  kReadAccessLog,      // who read which claimant's personal data: auditors
};

bool RoleHas(Role role, Permission permission);

// PermissionDenied (403) unless the principal's role carries the permission.
Status Require(const Principal& principal, Permission permission);

// For objects the principal is not entitled to see, the answer is NotFound (404), exactly as
// if the object did not exist: a claimant must not learn that claim 17 exists.
inline Status NotVisible(const char* what) {
  return Status::NotFound(std::string(what) + " not found");
}

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_AUTHORIZATION_H_
