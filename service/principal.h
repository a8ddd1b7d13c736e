// Who is asking: a user id and a role. Roles are fixed by the issue contract.
#ifndef RESTITUTION_SERVICE_PRINCIPAL_H_
#define RESTITUTION_SERVICE_PRINCIPAL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace restitution {

enum class Role { kClaimant, kOfficer, kCourt, kAuditor, kAdmin };

std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);

struct Principal {
  int64_t user_id = 0;
  Role role = Role::kClaimant;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_PRINCIPAL_H_
