// Administrative division codes (行政区划代码, GB/T 2260): six digits whose first two name a
// province-level division. Cases, claims and statistics are broken down by them.
#ifndef RESTITUTION_SERVICE_REGION_CODE_H_
#define RESTITUTION_SERVICE_REGION_CODE_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

// True for 11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71 (Taiwan), 81-83 (Hong Kong, Macao,
// and the code some ID numbers of Taiwan residents carry).
bool IsProvinceCode(int two_digits);

// Six ASCII digits with a province-level prefix; InvalidArgument naming `field` otherwise.
StatusOr<std::string> ParseRegionCode(std::string_view text, const std::string& field);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_REGION_CODE_H_
