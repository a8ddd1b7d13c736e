#include "crypto/aes_gcm.h"

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

// McGrew & Viega, "The Galois/Counter Mode of Operation (GCM)", appendix B, test cases
// 13-16 (the 256-bit-key cases with 96-bit IVs).
constexpr char kKey1516[] = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
constexpr char kIv1516[] = "cafebabefacedbaddecaf888";
constexpr char kPlaintext15[] =
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
constexpr char kCiphertext15[] =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";
constexpr char kTag15[] = "b094dac5d93471bdec1a502270e3cc6c";
constexpr char kAad16[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
constexpr char kTag16[] = "76fc6ece0f4e1768cddf8853bb2d551b";

TEST(AesGcmTest, GcmSpecTestCase13EmptyPlaintext) {
  const std::string key(32, '\0');
  const std::string nonce(12, '\0');
  StatusOr<std::string> sealed = AesGcmSealWithNonce(key, nonce, "", "");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(HexEncode(*sealed), HexEncode(nonce) + "530f8afbc74536b9a963b4f1c4cb738b");
  StatusOr<std::string> opened = AesGcmOpen(key, *sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "");
}

TEST(AesGcmTest, GcmSpecTestCase14) {
  const std::string key(32, '\0');
  const std::string nonce(12, '\0');
  StatusOr<std::string> sealed = AesGcmSealWithNonce(key, nonce, std::string(16, '\0'), "");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(HexEncode(*sealed), HexEncode(nonce) + "cea7403d4d606b6e074ec5d3baf39d18" +
                                    "d0d1c8a799996bf0265b98b5d48ab919");
}

TEST(AesGcmTest, GcmSpecTestCase15) {
  StatusOr<std::string> sealed =
      AesGcmSealWithNonce(Unhex(kKey1516), Unhex(kIv1516), Unhex(kPlaintext15), "");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(HexEncode(*sealed), std::string(kIv1516) + kCiphertext15 + kTag15);
  StatusOr<std::string> opened = AesGcmOpen(Unhex(kKey1516), *sealed, "");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(HexEncode(*opened), kPlaintext15);
}

TEST(AesGcmTest, GcmSpecTestCase16WithAad) {
  // Test case 16 is test case 15 truncated to 60 bytes, with AAD.
  const std::string plaintext = Unhex(kPlaintext15).substr(0, 60);
  StatusOr<std::string> sealed =
      AesGcmSealWithNonce(Unhex(kKey1516), Unhex(kIv1516), plaintext, Unhex(kAad16));
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(HexEncode(*sealed),
            std::string(kIv1516) + std::string(kCiphertext15).substr(0, 120) + kTag16);
  StatusOr<std::string> opened = AesGcmOpen(Unhex(kKey1516), *sealed, Unhex(kAad16));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, plaintext);
}

class AesGcmRoundTripTest : public ::testing::Test {
 protected:
  const std::string key_ = Unhex(kKey1516);
  const std::string aad_ = "claims/17/bank_account";
  const std::string plaintext_ = "IBAN DE89 3704 0044 0532 0130 00";
};

TEST_F(AesGcmRoundTripTest, SealThenOpen) {
  StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  EXPECT_EQ(sealed->size(), kGcmNonceSize + plaintext_.size() + kGcmTagSize);
  EXPECT_EQ(sealed->find(plaintext_), std::string::npos);
  StatusOr<std::string> opened = AesGcmOpen(key_, *sealed, aad_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, plaintext_);
}

TEST_F(AesGcmRoundTripTest, BinaryAndEmptyInputs) {
  const std::string binary("\0\xff\0\x01", 4);
  for (const std::string& plaintext : {std::string(), binary, std::string(100000, 'x')}) {
    for (const std::string& aad : {std::string(), binary}) {
      StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext, aad);
      ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
      StatusOr<std::string> opened = AesGcmOpen(key_, *sealed, aad);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      EXPECT_EQ(*opened, plaintext);
    }
  }
}

