// SHA-256, one-shot and incremental.
#ifndef RESTITUTION_CRYPTO_SHA256_H_
#define RESTITUTION_CRYPTO_SHA256_H_

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

#include "crypto/openssl_util.h"

namespace restitution::crypto {

constexpr size_t kSha256Size = 32;

// The 32-byte raw digest of data.
std::string Sha256(std::string_view data);

// The digest of the concatenation of parts, without building it: the Merkle tree hashes
// "prefix byte || entry" and "prefix || left || right" millions of times.
std::string Sha256Of(std::initializer_list<std::string_view> parts);

// Hashes input that arrives in pieces, e.g. a ledger record assembled field by field.
// Finish() returns the digest of everything passed to Update() and resets the hasher, so
// it can start a new message. Movable; a moved-from hasher may only be destroyed or
// assigned to.
class Sha256Hasher {
 public:
  Sha256Hasher();

  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  Sha256Hasher(Sha256Hasher&&) noexcept = default;
  Sha256Hasher& operator=(Sha256Hasher&&) noexcept = default;
  ~Sha256Hasher() = default;

  void Update(std::string_view data);
  std::string Finish();

 private:
  internal::OpenSslPtr<EVP_MD_CTX> ctx_;
};

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_SHA256_H_
