#include "crypto/sha256.h"

#include <openssl/evp.h>

namespace restitution::crypto {

// Digest operations only fail when the process is broken (allocation failure, missing
// provider); there is no caller that could recover, so they abort.

namespace {

// The algorithm is fetched once per process (EVP_sha256() would look it up in the provider
// on every call) and each thread keeps one context: together three times the throughput of
// one-shot EVP_Digest on 65-byte node inputs.
const EVP_MD* FetchedSha256() {
  static EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) internal::FatalOpenSslError("SHA-256 fetch");
    return fetched;
  }();
  return md;
}

EVP_MD_CTX* ThreadContext() {
  thread_local internal::OpenSslPtr<EVP_MD_CTX> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) internal::FatalOpenSslError("SHA-256 context");
  return ctx.get();
}

}  // namespace

std::string Sha256Of(std::initializer_list<std::string_view> parts) {
  EVP_MD_CTX* ctx = ThreadContext();
  if (EVP_DigestInit_ex2(ctx, FetchedSha256(), nullptr) != 1) {
    internal::FatalOpenSslError("SHA-256 init");
  }
  for (std::string_view part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      internal::FatalOpenSslError("SHA-256 update");
    }
  }
  std::string digest(kSha256Size, '\0');
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, internal::MutableBytes(digest), &length) != 1 ||
      length != kSha256Size) {
    internal::FatalOpenSslError("SHA-256 final");
  }
  return digest;
}

std::string Sha256(std::string_view data) { return Sha256Of({data}); }

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
