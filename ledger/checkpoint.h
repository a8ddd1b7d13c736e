// Signed checkpoints: the ledger's tree heads in the C2SP tlog-checkpoint format, signed as
// C2SP signed notes with Ed25519. Using the transparency-log ecosystem's own format means
// any existing witness or monitor can check this ledger without code of ours.
//
// A checkpoint note looks like this (the dash is U+2014 EM DASH):
//
//   restitution.example/ledger
//   12345
//   CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
//
//   — restitution.example/ledger <base64(4-byte key id || 64-byte Ed25519 signature)>
//
// The signature covers the body: the lines above the blank line, final newline included.
#ifndef RESTITUTION_LEDGER_CHECKPOINT_H_
#define RESTITUTION_LEDGER_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/merkle.h"

namespace restitution::ledger {

// A tree head. Extension lines a body may carry are not kept: nothing in this ledger writes
// them, and C2SP recommends against them because monitors cannot audit them.
struct Checkpoint {
  std::string origin;  // identifies the log; should equal the signing key's name
  uint64_t size = 0;   // number of leaves
  Hash root;           // MTH of those leaves, 32 bytes
};

// "<origin>\n<size in decimal>\n<base64 (standard, padded) of root>\n". Does not validate;
// ParseCheckpointBody accepts the result when origin is non-empty, has no control characters
// and is valid UTF-8, and root is 32 bytes.
std::string CheckpointBody(const Checkpoint& c);

// Strict parse of a checkpoint body: valid UTF-8 without control characters other than
// newline, ending in a newline; a non-empty origin line; the size in decimal without leading
// zeros ("0" alone for the empty tree) and within 64 bits; the root as exactly the canonical
// base64 of 32 bytes. Lines after the root are extension lines: accepted when non-empty,
// and dropped. InvalidArgument otherwise.
StatusOr<Checkpoint> ParseCheckpointBody(std::string_view body);

// A signed-note key name: non-empty valid UTF-8 with no Unicode space, no '+' (the verifier
// key's separator) and no control character.
bool IsValidKeyName(std::string_view key_name);

// The signed-note key id of an Ed25519 key: the first 4 bytes, big-endian, of
// SHA-256(key_name || 0x0A || 0x01 || public_key32).
uint32_t KeyId(std::string_view key_name, std::string_view public_key32);

// The verifier key that clients configure to trust the ledger:
// "<name>+<8 lowercase hex digits of the key id>+<base64(0x01 || public_key32)>".
std::string VerifierKey(std::string_view key_name, std::string_view public_key32);

// Signs notes with one named Ed25519 key.
class NoteSigner {
 public:
  // key_name must satisfy IsValidKeyName (check configuration with it first): a signer that
  // could only produce unverifiable notes is a bug, so an invalid name aborts the process.
  NoteSigner(std::string key_name, crypto::Ed25519PrivateKey key);

  // The signed note: body, a blank line, and "— <name> <base64(key id || signature)>\n" with
  // the Ed25519 signature over body. body must be non-empty, end with "\n", and be valid
  // UTF-8 without control characters other than newline, as a note requires (CheckpointBody
  // of a valid checkpoint always is); anything else aborts the process, like an invalid name.
  std::string Sign(std::string_view body) const;

  std::string verifier_key() const;
  uint32_t key_id() const { return key_id_; }
  const std::string& key_name() const { return key_name_; }

 private:
  std::string key_name_;
  crypto::Ed25519PrivateKey key_;
  std::string public_key_;
  uint32_t key_id_;
};

// A trusted key, as read from a verifier key string.
struct NoteVerifier {
  std::string key_name;
  uint32_t key_id;
  std::string public_key;  // 32 bytes
};

// Parses "<name>+<keyid hex>+<base64(0x01 || pubkey)>". InvalidArgument for a malformed
// string, an invalid name, a key id that is not 8 lowercase hex digits, an algorithm byte
// other than 0x01 (Ed25519), a key that is not 32 bytes, or a key id that does not match
// KeyId(name, key).
StatusOr<NoteVerifier> ParseVerifierKey(std::string_view vkey);

// Opens a signed note: checks it is well formed (valid UTF-8, no control characters but
// newline, a blank line before one to 100 signature lines, each "— <valid name> <base64 of
// at least 5 bytes>"), then verifies every signature line whose name AND key id both match
// the verifier. Lines of other signers are ignored (they may be witnesses or a rotated key).
// InvalidArgument when the note is malformed, when no line matches, or when a matching
// signature does not verify (C2SP: a bad signature from a known key rejects the note).
// Returns the verified body, final newline included.
StatusOr<std::string> VerifyNote(std::string_view note, const NoteVerifier& verifier);

// VerifyNote, then ParseCheckpointBody of the verified body. The caller still has to check
// that the origin is the log it expects.
StatusOr<Checkpoint> VerifyCheckpoint(std::string_view note, const NoteVerifier& verifier);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_CHECKPOINT_H_
