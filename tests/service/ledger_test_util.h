// Shared by the ledger's database tests (ledger_sequencer_test.cc, ledger_crash_test.cc):
// queueing entries the way business transactions do, draining the queue, reading the whole
// log back, and checking it against an independent recomputation (ledger::MemoryTree) and
// the signer's public key only; and the plumbing of the tests that fork a second process.
#ifndef RESTITUTION_TESTS_SERVICE_LEDGER_TEST_UTIL_H_
#define RESTITUTION_TESTS_SERVICE_LEDGER_TEST_UTIL_H_

#include <signal.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/ed25519.h"
#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/memory_tree.h"
#include "ledger/merkle.h"
#include "service/connection_pool.h"
#include "service/db_connection.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/transaction.h"

namespace restitution::testing {

inline constexpr char kLedgerTestOrigin[] = "restitution.test/ledger";

// The value, or an exception naming the status (gtest reports it as the test's failure).
template <typename T>
T MustValue(StatusOr<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().ToString());
  return std::move(result).value();
}

inline void MustSucceed(const Status& status) {
  if (!status.ok()) throw std::runtime_error(status.ToString());
}

// A fixed key, so every process of a test signs with the same one (as every restitutiond of
// a deployment shares ledger-signing.key).
inline crypto::Ed25519PrivateKey LedgerTestKey(char first) {
  std::string seed;
  for (int i = 0; i < 32; ++i) seed.push_back(static_cast<char>(first + i));
  return MustValue(crypto::Ed25519PrivateKey::FromSeed(seed));
}

inline ledger::EntryDraft LedgerTestDraft(nlohmann::json payload, int64_t at_ms) {
  ledger::EntryDraft draft;
  draft.type = "test_entry";
  draft.case_id = 3;
  draft.actor = ledger::Actor{7, "officer"};
  draft.at_ms = at_ms;
  draft.payload = std::move(payload);
  return draft;
}

// One business transaction that only queues the entry.
inline StatusOr<QueuedEntry> AppendInTransaction(ConnectionPool& pool,
                                                 const ledger::EntryDraft& draft) {
  QueuedEntry queued;
  Status status = RunInTransaction(pool, [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(queued, AppendLedgerEntry(db, draft));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return queued;
}

// One SequenceBatch in its own transaction.
inline StatusOr<BatchResult> SequenceOnce(ConnectionPool& pool, const ledger::NoteSigner& signer,
                                          int64_t now_ms, const SequencerOptions& options) {
  BatchResult batch;
  Status status = RunInTransaction(pool, [&](DbConnection& db) -> Status {
    ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer, now_ms, options));
    return Status::Ok();
  });
  if (!status.ok()) return status;
  return batch;
}

// SequenceBatch until a batch reports nothing more waiting; returns every batch.
inline StatusOr<std::vector<BatchResult>> SequenceAll(ConnectionPool& pool,
                                                      const ledger::NoteSigner& signer,
                                                      int64_t now_ms,
                                                      const SequencerOptions& options) {
  std::vector<BatchResult> batches;
  do {
    StatusOr<BatchResult> batch = SequenceOnce(pool, signer, now_ms, options);
    if (!batch.ok()) return batch.status();
    batches.push_back(std::move(batch).value());
  } while (batches.back().more_waiting);
  return batches;
}

// Rows of a ledger table; `table` is a literal of the test, never input.
inline int64_t CountRows(DbConnection& db, const std::string& table) {
  return MustValue(db.Query("SELECT COUNT(*) FROM " + table))[0].Int(0);
}

// Everything the database holds for the log, plus the roots recomputed from the entry bytes.
struct LedgerContents {
  std::vector<StoredEntry> entries;  // in index order, as ReadEntries pages them
  TreeHead head;
  std::vector<StoredCheckpoint> checkpoints;  // smallest first
  // prefix_roots[s]: MTH of the first s entries, recomputed with ledger::MemoryTree from the
  // stored bytes (not from the stored leaf hashes or nodes).
  std::vector<ledger::Hash> prefix_roots;
};

inline LedgerContents ReadWholeLedger(DbConnection& db) {
  LedgerContents contents;
  for (;;) {
    std::vector<StoredEntry> page =
        MustValue(ReadEntries(db, contents.entries.size(), kMaxEntriesPage));
    if (page.empty()) break;
    for (StoredEntry& entry : page) contents.entries.push_back(std::move(entry));
  }
  contents.head = MustValue(ReadTreeHead(db));
  uint64_t next_size = 0;
  for (;;) {
    std::vector<StoredCheckpoint> page = MustValue(ReadCheckpoints(db, next_size, kMaxEntriesPage));
    if (page.empty()) break;
    next_size = page.back().size + 1;
    for (StoredCheckpoint& checkpoint : page) contents.checkpoints.push_back(std::move(checkpoint));
  }
  ledger::MemoryTree tree;
  contents.prefix_roots.reserve(contents.entries.size() + 1);
  contents.prefix_roots.push_back(tree.Root());
  for (const StoredEntry& entry : contents.entries) {
    tree.Append(ledger::LeafHash(entry.bytes));
    contents.prefix_roots.push_back(tree.Root());
  }
  return contents;
}

