// Helpers shared by the OpenSSL wrappers in crypto/: owning pointers for EVP objects,
// byte-pointer views of strings, and turning OpenSSL's error queue into a Status or a
// fatal message. Internal to crypto/; other layers use the typed wrappers instead.
#ifndef RESTITUTION_CRYPTO_OPENSSL_UTIL_H_
#define RESTITUTION_CRYPTO_OPENSSL_UTIL_H_

#include <memory>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "crypto/status.h"

namespace restitution::crypto::internal {

// One deleter for every EVP type, so each owning pointer is a one-liner.
struct OpenSslDeleter {
  void operator()(EVP_MD_CTX* ctx) const;
  void operator()(EVP_CIPHER_CTX* ctx) const;
  void operator()(EVP_PKEY* pkey) const;
  void operator()(EVP_PKEY_CTX* ctx) const;
  void operator()(EVP_KDF* kdf) const;
  void operator()(EVP_KDF_CTX* ctx) const;
};

template <typename T>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter>;

// OpenSSL takes unsigned char pointers. An empty string_view may have a null data(), which
// some OpenSSL entry points treat as "argument missing" rather than "zero bytes", so empty
// input is given a valid pointer to zero bytes instead.
inline const unsigned char* Bytes(std::string_view s) {
  static const unsigned char kNoBytes[1] = {0};
  return s.empty() ? kNoBytes : reinterpret_cast<const unsigned char*>(s.data());
}
inline unsigned char* MutableBytes(std::string& s) {
  return reinterpret_cast<unsigned char*>(s.data());
}

// Empties OpenSSL's per-thread error queue and returns it as one line ("" when empty).
// Draining matters: a stale entry left behind would be blamed on the next failure.
std::string DrainOpenSslErrors();

// Status::Internal("<what>: <OpenSSL errors>"), for failures that are not the caller's fault.
Status OpenSslError(std::string_view what);

// Prints what failed and OpenSSL's errors to stderr, then aborts. For operations with no
// error channel (hashing, signing, randomness) that only fail when the process is broken:
// out of memory, or a provider missing.
[[noreturn]] void FatalOpenSslError(std::string_view what);

}  // namespace restitution::crypto::internal

#endif  // RESTITUTION_CRYPTO_OPENSSL_UTIL_H_