TEST_F(AesGcmRoundTripTest, FreshNonceEachCall) {
  StatusOr<std::string> first = AesGcmSeal(key_, plaintext_, aad_);
  StatusOr<std::string> second = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_NE(first->substr(0, kGcmNonceSize), second->substr(0, kGcmNonceSize));
  EXPECT_NE(*first, *second);
}

void ExpectAuthenticationFailure(const StatusOr<std::string>& opened) {
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(opened.status().message(), "authentication failed");
}

TEST_F(AesGcmRoundTripTest, EveryFlippedBitIsDetected) {
  StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(sealed.ok());
  // Nonce, ciphertext and tag: every bit of the sealed output is covered.
  for (size_t byte = 0; byte < sealed->size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string tampered = *sealed;
      tampered[byte] = static_cast<char>(tampered[byte] ^ (1 << bit));
      SCOPED_TRACE("byte " + std::to_string(byte) + " bit " + std::to_string(bit));
      ExpectAuthenticationFailure(AesGcmOpen(key_, tampered, aad_));
    }
  }
}

TEST_F(AesGcmRoundTripTest, TamperedAadIsDetected) {
  StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(sealed.ok());
  std::string aad = aad_;
  aad[0] = static_cast<char>(aad[0] ^ 1);
  ExpectAuthenticationFailure(AesGcmOpen(key_, *sealed, aad));
  ExpectAuthenticationFailure(AesGcmOpen(key_, *sealed, ""));
  ExpectAuthenticationFailure(AesGcmOpen(key_, *sealed, aad_ + "x"));
}

TEST_F(AesGcmRoundTripTest, WrongKeyIsDetected) {
  StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(sealed.ok());
  std::string other_key = key_;
  other_key[31] = static_cast<char>(other_key[31] ^ 0x80);
  ExpectAuthenticationFailure(AesGcmOpen(other_key, *sealed, aad_));
}

TEST_F(AesGcmRoundTripTest, TruncatedOrExtendedIsDetected) {
  StatusOr<std::string> sealed = AesGcmSeal(key_, plaintext_, aad_);
  ASSERT_TRUE(sealed.ok());
  ExpectAuthenticationFailure(AesGcmOpen(key_, sealed->substr(0, sealed->size() - 1), aad_));
  ExpectAuthenticationFailure(AesGcmOpen(key_, *sealed + '\0', aad_));
  // Dropping a ciphertext byte from the middle.
  std::string shortened = *sealed;
  shortened.erase(kGcmNonceSize + 3, 1);
  ExpectAuthenticationFailure(AesGcmOpen(key_, shortened, aad_));
}

TEST_F(AesGcmRoundTripTest, TooShortForNonceAndTag) {
  for (size_t length : {size_t{0}, size_t{12}, kGcmNonceSize + kGcmTagSize - 1}) {
    StatusOr<std::string> opened = AesGcmOpen(key_, std::string(length, 'a'), aad_);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(opened.status().message(), "sealed data too short");
  }
  // Exactly nonce + tag is a well-formed empty ciphertext, which fails authentication.
  ExpectAuthenticationFailure(AesGcmOpen(key_, std::string(28, 'a'), aad_));
}

TEST(AesGcmTest, RejectsWrongKeyAndNonceSizes) {
  for (size_t size : {size_t{0}, size_t{16}, size_t{24}, size_t{31}, size_t{33}}) {
    const std::string key(size, 'k');
    EXPECT_EQ(AesGcmSeal(key, "x", "").status().code(), StatusCode::kInvalidArgument) << size;
    EXPECT_EQ(AesGcmOpen(key, std::string(40, 'a'), "").status().code(),
              StatusCode::kInvalidArgument)
        << size;
  }
  const std::string key(32, 'k');
  for (size_t size : {size_t{0}, size_t{8}, size_t{11}, size_t{13}, size_t{16}}) {
    StatusOr<std::string> sealed = AesGcmSealWithNonce(key, std::string(size, 'n'), "x", "");
    ASSERT_FALSE(sealed.ok()) << size;
    EXPECT_EQ(sealed.status().message(), "AES-GCM nonce must be 12 bytes");
  }
}

}  // namespace
}  // namespace restitution::crypto
