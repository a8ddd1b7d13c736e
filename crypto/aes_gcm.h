// AES-256-GCM authenticated encryption.
//
// Sealed data is self-contained: nonce(12) || ciphertext || tag(16). The nonce is random
// per call; with 96-bit random nonces a key should seal no more than 2^32 messages before
// the chance of a nonce repeat (which breaks GCM) stops being negligible; rotate keys
// (KeyRing) long before that.
#ifndef RESTITUTION_CRYPTO_AES_GCM_H_
#define RESTITUTION_CRYPTO_AES_GCM_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution::crypto {

constexpr size_t kAesKeySize = 32;
constexpr size_t kGcmNonceSize = 12;
constexpr size_t kGcmTagSize = 16;

// Encrypts plaintext under key (32 bytes) with a fresh random nonce. aad is authenticated
// but not encrypted or included in the output: Open must be given the same aad, which binds
// a ciphertext to its context (e.g. the row and column it is stored in) so it cannot be
// moved elsewhere.
StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                                 std::string_view aad);

// Decrypts the output of AesGcmSeal. Any change to key, sealed data or aad fails with
// InvalidArgument "authentication failed", and no plaintext is released.
StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view sealed,
                                 std::string_view aad);

// AesGcmSeal with a caller-chosen 12-byte nonce, same output format. Only for known-answer
// tests: reusing a nonce under the same key reveals the XOR of the plaintexts and lets an
// attacker forge tags.
StatusOr<std::string> AesGcmSealWithNonce(std::string_view key, std::string_view nonce,
                                          std::string_view plaintext, std::string_view aad);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_AES_GCM_H_
