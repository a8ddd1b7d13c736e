// Mainland China mobile numbers, the claimants' login names.
#ifndef RESTITUTION_SERVICE_PHONE_NUMBER_H_
#define RESTITUTION_SERVICE_PHONE_NUMBER_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

// Accepts "13800138000", "+8613800138000", "86 138 0013 8000", "138-0013-8000" and returns
// the 11-digit form; anything else is InvalidArgument naming `field`.
StatusOr<std::string> NormalizeMobileNumber(std::string_view text, const std::string& field);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_PHONE_NUMBER_H_
