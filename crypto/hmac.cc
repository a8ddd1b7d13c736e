#include "crypto/hmac.h"

#include <climits>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/openssl_util.h"

namespace restitution::crypto {

std::string HmacSha256(std::string_view key, std::string_view data) {
  // HMAC() takes the key length as an int; no real key comes near that, so a longer one is
  // a programming error, not input to reject.
  if (key.size() > static_cast<size_t>(INT_MAX)) {
    internal::FatalOpenSslError("HMAC-SHA256 key longer than INT_MAX");
  }
  std::string mac(kHmacSha256Size, '\0');
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), internal::Bytes(key), static_cast<int>(key.size()), internal::Bytes(data),
           data.size(), internal::MutableBytes(mac), &length) == nullptr ||
      length != kHmacSha256Size) {
    internal::FatalOpenSslError("HMAC-SHA256");
  }
  return mac;
}

}  // namespace restitution::crypto
