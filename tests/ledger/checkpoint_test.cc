#include "ledger/checkpoint.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/ed25519.h"
#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/merkle.h"

namespace restitution::ledger {
namespace {

constexpr char kEmDash[] = "\xE2\x80\x94";
constexpr char kOrigin[] = "restitution.example/ledger";

// golang.org/x/mod/sumdb/note's documented example key and note: Ed25519 signing is
// deterministic, so signing the same text with the same seed must give the same bytes.
constexpr char kGoVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kGoSignerKeyMaterial[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr char kGoText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kGoSignature[] =
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

std::string MustBase64Decode(const std::string& text) {
  auto bytes = crypto::Base64Decode(text);
  if (!bytes.ok()) std::abort();  // a broken test constant
  return *bytes;
}

crypto::Ed25519PrivateKey KeyFromSeed(const std::string& seed) {
  auto key = crypto::Ed25519PrivateKey::FromSeed(seed);
  if (!key.ok()) std::abort();
  return std::move(key).value();
}

std::string Seed(char first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return seed;
}

NoteVerifier MustParseVerifierKey(const std::string& vkey) {
  auto verifier = ParseVerifierKey(vkey);
  EXPECT_TRUE(verifier.ok()) << verifier.status().ToString();
  return verifier.ok() ? *verifier : NoteVerifier{};
}

Checkpoint ExampleCheckpoint() { return Checkpoint{kOrigin, 12345, LeafHash("an example root")}; }

// The key id of the signed-note spec, computed here piece by piece and independently of
// ledger/checkpoint.cc.
uint32_t SpecKeyId(const std::string& name, const std::string& public_key) {
  crypto::Sha256Hasher hasher;
  hasher.Update(name);
  hasher.Update("\n");
  hasher.Update(std::string(1, '\x01'));
  hasher.Update(public_key);
  const std::string digest = hasher.Finish();
  const auto byte = [&](int i) {
    return static_cast<uint32_t>(static_cast<unsigned char>(digest[static_cast<size_t>(i)]));
  };
  return byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
}

// A signature line "— <name> <base64(id || signature)>\n" built from parts.
std::string SignatureLine(const std::string& name, uint32_t id, const std::string& signature) {
  std::string blob;
  for (int shift = 24; shift >= 0; shift -= 8) blob.push_back(static_cast<char>(id >> shift));
  return std::string(kEmDash) + " " + name + " " + crypto::Base64Encode(blob + signature) + "\n";
}

class SignedNoteTest : public ::testing::Test {
 protected:
  SignedNoteTest()
      : signer_(kOrigin, KeyFromSeed(Seed('a'))),
        other_signer_("witness.example/w1", KeyFromSeed(Seed('A'))),
        verifier_(MustParseVerifierKey(signer_.verifier_key())),
        body_(CheckpointBody(ExampleCheckpoint())),
        note_(signer_.Sign(body_)) {}

  NoteSigner signer_;
  NoteSigner other_signer_;
  NoteVerifier verifier_;
  std::string body_;
  std::string note_;
};

// ---------------------------------------------------------------------------------------
// Checkpoint bodies.

TEST(CheckpointBodyTest, MatchesTheC2spExample) {
  const Checkpoint checkpoint{"example.com/behind-the-sofa", 20852163,
                              MustBase64Decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")};
  EXPECT_EQ(
      CheckpointBody(checkpoint),
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
}

TEST(CheckpointBodyTest, EmptyTree) {
  EXPECT_EQ(CheckpointBody(Checkpoint{"log", 0, EmptyRootHash()}),
            "log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
}

TEST(ParseCheckpointBodyTest, RoundTrip) {
  for (uint64_t size : {uint64_t{0}, uint64_t{1}, uint64_t{12345}, UINT64_MAX}) {
    const Checkpoint checkpoint{"\xE5\x8F\x97\xE5\xAE\xB3\xE4\xBA\xBA.example/log", size,
                                LeafHash(std::to_string(size))};
    auto parsed = ParseCheckpointBody(CheckpointBody(checkpoint));
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->origin, checkpoint.origin);
    EXPECT_EQ(parsed->size, size);
    EXPECT_EQ(parsed->root, checkpoint.root);
  }
}

TEST(ParseCheckpointBodyTest, AcceptsAndDropsExtensionLines) {
  const std::string body = CheckpointBody(ExampleCheckpoint()) + "ext one\n- ext two\n";
  auto parsed = ParseCheckpointBody(body);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->origin, kOrigin);
  EXPECT_EQ(parsed->size, 12345u);
  EXPECT_EQ(parsed->root, ExampleCheckpoint().root);
}

TEST(ParseCheckpointBodyTest, RejectsMalformedBodies) {
  const std::string root = crypto::Base64Encode(LeafHash("r"));
  const std::string kBad[] = {
      "",
      "log\n5\n" + root,                                                     // no final newline
      "log\n5\n",                                                            // no root line
      "log\n" + root + "\n",                                                 // two lines
      "\n5\n" + root + "\n",                                                 // empty origin
      "log\n\n" + root + "\n",                                               // empty size
      "log\n05\n" + root + "\n",                                             // leading zero
      "log\n00\n" + root + "\n",                                             // leading zero
      "log\n+5\n" + root + "\n",                                             // sign
      "log\n-5\n" + root + "\n",                                             // negative
      "log\n 5\n" + root + "\n",                                             // space
      "log\n5 \n" + root + "\n",                                             // space
      "log\n0x5\n" + root + "\n",                                            // hex
      "log\n18446744073709551616\n" + root + "\n",                           // 2^64
      "log\n99999999999999999999\n" + root + "\n",                           // far beyond 2^64
      "log\n5\n" + root.substr(0, 40) + "\n",                                // truncated root
      "log\n5\n" + crypto::Base64Encode(std::string(31, 'x')) + "\n",        // 31 bytes
      "log\n5\n" + crypto::Base64Encode(std::string(33, 'x')) + "\n",        // 33 bytes
      "log\n5\n" + crypto::Base64UrlEncode(std::string(32, '\xfb')) + "\n",  // URL alphabet
      "log\n5\n" + root.substr(0, 43) + "\n",                                // missing padding
      "log\n5\n" + root + "\n\n",                                            // empty extension line
      "log\n5\n" + root + "\n\next\n",            // empty line before an extension
      "log\r\n5\n" + root + "\n",                 // CR
      "l\tog\n5\n" + root + "\n",                 // control character in origin
      "l\xFFog\n5\n" + root + "\n",               // invalid UTF-8
      std::string("l\0g\n5\n", 6) + root + "\n",  // NUL
  };
  for (const std::string& body : kBad) {
    auto parsed = ParseCheckpointBody(body);
    EXPECT_FALSE(parsed.ok()) << "accepted: " << body;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    }
  }
  EXPECT_TRUE(ParseCheckpointBody("log\n5\n" + root + "\n").ok());
  EXPECT_EQ(ParseCheckpointBody("log\n18446744073709551615\n" + root + "\n")->size, UINT64_MAX);
}

// ---------------------------------------------------------------------------------------
// Keys.

TEST(KeyNameTest, Validity) {
  EXPECT_TRUE(IsValidKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidKeyName("PeterNeumann"));
  EXPECT_TRUE(IsValidKeyName("\xE5\x8F\x97\xE5\xAE\xB3\xE4\xBA\xBA"));
  EXPECT_TRUE(IsValidKeyName("a-b_c.d/e:f"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(IsValidKeyName("a\nb"));
  EXPECT_FALSE(IsValidKeyName(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidKeyName("a\x7f"));
  EXPECT_FALSE(
      IsValidKeyName("a\xC2\xA0"
                     "b"));  // U+00A0 no-break space
  EXPECT_FALSE(
      IsValidKeyName("a\xC2\x85"
                     "b"));  // U+0085 next line
  EXPECT_FALSE(
      IsValidKeyName("a\xE2\x80\x82"
                     "b"));  // U+2002 en space
  EXPECT_FALSE(
      IsValidKeyName("a\xE2\x80\xA8"
                     "b"));  // U+2028 line separator
  EXPECT_FALSE(
      IsValidKeyName("a\xE3\x80\x80"
                     "b"));  // U+3000 ideographic space
  EXPECT_FALSE(IsValidKeyName("a\xFF"));
  EXPECT_FALSE(IsValidKeyName("\xED\xA0\x80"));
}

TEST(KeyIdTest, MatchesTheSpecFormula) {
  for (char first : {'a', 'b', 'z'}) {
    const std::string public_key = KeyFromSeed(Seed(first)).PublicKey();
    for (const std::string name : {"a", kOrigin, "\xE4\xB8\xAD"}) {
      EXPECT_EQ(KeyId(name, public_key), SpecKeyId(name, public_key)) << name;
    }
  }
  // The name and the key are separated, so moving a byte between them changes the id.
  const std::string public_key = KeyFromSeed(Seed('a')).PublicKey();
  EXPECT_NE(KeyId("ab", public_key), KeyId("a", "b" + public_key));
}

TEST(KeyIdTest, GoReferenceKeyKnownAnswer) {
  const std::string key_material = MustBase64Decode(kGoSignerKeyMaterial);
  ASSERT_EQ(key_material.size(), 33u);
  ASSERT_EQ(key_material[0], '\x01');
  const std::string public_key = KeyFromSeed(key_material.substr(1)).PublicKey();
  EXPECT_EQ(KeyId("PeterNeumann", public_key), 0xc74f20a3u);
  EXPECT_EQ(SpecKeyId("PeterNeumann", public_key), 0xc74f20a3u);
  EXPECT_EQ(VerifierKey("PeterNeumann", public_key), kGoVerifierKey);
}

TEST(KeyIdTest, FixedSeedKnownAnswer) {
  // Seed 0x00..0x1f; the id is cross-checked against the independent SpecKeyId.
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(i));
  const std::string public_key = KeyFromSeed(seed).PublicKey();
  const uint32_t id = KeyId(kOrigin, public_key);
  EXPECT_EQ(id, SpecKeyId(kOrigin, public_key));
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", id);
  EXPECT_EQ(VerifierKey(kOrigin, public_key),
            std::string(kOrigin) + "+" + hex + "+" + crypto::Base64Encode("\x01" + public_key));
  const std::string vkey = VerifierKey(kOrigin, public_key);
  EXPECT_EQ(vkey.substr(vkey.size() - 44, 1), "A");  // base64 of 0x01 starts with 'A'
}

TEST(ParseVerifierKeyTest, ParsesTheGoReferenceKey) {
  auto verifier = ParseVerifierKey(kGoVerifierKey);
  ASSERT_TRUE(verifier.ok()) << verifier.status().ToString();
  EXPECT_EQ(verifier->key_name, "PeterNeumann");
  EXPECT_EQ(verifier->key_id, 0xc74f20a3u);
  EXPECT_EQ(verifier->public_key,
            KeyFromSeed(MustBase64Decode(kGoSignerKeyMaterial).substr(1)).PublicKey());
}

TEST(ParseVerifierKeyTest, RoundTripsNoteSignerKeys) {
  NoteSigner signer(kOrigin, KeyFromSeed(Seed('q')));
  auto verifier = ParseVerifierKey(signer.verifier_key());
  ASSERT_TRUE(verifier.ok());
  EXPECT_EQ(verifier->key_name, kOrigin);
  EXPECT_EQ(verifier->key_id, signer.key_id());
  EXPECT_EQ(verifier->public_key, KeyFromSeed(Seed('q')).PublicKey());
  EXPECT_EQ(signer.key_name(), kOrigin);
}

TEST(ParseVerifierKeyTest, RejectsEveryManglingOfTheGoKey) {
  // As the Go reference tests do: every proper substring and every single-byte change.
  const std::string vkey = kGoVerifierKey;
  for (size_t i = 0; i <= vkey.size(); ++i) {
    for (size_t j = i + 1; j <= vkey.size(); ++j) {
      if (i == 0 && j == vkey.size()) continue;
      EXPECT_FALSE(ParseVerifierKey(vkey.substr(i, j - i)).ok()) << vkey.substr(i, j - i);
    }
  }
  for (size_t i = 0; i < vkey.size(); ++i) {
    std::string mangled = vkey;
    mangled[i] = static_cast<char>(mangled[i] + 1);
    EXPECT_FALSE(ParseVerifierKey(mangled).ok()) << mangled;
  }
}

TEST(ParseVerifierKeyTest, RejectsWrongIdAlgorithmAndShape) {
  const std::string public_key = KeyFromSeed(Seed('a')).PublicKey();
  const std::string good = VerifierKey("log", public_key);
  ASSERT_TRUE(ParseVerifierKey(good).ok());
  const std::string key64 = good.substr(good.rfind('+') + 1);
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", KeyId("log", public_key));
  char upper[9];
  std::snprintf(upper, sizeof(upper), "%08X", KeyId("log", public_key));
  char wrong[9];
  std::snprintf(wrong, sizeof(wrong), "%08x", KeyId("log", public_key) ^ 1);

  const std::string kBad[] = {
      std::string("log+") + wrong + "+" + key64,  // id of another key
      std::string("log+") + hex + "+" + crypto::Base64Encode("\x02" + public_key),  // not Ed25519
      std::string("log+") + hex + "+" + crypto::Base64Encode(public_key),  // no algorithm byte
      std::string("log+") + hex + "+" + crypto::Base64Encode("\x01" + public_key + "x"),
      std::string("log+") + hex + "+" + crypto::Base64Encode("\x01" + public_key.substr(1)),
      std::string("log+") + hex + "+",
      std::string("log+") + std::string(hex).substr(1) + "+" + key64,  // 7 digits
      std::string("log+0") + hex + "+" + key64,                        // 9 digits
      std::string("other+") + hex + "+" + key64,                       // id belongs to another name
      std::string("+") + hex + "+" + key64,                            // empty name
      std::string("l g+") + hex + "+" + key64,                         // space in name
      good + "\n",
      " " + good,
      good + "=",
      "log",
      "log+" + std::string(hex),
  };
  for (const std::string& vkey : kBad) {
    EXPECT_FALSE(ParseVerifierKey(vkey).ok()) << vkey;
  }
  if (std::string(hex) != upper) {  // uppercase hex is not the one spelling
    EXPECT_FALSE(ParseVerifierKey(std::string("log+") + upper + "+" + key64).ok());
  }
  auto not_ed25519 =
      ParseVerifierKey(std::string("log+") + hex + "+" + crypto::Base64Encode("\x02" + public_key));
  EXPECT_NE(not_ed25519.status().message().find("Ed25519"), std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Signing and verifying notes.

TEST(NoteSignerTest, ReproducesTheGoReferenceNote) {
  const std::string seed = MustBase64Decode(kGoSignerKeyMaterial).substr(1);
  NoteSigner signer("PeterNeumann", KeyFromSeed(seed));
  EXPECT_EQ(signer.key_id(), 0xc74f20a3u);
  EXPECT_EQ(signer.verifier_key(), kGoVerifierKey);
  const std::string expected =
      std::string(kGoText) + "\n" + kEmDash + " PeterNeumann " + kGoSignature + "\n";
  EXPECT_EQ(signer.Sign(kGoText), expected);
}

TEST(VerifyNoteTest, OpensTheGoReferenceNote) {
  const std::string note =
      std::string(kGoText) + "\n" + kEmDash + " PeterNeumann " + kGoSignature + "\n";
  auto text = VerifyNote(note, MustParseVerifierKey(kGoVerifierKey));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, kGoText);
  std::string tampered = note;
  tampered.replace(tampered.find("cryptography"), 12, "cryptographY");
  EXPECT_FALSE(VerifyNote(tampered, MustParseVerifierKey(kGoVerifierKey)).ok());
}

TEST_F(SignedNoteTest, NoteLayout) {
  ASSERT_EQ(note_.substr(0, body_.size()), body_);
  const std::string rest = note_.substr(body_.size());
  const std::string prefix = std::string("\n") + kEmDash + " " + kOrigin + " ";
  ASSERT_EQ(rest.substr(0, prefix.size()), prefix);
  ASSERT_EQ(rest.back(), '\n');
  const std::string blob =
      MustBase64Decode(rest.substr(prefix.size(), rest.size() - prefix.size() - 1));
  ASSERT_EQ(blob.size(), 4u + 64u);
  EXPECT_EQ(SignatureLine(kOrigin, signer_.key_id(), blob.substr(4)), rest.substr(1));
  EXPECT_TRUE(crypto::Ed25519Verify(verifier_.public_key, body_, blob.substr(4)));
}

TEST_F(SignedNoteTest, SignThenVerifyCheckpoint) {
  auto checkpoint = VerifyCheckpoint(note_, verifier_);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_EQ(checkpoint->origin, kOrigin);
  EXPECT_EQ(checkpoint->size, 12345u);
  EXPECT_EQ(checkpoint->root, ExampleCheckpoint().root);
  auto body = VerifyNote(note_, verifier_);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(*body, body_);
}

TEST_F(SignedNoteTest, TamperedBodyIsRejected) {
  std::string tampered = note_;
  tampered.replace(tampered.find("12345"), 5, "12346");
  EXPECT_EQ(VerifyCheckpoint(tampered, verifier_).status().code(), StatusCode::kInvalidArgument);
  tampered = note_;
  tampered.replace(0, 1, "R");  // origin
  EXPECT_FALSE(VerifyCheckpoint(tampered, verifier_).ok());
  tampered = note_;
  tampered.insert(body_.size(), "extension\n");  // an extension line added after signing
  EXPECT_FALSE(VerifyCheckpoint(tampered, verifier_).ok());
}

TEST_F(SignedNoteTest, TamperedSignatureIsRejected) {
  const std::string line_start = std::string(kEmDash) + " " + kOrigin + " ";
  const size_t b64 = note_.find(line_start) + line_start.size();
  const std::string blob = MustBase64Decode(note_.substr(b64, note_.size() - b64 - 1));
  for (size_t byte : {size_t{4}, size_t{20}, size_t{40}, size_t{67}}) {
    std::string bad_blob = blob;
    bad_blob[byte] = static_cast<char>(bad_blob[byte] ^ 0x01);
    const std::string tampered = note_.substr(0, b64) + crypto::Base64Encode(bad_blob) + "\n";
    auto result = VerifyNote(tampered, verifier_);
    EXPECT_FALSE(result.ok()) << byte;
    EXPECT_NE(result.status().message().find("does not verify"), std::string::npos);
  }
  // A changed key id no longer names this key: then the note is simply not signed by it.
  std::string bad_id = blob;
  bad_id[0] = static_cast<char>(bad_id[0] ^ 0x01);
  auto result = VerifyNote(note_.substr(0, b64) + crypto::Base64Encode(bad_id) + "\n", verifier_);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("not signed"), std::string::npos);
  // Truncated and padded signatures.
  for (const std::string& sig : {blob.substr(0, 67), blob + "x", blob.substr(0, 4)}) {
    EXPECT_FALSE(
        VerifyNote(note_.substr(0, b64) + crypto::Base64Encode(sig) + "\n", verifier_).ok());
  }
}

TEST_F(SignedNoteTest, WrongKeyIsRejected) {
  NoteSigner impostor(kOrigin, KeyFromSeed(Seed('b')));
  EXPECT_FALSE(VerifyNote(impostor.Sign(body_), verifier_).ok());
  EXPECT_FALSE(VerifyNote(note_, MustParseVerifierKey(impostor.verifier_key())).ok());
  // Same name and key id as the signature line, but a different public key (a colliding id):
  // the signature is checked and fails.
  NoteVerifier colliding = verifier_;
  colliding.public_key = KeyFromSeed(Seed('b')).PublicKey();
  auto result = VerifyNote(note_, colliding);
  EXPECT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("does not verify"), std::string::npos);
}

TEST_F(SignedNoteTest, WrongNameIsRejected) {
  // The same key under another name has another id ...
  NoteSigner renamed("other.example/log", KeyFromSeed(Seed('a')));
  EXPECT_NE(renamed.key_id(), signer_.key_id());
  EXPECT_FALSE(VerifyNote(renamed.Sign(body_), verifier_).ok());
  EXPECT_FALSE(VerifyNote(note_, MustParseVerifierKey(renamed.verifier_key())).ok());
  // ... and even with the right id, a line under another name is not this key's.
  NoteVerifier other_name = verifier_;
  other_name.key_name = "other.example/log";
  EXPECT_FALSE(VerifyNote(note_, other_name).ok());
}

TEST_F(SignedNoteTest, MissingEmDashIsRejected) {
  for (const char* dash : {"-", "--", "\xE2\x80\x93" /* en dash */, "\xE2\x80\x95", ""}) {
    std::string tampered = note_;
    tampered.replace(tampered.find(kEmDash), 3, dash);
    EXPECT_FALSE(VerifyNote(tampered, verifier_).ok()) << dash;
  }
  std::string no_space = note_;
  no_space.erase(no_space.find(kEmDash) + 3, 1);
  EXPECT_FALSE(VerifyNote(no_space, verifier_).ok());
}

TEST_F(SignedNoteTest, NoteWithoutBlankLineIsRejected) {
  std::string joined = note_;
  joined.erase(body_.size(), 1);  // body immediately followed by the signature line
  EXPECT_EQ(VerifyNote(joined, verifier_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SignedNoteTest, MalformedNotesAreRejected) {
  const std::string kBad[] = {
      "",
      note_.substr(0, note_.size() - 1),  // no final newline
      body_ + "\n",                       // no signature lines
      body_ + "\n\n",
      note_ + "\n",                          // blank line after the signatures
      note_ + "garbage\n",                   // a line that is not a signature
      note_ + kEmDash + " name\n",           // no signature
      note_ + kEmDash + " name AAAA\n",      // 3 bytes: no room for a key id
      note_ + kEmDash + " name AAAAAA==\n",  // 4 bytes: a key id but no signature
      note_ + kEmDash + " name not-base64!\n",
      note_ + kEmDash + " a+b " + crypto::Base64Encode(std::string(68, 'x')) + "\n",
      note_ + kEmDash + "  " + crypto::Base64Encode(std::string(68, 'x')) + "\n",
      note_ + kEmDash + " name  " + crypto::Base64Encode(std::string(68, 'x')) + "\n",
      note_ + kEmDash + " name " + crypto::Base64Encode(std::string(68, 'x')) + " \n",
      "\r" + note_,                                   // control character in the body
      note_.substr(0, note_.size() - 1) + "\r\n",     // CRLF
      note_.substr(0, 3) + "\xFF" + note_.substr(4),  // invalid UTF-8
  };
  for (const std::string& note : kBad) {
    auto result = VerifyNote(note, verifier_);
    EXPECT_FALSE(result.ok()) << "accepted: " << note;
    if (!result.ok()) {
      EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST_F(SignedNoteTest, OtherSignersAreIgnored) {
  const std::string witness = other_signer_.Sign(body_);
  const std::string witness_line = witness.substr(body_.size() + 1);
  const std::string our_line = note_.substr(body_.size() + 1);
  // A key of another type and length under some name, and our name with another key id
  // (say a rotated key): ignored as long as they are well formed.
  const std::string cosignature =
      SignatureLine("witness.example/w2", 0x01020304, std::string(72, '\x07'));
  const std::string rotated =
      SignatureLine(kOrigin, signer_.key_id() ^ 0x80000000u, std::string(64, '\x09'));
  for (const std::string& lines :
       {our_line + witness_line, witness_line + our_line, cosignature + our_line + rotated,
        rotated + witness_line + our_line + cosignature}) {
    auto body = VerifyNote(body_ + "\n" + lines, verifier_);
    ASSERT_TRUE(body.ok()) << body.status().ToString() << "\n" << lines;
    EXPECT_EQ(*body, body_);
  }
  // The witness's own verifier accepts the combined note too, and only signatures by the
  // witness are not enough for the log's verifier.
  EXPECT_TRUE(VerifyNote(body_ + "\n" + our_line + witness_line,
                         MustParseVerifierKey(other_signer_.verifier_key()))
                  .ok());
  EXPECT_FALSE(VerifyNote(witness, verifier_).ok());
  EXPECT_FALSE(VerifyNote(body_ + "\n" + cosignature + rotated, verifier_).ok());
}

TEST_F(SignedNoteTest, ABadSignatureFromTheTrustedKeyRejectsTheNote) {
  const std::string our_line = note_.substr(body_.size() + 1);
  const std::string forged = SignatureLine(kOrigin, signer_.key_id(), std::string(64, '\x05'));
  EXPECT_FALSE(VerifyNote(body_ + "\n" + our_line + forged, verifier_).ok());
  EXPECT_FALSE(VerifyNote(body_ + "\n" + forged + our_line, verifier_).ok());
  // The same good signature twice is fine.
  EXPECT_TRUE(VerifyNote(body_ + "\n" + our_line + our_line, verifier_).ok());
}

TEST_F(SignedNoteTest, SignatureCountLimit) {
  const std::string our_line = note_.substr(body_.size() + 1);
  std::string lines;
  for (int i = 0; i < 99; ++i) {
    lines += SignatureLine("witness.example/" + std::to_string(i), static_cast<uint32_t>(i),
                           std::string(64, 'w'));
  }
  EXPECT_TRUE(VerifyNote(body_ + "\n" + lines + our_line, verifier_).ok());  // 100 lines
  EXPECT_FALSE(VerifyNote(body_ + "\n" + lines + our_line + our_line, verifier_).ok());  // 101
}

TEST_F(SignedNoteTest, BodiesMayContainBlankLines) {
  const std::string body = "first paragraph\n\nsecond paragraph\n\n\nthird\n";
  const std::string note = signer_.Sign(body);
  auto opened = VerifyNote(note, verifier_);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, body);
  // Not a checkpoint, though.
  EXPECT_EQ(VerifyCheckpoint(note, verifier_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SignedNoteTest, VerifyCheckpointRejectsAValidNoteThatIsNoCheckpoint) {
  const std::string note = signer_.Sign("hello\n");
  EXPECT_TRUE(VerifyNote(note, verifier_).ok());
  EXPECT_EQ(VerifyCheckpoint(note, verifier_).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SignedNoteTest, CheckpointWithExtensionLinesVerifies) {
  const std::string body = body_ + "extension data\n";
  auto checkpoint = VerifyCheckpoint(signer_.Sign(body), verifier_);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
  EXPECT_EQ(checkpoint->size, 12345u);
}

using NoteSignerDeathTest = SignedNoteTest;

TEST_F(NoteSignerDeathTest, InvalidKeyNameAborts) {
  EXPECT_DEATH(NoteSigner("bad name", KeyFromSeed(Seed('a'))), "invalid signed-note key name");
  EXPECT_DEATH(NoteSigner("a+b", KeyFromSeed(Seed('a'))), "invalid signed-note key name");
  EXPECT_DEATH(NoteSigner("", KeyFromSeed(Seed('a'))), "invalid signed-note key name");
}

TEST_F(NoteSignerDeathTest, BodyThatIsNotNoteTextAborts) {
  EXPECT_DEATH(signer_.Sign("no final newline"), "not note text");
  EXPECT_DEATH(signer_.Sign(""), "not note text");
  EXPECT_DEATH(signer_.Sign("carriage\r\nreturn\n"), "not note text");
  EXPECT_DEATH(signer_.Sign("bad \xFF utf-8\n"), "not note text");
}

}  // namespace
}  // namespace restitution::ledger
