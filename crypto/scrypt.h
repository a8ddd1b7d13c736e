// The scrypt key derivation function (RFC 7914): deliberately slow and memory-hungry, so
// guessing passwords from a leaked hash costs an attacker memory as well as time.
#ifndef RESTITUTION_CRYPTO_SCRYPT_H_
#define RESTITUTION_CRYPTO_SCRYPT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution::crypto {

// Scrypt refuses parameters needing more memory than this (128 * r * (n + 2 + p) bytes).
// It bounds what one call can allocate, whoever chose the parameters.
constexpr uint64_t kScryptMaxMemory = uint64_t{256} << 20;  // 256 MiB

// out_len bytes derived from password and salt. n (CPU/memory cost) must be a power of two
// greater than 1, r (block size) and p (parallelism) at least 1, with r * p < 2^30 and
// n < 2^(16 r) as RFC 7914 requires, and the memory within kScryptMaxMemory; otherwise
// InvalidArgument.
StatusOr<std::string> Scrypt(std::string_view password, std::string_view salt, uint64_t n,
                             uint32_t r, uint32_t p, size_t out_len);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_SCRYPT_H_
