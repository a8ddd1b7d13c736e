#include "ledger/checkpoint.h"

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "crypto/encoding.h"
#include "crypto/sha256.h"
#include "ledger/utf8.h"

namespace restitution::ledger {

namespace {

constexpr char kEmDashSpace[] = "\xE2\x80\x94 ";  // U+2014 then a space
constexpr size_t kEmDashSpaceSize = sizeof(kEmDashSpace) - 1;
constexpr char kEd25519Type = '\x01';
constexpr size_t kKeyIdSize = 4;
// Go's note package refuses more; C2SP asks verifiers to accept at least 16.
constexpr size_t kMaxSignatures = 100;

// Text a note may carry: valid UTF-8 with no ASCII control character except newline.
bool IsNoteText(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') return false;
  }
  return IsValidUtf8(text);
}

// The code points Go's unicode.IsSpace reports, which is what the reference signed-note
// implementation forbids in key names.
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

std::string BigEndian32(uint32_t v) {
  std::string out(kKeyIdSize, '\0');
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    out[i] = static_cast<char>((v >> (8 * (kKeyIdSize - 1 - i))) & 0xff);
  }
  return out;
}

uint32_t ReadBigEndian32(std::string_view bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < kKeyIdSize; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

std::string KeyIdHex(uint32_t id) {
  char hex[9];
  std::snprintf(hex, sizeof(hex), "%08x", id);
  return std::string(hex, 8);
}

[[noreturn]] void Fatal(const char* message) {
  std::fprintf(stderr, "fatal: %s\n", message);
  std::abort();
}

Status Malformed(std::string message) {
  return Status::InvalidArgument("note", "malformed signed note: " + std::move(message));
}

struct SignatureLine {
  std::string_view key_name;
  uint32_t key_id;
  std::string signature;  // the bytes after the key id
};

// "— <name> <base64(key id || signature)>", without the newline.
StatusOr<SignatureLine> ParseSignatureLine(std::string_view line) {
  if (line.substr(0, kEmDashSpaceSize) != std::string_view(kEmDashSpace, kEmDashSpaceSize)) {
    return Malformed("signature line does not start with an em dash and a space");
  }
  line.remove_prefix(kEmDashSpaceSize);
  const size_t space = line.find(' ');
  if (space == std::string_view::npos) return Malformed("signature line has no signature");
  SignatureLine parsed;
  parsed.key_name = line.substr(0, space);
  if (!IsValidKeyName(parsed.key_name)) return Malformed("invalid key name in signature line");
  StatusOr<std::string> blob = crypto::Base64Decode(line.substr(space + 1));
  if (!blob.ok() || blob->size() <= kKeyIdSize) return Malformed("invalid signature encoding");
  parsed.key_id = ReadBigEndian32(*blob);
  parsed.signature = blob->substr(kKeyIdSize);
  return parsed;
}

// Splits a decimal tree size: digits only, no leading zero except "0", at most 2^64 - 1.
bool ParseTreeSize(std::string_view text, uint64_t* size) {
  if (text.empty() || (text.size() > 1 && text[0] == '0')) return false;
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return false;
    value = value * 10 + digit;
  }
  *size = value;
  return true;
}

}  // namespace

std::string CheckpointBody(const Checkpoint& c) {
  return c.origin + "\n" + std::to_string(c.size) + "\n" + crypto::Base64Encode(c.root) + "\n";
}

StatusOr<Checkpoint> ParseCheckpointBody(std::string_view body) {
  auto invalid = [](std::string message) {
    return Status::InvalidArgument("checkpoint", "malformed checkpoint: " + std::move(message));
  };
  if (!IsNoteText(body)) {
    return invalid("not UTF-8 text without control characters");
  }
  if (body.empty() || body.back() != '\n') return invalid("does not end with a newline");
  std::vector<std::string_view> lines;
  for (size_t start = 0; start < body.size();) {
    const size_t newline = body.find('\n', start);
    lines.push_back(body.substr(start, newline - start));
    start = newline + 1;
  }
  if (lines.size() < 3) return invalid("needs origin, size and root hash lines");
  for (std::string_view line : lines) {
    if (line.empty()) return invalid("has an empty line");
  }
  Checkpoint checkpoint;
  checkpoint.origin = std::string(lines[0]);
  if (!ParseTreeSize(lines[1], &checkpoint.size)) {
    return invalid("tree size is not a decimal number without leading zeros");
  }
  StatusOr<std::string> root = crypto::Base64Decode(lines[2]);
  if (!root.ok() || root->size() != kHashSize) {
    return invalid("root hash is not the base64 of 32 bytes");
  }
  checkpoint.root = std::move(root).value();
  return checkpoint;
}

bool IsValidKeyName(std::string_view key_name) {
  if (key_name.empty() || !IsValidUtf8(key_name)) return false;
  for (size_t i = 0; i < key_name.size();) {
    const unsigned char lead = static_cast<unsigned char>(key_name[i]);
    size_t length = 1;
    uint32_t cp = lead;
    if (lead >= 0xF0) {
      length = 4;
      cp = lead & 0x07u;
    } else if (lead >= 0xE0) {
      length = 3;
      cp = lead & 0x0Fu;
    } else if (lead >= 0xC0) {
      length = 2;
      cp = lead & 0x1Fu;
    }
    for (size_t j = 1; j < length; ++j) {
      cp = (cp << 6) | (static_cast<unsigned char>(key_name[i + j]) & 0x3Fu);
    }
    if (cp == '+' || cp < 0x20 || cp == 0x7F || IsUnicodeSpace(cp)) return false;
    i += length;
  }
  return true;
}

