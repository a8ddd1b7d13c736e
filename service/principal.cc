#include "service/principal.h"

namespace restitution {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kClaimant:
      return "claimant";
    case Role::kOfficer:
      return "officer";
    case Role::kCourt:
      return "court";
    case Role::kAuditor:
      return "auditor";
    case Role::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role role : {Role::kClaimant, Role::kOfficer, Role::kCourt, Role::kAuditor, Role::kAdmin}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

}  // namespace restitution
