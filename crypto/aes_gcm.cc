#include "crypto/aes_gcm.h"

#include <algorithm>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include "crypto/openssl_util.h"
#include "crypto/random.h"

namespace restitution::crypto {
namespace {

using CipherCtx = internal::OpenSslPtr<EVP_CIPHER_CTX>;

// EVP update calls take int lengths; larger inputs are fed in pieces.
constexpr size_t kMaxUpdateChunk = size_t{1} << 30;

Status CheckKey(std::string_view key) {
  if (key.size() != kAesKeySize) {
    return Status::InvalidArgument("", "AES-256-GCM key must be 32 bytes");
  }
  return Status::Ok();
}

// Feeds input through an encrypt or decrypt context. out == nullptr feeds it as AAD.
bool UpdateAll(EVP_CIPHER_CTX* ctx, bool encrypt, unsigned char* out, std::string_view input) {
  size_t offset = 0;
  while (offset < input.size()) {
    const size_t chunk = std::min(input.size() - offset, kMaxUpdateChunk);
    const unsigned char* in = internal::Bytes(input) + offset;
    unsigned char* dest = out == nullptr ? nullptr : out + offset;
    int written = 0;
    const int rc = encrypt ? EVP_EncryptUpdate(ctx, dest, &written, in, static_cast<int>(chunk))
                           : EVP_DecryptUpdate(ctx, dest, &written, in, static_cast<int>(chunk));
    // GCM is a stream mode: every input byte produces one output byte immediately.
    if (rc != 1 || static_cast<size_t>(written) != chunk) return false;
    offset += chunk;
  }
  return true;
}

}  // namespace

StatusOr<std::string> AesGcmSealWithNonce(std::string_view key, std::string_view nonce,
                                          std::string_view plaintext, std::string_view aad) {
  RETURN_IF_ERROR(CheckKey(key));
  if (nonce.size() != kGcmNonceSize) {
    return Status::InvalidArgument("", "AES-GCM nonce must be 12 bytes");
  }
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  // 12 bytes is GCM's default IV length, so no EVP_CTRL_GCM_SET_IVLEN is needed.
  if (ctx == nullptr || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                                           internal::Bytes(key), internal::Bytes(nonce)) != 1) {
    return internal::OpenSslError("AES-GCM encrypt init");
  }

  std::string sealed(kGcmNonceSize + plaintext.size() + kGcmTagSize, '\0');
  std::memcpy(sealed.data(), nonce.data(), kGcmNonceSize);
  unsigned char* ciphertext = internal::MutableBytes(sealed) + kGcmNonceSize;
  unsigned char* tag = ciphertext + plaintext.size();
  int final_length = 0;
  if (!UpdateAll(ctx.get(), /*encrypt=*/true, nullptr, aad) ||
      !UpdateAll(ctx.get(), /*encrypt=*/true, ciphertext, plaintext) ||
      EVP_EncryptFinal_ex(ctx.get(), tag, &final_length) != 1 || final_length != 0 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize), tag) !=
          1) {
    return internal::OpenSslError("AES-GCM encrypt");
  }
  return sealed;
}

StatusOr<std::string> AesGcmSeal(std::string_view key, std::string_view plaintext,
                                 std::string_view aad) {
  return AesGcmSealWithNonce(key, RandomBytes(kGcmNonceSize), plaintext, aad);
}

StatusOr<std::string> AesGcmOpen(std::string_view key, std::string_view sealed,
                                 std::string_view aad) {
  RETURN_IF_ERROR(CheckKey(key));
  if (sealed.size() < kGcmNonceSize + kGcmTagSize) {
    return Status::InvalidArgument("", "sealed data too short");
  }
  const std::string_view nonce = sealed.substr(0, kGcmNonceSize);
  const std::string_view ciphertext =
      sealed.substr(kGcmNonceSize, sealed.size() - kGcmNonceSize - kGcmTagSize);
  const std::string_view tag = sealed.substr(sealed.size() - kGcmTagSize);

  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (ctx == nullptr || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr,
                                           internal::Bytes(key), internal::Bytes(nonce)) != 1) {
    return internal::OpenSslError("AES-GCM decrypt init");
  }
  std::string plaintext(ciphertext.size(), '\0');
  if (!UpdateAll(ctx.get(), /*encrypt=*/false, nullptr, aad) ||
      !UpdateAll(ctx.get(), /*encrypt=*/false, internal::MutableBytes(plaintext), ciphertext) ||
      // SET_TAG only reads the tag; the ctrl interface is not const-correct.
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                          const_cast<unsigned char*>(internal::Bytes(tag))) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return internal::OpenSslError("AES-GCM decrypt");
  }
  // The tag is checked here, after decryption: until it passes, the plaintext is
  // unauthenticated and must not leave this function.
  unsigned char unused[kGcmTagSize];
  int final_length = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), unused, &final_length) != 1 || final_length != 0) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    ERR_clear_error();
    return Status::InvalidArgument("", "authentication failed");
  }
  return plaintext;
}

}  // namespace restitution::crypto
