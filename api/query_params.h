// Query-string parameters, parsed strictly on the reactor thread: unknown names are refused,
// numbers are plain decimal digits within bounds (no sign, no spaces, no exponent).
#ifndef RESTITUTION_API_QUERY_PARAMS_H_
#define RESTITUTION_API_QUERY_PARAMS_H_

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

#include "api/http_types.h"
#include "crypto/status.h"

namespace restitution {

// A query-string name or value with its %XX escapes decoded ("%2B" -> "+"). '+' stays '+'
// (base64 values travel in queries); a malformed escape stays as written, for the parameter's
// own parser to refuse.
std::string PercentDecode(std::string_view text);

// InvalidArgument naming the first parameter not in `allowed`.
Status RejectUnknownQueryParams(const HttpRequest& request,
                                std::initializer_list<const char*> allowed);

// The parameter as an integer in [0, max]. InvalidArgument naming it when absent or malformed.
StatusOr<uint64_t> RequiredUintParam(const HttpRequest& request, const std::string& name,
                                     uint64_t max);
// Likewise, with a default when absent.
StatusOr<uint64_t> OptionalUintParam(const HttpRequest& request, const std::string& name,
                                     uint64_t default_value, uint64_t max);

// A numeric id from the path ("/cases/{case}"): a positive decimal integer. Anything else
// is NotFound("<what> not found"), exactly what a well-formed id of nothing gets.
StatusOr<int64_t> ParsePathId(const std::map<std::string, std::string>& params,
                              const std::string& name, const std::string& what);

}  // namespace restitution

#endif  // RESTITUTION_API_QUERY_PARAMS_H_