uint32_t KeyId(std::string_view key_name, std::string_view public_key32) {
  std::string input(key_name);
  input.push_back('\n');
  input.push_back(kEd25519Type);
  input.append(public_key32);
  return ReadBigEndian32(crypto::Sha256(input));
}

std::string VerifierKey(std::string_view key_name, std::string_view public_key32) {
  std::string typed_key(1, kEd25519Type);
  typed_key.append(public_key32);
  return std::string(key_name) + "+" + KeyIdHex(KeyId(key_name, public_key32)) + "+" +
         crypto::Base64Encode(typed_key);
}

NoteSigner::NoteSigner(std::string key_name, crypto::Ed25519PrivateKey key)
    : key_name_(std::move(key_name)),
      key_(std::move(key)),
      public_key_(key_.PublicKey()),
      key_id_(KeyId(key_name_, public_key_)) {
  if (!IsValidKeyName(key_name_)) Fatal("NoteSigner: invalid signed-note key name");
}

std::string NoteSigner::Sign(std::string_view body) const {
  if (body.empty() || body.back() != '\n' || !IsNoteText(body)) {
    Fatal("NoteSigner::Sign: body is not note text ending in a newline");
  }
  const std::string blob = BigEndian32(key_id_) + key_.Sign(body);
  std::string note(body);
  note.append("\n");
  note.append(kEmDashSpace);
  note.append(key_name_);
  note.append(" ");
  note.append(crypto::Base64Encode(blob));
  note.append("\n");
  return note;
}

std::string NoteSigner::verifier_key() const { return VerifierKey(key_name_, public_key_); }

StatusOr<NoteVerifier> ParseVerifierKey(std::string_view vkey) {
  auto invalid = [](std::string message) {
    return Status::InvalidArgument("verifier_key", "invalid verifier key: " + std::move(message));
  };
  // The name cannot contain '+', so the first two '+' are the separators; the base64 key
  // after them may contain more.
  const size_t first_plus = vkey.find('+');
  if (first_plus == std::string_view::npos) return invalid("expected name+id+key");
  const size_t second_plus = vkey.find('+', first_plus + 1);
  if (second_plus == std::string_view::npos) return invalid("expected name+id+key");
  const std::string_view name = vkey.substr(0, first_plus);
  const std::string_view id_hex = vkey.substr(first_plus + 1, second_plus - first_plus - 1);
  const std::string_view key_base64 = vkey.substr(second_plus + 1);

  if (!IsValidKeyName(name)) return invalid("invalid key name");
  if (id_hex.size() != 2 * kKeyIdSize) return invalid("key id is not 8 hex digits");
  uint32_t id = 0;
  for (char c : id_hex) {
    uint32_t digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<uint32_t>(c - 'a' + 10);
    } else {
      return invalid("key id is not 8 lowercase hex digits");
    }
    id = (id << 4) | digit;
  }
  StatusOr<std::string> typed_key = crypto::Base64Decode(key_base64);
  if (!typed_key.ok() || typed_key->empty()) return invalid("key is not base64");
  if ((*typed_key)[0] != kEd25519Type) return invalid("algorithm is not Ed25519 (0x01)");
  if (typed_key->size() != 1 + crypto::kEd25519PublicKeySize) {
    return invalid("Ed25519 key is not 32 bytes");
  }
  NoteVerifier verifier;
  verifier.key_name = std::string(name);
  verifier.public_key = typed_key->substr(1);
  verifier.key_id = id;
  if (KeyId(verifier.key_name, verifier.public_key) != id) {
    return invalid("key id does not match the key");
  }
  return verifier;
}

StatusOr<std::string> VerifyNote(std::string_view note, const NoteVerifier& verifier) {
  if (!IsNoteText(note)) return Malformed("not UTF-8 text without control characters");
  if (note.empty() || note.back() != '\n') return Malformed("does not end with a newline");
  // The text may itself contain blank lines; the last one separates it from the signatures.
  const size_t blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) return Malformed("no blank line before the signatures");
  const std::string_view body = note.substr(0, blank + 1);
  std::string_view signatures = note.substr(blank + 2);
  if (signatures.empty()) return Malformed("no signature lines");

  // Parse every line before verifying any, so a note is judged well formed or not
  // independently of which verifier opens it.
  std::vector<SignatureLine> lines;
  while (!signatures.empty()) {
    if (lines.size() == kMaxSignatures) return Malformed("too many signatures");
    const size_t newline = signatures.find('\n');  // present: the note ends with one
    ASSIGN_OR_RETURN(SignatureLine line, ParseSignatureLine(signatures.substr(0, newline)));
    lines.push_back(std::move(line));
    signatures.remove_prefix(newline + 1);
  }

  bool verified = false;
  for (const SignatureLine& line : lines) {
    if (line.key_name != verifier.key_name || line.key_id != verifier.key_id) continue;
    if (!crypto::Ed25519Verify(verifier.public_key, body, line.signature)) {
      return Status::InvalidArgument("note", "signature by " + verifier.key_name + "+" +
                                                 KeyIdHex(verifier.key_id) + " does not verify");
    }
    verified = true;
  }
  if (!verified) {
    return Status::InvalidArgument(
        "note", "note is not signed by " + verifier.key_name + "+" + KeyIdHex(verifier.key_id));
  }
  return std::string(body);
}

StatusOr<Checkpoint> VerifyCheckpoint(std::string_view note, const NoteVerifier& verifier) {
  ASSIGN_OR_RETURN(std::string body, VerifyNote(note, verifier));
  return ParseCheckpointBody(body);
}

}  // namespace restitution::ledger
