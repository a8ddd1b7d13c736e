// Cryptographically secure randomness from OpenSSL's CSPRNG.
//
// None of these return an error: if the CSPRNG cannot produce output the process aborts,
// because every caller (nonces, keys, tokens, codes) would otherwise be left with nothing
// safe to do, and quietly continuing with weak randomness is the one outcome to avoid.
#ifndef RESTITUTION_CRYPTO_RANDOM_H_
#define RESTITUTION_CRYPTO_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace restitution::crypto {

// n random bytes.
std::string RandomBytes(size_t n);

// A uniformly distributed value in [0, bound). bound must be > 0 (aborts otherwise).
uint64_t RandomUniform(uint64_t bound);

// count uniformly random decimal digits, e.g. "042917" for a six-digit verification code.
// Leading zeros are kept, so every one of the 10^count codes is equally likely. Returns ""
// when count <= 0.
std::string RandomDigits(int count);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_RANDOM_H_
