#include "crypto/scrypt.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace restitution::crypto {
namespace {

// RFC 7914 section 12. (The third and fourth vectors, N = 16384 and N = 1048576, are left
// out: the last needs 1 GiB, over kScryptMaxMemory, and both are slow under sanitizers.)
TEST(ScryptTest, Rfc7914EmptyPasswordAndSalt) {
  StatusOr<std::string> key = Scrypt("", "", 16, 1, 1, 64);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(*key),
            "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
            "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906");
}

TEST(ScryptTest, Rfc7914PasswordNaCl) {
  StatusOr<std::string> key = Scrypt("password", "NaCl", 1024, 8, 16, 64);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(HexEncode(*key),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
            "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
}

TEST(ScryptTest, OutputLengthIsPrefixStable) {
  // scrypt's final step is PBKDF2, so a shorter output is a prefix of a longer one.
  StatusOr<std::string> short_key = Scrypt("", "", 16, 1, 1, 10);
  ASSERT_TRUE(short_key.ok());
  EXPECT_EQ(HexEncode(*short_key), "77d6576238657b203b19");
}

void ExpectInvalid(const StatusOr<std::string>& result, const std::string& message) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), message);
}

TEST(ScryptTest, RejectsBadParameters) {
  const std::string not_power = "scrypt N must be a power of two greater than 1";
  ExpectInvalid(Scrypt("p", "s", 0, 1, 1, 32), not_power);
  ExpectInvalid(Scrypt("p", "s", 1, 1, 1, 32), not_power);
  ExpectInvalid(Scrypt("p", "s", 1000, 1, 1, 32), not_power);
  ExpectInvalid(Scrypt("p", "s", 16, 0, 1, 32), "scrypt r and p must be at least 1");
  ExpectInvalid(Scrypt("p", "s", 16, 1, 0, 32), "scrypt r and p must be at least 1");
  ExpectInvalid(Scrypt("p", "s", 16, 1 << 15, 1 << 15, 32), "scrypt r * p must be below 2^30");
  ExpectInvalid(Scrypt("p", "s", uint64_t{1} << 16, 1, 1, 32), "scrypt N must be below 2^(16 r)");
  ExpectInvalid(Scrypt("p", "s", 16, 1, 1, 0), "scrypt output length must be positive");
}

TEST(ScryptTest, RejectsParametersOverMemoryLimit) {
  const std::string too_much = "scrypt parameters need more than 256 MiB of memory";
  // 128 * 8 * (2^18 + 2 + 1) is just over 256 MiB; 2^17 fits.
  ExpectInvalid(Scrypt("p", "s", uint64_t{1} << 18, 8, 1, 32), too_much);
  ExpectInvalid(Scrypt("p", "s", uint64_t{1} << 20, 8, 1, 32), too_much);
  ExpectInvalid(Scrypt("p", "s", uint64_t{1} << 62, 8, 1, 32), too_much);
  ExpectInvalid(Scrypt("p", "s", uint64_t{1} << 63, 4, 1, 32), too_much);
  ExpectInvalid(Scrypt("p", "s", 16, 1, (1 << 30) - 1, 32), too_much);
}

TEST(ScryptTest, BinaryPasswordAndSalt) {
  StatusOr<std::string> a = Scrypt(std::string("p\0a", 3), std::string("s\0a", 3), 16, 1, 1, 32);
  StatusOr<std::string> b = Scrypt(std::string("p\0b", 3), std::string("s\0a", 3), 16, 1, 1, 32);
  StatusOr<std::string> c = Scrypt(std::string("p\0a", 3), std::string("s\0b", 3), 16, 1, 1, 32);
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_NE(*a, *b);
  EXPECT_NE(*a, *c);
}

}  // namespace
}  // namespace restitution::crypto
