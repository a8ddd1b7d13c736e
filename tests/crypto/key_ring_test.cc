#include "crypto/key_ring.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "crypto/aes_gcm.h"
#include "crypto/encoding.h"

namespace restitution::crypto {
namespace {

// Fixed keys so ciphertexts can be checked against AesGcmOpen directly.
const std::string kKeyA(32, 'A');
const std::string kKeyB(32, 'B');

std::string Line(const std::string& id, const std::string& key) {
  return id + " " + Base64Encode(key) + "\n";
}

KeyRing MustParse(const std::string& text) {
  StatusOr<KeyRing> ring = KeyRing::Parse(text);
  EXPECT_TRUE(ring.ok()) << ring.status().ToString();
  if (!ring.ok()) std::abort();
  return std::move(ring).value();
}

void ExpectParseError(const std::string& text, const std::string& message) {
  StatusOr<KeyRing> ring = KeyRing::Parse(text);
  ASSERT_FALSE(ring.ok()) << "accepted: " << text;
  EXPECT_EQ(ring.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.status().message(), message);
}

TEST(KeyRingParseTest, LastKeyIsCurrent) {
  KeyRing ring = MustParse(Line("old", kKeyA) + Line("new", kKeyB));
  EXPECT_EQ(ring.current_key_id(), "new");
}

TEST(KeyRingParseTest, IgnoresCommentsBlankLinesAndSurroundingSpace) {
  KeyRing ring = MustParse("# data keys\n\n   \n" + Line("k-1_A", kKeyA) +
                           "  # rotated 2024-07\n\t" + "k2  " + Base64Encode(kKeyB) + "  \r\n\n");
  EXPECT_EQ(ring.current_key_id(), "k2");
}

TEST(KeyRingParseTest, LastLineWithoutNewline) {
  KeyRing ring = MustParse("k1 " + Base64Encode(kKeyA));
  EXPECT_EQ(ring.current_key_id(), "k1");
}

TEST(KeyRingParseTest, Errors) {
  ExpectParseError("", "key ring has no keys");
  ExpectParseError("# only a comment\n\n", "key ring has no keys");
  ExpectParseError(Line("k1", kKeyA) + Line("k1", kKeyB),
                   "key ring line 2: duplicate key id \"k1\"");
  ExpectParseError(Line("k.1", kKeyA),
                   "key ring line 1: key id must be 1-64 characters of [A-Za-z0-9_-]");
  ExpectParseError(Line(std::string(65, 'k'), kKeyA),
                   "key ring line 1: key id must be 1-64 characters of [A-Za-z0-9_-]");
  ExpectParseError("k1\n", "key ring line 1: missing key after the key id");
  ExpectParseError("k1 " + Base64Encode(kKeyA) + " extra\n",
                   "key ring line 1: expected \"<key_id> <base64 key>\"");
  ExpectParseError("\n" + Line("k1", std::string(16, 'x')),
                   "key ring line 2: key must be 32 bytes, got 16");
  ExpectParseError("k1 not*base64\n",
                   "key ring line 1: key is not valid base64 (invalid base64: length is not a "
                   "multiple of 4)");
  ExpectParseError("k1 " + Base64UrlEncode(std::string(32, '\xff')) + "\n",
                   "key ring line 1: key is not valid base64 (invalid base64: length is not a "
                   "multiple of 4)");
}

TEST(KeyRingParseTest, ErrorsDoNotEchoKeyMaterial) {
  const std::string encoded = Base64Encode(std::string(31, 'S'));
  StatusOr<KeyRing> ring = KeyRing::Parse("k1 " + encoded + "\n");
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().message().find(encoded.substr(0, 8)), std::string::npos);
}

TEST(KeyRingTest, IsValidKeyId) {
  EXPECT_TRUE(KeyRing::IsValidKeyId("k"));
  EXPECT_TRUE(KeyRing::IsValidKeyId("2024-07_data-KEY"));
  EXPECT_TRUE(KeyRing::IsValidKeyId(std::string(64, 'x')));
  EXPECT_FALSE(KeyRing::IsValidKeyId(""));
  EXPECT_FALSE(KeyRing::IsValidKeyId(std::string(65, 'x')));
  EXPECT_FALSE(KeyRing::IsValidKeyId("a b"));
  EXPECT_FALSE(KeyRing::IsValidKeyId("a/b"));
  EXPECT_FALSE(KeyRing::IsValidKeyId("caf\xc3\xa9"));
}

TEST(KeyRingTest, SealFormat) {
  KeyRing ring = MustParse(Line("k1", kKeyA));
  StatusOr<std::string> sealed = ring.Seal("secret", "aad");
  ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
  const std::string header("\x01\x02k1", 4);
  ASSERT_EQ(sealed->size(), header.size() + kGcmNonceSize + 6 + kGcmTagSize);
  EXPECT_EQ(sealed->substr(0, 4), header);
  // The rest is plain AES-GCM output whose AAD is the header followed by the caller's AAD.
  StatusOr<std::string> opened = AesGcmOpen(kKeyA, sealed->substr(4), header + "aad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "secret");
}

TEST(KeyRingTest, RoundTrip) {
  KeyRing ring = MustParse(Line("k1", kKeyA));
  for (const std::string& plaintext :
       {std::string(), std::string("a\0b", 3), std::string(5000, 'p')}) {
    StatusOr<std::string> sealed = ring.Seal(plaintext, "claims/1/iban");
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    StatusOr<std::string> opened = ring.Open(*sealed, "claims/1/iban");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(KeyRingTest, RotationKeepsOldCiphertextsReadable) {
  const KeyRing before = MustParse(Line("k1", kKeyA));
  StatusOr<std::string> old_sealed = before.Seal("sealed before rotation", "aad");
  ASSERT_TRUE(old_sealed.ok());

  const KeyRing after = MustParse(Line("k1", kKeyA) + Line("k2", kKeyB));
  EXPECT_EQ(after.current_key_id(), "k2");
  StatusOr<std::string> opened = after.Open(*old_sealed, "aad");
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "sealed before rotation");

  // New data goes under the new key, which the old ring does not know.
  StatusOr<std::string> new_sealed = after.Seal("sealed after rotation", "aad");
  ASSERT_TRUE(new_sealed.ok());
  EXPECT_EQ(new_sealed->substr(0, 4), std::string("\x01\x02k2", 4));
  StatusOr<std::string> by_key_b =
      AesGcmOpen(kKeyB, new_sealed->substr(4), std::string("\x01\x02k2", 4) + "aad");
  ASSERT_TRUE(by_key_b.ok());
  EXPECT_EQ(*by_key_b, "sealed after rotation");
  StatusOr<std::string> by_old_ring = before.Open(*new_sealed, "aad");
  ASSERT_FALSE(by_old_ring.ok());
  EXPECT_EQ(by_old_ring.status().message(), "sealed with unknown key id \"k2\"");
}

TEST(KeyRingTest, UnknownKeyIdFails) {
  const KeyRing ring_a = MustParse(Line("a", kKeyA));
  const KeyRing ring_b = MustParse(Line("b", kKeyA));  // same key material, other id
  StatusOr<std::string> sealed = ring_a.Seal("x", "");
  ASSERT_TRUE(sealed.ok());
  StatusOr<std::string> opened = ring_b.Open(*sealed, "");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(opened.status().message(), "sealed with unknown key id \"a\"");
}

TEST(KeyRingTest, KeyIdIsAuthenticated) {
  // Two ids naming the same key: relabelling a ciphertext from one to the other must still
  // fail, because the header is part of the AAD.
  const KeyRing ring = MustParse(Line("k1", kKeyA) + Line("k2", kKeyA));
  StatusOr<std::string> sealed = ring.Seal("x", "");
  ASSERT_TRUE(sealed.ok());
  std::string relabelled = *sealed;
  relabelled[3] = '1';
  StatusOr<std::string> opened = ring.Open(relabelled, "");
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().message(), "authentication failed");
}

TEST(KeyRingTest, TamperAndAadMismatchFail) {
  const KeyRing ring = MustParse(Line("k1", kKeyA));
  StatusOr<std::string> sealed = ring.Seal("payload", "row-7");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(ring.Open(*sealed, "row-8").status().message(), "authentication failed");
  for (size_t byte = 4; byte < sealed->size(); ++byte) {
    std::string tampered = *sealed;
    tampered[byte] = static_cast<char>(tampered[byte] ^ 0x01);
    EXPECT_EQ(ring.Open(tampered, "row-7").status().message(), "authentication failed") << byte;
  }
}

TEST(KeyRingTest, MalformedHeaders) {
  const KeyRing ring = MustParse(Line("k1", kKeyA));
  StatusOr<std::string> sealed = ring.Seal("payload", "");
  ASSERT_TRUE(sealed.ok());
  auto message = [&](const std::string& input) { return ring.Open(input, "").status().message(); };
  EXPECT_EQ(message(""), "sealed data too short");
  EXPECT_EQ(message(std::string("\x01", 1)), "sealed data too short");
  EXPECT_EQ(message(std::string("\x01\x05k1", 4)), "sealed data too short");
  EXPECT_EQ(message("\x02" + sealed->substr(1)), "unsupported sealed data version");
  EXPECT_EQ(message(std::string("\x01\x00", 2) + sealed->substr(4)),
            "malformed key id in sealed data");
  EXPECT_EQ(message(std::string("\x01\x02k/", 4) + sealed->substr(4)),
            "malformed key id in sealed data");
  // Header intact but nothing after it.
  EXPECT_EQ(message(sealed->substr(0, 4)), "sealed data too short");
}

TEST(KeyRingTest, NewKeyLineParses) {
  const std::string line = KeyRing::NewKeyLine("fresh-1");
  ASSERT_EQ(line.size(), std::string("fresh-1 ").size() + 44 + 1);
  EXPECT_EQ(line.substr(0, 8), "fresh-1 ");
  EXPECT_EQ(line.back(), '\n');
  StatusOr<std::string> key = Base64Decode(line.substr(8, 44));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->size(), 32u);
  EXPECT_NE(KeyRing::NewKeyLine("fresh-1"), line);

  KeyRing ring = MustParse(Line("k1", kKeyA) + line);
  EXPECT_EQ(ring.current_key_id(), "fresh-1");
}

TEST(KeyRingTest, CopiesAndMovesStillWork) {
  KeyRing ring = MustParse(Line("k1", kKeyA));
  StatusOr<std::string> sealed = ring.Seal("x", "");
  ASSERT_TRUE(sealed.ok());
  const KeyRing copy = ring;
  const KeyRing moved = std::move(ring);
  EXPECT_EQ(*copy.Open(*sealed, ""), "x");
  EXPECT_EQ(*moved.Open(*sealed, ""), "x");
}

class KeyRingFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "key_ring_test_XXXXXX";
    const int fd = mkstemp(path_.data());
    ASSERT_GE(fd, 0);
    close(fd);
  }
  void TearDown() override { unlink(path_.c_str()); }

  void Write(const std::string& contents, mode_t mode) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << contents;
    ASSERT_EQ(chmod(path_.c_str(), mode), 0);
  }

  std::string path_;
};

