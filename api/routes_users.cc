// POST /api/v1/users: an admin creates a staff account.
#include "api/app.h"
#include "api/json_response.h"
#include "service/accounts.h"
#include "service/authorization.h"
#include "service/json_input.h"

namespace restitution {
namespace {

struct CreateUserInput {
  std::string username;
  std::string password;
  std::string role;
};

StatusOr<CreateUserInput> ParseCreateUser(const HttpRequest&, const nlohmann::json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"username", "password", "role"}));
  CreateUserInput input;
  ASSIGN_OR_RETURN(input.username, reader.RequiredString("username", 64));
  ASSIGN_OR_RETURN(input.password, reader.RequiredString("password", 128));
  ASSIGN_OR_RETURN(input.role, reader.RequiredString("role", 16));
  return input;
}

StatusOr<HttpResponse> HandleCreateUser(RequestContext& ctx, const CreateUserInput& input) {
  RETURN_IF_ERROR(Require(ctx.caller(), Permission::kManageStaffAccounts));
  ASSIGN_OR_RETURN(UserView user, CreateStaffUser(*ctx.db, ctx.app.services(), ctx.caller().user_id,
                                                  input.username, input.password, input.role));
  ctx.ledger_entry = user.ledger_entry;
  return JsonResponse(
      201,
      {{"id", user.id}, {"username", user.username}, {"role", std::string(RoleName(user.role))}});
}

}  // namespace

void RegisterUserRoutes(Router& router) {
  router.Add(MakeRoute<CreateUserInput>("POST", "/api/v1/users", Access::kAuthenticated,
                                        ParseCreateUser, HandleCreateUser));
}

}  // namespace restitution
