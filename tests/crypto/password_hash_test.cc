#include "crypto/password_hash.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"
#include "crypto/scrypt.h"

namespace restitution::crypto {
namespace {

// Cheap parameters keep the tests fast; the defaults get one round trip of their own.
const ScryptParams kFast{/*log2_n=*/4, /*r=*/1, /*p=*/1};

std::string MustHash(std::string_view password, const ScryptParams& params) {
  StatusOr<std::string> encoded = HashPassword(password, params);
  EXPECT_TRUE(encoded.ok()) << encoded.status().ToString();
  return encoded.ok() ? *encoded : std::string();
}

// An encoded hash with a chosen salt, built independently of HashPassword.
std::string Encode(const std::string& params_text, const std::string& salt, uint64_t n, uint32_t r,
                   uint32_t p, std::string_view password) {
  StatusOr<std::string> hash = Scrypt(password, salt, n, r, p, 32);
  EXPECT_TRUE(hash.ok()) << hash.status().ToString();
  return "scrypt$" + params_text + "$" + Base64Encode(salt) + "$" + Base64Encode(*hash);
}

TEST(PasswordHashTest, DefaultParameters) {
  const ScryptParams defaults;
  EXPECT_EQ(defaults.log2_n, 15);
  EXPECT_EQ(defaults.r, 8);
  EXPECT_EQ(defaults.p, 1);
  const std::string encoded = MustHash("correct horse battery staple", defaults);
  EXPECT_EQ(encoded.substr(0, 21), "scrypt$ln=15,r=8,p=1$");
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", encoded));
  EXPECT_FALSE(VerifyPassword("correct horse battery stapl", encoded));
}

TEST(PasswordHashTest, EncodingFormat) {
  const std::string encoded = MustHash("pw", kFast);
  // "scrypt$ln=4,r=1,p=1$" + 24 chars of salt + "$" + 44 chars of hash.
  ASSERT_EQ(encoded.size(), 20u + 24 + 1 + 44);
  EXPECT_EQ(encoded.substr(0, 20), "scrypt$ln=4,r=1,p=1$");
  StatusOr<std::string> salt = Base64Decode(encoded.substr(20, 24));
  ASSERT_TRUE(salt.ok());
  EXPECT_EQ(salt->size(), 16u);
  EXPECT_EQ(encoded[44], '$');
  StatusOr<std::string> hash = Base64Decode(encoded.substr(45));
  ASSERT_TRUE(hash.ok());
  // The stored hash is exactly scrypt(password, salt, 2^4, 1, 1, 32).
  StatusOr<std::string> expected = Scrypt("pw", *salt, 16, 1, 1, 32);
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(*hash, *expected);
}

TEST(PasswordHashTest, VerifiesIndependentlyBuiltEncoding) {
  const std::string encoded = Encode("ln=5,r=2,p=1", "0123456789abcdef", 32, 2, 1, "hunter2");
  EXPECT_TRUE(VerifyPassword("hunter2", encoded));
  EXPECT_FALSE(VerifyPassword("hunter3", encoded));
}

TEST(PasswordHashTest, SaltIsFreshEachTime) {
  const std::string first = MustHash("same password", kFast);
  const std::string second = MustHash("same password", kFast);
  EXPECT_NE(first, second);
  EXPECT_TRUE(VerifyPassword("same password", first));
  EXPECT_TRUE(VerifyPassword("same password", second));
}

TEST(PasswordHashTest, WrongPasswords) {
  const std::string encoded = MustHash("s3cret", kFast);
  EXPECT_TRUE(VerifyPassword("s3cret", encoded));
  for (std::string_view wrong : {"", "s3cre", "s3cret ", "S3cret", "s3cret\n"}) {
    EXPECT_FALSE(VerifyPassword(wrong, encoded)) << wrong;
  }
  // Not tested: "s3cret\0". scrypt keys HMAC with the password, and HMAC zero-pads short
  // keys, so trailing NUL bytes do not change the hash (see password_hash.h).
}

TEST(PasswordHashTest, EmptyAndBinaryPasswords) {
  const std::string empty = MustHash("", kFast);
  EXPECT_TRUE(VerifyPassword("", empty));
  EXPECT_FALSE(VerifyPassword(" ", empty));
  const std::string binary(std::string("\0\xff\0", 3));
  const std::string encoded = MustHash(binary, kFast);
  EXPECT_TRUE(VerifyPassword(binary, encoded));
  EXPECT_FALSE(VerifyPassword(std::string("\0\xff\x01", 3), encoded));
}

TEST(PasswordHashTest, MalformedEncodingsAreRejected) {
  const std::string salt = Base64Encode("0123456789abcdef");
  const std::string good = Encode("ln=4,r=1,p=1", "0123456789abcdef", 16, 1, 1, "pw");
  ASSERT_TRUE(VerifyPassword("pw", good));
  const std::string hash = good.substr(good.rfind('$') + 1);
  const std::string bad[] = {
      "",
      "scrypt",
      "scrypt$",
      "bcrypt$ln=4,r=1,p=1$" + salt + "$" + hash,
      "SCRYPT$ln=4,r=1,p=1$" + salt + "$" + hash,
      "scrypt$ln=4,r=1$" + salt + "$" + hash,
      "scrypt$ln=4,r=1,p=1,x=2$" + salt + "$" + hash,
      "scrypt$r=1,ln=4,p=1$" + salt + "$" + hash,
      "scrypt$ln=04,r=1,p=1$" + salt + "$" + hash,
      "scrypt$ln=+4,r=1,p=1$" + salt + "$" + hash,
      "scrypt$ln=4 ,r=1,p=1$" + salt + "$" + hash,
      "scrypt$ln=,r=1,p=1$" + salt + "$" + hash,
      "scrypt$ln=4,r=1,p=1$" + salt,
      "scrypt$ln=4,r=1,p=1$" + salt + "$",
      "scrypt$ln=4,r=1,p=1$$" + hash,
      "scrypt$ln=4,r=1,p=1$" + salt + "$" + hash + "$",
      "scrypt$ln=4,r=1,p=1$" + salt + "$" + hash + "$extra",
      "scrypt$ln=4,r=1,p=1$" + salt + "$" + hash.substr(0, 43),  // bad padding
      "scrypt$ln=4,r=1,p=1$" + salt + "$" + hash + "\n",
      "scrypt$ln=4,r=1,p=1$" + salt + "$" + Base64Encode("short hash"),
      "scrypt$ln=4,r=1,p=1$" + Base64Encode("salt") + "$" + hash,  // salt under 8 bytes
      " " + good,
  };
  for (const std::string& encoded : bad) {
    EXPECT_FALSE(VerifyPassword("pw", encoded)) << encoded;
    EXPECT_TRUE(PasswordHashNeedsUpgrade(encoded, kFast)) << encoded;
  }
}

TEST(PasswordHashTest, ParametersOutsideLimitsAreRejected) {
  // Well-formed hashes whose parameters exceed the caps are refused without running scrypt,
  // so a crafted hash cannot make a login exhaust memory or CPU.
  const std::string salt = Base64Encode("0123456789abcdef");
  const std::string hash = Base64Encode(std::string(32, 'h'));
  for (const char* params : {"ln=21,r=1,p=1", "ln=40,r=1,p=1", "ln=999999999,r=1,p=1",
                             "ln=4,r=17,p=1", "ln=4,r=1,p=5", "ln=4,r=1,p=1000000", "ln=0,r=1,p=1",
                             "ln=4,r=0,p=1", "ln=4,r=1,p=0", "ln=9999999999,r=1,p=1"}) {
    EXPECT_FALSE(VerifyPassword("pw", std::string("scrypt$") + params + "$" + salt + "$" + hash))
        << params;
  }
  // At the caps themselves the hash is accepted (and verified for real).
  const std::string at_caps = Encode("ln=4,r=16,p=4", "0123456789abcdef", 16, 16, 4, "pw");
  EXPECT_TRUE(VerifyPassword("pw", at_caps));
}

TEST(PasswordHashTest, HashPasswordRejectsOutOfRangeParams) {
  const std::string message = "scrypt parameters out of range (ln 1-20, r 1-16, p 1-4)";
  for (const ScryptParams& params :
       {ScryptParams{0, 8, 1}, ScryptParams{21, 8, 1}, ScryptParams{15, 0, 1},
        ScryptParams{15, 17, 1}, ScryptParams{15, 8, 0}, ScryptParams{15, 8, 5},
        ScryptParams{-1, 8, 1}}) {
    StatusOr<std::string> encoded = HashPassword("pw", params);
    ASSERT_FALSE(encoded.ok());
    EXPECT_EQ(encoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(encoded.status().message(), message);
  }
  // In range but over the memory limit: 128 * 8 * 2^20 bytes is 1 GiB.
  StatusOr<std::string> encoded = HashPassword("pw", ScryptParams{20, 8, 1});
  ASSERT_FALSE(encoded.ok());
  EXPECT_EQ(encoded.status().message(), "scrypt parameters need more than 256 MiB of memory");
}

TEST(PasswordHashTest, NeedsUpgrade) {
  const std::string encoded = MustHash("pw", kFast);
  EXPECT_FALSE(PasswordHashNeedsUpgrade(encoded, kFast));
  EXPECT_TRUE(PasswordHashNeedsUpgrade(encoded, ScryptParams{5, 1, 1}));
  EXPECT_TRUE(PasswordHashNeedsUpgrade(encoded, ScryptParams{4, 2, 1}));
  EXPECT_TRUE(PasswordHashNeedsUpgrade(encoded, ScryptParams{4, 1, 2}));
  EXPECT_TRUE(PasswordHashNeedsUpgrade(encoded, ScryptParams{}));
  EXPECT_TRUE(PasswordHashNeedsUpgrade("not a hash", kFast));
  // A hash with other parameters still verifies: upgrading happens after a successful login.
  const std::string older = MustHash("pw", ScryptParams{5, 1, 1});
  EXPECT_TRUE(PasswordHashNeedsUpgrade(older, kFast));
  EXPECT_TRUE(VerifyPassword("pw", older));
}

}  // namespace
}  // namespace restitution::crypto
