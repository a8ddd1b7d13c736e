#include "service/authorization.h"

namespace restitution {

bool RoleHas(Role role, Permission permission) {
  switch (permission) {
    case Permission::kManageStaffAccounts:
    case Permission::kManageCases:
      return role == Role::kAdmin;
    case Permission::kReadOwnAccount:
      return true;
    case Permission::kReadAccessLog:
      return role == Role::kAuditor;
    case Permission::kReadLedgerEntries:
      return role == Role::kAuditor || role == Role::kCourt || role == Role::kAdmin;
  }
  return false;
}

Status Require(const Principal& principal, Permission permission) {
  if (RoleHas(principal.role, permission)) return Status::Ok();
  return Status::PermissionDenied("your role may not do this").WithReason("forbidden");
}

}  // namespace restitution
