// Claimant self-registration: POST /api/v1/claimants/register and /verify.
#include "api/app.h"
#include "api/error_response.h"
#include "api/json_response.h"
#include "service/claimant_registration.h"
#include "service/json_input.h"
#include "service/phone_number.h"

namespace restitution {
namespace {

struct RegisterInput {
  std::string phone;
  std::string password;
};

struct VerifyInput {
  std::string phone;
  std::string code;
};

StatusOr<RegisterInput> ParseRegister(const HttpRequest&, const nlohmann::json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"phone", "password"}));
  RegisterInput input;
  ASSIGN_OR_RETURN(std::string phone, reader.RequiredString("phone", 32));
  ASSIGN_OR_RETURN(input.phone, NormalizeMobileNumber(phone, "phone"));
  ASSIGN_OR_RETURN(input.password, reader.RequiredString("password", 128));
  return input;
}

StatusOr<VerifyInput> ParseVerify(const HttpRequest&, const nlohmann::json* body) {
  JsonReader reader(*body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"phone", "code"}));
  VerifyInput input;
  ASSIGN_OR_RETURN(std::string phone, reader.RequiredString("phone", 32));
  ASSIGN_OR_RETURN(input.phone, NormalizeMobileNumber(phone, "phone"));
  ASSIGN_OR_RETURN(input.code, reader.RequiredString("code", 6));
  return input;
}

StatusOr<HttpResponse> HandleRegister(RequestContext& ctx, const RegisterInput& input) {
  RETURN_IF_ERROR(
      RegisterClaimant(*ctx.db, ctx.app.services(),
                       RegistrationRequest{input.phone, input.password, ctx.request.client_address,
                                           ctx.request.request_id}));
  ctx.deliver_messages = true;
  // The same answer whether or not the number was registered before.
  return JsonResponse(202, {{"status", "code_sent"},
                            {"message",
                             "若该号码可以注册，验证码已发送。"
                             "工作人员不会向您索要验证码或任何费用。"}});
}

StatusOr<HttpResponse> HandleVerify(RequestContext& ctx, const VerifyInput& input) {
  ASSIGN_OR_RETURN(VerificationResult result,
                   VerifyClaimant(*ctx.db, ctx.app.services(), input.phone, input.code,
                                  ctx.request.client_address, ctx.request.request_id));
  // A wrong code is still committed: the attempt counter must stay.
  if (!result.refusal.ok()) return ErrorResponse(result.refusal);
  ctx.ledger_entry = result.user.ledger_entry;
  return JsonResponse(
      200, {{"status", "verified"}, {"user", {{"id", result.user.id}, {"role", "claimant"}}}});
}

}  // namespace

void RegisterClaimantRoutes(Router& router) {
  router.Add(MakeRoute<RegisterInput>("POST", "/api/v1/claimants/register", Access::kPublic,
                                      ParseRegister, HandleRegister));
  router.Add(MakeRoute<VerifyInput>("POST", "/api/v1/claimants/verify", Access::kPublic,
                                    ParseVerify, HandleVerify));
}

}  // namespace restitution
