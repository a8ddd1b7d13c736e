#include "crypto/sha256.h"

#include <openssl/evp.h>

namespace restitution::crypto {

// Digest operations only fail when the process is broken (allocation failure, missing
// provider); there is no caller that could recover, so they abort.

std::string Sha256(std::string_view data) {
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  if (EVP_Digest(internal::Bytes(data), data.size(), internal::MutableBytes(digest), &length,
                 EVP_sha256(), nullptr) != 1 ||
      length != kSha256Size) {
    internal::FatalOpenSslError("SHA-256");
  }
  return digest;
}

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    internal::FatalOpenSslError("SHA-256 init");
  }
}

void Sha256Hasher::Update(std::string_view data) {
  if (ctx_ == nullptr) internal::FatalOpenSslError("Sha256Hasher::Update on a moved-from hasher");
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    internal::FatalOpenSslError("SHA-256 update");
  }
}

std::string Sha256Hasher::Finish() {
  if (ctx_ == nullptr) internal::FatalOpenSslError("Sha256Hasher::Finish on a moved-from hasher");
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), internal::MutableBytes(digest), &length) != 1 ||
      length != kSha256Size || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    internal::FatalOpenSslError("SHA-256 finish");
  }
  return digest;
}

}  // namespace restitution::crypto
