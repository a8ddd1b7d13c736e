// Ed25519 signatures (RFC 8032, pure Ed25519: the message is signed directly, not a digest).
#ifndef RESTITUTION_CRYPTO_ED25519_H_
#define RESTITUTION_CRYPTO_ED25519_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "crypto/openssl_util.h"
#include "crypto/status.h"

namespace restitution::crypto {

constexpr size_t kEd25519SeedSize = 32;
constexpr size_t kEd25519PublicKeySize = 32;
constexpr size_t kEd25519SignatureSize = 64;

// A signing key. Movable, not copyable, so the secret has one owner; a moved-from key may
// only be destroyed or assigned to.
class Ed25519PrivateKey {
 public:
  static Ed25519PrivateKey Generate();
  // From the 32-byte seed RFC 8032 calls the private key.
  static StatusOr<Ed25519PrivateKey> FromSeed(std::string_view seed32);

  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept = default;
  ~Ed25519PrivateKey() = default;

  // The 32-byte seed, for storing the key. It is the secret: handle it like one.
  std::string Seed() const;
  // The 32-byte encoded public key.
  std::string PublicKey() const;
  // The 64-byte signature of message. Ed25519 signing is deterministic: the same key and
  // message always give the same signature.
  std::string Sign(std::string_view message) const;

 private:
  explicit Ed25519PrivateKey(EVP_PKEY* pkey) : pkey_(pkey) {}

  internal::OpenSslPtr<EVP_PKEY> pkey_;
};

// True only if signature64 is a valid signature of message under public_key32. Any
// malformed input (wrong lengths, a public key that is not a curve point, a non-canonical
// signature) gives false rather than an error: to a verifier they are all just "not signed".
bool Ed25519Verify(std::string_view public_key32, std::string_view message,
                   std::string_view signature64);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_ED25519_H_
