// Hex and base64 text encodings of binary data.
//
// The decoders run on untrusted input (request bodies, tokens, key files), so they are
// strict: each accepts exactly one spelling of any byte string and rejects everything
// else (whitespace, wrong padding, stray characters, non-zero unused bits). With one
// spelling per value, a decoded token or key can be compared or looked up by its text
// without aliases slipping through. Error messages give offsets, never the input itself,
// which may be a secret.
#ifndef RESTITUTION_CRYPTO_ENCODING_H_
#define RESTITUTION_CRYPTO_ENCODING_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution::crypto {

// Lowercase hex, two characters per byte.
std::string HexEncode(std::string_view bytes);
// Accepts upper- and lowercase digits; the length must be even.
StatusOr<std::string> HexDecode(std::string_view hex);

// RFC 4648 section 4: standard alphabet (+/), padded with '=' to a multiple of 4.
std::string Base64Encode(std::string_view bytes);
// Requires the padding, and unused low bits of the last character to be zero.
StatusOr<std::string> Base64Decode(std::string_view text);

// RFC 4648 section 5: URL- and filename-safe alphabet (-_), without padding, for tokens that
// travel in URLs and headers.
std::string Base64UrlEncode(std::string_view bytes);
// Rejects '=' padding, a length of 4k+1, and non-zero unused bits.
StatusOr<std::string> Base64UrlDecode(std::string_view text);

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_ENCODING_H_
