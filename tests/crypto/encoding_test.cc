#include "crypto/encoding.h"

#include <string>

#include <gtest/gtest.h>

namespace restitution::crypto {
namespace {

// Every byte value once, for round trips.
std::string AllBytes() {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  return bytes;
}

void ExpectInvalid(const StatusOr<std::string>& result, std::string_view input) {
  EXPECT_FALSE(result.ok()) << "accepted \"" << input << "\"";
  if (!result.ok()) {
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  }
}

// --- hex ---

TEST(HexTest, Rfc4648Section10) {
  // RFC 4648 gives uppercase; we encode lowercase and accept both.
  EXPECT_EQ(HexEncode(""), "");
  EXPECT_EQ(HexEncode("f"), "66");
  EXPECT_EQ(HexEncode("fo"), "666f");
  EXPECT_EQ(HexEncode("foo"), "666f6f");
  EXPECT_EQ(HexEncode("foob"), "666f6f62");
  EXPECT_EQ(HexEncode("fooba"), "666f6f6261");
  EXPECT_EQ(HexEncode("foobar"), "666f6f626172");
  EXPECT_EQ(*HexDecode("666F6F626172"), "foobar");
  EXPECT_EQ(*HexDecode("666f6f626172"), "foobar");
  EXPECT_EQ(*HexDecode(""), "");
}

TEST(HexTest, BinaryBytes) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\x7f\x80\xfe\xff", 6)), "00017f80feff");
  EXPECT_EQ(*HexDecode("00017F80FEff"), std::string("\x00\x01\x7f\x80\xfe\xff", 6));
}

TEST(HexTest, RoundTripAllBytes) {
  const std::string bytes = AllBytes();
  const std::string hex = HexEncode(bytes);
  EXPECT_EQ(hex.size(), 512u);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(504), "fcfdfeff");
  EXPECT_EQ(*HexDecode(hex), bytes);
}

TEST(HexTest, RejectsMalformed) {
  for (std::string_view bad :
       {"0", "abc", "0g", "g0", "0x00", " 00", "00 ", "0 0", "+0", "-0", "00\n", "zz"}) {
    ExpectInvalid(HexDecode(bad), bad);
  }
  ExpectInvalid(HexDecode(std::string("0\0", 2)), "0\\0");
}

TEST(HexTest, ErrorNamesTheProblem) {
  EXPECT_EQ(HexDecode("abc").status().message(), "invalid hex: odd length");
  EXPECT_EQ(HexDecode("00x0").status().message(), "invalid hex: unexpected character at offset 2");
  EXPECT_EQ(HexDecode("abc").status().field(), "");
}

// --- base64 ---

TEST(Base64Test, Rfc4648Section10) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    StatusOr<std::string> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, UsesStandardAlphabet) {
  EXPECT_EQ(Base64Encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(*Base64Decode("+/+/"), "\xfb\xff\xbf");
  ExpectInvalid(Base64Decode("-_-_"), "-_-_");
}

TEST(Base64Test, RoundTripAllBytesAndLengths) {
  const std::string bytes = AllBytes();
  for (size_t length = 0; length <= 40; ++length) {
    const std::string input = bytes.substr(200, length);
    const std::string encoded = Base64Encode(input);
    EXPECT_EQ(encoded.size() % 4, 0u);
    EXPECT_EQ(*Base64Decode(encoded), input) << length;
  }
  EXPECT_EQ(*Base64Decode(Base64Encode(bytes)), bytes);
}

TEST(Base64Test, RejectsBadPadding) {
  for (std::string_view bad : {
           "Zg",        // missing padding
           "Zg=",       // short padding
           "Zm8",       // missing padding
           "Zg===",     // too much padding
           "Z===",      // padding where data belongs
           "====",      // nothing but padding
           "=Zg=",      // padding at the front
           "Zg==Zm8=",  // padding in the middle
           "Zm=v",      // padding inside a group
           "Zg==\n",    // trailing newline
       }) {
    ExpectInvalid(Base64Decode(bad), bad);
  }
}

TEST(Base64Test, RejectsNonAlphabet) {
  for (std::string_view bad : {"Zm9v!A==", "Zm9v.A==", "Zm\xc3\xa9", "Zm9v-_==", "Zm9v*mFy"}) {
    ExpectInvalid(Base64Decode(bad), bad);
  }
  ExpectInvalid(Base64Decode(std::string("Zm9\0", 4)), "Zm9\\0");
}

TEST(Base64Test, RejectsWhitespace) {
  for (std::string_view bad :
       {" Zm9v", "Zm9v ", "Zm 9v", "Zm9v\nYmFy", "Zm9v\r\n", "\tZm9v", "Zm9vYmFy\n"}) {
    ExpectInvalid(Base64Decode(bad), bad);
  }
}

TEST(Base64Test, RejectsNonZeroTrailingBits) {
  // "Zg==" is the one spelling of "f"; "Zh==" .. "Zv==" differ only in the 4 unused bits.
  ExpectInvalid(Base64Decode("Zh=="), "Zh==");
  ExpectInvalid(Base64Decode("Zv=="), "Zv==");
  // "Zm8=" is "fo"; "Zm9=" sets one of the 2 unused bits.
  ExpectInvalid(Base64Decode("Zm9="), "Zm9=");
  EXPECT_EQ(Base64Decode("Zh==").status().message(), "invalid base64: non-zero trailing bits");
}

TEST(Base64Test, ErrorGivesOffsetNotInput) {
  EXPECT_EQ(Base64Decode("Zm9v!mFy").status().message(),
            "invalid base64: unexpected character at offset 4");
  EXPECT_EQ(Base64Decode("Zm9").status().message(),
            "invalid base64: length is not a multiple of 4");
}

// --- base64url ---

TEST(Base64UrlTest, Rfc4648VectorsWithoutPadding) {
  const std::pair<std::string_view, std::string_view> vectors[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64UrlEncode(plain), encoded);
    StatusOr<std::string> decoded = Base64UrlDecode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64UrlTest, UsesUrlSafeAlphabet) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(*Base64UrlDecode("-_-_"), "\xfb\xff\xbf");
  ExpectInvalid(Base64UrlDecode("+/+/"), "+/+/");
}

TEST(Base64UrlTest, RoundTripAllLengths) {
  const std::string bytes = AllBytes();
  for (size_t length = 0; length <= 40; ++length) {
    const std::string input = bytes.substr(length * 5, length);
    const std::string encoded = Base64UrlEncode(input);
    EXPECT_EQ(encoded.find_first_of("+/="), std::string::npos) << encoded;
    EXPECT_EQ(*Base64UrlDecode(encoded), input) << length;
  }
}

TEST(Base64UrlTest, RejectsMalformed) {
  for (std::string_view bad : {
           "Zg==",   // padding is not used
           "Zm8=",   // padding is not used
           "Z",      // 4k+1 characters cannot encode whole bytes
           "Zm9vY",  // likewise
           "Zh",     // non-zero trailing bits
           "Zm9",    // non-zero trailing bits
           "Zm 9v",  // whitespace
           "Zm9v\n",
           "Zm9v!",
       }) {
    ExpectInvalid(Base64UrlDecode(bad), bad);
  }
}

}  // namespace
}  // namespace restitution::crypto
