// Crash safety of the ledger against a real MariaDB: a process that appends entries and runs
// the sequencer is SIGKILLed at random points, again and again, each time "restarted" as a
// new process on the same database. Whatever was acknowledged (its business transaction
// committed, so a client was told) must be in the log exactly once, the log must stay gapless
// and verifiable, and nothing that was not committed may appear.
//
// The delays are drawn from a seed printed on every run; RESTITUTION_LEDGER_CRASH_SEED=<seed>
// replays a run.
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "service/clock.h"
#include "service/connection_pool.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "tests/service/ledger_test_util.h"
#include "tests/support/test_database.h"

namespace restitution {
namespace {

using testing::AppendInTransaction;
using testing::ChildProcess;
using testing::CountRows;
using testing::DieWithParent;
using testing::ExpectLedgerIsConsistent;
using testing::kLedgerTestOrigin;
using testing::LedgerContents;
using testing::LedgerTestDraft;
using testing::LedgerTestKey;
using testing::MustValue;
using testing::ReadWholeLedger;
using testing::SequenceAll;
using testing::TestDatabase;
using testing::WriteAll;

constexpr int kRounds = 12;
constexpr int kThreadsPerProcess = 4;
constexpr int kMinLifeMs = 50;
constexpr int kMaxLifeMs = 400;

// One line per event, each written with a single write(2) of less than PIPE_BUF bytes, so
// lines from several threads never interleave and a kill never leaves half a line:
//   A <round> <thread> <n> <queue id>   the append committed (the client's acknowledgement)
//   R <queue id> <index>                its receipt
//   E <message>                         something failed that should not have
void Report(int fd, const std::string& line) { WriteAll(fd, line + "\n"); }

// The appending process. Never returns: it runs until the test kills it.
[[noreturn]] void RunAppender(DbConfig config, int round, int fd) {
  try {
    config.pool_size = kThreadsPerProcess + 4;
    ConnectionPool pool(config);
    const ledger::NoteSigner signer(kLedgerTestOrigin, LedgerTestKey('c'));
    // Small batches and a short checkpoint interval, so kills also land between unsigned
    // batches, mid-batch and mid-signature.
    SequencerOptions options;
    options.max_batch = 16;
    options.checkpoint_interval_ms = 50;
    options.poll_interval_ms = 20;
    LedgerSequencer sequencer(pool, signer, SystemNowMs, options);
    sequencer.Start();
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreadsPerProcess; ++t) {
      threads.emplace_back([&, t] {
        for (int64_t n = 0;; ++n) {
          StatusOr<QueuedEntry> queued = AppendInTransaction(
              pool, LedgerTestDraft({{"round", round}, {"t", t}, {"n", n}}, SystemNowMs()));
          if (!queued.ok()) {
            Report(fd, "E append: " + queued.status().ToString());
            continue;
          }
          std::ostringstream ack;
          ack << "A " << round << ' ' << t << ' ' << n << ' ' << queued->queue_id;
          Report(fd, ack.str());
          sequencer.Nudge();
          if (n % 3 != 2) continue;
          StatusOr<std::optional<LedgerReceipt>> receipt =
              sequencer.AwaitReceipt(queued->queue_id, std::chrono::seconds(5));
          if (!receipt.ok()) {
            Report(fd, "E receipt: " + receipt.status().ToString());
          } else if (receipt->has_value()) {
            std::ostringstream line;
            line << "R " << queued->queue_id << ' ' << (*receipt)->index;
            Report(fd, line.str());
          }
        }
      });
    }
    for (std::thread& thread : threads) thread.join();
  } catch (const std::exception& e) {
    Report(fd, std::string("E ") + e.what());
  }
  _exit(1);
}

struct Ack {
  int round = 0;
  int thread = 0;
  int64_t n = 0;
  int64_t queue_id = 0;
};

struct RoundOutput {
  std::vector<Ack> acks;
  std::map<int64_t, uint64_t> receipts;  // queue id -> index
  std::vector<std::string> errors;
  int wait_status = 0;
};

void ParseLine(const std::string& line, RoundOutput* out) {
  std::istringstream in(line);
  char kind = 0;
  in >> kind;
  if (kind == 'A') {
    Ack ack;
    if (in >> ack.round >> ack.thread >> ack.n >> ack.queue_id) {
      out->acks.push_back(ack);
      return;
    }
  } else if (kind == 'R') {
    int64_t queue_id = 0;
    uint64_t index = 0;
    if (in >> queue_id >> index) {
      out->receipts[queue_id] = index;
      return;
    }
  }
  out->errors.push_back(line);
}

// Starts an appender, reads its reports for life_ms, SIGKILLs it, reads what was already in
// the pipe, reaps it.
RoundOutput RunAndKill(const DbConfig& config, int round, int life_ms) {
  RoundOutput out;
  int reports[2];
  if (pipe(reports) != 0) {
    out.errors.push_back("pipe failed");
    return out;
  }
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    out.errors.push_back("fork failed");
    return out;
  }
  if (pid == 0) {
    close(reports[0]);
    if (!DieWithParent(parent)) _exit(3);
    RunAppender(config, round, reports[1]);
  }
  close(reports[1]);
  ChildProcess child(pid);

