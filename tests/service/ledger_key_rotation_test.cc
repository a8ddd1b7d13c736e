// Rotating the checkpoint signing key: the old key file is kept, the new key signs from the
// next batch on, and both verifier keys stay published so every old checkpoint still checks.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "ledger/checkpoint.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/service_keys.h"
#include "service/transaction.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::TempDir;
using testing::TestDatabase;

template <typename T>
T Must(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

ledger::NoteSigner SignerFrom(const std::string& keys_dir) {
  ServiceKeys keys = Must(ServiceKeys::Load(keys_dir));
  return ledger::NoteSigner("restitution.test/ledger", Must(keys.LedgerSigningKey()));
}

void AppendAndSequence(TestDatabase& tdb, const ledger::NoteSigner& signer, int64_t at_ms) {
  ASSERT_TRUE(RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
                ledger::EntryDraft draft;
                draft.type = "test_entry";
                draft.at_ms = at_ms;
                return AppendLedgerEntry(db, draft).status();
              }).ok());
  ASSERT_TRUE(RunInTransaction(tdb.pool(), [&](DbConnection& db) -> Status {
                return SequenceBatch(db, signer, at_ms, SequencerOptions{}).status();
              }).ok());
}

TEST(LedgerKeyRotationTest, OldCheckpointsStayVerifiableWithThePublishedOldKey) {
  TempDir dir;
  const std::string keys_dir = dir.path() + "/keys";
  ASSERT_TRUE(ServiceKeys::InitMissing(keys_dir, nullptr).ok());
  TestDatabase tdb;
  const ledger::NoteSigner old_signer = SignerFrom(keys_dir);
  AppendAndSequence(tdb, old_signer, 1000);

  std::string retired;
  ASSERT_TRUE(ServiceKeys::RotateLedgerSigningKey(keys_dir, 5000, &retired).ok());
  EXPECT_EQ(retired, keys_dir + "/ledger-signing.key.retired-5000");
  const ledger::NoteSigner new_signer = SignerFrom(keys_dir);
  ASSERT_NE(new_signer.verifier_key(), old_signer.verifier_key());
  // The retired file still holds the old key.
  {
    TempDir copy;
    ASSERT_TRUE(ServiceKeys::InitMissing(copy.path(), nullptr).ok());
    ASSERT_EQ(std::rename(retired.c_str(), (copy.path() + "/ledger-signing.key").c_str()), 0);
    EXPECT_EQ(SignerFrom(copy.path()).verifier_key(), old_signer.verifier_key());
  }
  AppendAndSequence(tdb, new_signer, 6000);

  auto db = tdb.Connect();
  const std::vector<StoredVerifierKey> keys = Must(ReadVerifierKeys(*db));
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0].verifier_key, new_signer.verifier_key());
  EXPECT_FALSE(keys[0].retired_at_ms.has_value());
  EXPECT_EQ(keys[1].verifier_key, old_signer.verifier_key());
  EXPECT_EQ(keys[1].retired_at_ms, std::optional<int64_t>(6000));

  const ledger::NoteVerifier old_verifier =
      Must(ledger::ParseVerifierKey(old_signer.verifier_key()));
  const ledger::NoteVerifier new_verifier =
      Must(ledger::ParseVerifierKey(new_signer.verifier_key()));
  const std::vector<StoredCheckpoint> checkpoints = Must(ReadCheckpoints(*db, 0, 100));
  ASSERT_EQ(checkpoints.size(), 2u);  // size 1 by the old key, size 2 by the new
  for (const StoredCheckpoint& c : checkpoints) {
    const bool by_new = c.size == 2;
    EXPECT_TRUE(ledger::VerifyCheckpoint(c.note, by_new ? new_verifier : old_verifier).ok())
        << c.size;
    EXPECT_FALSE(ledger::VerifyCheckpoint(c.note, by_new ? old_verifier : new_verifier).ok())
        << c.size;
  }
}

TEST(LedgerKeyRotationTest, RotatingWithoutAKeyFailsAndCreatesNothing) {
  TempDir dir;
  std::string retired;
  EXPECT_FALSE(ServiceKeys::RotateLedgerSigningKey(dir.path(), 1, &retired).ok());
}

}  // namespace
}  // namespace restitution
