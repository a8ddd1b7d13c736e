#include "crypto/scrypt.h"

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto/openssl_util.h"

namespace restitution::crypto {
namespace {

// Checked here, although OpenSSL checks them too, so that bad parameters come back as
// InvalidArgument with a reason instead of an opaque derive failure.
Status CheckParameters(uint64_t n, uint32_t r, uint32_t p, size_t out_len) {
  if (n < 2 || (n & (n - 1)) != 0) {
    return Status::InvalidArgument("", "scrypt N must be a power of two greater than 1");
  }
  if (r == 0 || p == 0) return Status::InvalidArgument("", "scrypt r and p must be at least 1");
  if (uint64_t{r} * p >= (uint64_t{1} << 30)) {
    return Status::InvalidArgument("", "scrypt r * p must be below 2^30");
  }
  if (16 * uint64_t{r} < 64 && n >= (uint64_t{1} << (16 * r))) {
    return Status::InvalidArgument("", "scrypt N must be below 2^(16 r)");
  }
  // OpenSSL needs 128 * r * (n + 2) bytes for V plus 128 * r * p for B. n + 2 + p cannot
  // overflow (n <= 2^63, p < 2^30), and 128 * r < 2^39.
  if (n + 2 + p > kScryptMaxMemory / (128 * uint64_t{r})) {
    return Status::InvalidArgument("", "scrypt parameters need more than 256 MiB of memory");
  }
  if (out_len == 0) return Status::InvalidArgument("", "scrypt output length must be positive");
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> Scrypt(std::string_view password, std::string_view salt, uint64_t n,
                             uint32_t r, uint32_t p, size_t out_len) {
  RETURN_IF_ERROR(CheckParameters(n, r, p, out_len));
  internal::OpenSslPtr<EVP_KDF> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  if (kdf == nullptr) return internal::OpenSslError("scrypt fetch");
  internal::OpenSslPtr<EVP_KDF_CTX> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (ctx == nullptr) return internal::OpenSslError("scrypt context");

  uint64_t maxmem = kScryptMaxMemory;
  // OSSL_PARAM is not const-correct; OpenSSL copies these buffers and never writes them.
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD,
                                        const_cast<unsigned char*>(internal::Bytes(password)),
                                        password.size()),
      OSSL_PARAM_construct_octet_string(
          OSSL_KDF_PARAM_SALT, const_cast<unsigned char*>(internal::Bytes(salt)), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  std::string out(out_len, '\0');
  // With the parameters checked above, a failure here is an allocation failure or a
  // broken provider, not bad input.
  if (EVP_KDF_derive(ctx.get(), internal::MutableBytes(out), out_len, params) != 1) {
    return internal::OpenSslError("scrypt derive");
  }
  return out;
}

}  // namespace restitution::crypto
