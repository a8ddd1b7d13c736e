// Password storage with scrypt.
//
// The encoded hash records its own parameters:
//
//   scrypt$ln=15,r=8,p=1$<base64 salt>$<base64 hash>
//
// (standard padded base64, 16-byte random salt, 32-byte hash), so the cost can be raised
// later without invalidating stored hashes: verify with the stored parameters, and rehash
// at the next successful login when PasswordHashNeedsUpgrade says so.
#ifndef RESTITUTION_CRYPTO_PASSWORD_HASH_H_
#define RESTITUTION_CRYPTO_PASSWORD_HASH_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution::crypto {

// Defaults: N = 2^15, r = 8, p = 1, about 32 MiB and tens of milliseconds per hash.
struct ScryptParams {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

// Limits on the parameters of any hash we create or verify. A stored hash is input too:
// without a cap, a crafted one ("ln=40" or "p=1000000") would make a single login attempt
// exhaust memory or CPU.
constexpr int kMaxScryptLog2N = 20;
constexpr int kMaxScryptR = 16;
constexpr int kMaxScryptP = 4;

// The encoded hash of password under a fresh random salt. InvalidArgument if params are
// outside the limits above (or, with the largest values, over kScryptMaxMemory).
StatusOr<std::string> HashPassword(std::string_view password, const ScryptParams& params);

// True if password matches encoded. As with any HMAC-based KDF, a password and the same
// password followed by NUL bytes hash alike while both are at most 64 bytes (HMAC zero-pads
// short keys); callers that accept passwords should reject control characters. False for a wrong
// password and for any malformed or out-of-limits encoding, so callers need no separate error path.
bool VerifyPassword(std::string_view password, std::string_view encoded);

// True if encoded was not made with exactly the current parameters (or cannot be parsed),
// i.e. the password should be rehashed once it has been verified.
bool PasswordHashNeedsUpgrade(std::string_view encoded, const ScryptParams& current);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_PASSWORD_HASH_H_