TEST_F(KeyRingFileTest, LoadsPrivateFile) {
  Write(Line("k1", kKeyA) + Line("k2", kKeyB), 0600);
  StatusOr<KeyRing> ring = KeyRing::LoadFile(path_);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(ring->current_key_id(), "k2");
  Write(Line("k1", kKeyA), 0400);
  EXPECT_TRUE(KeyRing::LoadFile(path_).ok());
}

TEST_F(KeyRingFileTest, RefusesFileOthersCanAccess) {
  for (mode_t mode : {0644, 0640, 0604, 0620, 0602, 0610, 0601}) {
    Write(Line("k1", kKeyA), mode);
    StatusOr<KeyRing> ring = KeyRing::LoadFile(path_);
    ASSERT_FALSE(ring.ok()) << std::oct << mode;
    EXPECT_EQ(ring.status().code(), StatusCode::kPermissionDenied);
    char mode_text[8];
    std::snprintf(mode_text, sizeof(mode_text), "%04o", static_cast<unsigned>(mode));
    EXPECT_EQ(ring.status().message(),
              "key file " + path_ + " has mode " + mode_text +
                  ", which lets group or others access it; run chmod 600 " + path_);
  }
}

TEST_F(KeyRingFileTest, ParseErrorsNameTheFile) {
  Write("k1 short\n", 0600);
  StatusOr<KeyRing> ring = KeyRing::LoadFile(path_);
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ring.status().message(), "key file " + path_ +
                                         ": key ring line 1: key is not valid base64 (invalid "
                                         "base64: length is not a multiple of 4)");
}

TEST_F(KeyRingFileTest, MissingFile) {
  StatusOr<KeyRing> ring = KeyRing::LoadFile(path_ + ".absent");
  ASSERT_FALSE(ring.ok());
  EXPECT_EQ(ring.status().code(), StatusCode::kNotFound);
}

TEST_F(KeyRingFileTest, RefusesDirectory) {
  StatusOr<KeyRing> ring = KeyRing::LoadFile(::testing::TempDir());
  ASSERT_FALSE(ring.ok());
}

}  // namespace
}  // namespace restitution::crypto
