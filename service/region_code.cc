#include "service/region_code.h"
#include "service/input_rules.h"

namespace restitution {

bool IsProvinceCode(int two_digits) {
  const int tens = two_digits / 10;
  const int units = two_digits % 10;
  switch (tens) {
    case 1:
      return units >= 1 && units <= 5;
    case 2:
      return units >= 1 && units <= 3;
    case 3:
      return units >= 1 && units <= 7;
    case 4:
      return units >= 1 && units <= 6;
    case 5:
      return units <= 4;
    case 6:
      return units >= 1 && units <= 5;
    case 7:
      return units == 1;
    case 8:
      return units >= 1 && units <= 3;
    default:
      return false;
  }
}

StatusOr<std::string> ParseRegionCode(std::string_view text, const std::string& field) {
  const Status bad = Status::InvalidArgument(
                         field, "must be a six-digit administrative division code such as 110105")
                         .WithRule(rules::kRegion);
  if (text.size() != 6) return bad;
  for (char c : text) {
    if (c < '0' || c > '9') return bad;
  }
  if (!IsProvinceCode((text[0] - '0') * 10 + (text[1] - '0'))) return bad;
  return std::string(text);
}

}  // namespace restitution
