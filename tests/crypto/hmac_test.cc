#include "crypto/hmac.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/encoding.h"

namespace restitution::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  StatusOr<std::string> bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : std::string();
}

// RFC 4231 section 4, HMAC-SHA-256 results. (Test case 5 is omitted: it checks a truncated
// 128-bit output, which this API does not offer.)
TEST(HmacSha256Test, Rfc4231TestCase1) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(HmacSha256Test, Rfc4231TestCase2KeyShorterThanOutput) {
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(HmacSha256Test, Rfc4231TestCase3) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(20, '\xaa'), std::string(50, '\xdd'))),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
}

TEST(HmacSha256Test, Rfc4231TestCase4) {
  const std::string key = Unhex("0102030405060708090a0b0c0d0e0f10111213141516171819");
  EXPECT_EQ(HexEncode(HmacSha256(key, std::string(50, '\xcd'))),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
}

TEST(HmacSha256Test, Rfc4231TestCase6KeyLargerThanBlock) {
  EXPECT_EQ(HexEncode(HmacSha256(std::string(131, '\xaa'),
                                 "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(HmacSha256Test, Rfc4231TestCase7KeyAndDataLargerThanBlock) {
  EXPECT_EQ(HexEncode(HmacSha256(
                std::string(131, '\xaa'),
                "This is a test using a larger than block-size key and a larger than block-size "
                "data. The key needs to be hashed before being used by the HMAC algorithm.")),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST(HmacSha256Test, EmptyKeyAndMessage) {
  EXPECT_EQ(HexEncode(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(HmacSha256Test, KeyMatters) {
  EXPECT_NE(HmacSha256("key-a", "message"), HmacSha256("key-b", "message"));
  EXPECT_EQ(HmacSha256("key-a", "message").size(), kHmacSha256Size);
}

}  // namespace
}  // namespace restitution::crypto
