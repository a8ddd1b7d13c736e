// What rush_load sends for claimant i: the same ID number, principal and declaration body as
// tests/faults/driver.mjs (idNumber, declaration, and the principal its `declare` makes), byte
// for byte, so the two load generators are interchangeable and `driver.mjs check` reads either.
#ifndef RESTITUTION_BENCH_RUSH_LOAD_DECLARATION_H_
#define RESTITUTION_BENCH_RUSH_LOAD_DECLARATION_H_

#include <string>

namespace restitution::bench {

// The driver's ID numbers are defined for sequences 0..99999.
constexpr int kMaxClaimants = 100000;

// GB 11643: the first 17 digits plus their check character (tests/support/resident_id.mjs).
std::string ResidentId(const std::string& first17);

// Sequence i → a valid ID number, a different one for each i (driver.mjs idNumber).
std::string IdNumber(int i);

// The amount claimant i declares: "1000.00" .. "9999.99" (driver.mjs declare).
std::string Principal(int i);

// The JSON body of claimant i's declaration, as JSON.stringify writes driver.mjs
// declaration(i, Principal(i)).
std::string DeclarationBody(int i);

}  // namespace restitution::bench

#endif  // RESTITUTION_BENCH_RUSH_LOAD_DECLARATION_H_