// The whole-log invariants: indices 0..n-1 without a gap, each stored leaf hash is the hash of
// the stored bytes, the head is (n, MTH of all entries), every checkpoint is signed by
// `verifier`, names kLedgerTestOrigin and commits to the recomputed root of its size, and each
// checkpoint is proven consistent with the previous one by a proof read from the database.
// With require_signed_head, the last checkpoint must also cover the whole log (a sequencer
// that drained the queue signs its last batch); a log seen mid-flight may lag behind it.
// Stops at the first broken invariant (one failure, not thousands).
inline void ExpectLedgerIsConsistent(DbConnection& db, const LedgerContents& contents,
                                     const ledger::NoteVerifier& verifier,
                                     bool require_signed_head = true) {
  const uint64_t n = contents.entries.size();
  for (uint64_t i = 0; i < n; ++i) {
    const StoredEntry& entry = contents.entries[i];
    if (entry.index != i) {
      ADD_FAILURE() << "entry at position " << i << " has index " << entry.index;
      return;
    }
    if (entry.leaf_hash != ledger::LeafHash(entry.bytes)) {
      ADD_FAILURE() << "stored leaf hash of entry " << i << " does not match its bytes";
      return;
    }
  }
  EXPECT_EQ(contents.head.size, n);
  EXPECT_EQ(contents.head.root, contents.prefix_roots.back()) << "head root differs from MTH";
  if (require_signed_head) {
    if (contents.checkpoints.empty()) {
      ADD_FAILURE() << "no checkpoint was signed";
      return;
    }
    EXPECT_EQ(contents.checkpoints.back().size, n) << "the last checkpoint does not cover the log";
  }
  const StoredCheckpoint* previous = nullptr;
  for (const StoredCheckpoint& stored : contents.checkpoints) {
    StatusOr<ledger::Checkpoint> verified = ledger::VerifyCheckpoint(stored.note, verifier);
    if (!verified.ok()) {
      ADD_FAILURE() << "checkpoint " << stored.size << ": " << verified.status().ToString();
      return;
    }
    if (verified->origin != kLedgerTestOrigin || verified->size != stored.size ||
        verified->root != stored.root || stored.key_id != verifier.key_id) {
      ADD_FAILURE() << "checkpoint " << stored.size << ": note and row disagree";
      return;
    }
    if (stored.size > n || stored.root != contents.prefix_roots[stored.size]) {
      ADD_FAILURE() << "checkpoint " << stored.size << " does not commit to the entries";
      return;
    }
    if (previous != nullptr) {
      const std::vector<ledger::Hash> proof =
          MustValue(ReadConsistencyProof(db, previous->size, stored.size));
      if (!ledger::VerifyConsistency(previous->size, stored.size, previous->root, stored.root,
                                     proof)) {
        ADD_FAILURE() << "checkpoints " << previous->size << " and " << stored.size
                      << " are not proven consistent";
        return;
      }
    }
    previous = &stored;
  }
}

// The test database's settings (socket, user, password, name) as text, so a forked process
// can open its own connections to the same database; and back.
inline std::string EncodeDbConfig(const DbConfig& config) {
  nlohmann::json json = {{"socket", config.socket},     {"host", config.host},
                         {"port", config.port},         {"user", config.user},
                         {"password", config.password}, {"database", config.database}};
  return json.dump();
}

inline DbConfig DecodeDbConfig(const std::string& text) {
  const nlohmann::json json = nlohmann::json::parse(text);
  DbConfig config;
  config.socket = json.at("socket").get<std::string>();
  config.host = json.at("host").get<std::string>();
  config.port = json.at("port").get<int>();
  config.user = json.at("user").get<std::string>();
  config.password = json.at("password").get<std::string>();
  config.database = json.at("database").get<std::string>();
  return config;
}

// write(2) until every byte is out; false on error.
inline bool WriteAll(int fd, const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// read(2) until end of file.
inline std::string ReadAll(int fd) {
  std::string bytes;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return bytes;
    bytes.append(buffer, static_cast<size_t>(n));
  }
}

// In a forked child, first thing: die with the test process, so a failed or killed test
// never leaves a writer behind on the server. False when the parent is already gone.
inline bool DieWithParent(pid_t parent) {
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return false;
  return getppid() == parent;
}

// A forked child that is killed and reaped when the test leaves early (a failed ASSERT).
class ChildProcess {
 public:
  explicit ChildProcess(pid_t pid) : pid_(pid) {}
  ~ChildProcess() {
    if (pid_ > 0) Kill();
  }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits for the child to end by itself, killing it after `timeout`. The wait status.
  int Wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        return status;
      }
      if (done < 0 && errno != EINTR) {
        pid_ = -1;
        return -1;
      }
      usleep(10 * 1000);
    }
    return Kill();
  }

  // SIGKILL, then reap. The wait status.
  int Kill() {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
      if (errno != EINTR) {
        status = -1;
        break;
      }
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SERVICE_LEDGER_TEST_UTIL_H_
