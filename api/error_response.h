// The one JSON error shape:
//   {"error":{"code":"validation_failed","message":"…","field":"contributions[2].amount"}}
// Internal errors never carry their message to the client: it may hold database detail.
#ifndef RESTITUTION_API_ERROR_RESPONSE_H_
#define RESTITUTION_API_ERROR_RESPONSE_H_

#include <string>

#include <nlohmann/json.hpp>

#include "api/http_types.h"
#include "crypto/status.h"

namespace restitution {

int HttpStatusFor(StatusCode code);
std::string ErrorCodeFor(const Status& status);
HttpResponse ErrorResponse(const Status& status);
// The same shape with more members inside "error" (e.g. {"errors":[…]}: every line of a
// refused upload). The members of `details` never replace code, message or field.
HttpResponse ErrorResponseWithDetails(const Status& status, const nlohmann::json& details);
// 404 for paths no route matches.
HttpResponse RouteNotFoundResponse();

}  // namespace restitution

#endif  // RESTITUTION_API_ERROR_RESPONSE_H_
