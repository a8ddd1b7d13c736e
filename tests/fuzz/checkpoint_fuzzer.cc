// Checkpoints and signed notes (ledger/checkpoint.h). The first input byte picks the parser:
// checkpoint bodies (must re-serialise to a prefix of the input, and a signed one must
// verify while an altered one must not), verifier keys (round-trip, and only our own key
// opens our note), and whole notes (never a forgery: whatever verifies carries exactly the
// signature our deterministic signer makes).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution::ledger {
namespace {

constexpr char kOrigin[] = "restitution.example/ledger";

const NoteSigner& Signer() {
  static const NoteSigner* signer = [] {
    std::string seed;
    for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(i));
    StatusOr<crypto::Ed25519PrivateKey> key = crypto::Ed25519PrivateKey::FromSeed(seed);
    FUZZ_CHECK(key.ok(), "test key");
    return new NoteSigner(kOrigin, std::move(key).value());
  }();
  return *signer;
}

const NoteVerifier& Verifier() {
  static const NoteVerifier verifier = [] {
    StatusOr<NoteVerifier> parsed = ParseVerifierKey(Signer().verifier_key());
    FUZZ_CHECK(parsed.ok(), "our own verifier key parses");
    return *parsed;
  }();
  return verifier;
}

bool SameCheckpoint(const Checkpoint& a, const Checkpoint& b) {
  return a.origin == b.origin && a.size == b.size && a.root == b.root;
}

void CheckBody(std::string_view body) {
  const StatusOr<Checkpoint> parsed = ParseCheckpointBody(body);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
    return;
  }
  const Checkpoint& c = *parsed;
  FUZZ_CHECK(!c.origin.empty() && c.root.size() == kHashSize, "origin and 32-byte root");
  const std::string canonical = CheckpointBody(c);
  // Strict parsing: the three lines are read back byte for byte; only extension lines go.
  FUZZ_CHECK(body.substr(0, canonical.size()) == canonical, "the body starts canonical");
  const StatusOr<Checkpoint> again = ParseCheckpointBody(canonical);
  FUZZ_CHECK(again.ok() && SameCheckpoint(*again, c), "CheckpointBody round-trips");

  // Sign what was parsed; it must verify as the same checkpoint, and stop verifying when
  // the signed text changes.
  const std::string note = Signer().Sign(body);
  const StatusOr<Checkpoint> verified = VerifyCheckpoint(note, Verifier());
  FUZZ_CHECK(verified.ok() && SameCheckpoint(*verified, c), "a signed checkpoint verifies");
  const std::string extended = std::string(body) + "x\n" + note.substr(body.size());
  FUZZ_CHECK(!VerifyNote(extended, Verifier()).ok(), "an added line breaks the signature");
  const std::string resized = std::string(kOrigin) + "\n" + std::to_string(c.size + 1) +
                              note.substr(note.find('\n', sizeof(kOrigin)));
  FUZZ_CHECK(c.origin != kOrigin || !VerifyNote(resized, Verifier()).ok(),
             "a changed size breaks the signature");
}

void CheckVerifierKey(std::string_view text) {
  const StatusOr<NoteVerifier> parsed = ParseVerifierKey(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
    return;
  }
  const NoteVerifier& v = *parsed;
  FUZZ_CHECK(IsValidKeyName(v.key_name) && v.public_key.size() == 32, "name and key");
  FUZZ_CHECK(KeyId(v.key_name, v.public_key) == v.key_id, "key id matches");
  const StatusOr<NoteVerifier> again = ParseVerifierKey(VerifierKey(v.key_name, v.public_key));
  FUZZ_CHECK(again.ok() && again->key_name == v.key_name && again->key_id == v.key_id &&
                 again->public_key == v.public_key,
             "VerifierKey round-trips");
  // Only our own key opens a note we signed.
  static const std::string note = Signer().Sign(CheckpointBody({kOrigin, 7, std::string(32, 'r')}));
  const bool ours = v.key_name == Verifier().key_name && v.key_id == Verifier().key_id &&
                    v.public_key == Verifier().public_key;
  FUZZ_CHECK(VerifyNote(note, v).ok() == ours, "only the signer's key verifies its note");
}

void CheckNote(std::string_view note) {
  const StatusOr<std::string> body = VerifyNote(note, Verifier());
  if (!body.ok()) {
    FUZZ_CHECK(body.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
    return;
  }
  FUZZ_CHECK(!body->empty() && body->back() == '\n', "body ends with a newline");
  FUZZ_CHECK(note.substr(0, body->size()) == *body && note[body->size()] == '\n',
             "the body is the note up to the blank line");
  // No forgery: Ed25519 signing is deterministic, so the note must carry our exact line.
  const std::string ours = Signer().Sign(*body).substr(body->size() + 1);
  FUZZ_CHECK(note.substr(body->size() + 1).find(ours) != std::string_view::npos,
             "a verified note carries the signer's own signature line");
  (void)VerifyCheckpoint(note, Verifier());
}

}  // namespace
}  // namespace restitution::ledger

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view text = restitution::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      restitution::ledger::CheckBody(text);
      break;
    case 1:
      restitution::ledger::CheckVerifierKey(text);
      break;
    default:
      restitution::ledger::CheckNote(text);
      break;
  }
  return 0;
}
