// The deployment's secrets, each in its own 0600 file under keys_dir:
//   data.keys           AES-256-GCM key ring for personal data at rest (rotatable: append a line)
//   index.key           HMAC key for blind indexes and the ledger's keyed commitments
//   ledger-signing.key  Ed25519 seed that signs ledger checkpoints
//   db.password         the private MariaDB's password (written by the deploy scripts)
#ifndef RESTITUTION_SERVICE_SERVICE_KEYS_H_
#define RESTITUTION_SERVICE_SERVICE_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "crypto/ed25519.h"
#include "crypto/key_ring.h"
#include "crypto/status.h"

namespace restitution {

class ServiceKeys {
 public:
  static StatusOr<ServiceKeys> Load(const std::string& keys_dir);
  // Creates whichever key files are missing (never overwrites one); names what it created.
  static Status InitMissing(const std::string& keys_dir, std::vector<std::string>* created);
  // Moves ledger-signing.key aside (to ledger-signing.key.retired-<ms>, kept: old checkpoints
  // name its key id) and creates a new one. Servers pick the new key up when restarted; the
  // old verifier key stays published in ledger_keys.
  static Status RotateLedgerSigningKey(const std::string& keys_dir, int64_t now_ms,
                                       std::string* retired_path);

  const crypto::KeyRing& data() const { return data_; }
  // HMAC-SHA256(index key, purpose ":" value). Purposes keep indexes of different kinds of
  // value apart ("login", "id_number", ...), so equal strings never collide across them.
  std::string BlindIndex(std::string_view purpose, std::string_view value) const;
  // Encrypts personal data; `purpose` is bound as associated data so a ciphertext moved to
  // another column does not decrypt there.
  StatusOr<std::string> Seal(std::string_view purpose, std::string_view plaintext) const;
  StatusOr<std::string> Open(std::string_view purpose, std::string_view sealed) const;
  // The checkpoint signing key (a fresh object each call: the key type is move-only).
  StatusOr<crypto::Ed25519PrivateKey> LedgerSigningKey() const;

 private:
  ServiceKeys(crypto::KeyRing data, std::string index_key, std::string signing_seed)
      : data_(std::move(data)),
        index_key_(std::move(index_key)),
        signing_seed_(std::move(signing_seed)) {}
  crypto::KeyRing data_;
  std::string index_key_;
  std::string signing_seed_;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_SERVICE_KEYS_H_
