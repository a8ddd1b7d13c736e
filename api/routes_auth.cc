// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me.
#include "api/app.h"
#include "api/error_response.h"
#include "api/json_response.h"
#include "api/request_executor.h"
#include "service/accounts.h"
#include "service/cases.h"
#include "service/clock.h"
#include "service/json_input.h"
#include "service/security_events.h"
#include "service/sessions.h"

namespace restitution {
namespace {

struct LoginInput {
  std::string username;
  std::string password;
};

StatusOr<LoginInput> ParseLogin(const HttpRequest&, const nlohmann::json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"username", "password"}));
  LoginInput input;
  ASSIGN_OR_RETURN(input.username, reader.RequiredString("username", 64));
  ASSIGN_OR_RETURN(input.password, reader.RequiredString("password", 128));
  return input;
}

nlohmann::json UserJson(const UserView& user) {
  nlohmann::json json = {{"id", user.id}, {"role", std::string(RoleName(user.role))}};
  if (!user.username.empty()) json["username"] = user.username;
  return json;
}

StatusOr<HttpResponse> HandleLogin(RequestContext& ctx, const LoginInput& input) {
  LoginAttempt attempt{input.username, input.password, ctx.request.client_address,
                       ctx.request.request_id};
  ASSIGN_OR_RETURN(LoginResult result, Login(*ctx.db, ctx.app.services(), attempt));
  // A refusal is still committed: the failure counters and the security event must stay.
  if (!result.refusal.ok()) return ErrorResponse(result.refusal);
  return JsonResponse(200, {{"token", result.session.token},
                            {"expires_at", FormatUtcMs(result.session.expires_at_ms)},
                            {"user", UserJson(result.user)}});
}

StatusOr<HttpResponse> HandleLogout(RequestContext& ctx) {
  RETURN_IF_ERROR(RevokeSession(*ctx.db, ctx.app.services(), BearerToken(ctx.request)));
  SecurityEvent event;
  event.at_ms = ctx.app.services().NowMs();
  event.event = "logout";
  event.user_id = ctx.caller().user_id;
  event.role = std::string(RoleName(ctx.caller().role));
  event.client_address = ctx.request.client_address;
  event.request_id = ctx.request.request_id;
  event.route = "POST /api/v1/auth/logout";
  RETURN_IF_ERROR(RecordSecurityEvent(*ctx.db, event));
  return JsonResponse(200, {{"status", "logged_out"}});
}

StatusOr<HttpResponse> HandleMe(RequestContext& ctx) {
  ASSIGN_OR_RETURN(SqlRows rows, ctx.db->Query("SELECT username FROM users WHERE id = ?",
                                               {ctx.caller().user_id}));
  UserView user{ctx.caller().user_id, rows.empty() ? "" : rows[0].OptionalBytes(0).value_or(""),
                ctx.caller().role, std::nullopt};
  nlohmann::json me = UserJson(user);
  // Officers and court users work on the cases they are bound to; the portal lists those.
  if (ctx.caller().role == Role::kOfficer || ctx.caller().role == Role::kCourt) {
    ASSIGN_OR_RETURN(std::vector<int64_t> cases, ListOwnCaseIds(*ctx.db, ctx.caller()));
    me["cases"] = cases;
  }
  return JsonResponse(200, me);
}

}  // namespace

void RegisterAuthRoutes(Router& router) {
  router.Add(MakeRoute<LoginInput>("POST", "/api/v1/auth/login", Access::kPublic, ParseLogin,
                                   HandleLogin));
  Route logout;
  logout.method = "POST";
  logout.pattern = "/api/v1/auth/logout";
  logout.handle = HandleLogout;
  router.Add(std::move(logout));
  Route me;
  me.method = "GET";
  me.pattern = "/api/v1/me";
  me.handle = HandleMe;
  router.Add(std::move(me));
}

}  // namespace restitution
