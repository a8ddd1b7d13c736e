// ParseResidentId against an independent reading of GB 11643-1999: the check character is
// recomputed from the standard's formula (weights 2^(17-i) mod 11, check = (12 - sum) mod 11),
// not from the product's table, and every documented rule is checked in the other direction
// too: the parser must accept exactly the numbers the reference accepts.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "service/resident_id.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution {
namespace {

constexpr int kToday = 20250615;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int Digits(std::string_view text, size_t pos, size_t count) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) value = value * 10 + (text[i] - '0');
  return value;
}

bool IsProvince(int code) {
  return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) || (code >= 31 && code <= 37) ||
         (code >= 41 && code <= 46) || (code >= 50 && code <= 54) || (code >= 61 && code <= 65) ||
         code == 71 || (code >= 81 && code <= 83);
}

bool DateExists(int year, int month, int day) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

char StandardCheckCharacter(std::string_view first17) {
  int sum = 0;
  int weight = 1;  // 2^(17-i) mod 11, built from the last digit leftwards
  for (size_t i = 17; i-- > 0;) {
    weight = weight * 2 % 11;
    sum += (first17[i] - '0') * weight;
  }
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

void Check(std::string_view input) {
  std::string_view trimmed = input;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);

  bool well_formed = trimmed.size() == 18;
  std::string normal(trimmed);
  if (well_formed) {
    if (normal[17] == 'x') normal[17] = 'X';
    for (size_t i = 0; i < 17; ++i) well_formed = well_formed && IsDigit(normal[i]);
    well_formed = well_formed && (IsDigit(normal[17]) || normal[17] == 'X');
  }
  bool expect_ok = well_formed;
  if (well_formed) {
    const int year = Digits(normal, 6, 4);
    const int month = Digits(normal, 10, 2);
    const int day = Digits(normal, 12, 2);
    FUZZ_CHECK(ResidentIdCheckCharacter(normal) == StandardCheckCharacter(normal),
               "check character agrees with the standard's formula");
    expect_ok = IsProvince(Digits(normal, 0, 2)) && DateExists(year, month, day) && year >= 1900 &&
                year * 10000 + month * 100 + day <= kToday &&
                StandardCheckCharacter(normal) == normal[17];
  }

  const StatusOr<ResidentId> parsed = ParseResidentId(input, "id_number", kToday);
  FUZZ_CHECK(parsed.ok() == expect_ok, "accepts exactly the valid numbers");
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
    FUZZ_CHECK(parsed.status().field() == "id_number", "the error names the field");
    // Error messages must never echo the number (personal data).
    if (well_formed) {
      FUZZ_CHECK(parsed.status().message().find(normal.substr(0, 17)) == std::string::npos,
                 "the message does not repeat the number");
    }
    return;
  }
  FUZZ_CHECK(parsed->number == normal, "normalised: trimmed, upper-case X");
  FUZZ_CHECK(parsed->birth_year == Digits(normal, 6, 4) &&
                 parsed->birth_month == Digits(normal, 10, 2) &&
                 parsed->birth_day == Digits(normal, 12, 2),
             "birth date fields");
  // The normalised number is a fixed point (the blind index depends on it).
  const StatusOr<ResidentId> again = ParseResidentId(parsed->number, "id_number", kToday);
  FUZZ_CHECK(again.ok() && again->number == parsed->number, "normalisation is idempotent");
}

}  // namespace
}  // namespace restitution

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = restitution::fuzz::AsText(data, size);
  restitution::Check(text);
  // Inputs of 17 digits also test every possible last character against the reference.
  if (text.size() >= 17) {
    std::string candidate(text.substr(0, 17));
    bool digits = true;
    for (char c : candidate) digits = digits && c >= '0' && c <= '9';
    if (digits) {
      for (char last : std::string_view("0123456789Xx")) restitution::Check(candidate + last);
    }
  }
  return 0;
}