  std::string pending;
  const auto drain_into = [&](bool block_until_eof, std::chrono::steady_clock::time_point until) {
    char buffer[8192];
    for (;;) {
      int timeout_ms = -1;
      if (!block_until_eof) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            until - std::chrono::steady_clock::now());
        if (left.count() <= 0) return;
        timeout_ms = static_cast<int>(left.count());
      }
      pollfd p{reports[0], POLLIN, 0};
      const int ready = poll(&p, 1, timeout_ms);
      if (ready == 0) return;
      if (ready < 0) continue;  // EINTR
      const ssize_t n = read(reports[0], buffer, sizeof(buffer));
      if (n == 0) return;  // every writer is gone
      if (n < 0) continue;
      pending.append(buffer, static_cast<size_t>(n));
      size_t newline;
      while ((newline = pending.find('\n')) != std::string::npos) {
        ParseLine(pending.substr(0, newline), &out);
        pending.erase(0, newline + 1);
      }
    }
  };
  drain_into(false, std::chrono::steady_clock::now() + std::chrono::milliseconds(life_ms));
  out.wait_status = child.Kill();
  drain_into(true, {});
  close(reports[0]);
  if (!pending.empty()) out.errors.push_back("half a line: " + pending);
  if (!WIFSIGNALED(out.wait_status) || WTERMSIG(out.wait_status) != SIGKILL) {
    out.errors.push_back("the appender ended by itself, wait status " +
                         std::to_string(out.wait_status));
  }
  return out;
}

unsigned CrashSeed() {
  if (const char* text = std::getenv("RESTITUTION_LEDGER_CRASH_SEED")) {
    return static_cast<unsigned>(std::strtoul(text, nullptr, 10));
  }
  return std::random_device()();
}

