// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01), after
// Howard Hinnant's public-domain algorithms: exact for every date, no time zone, no libc.
#ifndef RESTITUTION_LEDGER_CIVIL_TIME_H_
#define RESTITUTION_LEDGER_CIVIL_TIME_H_

#include <cstdint>

namespace restitution {

struct CivilDate {
  int64_t year = 1970;
  int month = 1;  // 1-12
  int day = 1;    // 1-31
};

int64_t DaysFromCivil(int64_t year, int month, int day);
CivilDate CivilFromDays(int64_t days);
// True when year-month-day names a real date (no 30 February).
bool IsValidCivilDate(int64_t year, int month, int day);

}  // namespace restitution

#endif  // RESTITUTION_LEDGER_CIVIL_TIME_H_
