// KeyRing: AES-256-GCM encryption of stored data with key rotation.
//
// Every ciphertext names the key that sealed it, so keys can be rotated without
// re-encrypting existing data: append a new key and it seals all new data, while older
// keys stay in the ring to open what they sealed. A key may be removed once nothing
// sealed under it remains.
//
// Key file format, one key per line:
//
//   # comment
//   2024-01 <base64 of 32 random bytes>
//   2024-07 <base64 of 32 random bytes>     <- last line: the current key
//
// A key id is 1-64 characters of [A-Za-z0-9_-]; ids must be unique. Blank lines and lines
// starting with '#' are ignored.
#ifndef RESTITUTION_CRYPTO_KEY_RING_H_
#define RESTITUTION_CRYPTO_KEY_RING_H_

#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"

namespace restitution::crypto {

class KeyRing {
 public:
  // Builds a ring from key file text. Errors name the line but never echo key material.
  static StatusOr<KeyRing> Parse(std::string_view text);

  // Parse() of a file's contents. Refuses a file that group or others can access at all
  // (mode & 077), because anyone who can read the file can read all sealed data.
  static StatusOr<KeyRing> LoadFile(const std::string& path);

  // "<key_id> <base64 of 32 fresh random bytes>\n", a line to append to a key file.
  // key_id must satisfy IsValidKeyId, or Parse will reject the line.
  static std::string NewKeyLine(const std::string& key_id);

  // 1-64 characters of [A-Za-z0-9_-].
  static bool IsValidKeyId(std::string_view key_id);

  KeyRing(const KeyRing&) = default;
  KeyRing& operator=(const KeyRing&) = default;
  KeyRing(KeyRing&&) noexcept = default;
  KeyRing& operator=(KeyRing&&) noexcept = default;
  ~KeyRing();  // wipes the key material

  // Seals under the current key: 0x01 || id length (1 byte) || id || AES-GCM output
  // (nonce || ciphertext || tag). The version byte and id are authenticated along with
  // aad, so neither can be altered without Open failing.
  StatusOr<std::string> Seal(std::string_view plaintext, std::string_view aad) const;

  // Opens data sealed under any key in the ring. Fails on an unknown key id, a malformed
  // header, or any tampering (InvalidArgument "authentication failed").
  StatusOr<std::string> Open(std::string_view sealed, std::string_view aad) const;

  // The id of the key Seal uses: the last one in the file.
  const std::string& current_key_id() const;

 private:
  struct Key {
    std::string id;
    std::string material;  // 32 raw bytes
  };

  KeyRing() = default;

  const Key* Find(std::string_view id) const;

  std::vector<Key> keys_;  // file order; never empty except after a move
};

}  // namespace restitution::crypto

#endif  // RESTITUTION_CRYPTO_KEY_RING_H_
