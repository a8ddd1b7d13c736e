#include "crypto/ed25519.h"

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

struct Rfc8032Vector {
  const char* name;
  const char* secret_key;
  const char* public_key;
  const char* message;
  const char* signature;
};

// RFC 8032 section 7.1, TEST 1-3.
const Rfc8032Vector kVectors[] = {
    {"TEST 1", "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e3970"
     "1cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"TEST 2", "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613"
     "d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"TEST 3", "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760"
     "984dc6594a7c15e9716ed28dc027beceea1ec40a"},
};

TEST(Ed25519Test, Rfc8032PublicKeyFromSeed) {
  for (const Rfc8032Vector& v : kVectors) {
    SCOPED_TRACE(v.name);
    StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(Unhex(v.secret_key));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(HexEncode(key->PublicKey()), v.public_key);
    EXPECT_EQ(HexEncode(key->Seed()), v.secret_key);
  }
}

TEST(Ed25519Test, Rfc8032Signature) {
  for (const Rfc8032Vector& v : kVectors) {
    SCOPED_TRACE(v.name);
    StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(Unhex(v.secret_key));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(HexEncode(key->Sign(Unhex(v.message))), v.signature);
  }
}

TEST(Ed25519Test, Rfc8032Verify) {
  for (const Rfc8032Vector& v : kVectors) {
    SCOPED_TRACE(v.name);
    EXPECT_TRUE(Ed25519Verify(Unhex(v.public_key), Unhex(v.message), Unhex(v.signature)));
  }
}

TEST(Ed25519Test, VerifyRejectsEveryFlippedBit) {
  const Rfc8032Vector& v = kVectors[2];
  const std::string public_key = Unhex(v.public_key);
  const std::string message = Unhex(v.message);
  const std::string signature = Unhex(v.signature);
  for (size_t byte = 0; byte < signature.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = signature;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      EXPECT_FALSE(Ed25519Verify(public_key, message, flipped)) << byte << ":" << bit;
    }
  }
  for (size_t byte = 0; byte < message.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = message;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      EXPECT_FALSE(Ed25519Verify(public_key, flipped, signature)) << byte << ":" << bit;
    }
  }
  for (size_t byte = 0; byte < public_key.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = public_key;
      flipped[byte] = static_cast<char>(flipped[byte] ^ (1 << bit));
      EXPECT_FALSE(Ed25519Verify(flipped, message, signature)) << byte << ":" << bit;
    }
  }
}

TEST(Ed25519Test, VerifyRejectsOtherMessagesAndKeys) {
  const Rfc8032Vector& v = kVectors[1];
  EXPECT_FALSE(Ed25519Verify(Unhex(v.public_key), "", Unhex(v.signature)));
  EXPECT_FALSE(Ed25519Verify(Unhex(v.public_key), Unhex("7200"), Unhex(v.signature)));
  EXPECT_FALSE(Ed25519Verify(Unhex(kVectors[0].public_key), Unhex(v.message), Unhex(v.signature)));
}

TEST(Ed25519Test, VerifyRejectsWrongLengths) {
  const Rfc8032Vector& v = kVectors[1];
  const std::string public_key = Unhex(v.public_key);
  const std::string message = Unhex(v.message);
  const std::string signature = Unhex(v.signature);
  EXPECT_FALSE(Ed25519Verify(public_key.substr(0, 31), message, signature));
  EXPECT_FALSE(Ed25519Verify(public_key + '\0', message, signature));
  EXPECT_FALSE(Ed25519Verify("", message, signature));
  EXPECT_FALSE(Ed25519Verify(public_key, message, signature.substr(0, 63)));
  EXPECT_FALSE(Ed25519Verify(public_key, message, signature + '\0'));
  EXPECT_FALSE(Ed25519Verify(public_key, message, ""));
}

TEST(Ed25519Test, VerifyRejectsNonCanonicalS) {
  // S + L verifies under the group law but is a second spelling of the same signature;
  // RFC 8032 requires rejecting S >= L so signatures cannot be altered into "new" ones.
  const Rfc8032Vector& v = kVectors[0];
  std::string signature = Unhex(v.signature);
  const std::string l =  // the group order L, little-endian
      Unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
  unsigned carry = 0;
  for (size_t i = 0; i < 32; ++i) {
    const unsigned sum =
        static_cast<unsigned char>(signature[32 + i]) + static_cast<unsigned char>(l[i]) + carry;
    signature[32 + i] = static_cast<char>(sum & 0xff);
    carry = sum >> 8;
  }
  ASSERT_EQ(carry, 0u);
  EXPECT_FALSE(Ed25519Verify(Unhex(v.public_key), Unhex(v.message), signature));
}

TEST(Ed25519Test, VerifyRejectsAllZeroInputs) {
  EXPECT_FALSE(Ed25519Verify(std::string(32, '\0'), "", std::string(64, '\0')));
  EXPECT_FALSE(Ed25519Verify(std::string(32, '\xff'), "m", std::string(64, '\xff')));
}

TEST(Ed25519Test, FromSeedRejectsWrongLength) {
  for (size_t size : {size_t{0}, size_t{31}, size_t{33}, size_t{64}}) {
    StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::FromSeed(std::string(size, 's'));
    ASSERT_FALSE(key.ok()) << size;
    EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(key.status().message(), "Ed25519 seed must be 32 bytes");
  }
}

TEST(Ed25519Test, GeneratedKeySignsAndRoundTripsThroughSeed) {
  const Ed25519PrivateKey key = Ed25519PrivateKey::Generate();
  const std::string message = "ledger head 42";
  const std::string signature = key.Sign(message);
  ASSERT_EQ(signature.size(), kEd25519SignatureSize);
  ASSERT_EQ(key.PublicKey().size(), kEd25519PublicKeySize);
  EXPECT_TRUE(Ed25519Verify(key.PublicKey(), message, signature));

  StatusOr<Ed25519PrivateKey> restored = Ed25519PrivateKey::FromSeed(key.Seed());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->PublicKey(), key.PublicKey());
  EXPECT_EQ(restored->Sign(message), signature);  // deterministic

  const Ed25519PrivateKey other = Ed25519PrivateKey::Generate();
  EXPECT_NE(other.Seed(), key.Seed());
  EXPECT_FALSE(Ed25519Verify(other.PublicKey(), message, signature));
}

TEST(Ed25519Test, MoveTransfersTheKey) {
  Ed25519PrivateKey key = Ed25519PrivateKey::Generate();
  const std::string public_key = key.PublicKey();
  Ed25519PrivateKey moved = std::move(key);
  EXPECT_EQ(moved.PublicKey(), public_key);
  Ed25519PrivateKey assigned = Ed25519PrivateKey::Generate();
  assigned = std::move(moved);
  EXPECT_EQ(assigned.PublicKey(), public_key);
}

}  // namespace
}  // namespace restitution::crypto