TEST(LedgerCrashTest, KilledAppendersLoseNoAcknowledgedEntry) {
  const unsigned seed = CrashSeed();
  std::printf("ledger crash test: RESTITUTION_LEDGER_CRASH_SEED=%u\n", seed);
  ::testing::Test::RecordProperty("seed", std::to_string(seed));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> life(kMinLifeMs, kMaxLifeMs);

  // The parent only forks, reads pipes and waits while appenders live: no thread, and no
  // connection open across a fork (the pool is lazy; checks use short-lived connections).
  TestDatabase tdb;
  const ledger::NoteSigner signer(kLedgerTestOrigin, LedgerTestKey('c'));
  const ledger::NoteVerifier verifier = MustValue(ledger::ParseVerifierKey(signer.verifier_key()));

  std::vector<Ack> acks;
  std::map<int64_t, uint64_t> receipts;
  for (int round = 0; round < kRounds; ++round) {
    const int life_ms = life(random);
    RoundOutput out = RunAndKill(tdb.config(), round, life_ms);
    std::printf("round %d: killed after %d ms, %zu acknowledged, %zu receipts\n", round, life_ms,
                out.acks.size(), out.receipts.size());
    for (const std::string& error : out.errors) ADD_FAILURE() << "round " << round << ": " << error;
    acks.insert(acks.end(), out.acks.begin(), out.acks.end());
    receipts.insert(out.receipts.begin(), out.receipts.end());

    // After each crash the log verifies as it stands (its last checkpoint may lag behind the
    // head: the killed sequencer may not have signed its last batches yet).
    std::unique_ptr<DbConnection> db = tdb.Connect();
    const LedgerContents contents = ReadWholeLedger(*db);
    ExpectLedgerIsConsistent(*db, contents, verifier, /*require_signed_head=*/false);
    if (::testing::Test::HasFailure()) return;
  }
  ASSERT_GT(acks.size(), 0u) << "no appender lived long enough to append";
  EXPECT_GT(receipts.size(), 0u) << "no appender lived long enough to get a receipt";

  // The last restart's catch-up, done here: drain the queue and sign.
  MustValue(SequenceAll(tdb.pool(), signer, SystemNowMs(), SequencerOptions{}));
  std::unique_ptr<DbConnection> db = tdb.Connect();
  EXPECT_EQ(CountRows(*db, "ledger_queue"), 0);
  const LedgerContents contents = ReadWholeLedger(*db);
  ExpectLedgerIsConsistent(*db, contents, verifier);

  // What each index holds: its queue id and its payload's (round, thread, n).
  using Key = std::tuple<int, int, int64_t>;
  std::map<int64_t, uint64_t> index_of_queue_id;
  std::map<Key, uint64_t> index_of_key;
  const SqlRows rows =
      MustValue(db->Query("SELECT idx, queue_id FROM ledger_entries ORDER BY idx"));
  ASSERT_EQ(rows.size(), contents.entries.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].Int(0), static_cast<int64_t>(i));
    ASSERT_TRUE(index_of_queue_id.emplace(rows[i].Int(1), i).second)
        << "queue id " << rows[i].Int(1) << " appears twice";
    const ledger::EntryDraft draft = MustValue(ledger::DecodeEntry(contents.entries[i].bytes));
    const Key key{draft.payload.at("round").get<int>(), draft.payload.at("t").get<int>(),
                  draft.payload.at("n").get<int64_t>()};
    ASSERT_TRUE(index_of_key.emplace(key, i).second)
        << "entry appended twice: " << contents.entries[i].bytes;
  }

  // Every acknowledged entry is there, once, under its queue id, with its payload, and at the
  // index its receipt named.
  std::map<std::pair<int, int>, int64_t> last_acked;  // (round, thread) -> highest n
  for (const Ack& ack : acks) {
    const auto found = index_of_queue_id.find(ack.queue_id);
    ASSERT_NE(found, index_of_queue_id.end())
        << "acknowledged queue id " << ack.queue_id << " (round " << ack.round << ", thread "
        << ack.thread << ", n " << ack.n << ") is not in the log";
    const auto by_key = index_of_key.find(Key{ack.round, ack.thread, ack.n});
    ASSERT_NE(by_key, index_of_key.end());
    EXPECT_EQ(by_key->second, found->second) << "queue id " << ack.queue_id;
    int64_t& last = last_acked.try_emplace({ack.round, ack.thread}, -1).first->second;
    last = std::max(last, ack.n);
  }
  for (const auto& [queue_id, index] : receipts) {
    const auto found = index_of_queue_id.find(queue_id);
    ASSERT_NE(found, index_of_queue_id.end()) << "queue id " << queue_id;
    EXPECT_EQ(found->second, index) << "receipt of queue id " << queue_id;
  }

  // Nothing else is there but commits: a thread appends one entry at a time, so its entries
  // are n = 0..m without a hole, where m is its last acknowledged n, or one more (committed,
  // then killed before the acknowledgement went out).
  std::map<std::pair<int, int>, std::vector<int64_t>> ns;
  for (const auto& [key, index] : index_of_key) {
    const auto& [round, thread, n] = key;
    ASSERT_TRUE(round >= 0 && round < kRounds && thread >= 0 && thread < kThreadsPerProcess)
        << "index " << index;
    ns[{round, thread}].push_back(n);  // the map's order: n ascending
  }
  size_t unacknowledged = 0;
  for (const auto& [who, numbers] : ns) {
    for (size_t i = 0; i < numbers.size(); ++i) {
      ASSERT_EQ(numbers[i], static_cast<int64_t>(i))
          << "round " << who.first << " thread " << who.second << ": a hole";
    }
    const auto acked = last_acked.find(who);
    const int64_t last = acked == last_acked.end() ? -1 : acked->second;
    const int64_t m = static_cast<int64_t>(numbers.size()) - 1;
    EXPECT_TRUE(m == last || m == last + 1)
        << "round " << who.first << " thread " << who.second << ": entries up to " << m
        << ", acknowledged up to " << last;
    unacknowledged += static_cast<size_t>(m - last);
  }
  EXPECT_EQ(contents.entries.size(), acks.size() + unacknowledged);
  EXPECT_LE(unacknowledged, static_cast<size_t>(kRounds * kThreadsPerProcess));
  std::printf(
      "%zu entries: %zu acknowledged (%zu with a receipt), %zu committed unacknowledged, "
      "%zu checkpoints\n",
      contents.entries.size(), acks.size(), receipts.size(), unacknowledged,
      contents.checkpoints.size());
}

}  // namespace
}  // namespace restitution
