// Successful JSON answers.
#ifndef RESTITUTION_API_JSON_RESPONSE_H_
#define RESTITUTION_API_JSON_RESPONSE_H_

#include <nlohmann/json.hpp>

#include "api/http_types.h"

namespace restitution {

inline HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  HttpResponse response;
  response.status = status;
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace restitution

#endif  // RESTITUTION_API_JSON_RESPONSE_H_
