// Comparison of secrets (MACs, token hashes, password hashes) in time that does not depend
// on where the inputs first differ, so a remote caller cannot learn a secret byte by byte
// from response timing.
#ifndef RESTITUTION_CRYPTO_CONSTANT_TIME_H_
#define RESTITUTION_CRYPTO_CONSTANT_TIME_H_

#include <string_view>

namespace restitution::crypto {

// True when a and b hold the same bytes. Inputs of different lengths compare unequal at
// once: lengths are not secret here (a MAC or hash has a fixed, public length).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_CONSTANT_TIME_H_
