#include "crypto/openssl_util.h"

#include <cstdio>
#include <cstdlib>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>

namespace restitution::crypto::internal {

void OpenSslDeleter::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
void OpenSslDeleter::operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
void OpenSslDeleter::operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
void OpenSslDeleter::operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
void OpenSslDeleter::operator()(EVP_KDF* kdf) const { EVP_KDF_free(kdf); }
void OpenSslDeleter::operator()(EVP_KDF_CTX* ctx) const { EVP_KDF_CTX_free(ctx); }

std::string DrainOpenSslErrors() {
  std::string out;
  char buffer[256];
  for (unsigned long code = ERR_get_error(); code != 0; code = ERR_get_error()) {
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out;
}

Status OpenSslError(std::string_view what) {
  std::string message(what);
  const std::string errors = DrainOpenSslErrors();
  if (!errors.empty()) message += ": " + errors;
  return Status::Internal(std::move(message));
}

void FatalOpenSslError(std::string_view what) {
  const std::string errors = DrainOpenSslErrors();
  std::fprintf(stderr, "restitution: fatal OpenSSL failure in %.*s: %s\n",
               static_cast<int>(what.size()), what.data(),
               errors.empty() ? "(no OpenSSL error recorded)" : errors.c_str());
  std::abort();
}

}  // namespace restitution::crypto::internal
