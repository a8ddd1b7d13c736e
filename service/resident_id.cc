#include "service/resident_id.h"

#include <cstddef>
#include <utility>

#include "ledger/civil_time.h"
#include "service/input_rules.h"
#include "service/region_code.h"

namespace restitution {
namespace {

constexpr size_t kLength = 18;
// GB 11643-1999: weight i is 2^(17-i) mod 11, the ISO 7064 MOD 11-2 weights.
constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr char kCheckCharacters[] = "10X98765432";  // indexed by (weighted sum mod 11)

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int DigitsValue(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

}  // namespace

char ResidentIdCheckCharacter(std::string_view first17) {
  int sum = 0;
  for (size_t i = 0; i < 17 && i < first17.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
  return kCheckCharacters[sum % 11];
}

StatusOr<ResidentId> ParseResidentId(std::string_view text, const std::string& field,
                                     int today_yyyymmdd) {
  // Messages never echo the number back: it is sensitive personal information and error
  // bodies end up in logs and screenshots.
  const std::string_view trimmed = TrimSpaces(text);
  if (trimmed.size() != kLength) {
    return Status::InvalidArgument(field, "must be an 18-character resident ID number")
        .WithRule(rules::kIdFormat);
  }
  std::string number(trimmed);
  if (number[17] == 'x') number[17] = 'X';
  for (size_t i = 0; i < 17; ++i) {
    if (!IsDigit(number[i])) {
      return Status::InvalidArgument(field, "must be 17 digits followed by a digit or X")
          .WithRule(rules::kIdFormat);
    }
  }
  if (!IsDigit(number[17]) && number[17] != 'X') {
    return Status::InvalidArgument(field, "must be 17 digits followed by a digit or X")
        .WithRule(rules::kIdFormat);
  }
  if (!IsProvinceCode(DigitsValue(number, 0, 2))) {
    return Status::InvalidArgument(field, "does not start with a valid region code")
        .WithRule(rules::kIdRegion);
  }
  ResidentId id;
  id.birth_year = DigitsValue(number, 6, 4);
  id.birth_month = DigitsValue(number, 10, 2);
  id.birth_day = DigitsValue(number, 12, 2);
  if (!IsValidCivilDate(id.birth_year, id.birth_month, id.birth_day)) {
    return Status::InvalidArgument(field, "contains a birth date that does not exist")
        .WithRule(rules::kIdBirth);
  }
  const int birth = id.birth_year * 10000 + id.birth_month * 100 + id.birth_day;
  if (id.birth_year < 1900) {
    return Status::InvalidArgument(field, "contains a birth date before 1900")
        .WithRule(rules::kIdBirth);
  }
  if (birth > today_yyyymmdd) {
    return Status::InvalidArgument(field, "contains a birth date in the future")
        .WithRule(rules::kIdBirth);
  }
  // Checked last, so a number with a wrong date is reported as such rather than as a typo
  // in its final character.
  if (ResidentIdCheckCharacter(number) != number[17]) {
    return Status::InvalidArgument(
               field, "has a wrong check character: please check the number for a typing mistake")
        .WithRule(rules::kIdCheck);
  }
  id.number = std::move(number);
  return id;
}

}  // namespace restitution
