// Resident identity numbers (居民身份证号码), GB 11643-1999: 18 characters — a 6-digit
// administrative region code, an 8-digit birth date YYYYMMDD, a 3-digit sequence (odd for men,
// even for women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
//
// One person has one claim per case, and the blind index of the normalised number is how
// duplicates are found without decrypting anything: normalisation must therefore be exact
// (upper-case X, no spaces), and every check below is about refusing numbers a typo made.
#ifndef RESTITUTION_SERVICE_RESIDENT_ID_H_
#define RESTITUTION_SERVICE_RESIDENT_ID_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

struct ResidentId {
  std::string number;  // normalised: 17 digits and a digit or 'X'
  int birth_year = 0;
  int birth_month = 0;
  int birth_day = 0;
};

// Accepts surrounding ASCII spaces and a lower-case 'x'; refuses (InvalidArgument naming
// `field`, with a message a claimant understands) a wrong length, non-digits, a region code
// whose first two digits are not a province-level code (11-15, 21-23, 31-37, 41-46, 50-54,
// 61-65, 71, 81, 82, 83), a birth date that does not exist or lies after `today_yyyymmdd`
// or before 1900, and a wrong check character.
StatusOr<ResidentId> ParseResidentId(std::string_view text, const std::string& field,
                                     int today_yyyymmdd);

// The check character for the first 17 digits (which the caller guarantees are digits).
char ResidentIdCheckCharacter(std::string_view first17);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_RESIDENT_ID_H_
