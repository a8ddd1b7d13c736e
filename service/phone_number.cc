#include "service/phone_number.h"
#include "service/input_rules.h"

namespace restitution {

StatusOr<std::string> NormalizeMobileNumber(std::string_view text, const std::string& field) {
  constexpr size_t kMaxInput = 32;
  if (text.size() > kMaxInput)
    return Status::InvalidArgument(field, "is not a mobile number").WithRule(rules::kPhone);
  std::string digits;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      continue;
    } else if (c != ' ' && c != '-') {
      return Status::InvalidArgument(field, "is not a mobile number").WithRule(rules::kPhone);
    }
  }
  // A leading '+' means an international number: only China's +86 is a mainland mobile.
  const bool international = !text.empty() && text[0] == '+';
  if (digits.size() == 13 && digits.compare(0, 2, "86") == 0) {
    digits.erase(0, 2);
  } else if (international) {
    return Status::InvalidArgument(field, "must be an 11-digit mainland mobile number")
        .WithRule(rules::kPhone);
  }
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3') {
    return Status::InvalidArgument(field, "must be an 11-digit mainland mobile number")
        .WithRule(rules::kPhone);
  }
  return digits;
}

}  // namespace restitution
