#include "crypto/ed25519.h"

#include <openssl/err.h>
#include <openssl/evp.h>

namespace restitution::crypto {
namespace {

// Key generation, export and signing fail only when the process is broken (allocation
// failure, missing provider), so, like hashing, they abort instead of returning a Status.
const EVP_PKEY* CheckedKey(const internal::OpenSslPtr<EVP_PKEY>& pkey, const char* what) {
  if (pkey == nullptr) internal::FatalOpenSslError(what);
  return pkey.get();
}

}  // namespace

Ed25519PrivateKey Ed25519PrivateKey::Generate() {
  internal::OpenSslPtr<EVP_PKEY_CTX> ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &pkey) != 1) {
    internal::FatalOpenSslError("Ed25519 key generation");
  }
  return Ed25519PrivateKey(pkey);
}

StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromSeed(std::string_view seed32) {
  if (seed32.size() != kEd25519SeedSize) {
    return Status::InvalidArgument("", "Ed25519 seed must be 32 bytes");
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, internal::Bytes(seed32),
                                                seed32.size());
  if (pkey == nullptr) return internal::OpenSslError("Ed25519 private key import");
  return Ed25519PrivateKey(pkey);
}

std::string Ed25519PrivateKey::Seed() const {
  const EVP_PKEY* pkey = CheckedKey(pkey_, "Ed25519PrivateKey::Seed on a moved-from key");
  std::string seed(kEd25519SeedSize, '\0');
  size_t length = seed.size();
  if (EVP_PKEY_get_raw_private_key(pkey, internal::MutableBytes(seed), &length) != 1 ||
      length != kEd25519SeedSize) {
    internal::FatalOpenSslError("Ed25519 private key export");
  }
  return seed;
}

std::string Ed25519PrivateKey::PublicKey() const {
  const EVP_PKEY* pkey = CheckedKey(pkey_, "Ed25519PrivateKey::PublicKey on a moved-from key");
  std::string public_key(kEd25519PublicKeySize, '\0');
  size_t length = public_key.size();
  if (EVP_PKEY_get_raw_public_key(pkey, internal::MutableBytes(public_key), &length) != 1 ||
      length != kEd25519PublicKeySize) {
    internal::FatalOpenSslError("Ed25519 public key export");
  }
  return public_key;
}

std::string Ed25519PrivateKey::Sign(std::string_view message) const {
  CheckedKey(pkey_, "Ed25519PrivateKey::Sign on a moved-from key");
  internal::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureSize, '\0');
  size_t length = signature.size();
  // Ed25519 hashes internally, so no digest is named (NULL md) and only the one-shot
  // EVP_DigestSign is supported, not Update/Final.
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), internal::MutableBytes(signature), &length,
                     internal::Bytes(message), message.size()) != 1 ||
      length != kEd25519SignatureSize) {
    internal::FatalOpenSslError("Ed25519 sign");
  }
  return signature;
}

bool Ed25519Verify(std::string_view public_key32, std::string_view message,
                   std::string_view signature64) {
  if (public_key32.size() != kEd25519PublicKeySize || signature64.size() != kEd25519SignatureSize) {
    return false;
  }
  internal::OpenSslPtr<EVP_PKEY> pkey(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr, internal::Bytes(public_key32), public_key32.size()));
  internal::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  const bool valid = pkey != nullptr && ctx != nullptr &&
                     EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
                     EVP_DigestVerify(ctx.get(), internal::Bytes(signature64), signature64.size(),
                                      internal::Bytes(message), message.size()) == 1;
  // A rejected signature is an answer, not an error; leave nothing on the error queue for
  // an unrelated later failure to report.
  ERR_clear_error();
  return valid;
}

}  // namespace restitution::crypto
