// The OpenAPI 3 document of the HTTP API (api/openapi.json), compiled in.
#ifndef RESTITUTION_API_OPENAPI_H_
#define RESTITUTION_API_OPENAPI_H_

#include <string_view>

namespace restitution {

std::string_view OpenApiDocument();

}  // namespace restitution

#endif  // RESTITUTION_API_OPENAPI_H_
