#include "crypto/password_hash.h"

#include <cstdint>
#include <optional>

#include <openssl/crypto.h>

#include "crypto/constant_time.h"
#include "crypto/encoding.h"
#include "crypto/random.h"
#include "crypto/scrypt.h"

namespace restitution::crypto {
namespace {

constexpr std::string_view kPrefix = "scrypt$";
constexpr size_t kSaltSize = 16;
constexpr size_t kHashSize = 32;
// Salts of other lengths are accepted when verifying, so the salt size can change later.
constexpr size_t kMinSaltSize = 8;
constexpr size_t kMaxSaltSize = 64;

struct DecodedHash {
  ScryptParams params;
  std::string salt;
  std::string hash;
};

bool ParamsInRange(const ScryptParams& params) {
  return params.log2_n >= 1 && params.log2_n <= kMaxScryptLog2N && params.r >= 1 &&
         params.r <= kMaxScryptR && params.p >= 1 && params.p <= kMaxScryptP;
}

// Consumes literal from the front of text, if it is there.
bool ConsumeLiteral(std::string_view& text, std::string_view literal) {
  if (text.substr(0, literal.size()) != literal) return false;
  text.remove_prefix(literal.size());
  return true;
}

// Consumes "<name>=<decimal>" from the front of text. The number must be canonical (no sign,
// no leading zero) and is limited to 9 digits so it cannot overflow.
bool ConsumeParam(std::string_view& text, std::string_view name, int* value) {
  if (!ConsumeLiteral(text, name) || !ConsumeLiteral(text, "=")) return false;
  size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9 || (digits > 1 && text[0] == '0')) return false;
  int result = 0;
  for (size_t i = 0; i < digits; ++i) result = result * 10 + (text[i] - '0');
  text.remove_prefix(digits);
  *value = result;
  return true;
}

// Splits off the text up to the next '$' (or the end), consuming the '$'.
std::string_view NextField(std::string_view& text) {
  const size_t end = text.find('$');
  const std::string_view field = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  return field;
}

std::optional<DecodedHash> Decode(std::string_view encoded) {
  if (encoded.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  encoded.remove_prefix(kPrefix.size());
  // Exactly three '$'-separated fields follow: a fourth '$' would hide in the hash field
  // and fail its base64 decoding.
  std::string_view params_field = NextField(encoded);
  const std::string_view salt_field = NextField(encoded);
  const std::string_view hash_field = encoded;

  DecodedHash decoded;
  if (!ConsumeParam(params_field, "ln", &decoded.params.log2_n) ||
      !ConsumeLiteral(params_field, ",") || !ConsumeParam(params_field, "r", &decoded.params.r) ||
      !ConsumeLiteral(params_field, ",") || !ConsumeParam(params_field, "p", &decoded.params.p) ||
      !params_field.empty() || !ParamsInRange(decoded.params)) {
    return std::nullopt;
  }
  StatusOr<std::string> salt = Base64Decode(salt_field);
  StatusOr<std::string> hash = Base64Decode(hash_field);
  if (!salt.ok() || salt->size() < kMinSaltSize || salt->size() > kMaxSaltSize || !hash.ok() ||
      hash->size() != kHashSize) {
    return std::nullopt;
  }
  decoded.salt = std::move(*salt);
  decoded.hash = std::move(*hash);
  return decoded;
}

StatusOr<std::string> Derive(std::string_view password, std::string_view salt,
                             const ScryptParams& params) {
  return Scrypt(password, salt, uint64_t{1} << params.log2_n, static_cast<uint32_t>(params.r),
                static_cast<uint32_t>(params.p), kHashSize);
}

}  // namespace

StatusOr<std::string> HashPassword(std::string_view password, const ScryptParams& params) {
  if (!ParamsInRange(params)) {
    return Status::InvalidArgument(
        "", "scrypt parameters out of range (ln 1-" + std::to_string(kMaxScryptLog2N) + ", r 1-" +
                std::to_string(kMaxScryptR) + ", p 1-" + std::to_string(kMaxScryptP) + ")");
  }
  const std::string salt = RandomBytes(kSaltSize);
  ASSIGN_OR_RETURN(std::string hash, Derive(password, salt, params));
  std::string encoded = std::string(kPrefix) + "ln=" + std::to_string(params.log2_n) +
                        ",r=" + std::to_string(params.r) + ",p=" + std::to_string(params.p) + "$" +
                        Base64Encode(salt) + "$" + Base64Encode(hash);
  OPENSSL_cleanse(hash.data(), hash.size());
  return encoded;
}

bool VerifyPassword(std::string_view password, std::string_view encoded) {
  const std::optional<DecodedHash> decoded = Decode(encoded);
  if (!decoded) return false;
  StatusOr<std::string> derived = Derive(password, decoded->salt, decoded->params);
  if (!derived.ok()) return false;
  const bool match = ConstantTimeEquals(*derived, decoded->hash);
  OPENSSL_cleanse(derived->data(), derived->size());
  return match;
}

bool PasswordHashNeedsUpgrade(std::string_view encoded, const ScryptParams& current) {
  const std::optional<DecodedHash> decoded = Decode(encoded);
  if (!decoded) return true;
  return decoded->params.log2_n != current.log2_n || decoded->params.r != current.r ||
         decoded->params.p != current.p;
}

}  // namespace restitution::crypto
