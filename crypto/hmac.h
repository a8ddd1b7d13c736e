// HMAC-SHA256 (RFC 2104 with SHA-256).
#ifndef RESTITUTION_CRYPTO_HMAC_H_
#define RESTITUTION_CRYPTO_HMAC_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace restitution::crypto {

constexpr size_t kHmacSha256Size = 32;

// The 32-byte raw MAC of data under key. Any key length is accepted; keys longer than the
// 64-byte block are hashed first, as the RFC specifies. Compare MACs with
// ConstantTimeEquals, never with ==.
std::string HmacSha256(std::string_view key, std::string_view data);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_HMAC_H_
