// ledger_bench: how fast the ledger is on this machine, each figure next to what the machine
// itself can do, measured by the same process in the same run:
//
//   reference A: single-row durable commits per second of the same MariaDB, from one client
//                (and A×K: from K clients at once, which lets the server group the commits);
//   reference B: SHA-256 node hashes (65 bytes, 0x01 || left || right) per second from OpenSSL
//                (fetched digest, reused context: the fastest way OpenSSL offers, one core).
//
// The figure to quote is the ratio: it moves far less than the raw numbers when the machine is
// shared, slower or faster. bench/run.sh builds this in Release, boots a throwaway MariaDB with
// durable settings and runs it; the report (Markdown) goes to stdout, progress to stderr.
//
// The database named by --database (default restitution_bench) is dropped and created afresh;
// an existing database that this program did not create is never dropped. A benchmark, not a
// test: nothing here is part of ctest.
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench/bench_support.h"
#include "crypto/ed25519.h"
#include "crypto/sha256.h"
#include "crypto/status.h"
#include "ledger/checkpoint.h"
#include "ledger/entry.h"
#include "ledger/merkle.h"
#include "service/clock.h"
#include "service/connection_pool.h"
#include "service/db_config.h"
#include "service/db_connection.h"
#include "service/ledger_sequencer.h"
#include "service/ledger_store.h"
#include "service/migrations.h"
#include "service/transaction.h"

namespace restitution::bench {
namespace {

// The table that marks a database as this program's (and is reference A's table).
constexpr char kReferenceTable[] = "bench_commit_ref";
// Queue ids of entries written by the bulk fill, far above any AUTO_INCREMENT id of the queue.
constexpr int64_t kFillQueueIdBase = int64_t{1} << 50;
// Entries per transaction in the bulk fill and the queue pre-fill.
constexpr size_t kFillChunk = 10000;
// Target size of one benchmark entry (canonical JSON bytes).
constexpr size_t kEntryBytes = 200;
constexpr double kGoalBatchedPerSecond = 5000;
constexpr double kGoalVerifyRatio = 0.5;
constexpr int kMaxProducers = 200;

// ---------------------------------------------------------------------------------------------
// Small helpers.

double D(uint64_t v) { return static_cast<double>(v); }
double Micros(Steady::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
Steady::duration FromSeconds(double s) {
  return std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(s));
}

std::string PerSecond(double v) {
  if (v >= 1e6) return Format("%.2f M/s", v / 1e6);
  if (v >= 1e4) return Format("%.1f k/s", v / 1e3);
  return Format("%.0f/s", v);
}

std::string Latency(double us) {
  if (us < 1000) return Format("%.0f µs", us);
  return Format("%.2f ms", us / 1000);
}

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

bool CpuHasFlag(const std::string& flag) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) == 0)
      return (" " + line + " ").find(" " + flag + " ") != std::string::npos;
  }
  return false;
}

double LoadAverage1() { return std::atof(ReadFirstLine("/proc/loadavg").c_str()); }
std::string LoadAverages() {
  std::istringstream in(ReadFirstLine("/proc/loadavg"));
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// utime + stime of another process, or a negative number when it cannot be read.
double OtherProcessCpuSeconds(long pid) {
  if (pid <= 0) return -1;
  const std::string stat = ReadFirstLine("/proc/" + std::to_string(pid) + "/stat");
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::vector<std::string> tokens;
  std::string token;
  while (fields >> token) tokens.push_back(token);
  // Field 3 (state) is tokens[0]; utime and stime are fields 14 and 15.
  if (tokens.size() < 13) return -1;
  const double ticks = D(std::strtoull(tokens[11].c_str(), nullptr, 10)) +
                       D(std::strtoull(tokens[12].c_str(), nullptr, 10));
  return ticks / D(static_cast<uint64_t>(sysconf(_SC_CLK_TCK)));
}

// ---------------------------------------------------------------------------------------------
// Options.

struct Options {
  uint64_t entries = 10000000;
  double seconds = 5;
  bool quick = false;
  std::string database;
  int producers = 16;
  int proofs = 2000;
  uint64_t drain_entries = 100000;
  int max_batch = 4096;
  bool keep_database = false;
};

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "ledger_bench: %s\n", problem.c_str());
  std::fprintf(stderr,
               "usage: ledger_bench [--quick] [--entries N] [--seconds S] [--database NAME]\n"
               "                    [--producers K] [--proofs P] [--drain N] [--max-batch B]"
               " [--keep]\n"
               "  --quick        smoke run: 100000 entries, 1 s phases, 20000 drained, 500 "
               "proofs\n"
               "  --entries N    log size for the proof and verify phases (default 10000000)\n"
               "  --seconds S    base duration of the timed phases (default 5)\n"
               "  --database D   database to drop and create (default $RESTITUTION_DB_NAME, "
               "else restitution_bench)\n"
               "  --producers K  concurrent appending clients in the batched phase (default 16)\n"
               "  --proofs P     inclusion proofs timed (default 2000)\n"
               "  --drain N      entries pre-filled into the queue for the drain (default "
               "100000)\n"
               "  --max-batch B  sequencer batch bound (default 4096, as the service)\n"
               "  --keep         leave the database behind\n"
               "Connects with RESTITUTION_DB_SOCKET (or RESTITUTION_DB_HOST/PORT), "
               "RESTITUTION_DB_USER, RESTITUTION_DB_PASSWORD.\n");
  std::exit(2);
}

Options ParseOptions(int argc, char** argv) {
  Options options;
  const char* env_name = std::getenv("RESTITUTION_DB_NAME");
  options.database = env_name != nullptr && *env_name != '\0' ? env_name : "restitution_bench";
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--quick") {
      options.quick = true;
      options.entries = 100000;
      options.seconds = 1;
      options.drain_entries = 20000;
      options.proofs = 500;
    }
  }
  auto number = [&](int& i, const std::string& flag) -> double {
    if (i + 1 >= argc) Usage(flag + " needs a value");
    char* end = nullptr;
    const double value = std::strtod(argv[++i], &end);
    if (end == argv[i] || *end != '\0' || !(value > 0)) Usage(flag + " needs a positive number");
    return value;
  };
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--quick") continue;
    if (flag == "--entries") {
      options.entries = static_cast<uint64_t>(number(i, flag));
    } else if (flag == "--seconds") {
      options.seconds = number(i, flag);
    } else if (flag == "--producers") {
      options.producers = static_cast<int>(number(i, flag));
    } else if (flag == "--proofs") {
      options.proofs = static_cast<int>(number(i, flag));
    } else if (flag == "--drain") {
      options.drain_entries = static_cast<uint64_t>(number(i, flag));
    } else if (flag == "--max-batch") {
      options.max_batch = static_cast<int>(number(i, flag));
    } else if (flag == "--database") {
      if (i + 1 >= argc) Usage("--database needs a name");
      options.database = argv[++i];
    } else if (flag == "--keep") {
      options.keep_database = true;
    } else if (flag == "--help" || flag == "-h") {
      Usage("");
    } else {
      Usage("unknown argument " + flag);
    }
  }
  // The name is spliced into DDL (which takes no placeholders): letters, digits, underscore.
  if (options.database.empty() || options.database.size() > 64 ||
      !std::all_of(options.database.begin(), options.database.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
      })) {
    Usage("--database must be 1 to 64 letters, digits or underscores");
  }
  if (options.producers < 1 || options.producers > kMaxProducers) {
    Usage("--producers must be 1.." + std::to_string(kMaxProducers));
  }
  if (options.max_batch < 1) Usage("--max-batch must be at least 1");
  return options;
}

// ---------------------------------------------------------------------------------------------
// Entries.

class EntryMaker {
 public:
  EntryMaker() {
    const std::string base = Must(ledger::EncodeEntry(Draft(100000, "")), "encode entry");
    pad_.assign(kEntryBytes > base.size() ? kEntryBytes - base.size() : 0, 'x');
  }
  ledger::EntryDraft Draft(uint64_t n) const { return Draft(n, pad_); }
  std::string Bytes(uint64_t n) const { return Must(ledger::EncodeEntry(Draft(n)), "encode"); }

 private:
  static ledger::EntryDraft Draft(uint64_t n, const std::string& pad) {
    ledger::EntryDraft draft;
    draft.type = "bench_entry";
    draft.case_id = static_cast<int64_t>(n % 1000 + 1);
    draft.at_ms = SystemNowMs();
    draft.payload = {{"n", n}, {"pad", pad}};
    return draft;
  }
  std::string pad_;
};

// "INSERT ... VALUES " + n rows of `row`, in chunks of 1000, 100, 10 and 1 rows, so only a few
// distinct statements get prepared. make(i, params) appends row i's parameters.
template <typename MakeRow>
Status InsertRows(DbConnection& db, const std::string& prefix, const std::string& row, size_t count,
                  const MakeRow& make) {
  constexpr size_t kChunks[] = {1000, 100, 10, 1};
  size_t done = 0;
  for (size_t chunk : kChunks) {
    while (count - done >= chunk) {
      std::string sql = prefix;
      std::vector<SqlParam> params;
      for (size_t i = done; i < done + chunk; ++i) {
        if (i > done) sql += ", ";
        sql += row;
        make(i, &params);
      }
      RETURN_IF_ERROR(db.Exec(sql, params).status());
      done += chunk;
    }
  }
  return Status::Ok();
}

// Queues `count` entries with multi-row INSERTs, committing every kFillChunk.
void PrefillQueue(DbConnection& db, const EntryMaker& maker, uint64_t first, uint64_t count) {
  for (uint64_t done = 0; done < count;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kFillChunk, count - done));
    std::vector<std::string> bytes(n);
    for (size_t i = 0; i < n; ++i) bytes[i] = maker.Bytes(first + done + i);
    const int64_t now = SystemNowMs();
    MustOk(db.Begin(), "begin");
    MustOk(InsertRows(db, "INSERT INTO ledger_queue (entry, leaf_hash, queued_at_ms) VALUES ",
                      "(?, ?, ?)", n,
                      [&](size_t i, std::vector<SqlParam>* params) {
                        params->emplace_back(bytes[i]);
                        params->emplace_back(ledger::LeafHash(bytes[i]));
                        params->emplace_back(now);
                      }),
           "pre-fill the queue");
    MustOk(db.Commit(), "commit the queue pre-fill");
    done += n;
  }
}

// ---------------------------------------------------------------------------------------------
// Where the time goes: server counters, CPU of both processes, load.

const char* const kStatusNames[] = {
    "COM_STMT_EXECUTE",      "COM_COMMIT",          "INNODB_DATA_FSYNCS",    "BINLOG_COMMITS",
    "BINLOG_GROUP_COMMITS",  "HANDLER_WRITE",       "HANDLER_READ_RND_NEXT", "HANDLER_READ_NEXT",
    "INNODB_ROW_LOCK_WAITS", "INNODB_ROW_LOCK_TIME"};

struct Probe {
  Steady::time_point at;
  double client_cpu = 0;
  double server_cpu = -1;
  double load1 = 0;
  std::map<std::string, int64_t> status;
};

class Prober {
 public:
  Prober(DbConnection& db, long server_pid) : db_(db), server_pid_(server_pid) {}
  Probe Take() {
    Probe probe;
    std::string sql =
        "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE "
        "VARIABLE_NAME IN (";
    std::vector<SqlParam> params;
    for (const char* name : kStatusNames) {
      sql += params.empty() ? "?" : ", ?";
      params.emplace_back(name);
    }
    sql += ")";
    const SqlRows rows = Must(db_.Query(sql, params), "read server status");
    for (const SqlRow& row : rows) {
      probe.status[row.Bytes(0)] = std::strtoll(row.Bytes(1).c_str(), nullptr, 10);
    }
    probe.client_cpu = ProcessCpuSeconds();
    probe.server_cpu = OtherProcessCpuSeconds(server_pid_);
    probe.load1 = LoadAverage1();
    probe.at = Steady::now();
    return probe;
  }

 private:
  DbConnection& db_;
  long server_pid_;
};

// Sums the differences of several before/after probe pairs.
struct PhaseProfile {
  std::string name;
  double wall = 0;
  double client_cpu = 0;
  double server_cpu = 0;
  bool server_known = true;
  double load_sum = 0;
  int load_samples = 0;
  uint64_t entries = 0;  // what the per-entry columns divide by
  std::map<std::string, int64_t> status;

  void Add(const Probe& before, const Probe& after) {
    wall += Seconds(after.at - before.at);
    client_cpu += after.client_cpu - before.client_cpu;
    if (before.server_cpu < 0 || after.server_cpu < 0) server_known = false;
    server_cpu += after.server_cpu - before.server_cpu;
    load_sum += before.load1 + after.load1;
    load_samples += 2;
    for (const auto& [key, value] : after.status) {
      auto it = before.status.find(key);
      status[key] += value - (it == before.status.end() ? 0 : it->second);
    }
  }
  int64_t Delta(const char* key) const {
    auto it = status.find(key);
    return it == status.end() ? 0 : it->second;
  }
  double PerEntry(const char* key) const {
    return entries == 0 ? 0 : D(static_cast<uint64_t>(Delta(key))) / D(entries);
  }
};

// ---------------------------------------------------------------------------------------------
// Reference B and the hash rates.

// Runs step() in blocks of 1024 for about `seconds`; returns calls per second.
template <typename Step>
double CallsPerSecond(double seconds, Step&& step) {
  uint64_t calls = 0;
  const Steady::time_point start = Steady::now();
  const Steady::time_point deadline = start + FromSeconds(seconds);
  do {
    for (int i = 0; i < 1024; ++i) step();
    calls += 1024;
  } while (Steady::now() < deadline);
  return D(calls) / Seconds(Steady::now() - start);
}

struct HashRates {
  double raw_node_evp = 0;      // EVP, fetched digest, reused context
  double raw_node_sha256 = 0;   // SHA256() one-shot
  double raw_node = 0;          // reference B: the faster of the two
  double evp_oneshot_node = 0;  // EVP_Digest with EVP_sha256(), a context per call
  double crypto_node = 0;       // crypto::Sha256 over the 65 bytes
  double ledger_node = 0;       // ledger::NodeHash
  double raw_leaf = 0;          // reused EVP context over 0x00 || entry
  double ledger_leaf = 0;       // ledger::LeafHash
  size_t leaf_bytes = 0;
};

// Every rate is the best of several short slices taken in turn, so a burst of load from
// elsewhere on the machine hits one slice of each variant, not a whole variant.
HashRates MeasureHashes(double seconds, const std::string& entry) {
  constexpr int kSlices = 10;
  const double slice = seconds / kSlices;
  HashRates rates;
  rates.leaf_bytes = entry.size();
  EVP_MD* md = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (md == nullptr || ctx == nullptr) Die("OpenSSL SHA-256 unavailable");
  // Each digest feeds the next input, so no call can be skipped or hoisted.
  unsigned char node[1 + 2 * ledger::kHashSize] = {1};
  std::string node_input(reinterpret_cast<const char*>(node), sizeof(node));
  ledger::Hash left(ledger::kHashSize, 'l');
  ledger::Hash right(ledger::kHashSize, 'r');
  std::string leaf_input = std::string(1, '\0') + entry;
  std::string leaf_entry = entry;
  const auto best = [&](double* rate, double measured) { *rate = std::max(*rate, measured); };
  for (int i = 0; i < kSlices; ++i) {
    best(&rates.raw_node_evp, CallsPerSecond(slice, [&] {
      if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
          EVP_DigestUpdate(ctx, node, sizeof(node)) != 1 ||
          EVP_DigestFinal_ex(ctx, node + 1, nullptr) != 1) {
        Die("SHA-256 failed");
      }
    }));
    best(&rates.raw_node_sha256,
         CallsPerSecond(slice, [&] { SHA256(node, sizeof(node), node + 1); }));
    best(&rates.evp_oneshot_node, CallsPerSecond(slice, [&] {
      if (EVP_Digest(node, sizeof(node), node + 1, nullptr, EVP_sha256(), nullptr) != 1) {
        Die("SHA-256 failed");
      }
    }));
    best(&rates.crypto_node, CallsPerSecond(slice, [&] {
      const std::string digest = crypto::Sha256(node_input);
      std::memcpy(&node_input[1], digest.data(), ledger::kHashSize);
    }));
    best(&rates.ledger_node, CallsPerSecond(slice, [&] {
      left = ledger::NodeHash(left, right);
      std::swap(left, right);
    }));
    best(&rates.raw_leaf, CallsPerSecond(slice, [&] {
      unsigned char digest[ledger::kHashSize];
      if (EVP_DigestInit_ex2(ctx, md, nullptr) != 1 ||
          EVP_DigestUpdate(ctx, leaf_input.data(), leaf_input.size()) != 1 ||
          EVP_DigestFinal_ex(ctx, digest, nullptr) != 1) {
        Die("SHA-256 failed");
      }
      leaf_input[1] = static_cast<char>(digest[0]);
    }));
    best(&rates.ledger_leaf, CallsPerSecond(slice, [&] {
      const ledger::Hash h = ledger::LeafHash(leaf_entry);
      leaf_entry[0] = h[0];
    }));
  }
  rates.raw_node = std::max(rates.raw_node_evp, rates.raw_node_sha256);
  EVP_MD_CTX_free(ctx);
  EVP_MD_free(md);
  return rates;
}

// SHA-256 at OpenSSL's raw speed (fetched digest, one reused context): what the verify's
// hashing would cost with a wrapper that does not set up a context per call.
class RawSha256 {
 public:
  using Digest = std::array<unsigned char, ledger::kHashSize>;

  RawSha256() : md_(EVP_MD_fetch(nullptr, "SHA2-256", nullptr)), ctx_(EVP_MD_CTX_new()) {
    if (md_ == nullptr || ctx_ == nullptr) Die("OpenSSL SHA-256 unavailable");
  }
  ~RawSha256() {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
  }
  RawSha256(const RawSha256&) = delete;
  RawSha256& operator=(const RawSha256&) = delete;

  Digest Leaf(const std::string& entry) {
    static const unsigned char kPrefix = 0;
    Digest out;
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 || EVP_DigestUpdate(ctx_, &kPrefix, 1) != 1 ||
        EVP_DigestUpdate(ctx_, entry.data(), entry.size()) != 1 ||
        EVP_DigestFinal_ex(ctx_, out.data(), nullptr) != 1) {
      Die("SHA-256 failed");
    }
    return out;
  }
  Digest Node(const Digest& left, const Digest& right) {
    unsigned char input[1 + 2 * ledger::kHashSize];
    input[0] = 1;
    std::memcpy(input + 1, left.data(), ledger::kHashSize);
    std::memcpy(input + 1 + ledger::kHashSize, right.data(), ledger::kHashSize);
    Digest out;
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 ||
        EVP_DigestUpdate(ctx_, input, sizeof(input)) != 1 ||
        EVP_DigestFinal_ex(ctx_, out.data(), nullptr) != 1) {
      Die("SHA-256 failed");
    }
    return out;
  }

 private:
  EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

// The frontier of RFC 9162's tree as a binary counter of perfect subtrees, like AppendLeaves,
// without the node list it returns.
class RawFrontier {
 public:
  void Push(RawSha256& sha, const RawSha256::Digest& leaf) {
    stack_.emplace_back(0, leaf);
    while (stack_.size() >= 2 && stack_[stack_.size() - 2].first == stack_.back().first) {
      const RawSha256::Digest right = stack_.back().second;
      stack_.pop_back();
      stack_.back().second = sha.Node(stack_.back().second, right);
      ++stack_.back().first;
    }
  }
  ledger::Hash Root(RawSha256& sha) const {
    if (stack_.empty()) return ledger::EmptyRootHash();
    RawSha256::Digest hash = stack_.back().second;
    for (size_t i = stack_.size() - 1; i-- > 0;) hash = sha.Node(stack_[i].second, hash);
    return ledger::Hash(hash.begin(), hash.end());
  }

 private:
  std::vector<std::pair<int, RawSha256::Digest>> stack_;
};

// ---------------------------------------------------------------------------------------------
// The benchmark.

struct Row {
  std::string measurement;
  std::string value;
  std::string reference;
  std::string ratio;
  std::string goal;
  std::string met;
};

struct BatchedRun {
  int producers = 0;
  double rate = 0;           // head growth (commits for the reference) per second
  double queued_rate = 0;    // queue commits per second
  double max_stall_ms = 0;   // longest time the head did not move
  uint64_t queue_depth = 0;  // entries waiting at the end of the window
  std::vector<double> commit_latency, receipt_latency, total_latency;
  uint64_t batches = 0, checkpoints = 0;
  PhaseProfile profile;
};

struct SweepPoint {
  int batch = 0;
  bool signs = false;
  double median_us = 0;
  double statements = 0;  // prepared statements executed per batch
};

class Bench {
 public:
  explicit Bench(Options options)
      : options_(std::move(options)),
        server_config_(ServerConfigFromEnvironment(ProducerCounts().back() + 4,
                                                   /*lock_wait_timeout_seconds=*/60)),
        signer_("bench.restitution.local/ledger", crypto::Ed25519PrivateKey::Generate()) {}

  // The producer counts of the batched phase: the one asked for, and four times as many (to see
  // whether more clients in flight buy throughput, or the machine is already saturated).
  std::vector<int> ProducerCounts() const {
    std::vector<int> counts = {options_.producers};
    const int more = std::min(kMaxProducers, 4 * options_.producers);
    if (more > options_.producers) counts.push_back(more);
    return counts;
  }

  void Run() {
    CreateDatabase();
    DescribeMachine();
    const std::string sample_entry = maker_.Bytes(123456);
    Progress(Format("phase 1/7: SHA-256 rates (%zu-byte entries)", sample_entry.size()));
    hashes_ = MeasureHashes(std::max(0.5, options_.seconds * 0.4), sample_entry);
    Progress("phase 2/7: reference A and single appends, interleaved");
    SingleAppends();
    for (int producers : ProducerCounts()) {
      Progress(
          Format("phase 3/7: %d clients: durable commits (A×%d), then batched appends, "
                 "then appends without waiting for receipts",
                 producers, producers));
      multi_reference_.push_back(CommitReference(producers));
      batched_.push_back(BatchedAppends(producers, true));
      unwaited_.push_back(BatchedAppends(producers, false));
    }
    Progress("phase 4/7: sequencer drain and batch-size sweep");
    SequencerDrain();
    BatchSweep();
    Progress(Format("phase 5/7: filling the log to %llu entries",
                    static_cast<unsigned long long>(options_.entries)));
    Fill();
    Progress("phase 6/7: inclusion proofs");
    InclusionProofs();
    Progress("phase 7/7: full verify");
    FullVerify();
    RawHashVerify();
    PipelinedVerify();
    load_end_ = LoadAverages();
    Report();
    if (!options_.keep_database) {
      pool_.reset();
      MustOk(admin_->Exec("DROP DATABASE " + options_.database).status(), "drop the database");
    }
  }

 private:
  std::unique_ptr<DbConnection> Connect(const DbConfig& config) {
    return Must(DbConnection::Open(config), "connect to " + config.database);
  }

  void CreateDatabase() {
    std::unique_ptr<DbConnection> server = Connect(server_config_);
    const SqlRows schema = Must(server->Query("SELECT COUNT(*) FROM information_schema.SCHEMATA "
                                              "WHERE SCHEMA_NAME = ?",
                                              {options_.database}),
                                "look for the database");
    if (schema[0].Int(0) > 0) {
      const SqlRows tables =
          Must(server->Query("SELECT COUNT(*), SUM(TABLE_NAME = ?) FROM information_schema.TABLES "
                             "WHERE TABLE_SCHEMA = ?",
                             {kReferenceTable, options_.database}),
               "look at the database");
      if (tables[0].Int(0) > 0 && tables[0].Int(1) == 0) {
        Die("database " + options_.database + " exists and was not made by ledger_bench (no " +
            kReferenceTable + " table); refusing to drop it. Name another with --database.");
      }
      MustOk(server->Exec("DROP DATABASE " + options_.database).status(), "drop the database");
    }
    MustOk(server
               ->Exec("CREATE DATABASE " + options_.database +
                      " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
               .status(),
           "create the database");
    config_ = server_config_;
    config_.database = options_.database;
    admin_ = Connect(config_);
    MustOk(admin_
               ->Exec(std::string("CREATE TABLE ") + kReferenceTable +
                      " (id BIGINT NOT NULL, payload VARBINARY(100) NOT NULL, PRIMARY KEY (id))"
                      " ENGINE=InnoDB")
               .status(),
           "create the reference table");
    MustOk(ApplyMigrations(*admin_), "apply the migrations");
    pool_ = std::make_unique<ConnectionPool>(config_);
  }

  std::string Variable(const std::string& expression) {
    const SqlRows rows =
        Must(admin_->Query("SELECT CAST(" + expression + " AS CHAR)"), "read " + expression);
    return rows.empty() || rows[0].IsNull(0) ? "NULL" : rows[0].Bytes(0);
  }

  void DescribeMachine() {
    cpu_model_ = CpuModel();
    cores_ = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
    sha_ni_ = CpuHasFlag("sha_ni");
    version_ = Variable("VERSION()");
    flush_ = Variable("@@innodb_flush_log_at_trx_commit");
    sync_binlog_ = Variable("@@sync_binlog");
    log_bin_ = Variable("@@log_bin");
    buffer_pool_mib_ = std::atoll(Variable("@@innodb_buffer_pool_size").c_str()) >> 20;
    redo_mib_ = std::atoll(Variable("@@innodb_log_file_size").c_str()) >> 20;
    const std::string pid_file = Variable("@@pid_file");
    server_pid_ = std::atol(ReadFirstLine(pid_file).c_str());
    if (OtherProcessCpuSeconds(server_pid_) < 0) server_pid_ = 0;
    load_start_ = LoadAverages();
    prober_ = std::make_unique<Prober>(*admin_, server_pid_);
    Progress("MariaDB " + version_ + ", innodb_flush_log_at_trx_commit=" + flush_ +
             ", sync_binlog=" + sync_binlog_ + ", log_bin=" + log_bin_ + "; load " + load_start_);
  }

  // Reference A (one INSERT + COMMIT per iteration on a plain table) and the single append
  // (queue one entry, then sequence it in its own transaction), in alternating slices so both
  // see the same machine.
  void SingleAppends() {
    std::unique_ptr<DbConnection> reference = Connect(config_);
    const std::string payload(100, 'p');
    // The first batch signs the empty tree: not part of the measurement.
    MustOk(RunInTransaction(
               *pool_,
               [&](DbConnection& db) -> Status {
                 return SequenceBatch(db, signer_, SystemNowMs(), SequencerOptions{}).status();
               }),
           "first batch");
    const int rounds = options_.quick ? 2 : 5;
    const double slice = options_.seconds / rounds;
    ref_profile_.name = "reference A: INSERT + COMMIT, 1 client";
    single_profile_.name = "single append (queue txn + 1-entry batch txn), 1 client";
    int64_t next_id = 1;
    uint64_t serial = 0;
    for (int round = 0; round < rounds; ++round) {
      Probe before = prober_->Take();
      Steady::time_point deadline = Steady::now() + FromSeconds(slice);
      while (Steady::now() < deadline) {
        const Steady::time_point t0 = Steady::now();
        MustOk(reference->Begin(), "begin");
        MustOk(reference
                   ->Exec(std::string("INSERT INTO ") + kReferenceTable +
                              " (id, payload) VALUES (?, ?)",
                          {next_id++, payload})
                   .status(),
               "reference insert");
        MustOk(reference->Commit(), "reference commit");
        ref_latency_.push_back(Micros(Steady::now() - t0));
      }
      Probe after = prober_->Take();
      ref_profile_.Add(before, after);

      before = after;
      deadline = Steady::now() + FromSeconds(slice);
      while (Steady::now() < deadline) {
        const Steady::time_point t0 = Steady::now();
        QueuedEntry queued;
        MustOk(RunInTransaction(*pool_,
                                [&](DbConnection& db) -> Status {
                                  ASSIGN_OR_RETURN(queued,
                                                   AppendLedgerEntry(db, maker_.Draft(serial)));
                                  return Status::Ok();
                                }),
               "append");
        ++serial;
        const Steady::time_point t1 = Steady::now();
        BatchResult batch;
        MustOk(RunInTransaction(*pool_,
                                [&](DbConnection& db) -> Status {
                                  ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer_, SystemNowMs(),
                                                                        SequencerOptions{}));
                                  return Status::Ok();
                                }),
               "sequence");
        const Steady::time_point t2 = Steady::now();
        if (batch.entries.size() != 1 || batch.entries[0].queue_id != queued.queue_id ||
            batch.entries[0].receipt.leaf_hash != queued.leaf_hash || !batch.signed_size) {
          Die("a single append did not come back as a signed one-entry batch");
        }
        single_queue_latency_.push_back(Micros(t1 - t0));
        single_batch_latency_.push_back(Micros(t2 - t1));
        single_latency_.push_back(Micros(t2 - t0));
      }
      after = prober_->Take();
      single_profile_.Add(before, after);
    }
    ref_profile_.entries = ref_latency_.size();
    single_profile_.entries = single_latency_.size();
    ref_rate_ = D(ref_latency_.size()) / ref_profile_.wall;
    single_rate_ = D(single_latency_.size()) / single_profile_.wall;
  }

  // Reference A×K: K clients, each committing single-row INSERTs as fast as it can, so the
  // server can group their commits: what the same durable MariaDB does with K clients.
  BatchedRun CommitReference(int clients) {
    std::atomic<bool> stop{false};
    std::vector<std::vector<double>> latencies(static_cast<size_t>(clients));
    std::vector<std::unique_ptr<DbConnection>> connections;
    for (int c = 0; c < clients; ++c) connections.push_back(Connect(config_));
    const std::string payload(100, 'p');
    const std::string sql =
        std::string("INSERT INTO ") + kReferenceTable + " (id, payload) VALUES (?, ?)";
    const Probe before = prober_->Take();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        DbConnection& db = *connections[static_cast<size_t>(c)];
        while (!stop.load()) {
          const Steady::time_point t0 = Steady::now();
          MustOk(db.Begin(), "begin");
          MustOk(db.Exec(sql, {reference_id_.fetch_add(1), payload}).status(), "reference insert");
          MustOk(db.Commit(), "reference commit");
          latencies[static_cast<size_t>(c)].push_back(Micros(Steady::now() - t0));
        }
      });
    }
    std::this_thread::sleep_for(FromSeconds(options_.seconds));
    stop = true;
    for (std::thread& t : threads) t.join();
    const Probe after = prober_->Take();
    BatchedRun run;
    run.producers = clients;
    run.profile.name = Format("reference A×%d: INSERT + COMMIT, %d clients", clients, clients);
    run.profile.Add(before, after);
    for (const std::vector<double>& mine : latencies) {
      run.commit_latency.insert(run.commit_latency.end(), mine.begin(), mine.end());
    }
    run.profile.entries = run.commit_latency.size();
    run.rate = D(run.commit_latency.size()) / run.profile.wall;
    return run;
  }

  // K clients, each: commit an entry into the queue, then (await_receipts) wait for its
  // receipt, as request workers do; one LedgerSequencer batches whatever is queued. Without
  // waiting, each client nudges the sequencer after its commit and goes on with the next entry.
  BatchedRun BatchedAppends(int producer_count, bool await_receipts) {
    struct Sample {
      Steady::time_point committed;
      double commit_us;
      double receipt_us;
    };
    SequencerOptions sequencer_options;
    sequencer_options.max_batch = options_.max_batch;
    // As api/app.cc does: the sequencer has its own small pool, so busy producers holding
    // every pooled connection cannot starve it.
    DbConfig sequencer_config = config_;
    sequencer_config.pool_size = 4;
    ConnectionPool sequencer_pool(sequencer_config);
    LedgerSequencer sequencer(sequencer_pool, signer_, SystemNowMs, sequencer_options);
    sequencer.Start();
    std::atomic<bool> stop{false};
    std::mutex error_mutex;
    std::string error;
    std::vector<std::vector<Sample>> samples(static_cast<size_t>(producer_count));
    std::vector<std::thread> producers;
    for (int p = 0; p < producer_count; ++p) {
      producers.emplace_back([&, p] {
        std::vector<Sample>& mine = samples[static_cast<size_t>(p)];
        while (!stop.load()) {
          const Steady::time_point t0 = Steady::now();
          QueuedEntry queued;
          Status status = RunInTransaction(*pool_, [&](DbConnection& db) -> Status {
            ASSIGN_OR_RETURN(queued, AppendLedgerEntry(db, maker_.Draft(serial_.fetch_add(1))));
            return Status::Ok();
          });
          const Steady::time_point t1 = Steady::now();
          if (!await_receipts && status.ok()) {
            sequencer.Nudge();
            mine.push_back(Sample{t1, Micros(t1 - t0), 0});
            continue;
          }
          StatusOr<std::optional<LedgerReceipt>> receipt =
              status.ok() ? sequencer.AwaitReceipt(queued.queue_id, std::chrono::seconds(60))
                          : StatusOr<std::optional<LedgerReceipt>>(status);
          const Steady::time_point t2 = Steady::now();
          std::string problem;
          if (!receipt.ok()) {
            problem = receipt.status().ToString();
          } else if (!receipt->has_value()) {
            problem = "no receipt within 60 s";
          } else if ((*receipt)->leaf_hash != queued.leaf_hash) {
            problem = "receipt with the wrong leaf hash";
          }
          if (!problem.empty()) {
            std::lock_guard<std::mutex> lock(error_mutex);
            if (error.empty()) error = problem;
            stop = true;
            return;
          }
          mine.push_back(Sample{t1, Micros(t1 - t0), Micros(t2 - t1)});
        }
      });
    }
    std::this_thread::sleep_for(FromSeconds(std::max(0.5, options_.seconds * 0.2)));
    const TreeHead head0 = Must(ReadTreeHead(*admin_), "read the head");
    const Probe before = prober_->Take();
    // Watch the head: the longest time it stood still says whether the sequencer kept up.
    const Steady::time_point window_end = before.at + FromSeconds(options_.seconds * 2);
    uint64_t last_size = head0.size;
    Steady::time_point last_move = before.at;
    double max_stall = 0;
    for (Steady::time_point now = Steady::now(); now < window_end; now = Steady::now()) {
      std::this_thread::sleep_for(
          std::min<Steady::duration>(std::chrono::milliseconds(20), window_end - now));
      const uint64_t size = Must(ReadTreeHead(*admin_), "read the head").size;
      if (size != last_size) {
        max_stall = std::max(max_stall, Seconds(Steady::now() - last_move));
        last_move = Steady::now();
        last_size = size;
      }
    }
    const TreeHead head1 = Must(ReadTreeHead(*admin_), "read the head");
    const Probe after = prober_->Take();
    max_stall = std::max(max_stall, Seconds(after.at - last_move));
    const SqlRows depth = Must(admin_->Query("SELECT COUNT(*) FROM ledger_queue"), "queue depth");
    stop = true;
    for (std::thread& t : producers) t.join();
    sequencer.Stop();
    if (!error.empty()) Die("batched appends: " + error);
    DrainQueue();

    BatchedRun run;
    run.producers = producer_count;
    run.profile.name =
        Format(await_receipts ? "batched: %d producers + LedgerSequencer"
                              : "batched, not waiting for receipts: %d producers + LedgerSequencer",
               producer_count);
    run.profile.Add(before, after);
    // Per-entry costs: per sequenced entry when waiting; per queued entry otherwise (the
    // sequencer may fall behind).
    run.profile.entries = head1.size - head0.size;
    run.rate = D(head1.size - head0.size) / run.profile.wall;
    for (const std::vector<Sample>& mine : samples) {
      for (const Sample& s : mine) {
        if (s.committed < before.at || s.committed > after.at) continue;
        run.commit_latency.push_back(s.commit_us);
        run.receipt_latency.push_back(s.receipt_us);
        run.total_latency.push_back(s.commit_us + s.receipt_us);
      }
    }
    run.queued_rate = D(run.commit_latency.size()) / run.profile.wall;
    if (!await_receipts) run.profile.entries = run.commit_latency.size();
    run.max_stall_ms = max_stall * 1000;
    run.queue_depth = static_cast<uint64_t>(depth[0].Int(0));
    // Each batch stamps its entries with one sequenced_at_ms: distinct stamps ~ batches.
    const SqlRows batches =
        Must(admin_->Query("SELECT COUNT(DISTINCT sequenced_at_ms) FROM ledger_entries "
                           "WHERE idx >= ? AND idx < ?",
                           {static_cast<int64_t>(head0.size), static_cast<int64_t>(head1.size)}),
             "count batches");
    run.batches = static_cast<uint64_t>(batches[0].Int(0));
    const SqlRows checkpoints =
        Must(admin_->Query("SELECT COUNT(*) FROM ledger_checkpoints WHERE size > ? AND size <= ?",
                           {static_cast<int64_t>(head0.size), static_cast<int64_t>(head1.size)}),
             "count checkpoints");
    run.checkpoints = static_cast<uint64_t>(checkpoints[0].Int(0));
    return run;
  }

  // Sequences whatever is left in the queue (untimed).
  void DrainQueue() {
    for (;;) {
      BatchResult batch;
      MustOk(RunInTransaction(*pool_,
                              [&](DbConnection& db) -> Status {
                                ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer_, SystemNowMs(),
                                                                      SequencerOptions{}));
                                return Status::Ok();
                              }),
             "drain the queue");
      if (!batch.more_waiting) return;
    }
  }

  // The sequencer alone: drain a queue pre-filled with multi-row INSERTs.
  void SequencerDrain() {
    const Steady::time_point fill0 = Steady::now();
    PrefillQueue(*admin_, maker_, uint64_t{1} << 40, options_.drain_entries);
    prefill_seconds_ = Seconds(Steady::now() - fill0);
    SequencerOptions sequencer_options;
    sequencer_options.max_batch = options_.max_batch;
    const Probe before = prober_->Take();
    uint64_t drained = 0;
    for (;;) {
      BatchResult batch;
      const Steady::time_point t0 = Steady::now();
      MustOk(RunInTransaction(*pool_,
                              [&](DbConnection& db) -> Status {
                                ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer_, SystemNowMs(),
                                                                      sequencer_options));
                                return Status::Ok();
                              }),
             "drain batch");
      drain_batch_latency_.push_back(Micros(Steady::now() - t0));
      drained += batch.entries.size();
      if (!batch.more_waiting) break;
    }
    const Probe after = prober_->Take();
    if (drained != options_.drain_entries) Die("the drain sequenced an unexpected number");
    drain_profile_.name = Format("sequencer drain: %llu queued, max_batch %d",
                                 static_cast<unsigned long long>(drained), options_.max_batch);
    drain_profile_.Add(before, after);
    drain_profile_.entries = drained;
    drain_rate_ = D(drained) / drain_profile_.wall;
  }

  // One SequenceBatch per batch size, on a queue holding exactly that many (the queue runs
  // dry, so every batch signs a checkpoint, as under light load), and on a queue holding one
  // more (the batch is full, so no checkpoint is signed within the interval).
  void BatchSweep() {
    const int sizes[] = {1, 16, 64, 256, 1024, 4096};
    uint64_t serial = uint64_t{1} << 41;
    // Runs one SequenceBatch of `size` on a queue of `queued` entries; returns its time and
    // adds the statements it executed.
    const auto timed_batch = [&](int size, uint64_t queued, bool signs, int64_t* statements) {
      PrefillQueue(*admin_, maker_, serial, queued);
      serial += queued;
      SequencerOptions sequencer_options;
      sequencer_options.max_batch = size;
      sequencer_options.checkpoint_interval_ms = 1000 * 3600;
      // Statements are counted on the batch's own connection (its session status), and the
      // time of the two counting queries is taken out of the batch's.
      const auto executed = [](DbConnection& db, int64_t* count) -> Status {
        ASSIGN_OR_RETURN(SqlRows rows, db.Query("SELECT VARIABLE_VALUE FROM "
                                                "information_schema.SESSION_STATUS WHERE "
                                                "VARIABLE_NAME = 'COM_STMT_EXECUTE'"));
        if (rows.size() != 1) return Status::Internal("no COM_STMT_EXECUTE");
        *count = std::strtoll(rows[0].Bytes(0).c_str(), nullptr, 10);
        return Status::Ok();
      };
      BatchResult batch;
      int64_t executed_before = 0, executed_after = 0;
      double counting = 0;
      const Steady::time_point t0 = Steady::now();
      MustOk(RunInTransaction(*pool_,
                              [&](DbConnection& db) -> Status {
                                Steady::time_point c0 = Steady::now();
                                RETURN_IF_ERROR(executed(db, &executed_before));
                                counting = Seconds(Steady::now() - c0);
                                ASSIGN_OR_RETURN(batch, SequenceBatch(db, signer_, SystemNowMs(),
                                                                      sequencer_options));
                                c0 = Steady::now();
                                RETURN_IF_ERROR(executed(db, &executed_after));
                                counting += Seconds(Steady::now() - c0);
                                return Status::Ok();
                              }),
             "sweep batch");
      const double micros = Micros(Steady::now() - t0) - counting * 1e6;
      // The first counting query is itself counted once.
      *statements += executed_after - executed_before - 1;
      if (batch.entries.size() != static_cast<size_t>(size) ||
          batch.signed_size.has_value() != signs) {
        Die(Format("sweep batch of %d: %zu entries, signed %d", size, batch.entries.size(),
                   batch.signed_size.has_value() ? 1 : 0));
      }
      return micros;
    };
    for (int size : sizes) {
      const int reps =
          std::min(std::max(options_.quick ? 2 : 3, (options_.quick ? 4096 : 16384) / size),
                   options_.quick ? 5 : 15);
      std::vector<double> signed_times, unsigned_times;
      int64_t signed_statements = 0, unsigned_statements = 0;
      // Alternate the two cases so both see the same machine.
      for (int r = 0; r < reps; ++r) {
        // Queue dry: exactly the batch waits, so the batch signs.
        signed_times.push_back(
            timed_batch(size, static_cast<uint64_t>(size), true, &signed_statements));
        // Queue not dry: one more waits, so no checkpoint (the interval is an hour)...
        unsigned_times.push_back(
            timed_batch(size, static_cast<uint64_t>(size) + 1, false, &unsigned_statements));
        DrainQueue();  // ...and the one left behind is sequenced untimed.
      }
      sweep_.push_back(SweepPoint{size, true, Percentile(signed_times, 0.5),
                                  D(static_cast<uint64_t>(signed_statements)) / reps});
      sweep_.push_back(SweepPoint{size, false, Percentile(unsigned_times, 0.5),
                                  D(static_cast<uint64_t>(unsigned_statements)) / reps});
    }
  }

  // Fills the log to options_.entries directly: entries and nodes computed in memory with
  // AppendLeaves, written with multi-row INSERTs, kFillChunk entries per transaction. Then one
  // SequenceBatch signs the result, which first proves it consistent with the last checkpoint
  // from the stored nodes: a wrong fill would stop the run there.
  void Fill() {
    const SqlRows head =
        Must(admin_->Query("SELECT size, frontier FROM ledger_head WHERE id = 1"), "read the head");
    uint64_t size = static_cast<uint64_t>(head[0].Int(0));
    std::vector<ledger::Hash> frontier;
    const std::string& bytes = head[0].Bytes(1);
    for (size_t i = 0; i + ledger::kHashSize <= bytes.size(); i += ledger::kHashSize) {
      frontier.push_back(bytes.substr(i, ledger::kHashSize));
    }
    fill_from_ = size;
    const uint64_t target = std::max(options_.entries, size);
    const Steady::time_point t0 = Steady::now();
    double cpu_seconds = 0;
    uint64_t next_report = size + (target - size) / 10;
    while (size < target) {
      const size_t n = static_cast<size_t>(std::min<uint64_t>(kFillChunk, target - size));
      const Steady::time_point c0 = Steady::now();
      std::vector<std::string> entries(n);
      std::vector<ledger::Hash> leaves(n);
      for (size_t i = 0; i < n; ++i) {
        entries[i] = maker_.Bytes(size + i);
        leaves[i] = ledger::LeafHash(entries[i]);
      }
      ledger::AppendResult appended =
          Must(ledger::AppendLeaves(size, frontier, leaves), "append leaves");
      cpu_seconds += Seconds(Steady::now() - c0);
      const int64_t now = SystemNowMs();
      MustOk(admin_->Begin(), "begin");
      MustOk(InsertRows(*admin_,
                        "INSERT INTO ledger_entries (idx, queue_id, entry, leaf_hash, "
                        "sequenced_at_ms) VALUES ",
                        "(?, ?, ?, ?, ?)", n,
                        [&](size_t i, std::vector<SqlParam>* params) {
                          const int64_t index = static_cast<int64_t>(size + i);
                          params->emplace_back(index);
                          params->emplace_back(kFillQueueIdBase + index);
                          params->emplace_back(entries[i]);
                          params->emplace_back(leaves[i]);
                          params->emplace_back(now);
                        }),
             "fill entries");
      MustOk(InsertRows(*admin_, "INSERT INTO ledger_nodes (level, idx, hash) VALUES ", "(?, ?, ?)",
                        appended.nodes.size(),
                        [&](size_t i, std::vector<SqlParam>* params) {
                          params->emplace_back(static_cast<int64_t>(appended.nodes[i].first.level));
                          params->emplace_back(static_cast<int64_t>(appended.nodes[i].first.index));
                          params->emplace_back(appended.nodes[i].second);
                        }),
             "fill nodes");
      std::string frontier_bytes;
      for (const ledger::Hash& h : appended.frontier) frontier_bytes += h;
      MustOk(admin_
                 ->Exec("UPDATE ledger_head SET size = ?, root = ?, frontier = ?, "
                        "updated_at_ms = ? WHERE id = 1",
                        {static_cast<int64_t>(size + n), appended.root, frontier_bytes, now})
                 .status(),
             "fill head");
      MustOk(admin_->Commit(), "commit the fill");
      size += n;
      frontier = std::move(appended.frontier);
      if (size >= next_report && size < target) {
        Progress(Format("  %llu entries (%.0f s)", static_cast<unsigned long long>(size),
                        Seconds(Steady::now() - t0)));
        next_report += (target - fill_from_) / 10;
      }
    }
    fill_seconds_ = Seconds(Steady::now() - t0);
    fill_cpu_seconds_ = cpu_seconds;
    BatchResult signed_batch;
    MustOk(RunInTransaction(*pool_,
                            [&](DbConnection& db) -> Status {
                              ASSIGN_OR_RETURN(
                                  signed_batch,
                                  SequenceBatch(db, signer_, SystemNowMs(), SequencerOptions{}));
                              return Status::Ok();
                            }),
           "sign the filled tree (consistency with the last checkpoint)");
    if (signed_batch.signed_size != target) Die("the filled tree was not signed");
    log_size_ = target;
    const SqlRows sizes =
        Must(admin_->Query("SELECT TABLE_NAME, CAST(DATA_LENGTH + INDEX_LENGTH AS SIGNED) FROM "
                           "information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN "
                           "('ledger_entries', 'ledger_nodes') ORDER BY TABLE_NAME",
                           {options_.database}),
             "table sizes");
    for (const SqlRow& row : sizes) {
      table_sizes_ += Format("%s%s %lld MiB", table_sizes_.empty() ? "" : ", ",
                             row.Bytes(0).c_str(), static_cast<long long>(row.Int(1) >> 20));
    }
  }

  // ReadInclusionProof at random indices against the whole tree, each followed by a
  // single-row primary-key SELECT on the same table (the reference), so both see the same load.
  void InclusionProofs() {
    std::unique_ptr<DbConnection> db = Connect(config_);
    const TreeHead head = Must(ReadTreeHead(*db), "read the head");
    if (head.size != log_size_) Die("the head moved");
    std::mt19937_64 random(20261123);
    const int warmup = std::min(200, options_.proofs / 4);
    proof_hashes_ = 0;
    for (int i = -warmup; i < options_.proofs; ++i) {
      const uint64_t index = random() % head.size;
      const Steady::time_point t0 = Steady::now();
      const InclusionProofView proof =
          Must(ReadInclusionProof(*db, index, head.size), "inclusion proof");
      const Steady::time_point t1 = Steady::now();
      if (!ledger::VerifyInclusion(index, head.size, proof.leaf_hash, proof.hashes, head.root)) {
        Die("an inclusion proof does not verify");
      }
      const uint64_t other = random() % head.size;
      const Steady::time_point t2 = Steady::now();
      const SqlRows rows =
          Must(db->Query("SELECT hash FROM ledger_nodes WHERE level = 0 AND idx = ?",
                         {static_cast<int64_t>(other)}),
               "primary-key lookup");
      const Steady::time_point t3 = Steady::now();
      if (rows.size() != 1) Die("primary-key lookup found no row");
      if (i < 0) continue;
      proof_hashes_ += proof.hashes.size();
      proof_latency_.push_back(Micros(t1 - t0));
      lookup_latency_.push_back(Micros(t3 - t2));
    }
  }

  // Reads every entry in pages of kMaxEntriesPage (as ReadEntries serves them) and recomputes
  // leaf hashes and the tree with AppendLeaves, keeping only the frontier.
  void FullVerify() {
    std::unique_ptr<DbConnection> db = Connect(config_);
    const TreeHead head = Must(ReadTreeHead(*db), "read the head");
    const Probe before = prober_->Take();
    const Steady::time_point t0 = Steady::now();
    uint64_t size = 0;
    std::vector<ledger::Hash> frontier;
    ledger::Hash root = ledger::EmptyRootHash();
    double fetch = 0;
    double hashing = 0;
    while (size < head.size) {
      const Steady::time_point f0 = Steady::now();
      const std::vector<StoredEntry> page =
          Must(ReadEntries(*db, size, kMaxEntriesPage), "read entries");
      const Steady::time_point f1 = Steady::now();
      fetch += Seconds(f1 - f0);
      VerifyPage(page, head.size, &size, &frontier, &root);
      hashing += Seconds(Steady::now() - f1);
    }
    verify_seconds_ = Seconds(Steady::now() - t0);
    const Probe after = prober_->Take();
    if (root != head.root) Die("full verify: the recomputed root differs from the head");
    verify_fetch_seconds_ = fetch;
    verify_hash_seconds_ = hashing;
    verify_profile_.name = "full verify (ReadEntries pages + AppendLeaves), 1 thread";
    verify_profile_.Add(before, after);
    verify_profile_.entries = head.size;
  }

  // The hashing part again, with RawSha256 instead of ledger::LeafHash/AppendLeaves: pages are
  // read untimed, only the hashing is timed.
  void RawHashVerify() {
    std::unique_ptr<DbConnection> db = Connect(config_);
    const TreeHead head = Must(ReadTreeHead(*db), "read the head");
    RawSha256 sha;
    RawFrontier frontier;
    double hashing = 0;
    for (uint64_t size = 0; size < head.size;) {
      const std::vector<StoredEntry> page =
          Must(ReadEntries(*db, size, kMaxEntriesPage), "read entries");
      if (page.empty()) Die("raw verify: a page is missing");
      const Steady::time_point h0 = Steady::now();
      for (const StoredEntry& entry : page) frontier.Push(sha, sha.Leaf(entry.bytes));
      hashing += Seconds(Steady::now() - h0);
      size += page.size();
    }
    const Steady::time_point h0 = Steady::now();
    const ledger::Hash root = frontier.Root(sha);
    hashing += Seconds(Steady::now() - h0);
    if (root != head.root) Die("raw verify: wrong root");
    raw_hash_seconds_ = hashing;
  }

  // The same with the reading on one thread and the hashing on another: what the two cores
  // can do when fetching a page overlaps hashing the previous one.
  void PipelinedVerify() {
    std::unique_ptr<DbConnection> db = Connect(config_);
    const TreeHead head = Must(ReadTreeHead(*db), "read the head");
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::vector<StoredEntry>> pages;
    bool done = false;
    const Steady::time_point t0 = Steady::now();
    std::thread reader([&] {
      for (uint64_t start = 0; start < head.size;) {
        std::vector<StoredEntry> page =
            Must(ReadEntries(*db, start, kMaxEntriesPage), "read entries");
        if (page.empty()) break;
        start += page.size();
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return pages.size() < 4; });
        pages.push_back(std::move(page));
        changed.notify_all();
      }
      std::lock_guard<std::mutex> lock(mutex);
      done = true;
      changed.notify_all();
    });
    uint64_t size = 0;
    std::vector<ledger::Hash> frontier;
    ledger::Hash root = ledger::EmptyRootHash();
    for (;;) {
      std::vector<StoredEntry> page;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return !pages.empty() || done; });
        if (pages.empty()) break;
        page = std::move(pages.front());
        pages.pop_front();
        changed.notify_all();
      }
      VerifyPage(page, head.size, &size, &frontier, &root);
    }
    reader.join();
    pipelined_verify_seconds_ = Seconds(Steady::now() - t0);
    if (size != head.size || root != head.root) Die("pipelined verify: wrong root");
  }

  static void VerifyPage(const std::vector<StoredEntry>& page, uint64_t tree_size, uint64_t* size,
                         std::vector<ledger::Hash>* frontier, ledger::Hash* root) {
    const size_t expected =
        static_cast<size_t>(std::min<uint64_t>(kMaxEntriesPage, tree_size - *size));
    if (page.size() != expected) Die("full verify: a page is short");
    std::vector<ledger::Hash> leaves;
    leaves.reserve(page.size());
    for (size_t i = 0; i < page.size(); ++i) {
      if (page[i].index != *size + i) Die("full verify: an index is missing");
      leaves.push_back(ledger::LeafHash(page[i].bytes));
      if (leaves.back() != page[i].leaf_hash) Die("full verify: a stored leaf hash differs");
    }
    ledger::AppendResult appended =
        Must(ledger::AppendLeaves(*size, *frontier, leaves), "append leaves");
    *size += page.size();
    *frontier = std::move(appended.frontier);
    *root = std::move(appended.root);
  }

  // -------------------------------------------------------------------------------------------

  void Report() {
    std::vector<Row> rows;
    const std::string ref_a = PerSecond(ref_rate_) + " (A)";
    const double ref_p50 = Percentile(ref_latency_, 0.5);
    const double ref_p99 = Percentile(ref_latency_, 0.99);
    const std::string ref_a_latency =
        "A commit " + Latency(ref_p50) + " / " + Latency(ref_p99) + " (A)";
    rows.push_back(
        Row{"**A**: single-row durable commits, 1 client (INSERT + COMMIT)",
            PerSecond(ref_rate_) + "; p50 " + Latency(ref_p50) + ", p99 " + Latency(ref_p99),
            "physical reference", "", "", ""});
    rows.push_back(Row{"**B**: SHA-256 node hashes (65 B), OpenSSL, 1 core",
                       PerSecond(hashes_.raw_node), "physical reference", "", "", ""});
    rows.push_back(Row{"single appends, 1 client (queue txn + 1-entry batch txn)",
                       PerSecond(single_rate_), ref_a, Format("%.2f", single_rate_ / ref_rate_), "",
                       ""});
    const double single_p50 = Percentile(single_latency_, 0.5);
    const double single_p99 = Percentile(single_latency_, 0.99);
    rows.push_back(Row{"single append latency p50 / p99",
                       Latency(single_p50) + " / " + Latency(single_p99), ref_a_latency,
                       Format("%.1f× / %.1f×", single_p50 / ref_p50, single_p99 / ref_p99), "",
                       ""});
    for (size_t k = 0; k < batched_.size(); ++k) {
      const BatchedRun& run = batched_[k];
      const BatchedRun& group = multi_reference_[k];
      const BatchedRun& unwaited = unwaited_[k];
      const int clients = run.producers;
      const bool headline = clients == options_.producers;
      const std::string ref_group = Format("A×%d %s", clients, PerSecond(group.rate).c_str());
      rows.push_back(
          Row{Format("**A×%d**: single-row durable commits, %d clients", clients, clients),
              PerSecond(group.rate) + "; p50 " + Latency(Percentile(group.commit_latency, 0.5)) +
                  ", p99 " + Latency(Percentile(group.commit_latency, 0.99)),
              "physical reference (group commit)", "", "", ""});
      rows.push_back(Row{Format("%sbatched appends%s, %d producers + LedgerSequencer, each "
                                "waiting for its receipt (head growth)",
                                headline ? "**" : "", headline ? "**" : "", clients),
                         PerSecond(run.rate), ref_a + "; " + ref_group,
                         Format("%.2f; %.2f", run.rate / ref_rate_, run.rate / group.rate),
                         "≥ 5,000/s", run.rate >= kGoalBatchedPerSecond ? "yes" : "**no**"});
      const double receipt_p50 = Percentile(run.receipt_latency, 0.5);
      const double receipt_p99 = Percentile(run.receipt_latency, 0.99);
      rows.push_back(
          Row{Format("%d producers: commit of the queue row → receipt, p50 / p99", clients),
              Latency(receipt_p50) + " / " + Latency(receipt_p99), ref_a_latency,
              Format("%.1f× / %.1f×", receipt_p50 / ref_p50, receipt_p99 / ref_p99), "", ""});
      const double total_p50 = Percentile(run.total_latency, 0.5);
      const double total_p99 = Percentile(run.total_latency, 0.99);
      rows.push_back(
          Row{Format("%d producers: begin of the queue txn → receipt, p50 / p99", clients),
              Latency(total_p50) + " / " + Latency(total_p99), ref_a_latency,
              Format("%.1f× / %.1f×", total_p50 / ref_p50, total_p99 / ref_p99), "", ""});
      rows.push_back(
          Row{Format("%d producers not waiting for receipts: queued / sequenced", clients),
              PerSecond(unwaited.queued_rate) + " / " + PerSecond(unwaited.rate), ref_group,
              Format("%.2f / %.2f", unwaited.queued_rate / group.rate, unwaited.rate / group.rate),
              "(≥ 5,000/s)", unwaited.rate >= kGoalBatchedPerSecond ? "yes" : "no"});
    }
    rows.push_back(
        Row{Format("sequencer alone: drain %llu pre-queued entries, max_batch %d",
                   static_cast<unsigned long long>(options_.drain_entries), options_.max_batch),
            PerSecond(drain_rate_), ref_a, Format("%.1f", drain_rate_ / ref_rate_), "", ""});
    rows.push_back(Row{Format("fill to %llu entries (bulk: AppendLeaves + multi-row INSERTs)",
                              static_cast<unsigned long long>(log_size_)),
                       Format("%.1f s (%s)", fill_seconds_,
                              PerSecond(D(log_size_ - fill_from_) / fill_seconds_).c_str()),
                       "", "", "", ""});
    const double proof_p50 = Percentile(proof_latency_, 0.5);
    const double proof_p99 = Percentile(proof_latency_, 0.99);
    const double lookup_p50 = Percentile(lookup_latency_, 0.5);
    const double lookup_p99 = Percentile(lookup_latency_, 0.99);
    rows.push_back(Row{Format("inclusion proof (ReadInclusionProof) at %llu entries, p50 / p99",
                              static_cast<unsigned long long>(log_size_)),
                       Latency(proof_p50) + " / " + Latency(proof_p99),
                       "PK SELECT " + Latency(lookup_p50) + " / " + Latency(lookup_p99),
                       Format("%.1f× / %.1f×", proof_p50 / lookup_p50, proof_p99 / lookup_p99), "",
                       ""});
    const double n = D(log_size_);
    const double hashes = 2 * n - 1;  // n leaf hashes + n - 1 node hashes
    const double verify_rate = hashes / verify_seconds_;
    rows.push_back(
        Row{Format("**full verify** at %llu entries (read + hash, 1 thread)",
                   static_cast<unsigned long long>(log_size_)),
            PerSecond(n / verify_seconds_) + " entries = " + PerSecond(verify_rate) + " hashes",
            PerSecond(hashes_.raw_node) + " (B)", Format("%.2f", verify_rate / hashes_.raw_node),
            "≥ 0.50 of B", verify_rate / hashes_.raw_node >= kGoalVerifyRatio ? "yes" : "**no**"});
    const double pipelined_rate = hashes / pipelined_verify_seconds_;
    rows.push_back(Row{"full verify, reading ∥ hashing (2 threads)",
                       PerSecond(n / pipelined_verify_seconds_) +
                           " entries = " + PerSecond(pipelined_rate) + " hashes",
                       PerSecond(hashes_.raw_node) + " (B)",
                       Format("%.2f", pipelined_rate / hashes_.raw_node), "(≥ 0.50 of B)",
                       pipelined_rate / hashes_.raw_node >= kGoalVerifyRatio ? "yes" : "no"});
    const double cpu_rate = hashes / verify_hash_seconds_;
    rows.push_back(
        Row{"full verify, hashing part only (already-fetched bytes)",
            PerSecond(n / verify_hash_seconds_) + " entries = " + PerSecond(cpu_rate) + " hashes",
            PerSecond(hashes_.raw_node) + " (B)", Format("%.2f", cpu_rate / hashes_.raw_node),
            "(≥ 0.50 of B)", cpu_rate / hashes_.raw_node >= kGoalVerifyRatio ? "yes" : "no"});
    const double raw_rate = hashes / raw_hash_seconds_;
    rows.push_back(
        Row{"full verify, hashing part with a reused OpenSSL context (bench-local)",
            PerSecond(n / raw_hash_seconds_) + " entries = " + PerSecond(raw_rate) + " hashes",
            PerSecond(hashes_.raw_node) + " (B)", Format("%.2f", raw_rate / hashes_.raw_node),
            "(≥ 0.50 of B)", raw_rate / hashes_.raw_node >= kGoalVerifyRatio ? "yes" : "no"});
    // What the hashing would cost at OpenSSL's raw speed: n leaf hashes of this size plus n - 1
    // node hashes. The share of the verify time that is that unavoidable work.
    const double ideal = n / hashes_.raw_leaf + (n - 1) / hashes_.raw_node;
    rows.push_back(Row{"full verify, cost-weighted: raw hashing time / verify time",
                       Format("%.2f s raw hashing in %.2f s", ideal, verify_seconds_),
                       "B and raw leaf rate", Format("%.2f", ideal / verify_seconds_), "", ""});
    rows.push_back(Row{"full verify, reading part only (ReadEntries pages of 1000)",
                       PerSecond(n / verify_fetch_seconds_) + " entries", "", "", "", ""});

    std::printf("### Machine\n\n");
    std::printf("- CPU: %s, %d online cores (nproc), SHA extensions: %s\n", cpu_model_.c_str(),
                cores_, sha_ni_ ? "yes" : "no");
    std::printf(
        "- MariaDB %s: innodb_flush_log_at_trx_commit=%s, sync_binlog=%s, log_bin=%s, "
        "buffer pool %lld MiB, redo log %lld MiB\n",
        version_.c_str(), flush_.c_str(), sync_binlog_.c_str(), log_bin_.c_str(),
        static_cast<long long>(buffer_pool_mib_), static_cast<long long>(redo_mib_));
    std::printf("- load average (1, 5, 15 min): %s at start, %s at end\n", load_start_.c_str(),
                load_end_.c_str());
    std::printf(
        "- entries: %zu bytes of canonical JSON each; at %llu entries the log takes %s on disk "
        "(data + indexes), against a buffer pool of %lld MiB\n\n",
        hashes_.leaf_bytes, static_cast<unsigned long long>(log_size_), table_sizes_.c_str(),
        static_cast<long long>(buffer_pool_mib_));

    std::printf("### Results\n\n");
    std::printf("| measurement | value | reference (same run) | ratio | goal | met? |\n");
    std::printf("|---|---|---|---|---|---|\n");
    for (const Row& row : rows) {
      std::printf("| %s | %s | %s | %s | %s | %s |\n", row.measurement.c_str(), row.value.c_str(),
                  row.reference.c_str(), row.ratio.c_str(), row.goal.c_str(), row.met.c_str());
    }

    std::printf("\n### SHA-256 rates (1 core)\n\n");
    std::printf("| what | rate | / B |\n|---|---|---|\n");
    const auto hash_row = [&](const char* what, double rate) {
      std::printf("| %s | %s | %.2f |\n", what, PerSecond(rate).c_str(), rate / hashes_.raw_node);
    };
    hash_row("node, EVP with a fetched digest and a reused context", hashes_.raw_node_evp);
    hash_row("node, SHA256() one-shot", hashes_.raw_node_sha256);
    hash_row("node, EVP_Digest(EVP_sha256()) one-shot (a context per call)",
             hashes_.evp_oneshot_node);
    hash_row("node, crypto::Sha256 over the 65 bytes", hashes_.crypto_node);
    hash_row("node, ledger::NodeHash", hashes_.ledger_node);
    std::printf("| leaf (%zu B entry), EVP reused context | %s | %.2f |\n", hashes_.leaf_bytes,
                PerSecond(hashes_.raw_leaf).c_str(), hashes_.raw_leaf / hashes_.raw_node);
    std::printf("| leaf (%zu B entry), ledger::LeafHash | %s | %.2f |\n", hashes_.leaf_bytes,
                PerSecond(hashes_.ledger_leaf).c_str(), hashes_.ledger_leaf / hashes_.raw_node);

    std::printf("\n### Where the time goes\n\n");
    std::printf(
        "Per entry (per commit for A; per queued entry when not waiting for receipts). "
        "Statements are prepared-statement executions; rows scanned are rows read by table or "
        "index scans (Handler_read_rnd_next + Handler_read_next); row lock waits are InnoDB's, "
        "for the whole phase; CPU is this process (client) and mariadbd (server); busy is their "
        "sum over wall time and %d cores.\n\n",
        cores_);
    std::printf(
        "| phase | wall | entries | statements | commits | binlog group commits | InnoDB fsyncs | "
        "rows written | rows scanned | row lock waits (total time) | client CPU | server CPU | "
        "busy | load1 |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    std::vector<const PhaseProfile*> profiles = {&ref_profile_, &single_profile_};
    for (size_t k = 0; k < batched_.size(); ++k) {
      profiles.push_back(&multi_reference_[k].profile);
      profiles.push_back(&batched_[k].profile);
      profiles.push_back(&unwaited_[k].profile);
    }
    profiles.push_back(&drain_profile_);
    profiles.push_back(&verify_profile_);
    for (const PhaseProfile* p : profiles) {
      const double e = D(p->entries);
      std::string server = "?";
      std::string busy = "?";
      if (p->server_known) {
        server = Format("%.1f µs", p->server_cpu / e * 1e6);
        busy = Format("%.0f%%", (p->client_cpu + p->server_cpu) / p->wall / cores_ * 100);
      }
      std::printf(
          "| %s | %.1f s | %llu | %.2f | %.3f | %.3f | %.3f | %.2f | %.2f | %lld (%lld ms) | %.1f "
          "µs | %s | %s | %.1f |\n",
          p->name.c_str(), p->wall, static_cast<unsigned long long>(p->entries),
          p->PerEntry("COM_STMT_EXECUTE"), p->PerEntry("COM_COMMIT"),
          p->PerEntry("BINLOG_GROUP_COMMITS"), p->PerEntry("INNODB_DATA_FSYNCS"),
          p->PerEntry("HANDLER_WRITE"),
          p->PerEntry("HANDLER_READ_RND_NEXT") + p->PerEntry("HANDLER_READ_NEXT"),
          static_cast<long long>(p->Delta("INNODB_ROW_LOCK_WAITS")),
          static_cast<long long>(p->Delta("INNODB_ROW_LOCK_TIME")), p->client_cpu / e * 1e6,
          server.c_str(), busy.c_str(), p->load_samples > 0 ? p->load_sum / p->load_samples : 0.0);
    }

    std::printf("\n### Latency detail\n\n");
    std::printf("| what | p50 | p99 | samples |\n|---|---|---|---|\n");
    const auto latency_row = [](const char* what, const std::vector<double>& samples) {
      std::printf("| %s | %s | %s | %zu |\n", what, Latency(Percentile(samples, 0.5)).c_str(),
                  Latency(Percentile(samples, 0.99)).c_str(), samples.size());
    };
    latency_row("A: INSERT + COMMIT", ref_latency_);
    latency_row("single: queue transaction (AppendLedgerEntry)", single_queue_latency_);
    latency_row("single: batch transaction (SequenceBatch of 1, signs)", single_batch_latency_);
    for (const BatchedRun& run : multi_reference_) {
      latency_row(Format("A×%d: INSERT + COMMIT", run.producers).c_str(), run.commit_latency);
    }
    for (const BatchedRun& run : unwaited_) {
      latency_row(Format("not waiting, %d producers: queue transaction", run.producers).c_str(),
                  run.commit_latency);
    }
    for (const BatchedRun& run : batched_) {
      latency_row(Format("batched, %d producers: queue transaction", run.producers).c_str(),
                  run.commit_latency);
      latency_row(Format("batched, %d producers: commit → receipt", run.producers).c_str(),
                  run.receipt_latency);
    }
    latency_row("drain: one SequenceBatch transaction", drain_batch_latency_);
    latency_row("inclusion proof", proof_latency_);
    latency_row("PK SELECT (reference)", lookup_latency_);
    std::printf("\n");
    std::vector<const BatchedRun*> runs;
    for (const BatchedRun& run : batched_) runs.push_back(&run);
    for (const BatchedRun& run : unwaited_) runs.push_back(&run);
    for (const BatchedRun* r : runs) {
      const BatchedRun& run = *r;
      std::printf(
          "%s: %llu entries in about %llu batches (distinct sequenced_at_ms), mean %.1f "
          "entries per batch; %llu checkpoints signed; the head stood still for at most %.0f "
          "ms; %llu entries queued at the end.\n",
          run.profile.name.c_str(), static_cast<unsigned long long>(run.profile.entries),
          static_cast<unsigned long long>(run.batches),
          run.batches == 0 ? 0.0 : D(run.profile.entries) / D(run.batches),
          static_cast<unsigned long long>(run.checkpoints), run.max_stall_ms,
          static_cast<unsigned long long>(run.queue_depth));
    }
    std::printf("Inclusion proofs carry %.1f hashes on average.\n",
                proof_latency_.empty() ? 0.0 : D(proof_hashes_) / D(proof_latency_.size()));
    std::printf(
        "Fill: %.1f s, of which %.1f s encoding and hashing in memory; queue pre-fill of %llu "
        "entries: %.1f s.\n",
        fill_seconds_, fill_cpu_seconds_, static_cast<unsigned long long>(options_.drain_entries),
        prefill_seconds_);
    std::printf(
        "Full verify (1 thread): %.2f s = %.2f s reading + %.2f s hashing (the same hashing with "
        "a reused OpenSSL context: %.2f s); reading ∥ hashing on 2 threads: %.2f s.\n",
        verify_seconds_, verify_fetch_seconds_, verify_hash_seconds_, raw_hash_seconds_,
        pipelined_verify_seconds_);

    std::printf("\n### Sequencer batch cost (one SequenceBatch transaction, median)\n\n");
    std::printf(
        "Queue dry: the queue holds exactly the batch, so the batch signs a checkpoint (the "
        "case under light or moderate load). Queue not dry: one more entry waits, so no "
        "checkpoint is signed.\n\n");
    std::printf(
        "| batch | queue dry (signs): time | entries/s | statements | queue not dry: time | "
        "entries/s | statements |\n|---|---|---|---|---|---|---|\n");
    for (const SweepPoint& s : sweep_) {
      if (!s.signs) continue;
      for (const SweepPoint& u : sweep_) {
        if (u.signs || u.batch != s.batch) continue;
        std::printf("| %d | %s | %s | %.0f | %s | %s | %.0f |\n", s.batch,
                    Latency(s.median_us).c_str(), PerSecond(s.batch / s.median_us * 1e6).c_str(),
                    s.statements, Latency(u.median_us).c_str(),
                    PerSecond(u.batch / u.median_us * 1e6).c_str(), u.statements);
      }
    }
    std::fflush(stdout);
  }

  const Options options_;
  const DbConfig server_config_;
  DbConfig config_;
  const ledger::NoteSigner signer_;
  const EntryMaker maker_;
  std::unique_ptr<DbConnection> admin_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<Prober> prober_;

  std::string cpu_model_, version_, flush_, sync_binlog_, log_bin_, load_start_, load_end_;
  int cores_ = 0;
  bool sha_ni_ = false;
  int64_t buffer_pool_mib_ = 0;
  int64_t redo_mib_ = 0;
  long server_pid_ = 0;

  HashRates hashes_;
  std::vector<double> ref_latency_, single_latency_, single_queue_latency_, single_batch_latency_;
  std::atomic<uint64_t> serial_{uint64_t{1} << 30};
  std::atomic<int64_t> reference_id_{int64_t{1} << 40};  // ids of A×K's rows
  std::vector<BatchedRun> batched_, unwaited_, multi_reference_;
  std::vector<double> drain_batch_latency_, proof_latency_, lookup_latency_;
  PhaseProfile ref_profile_, single_profile_, drain_profile_, verify_profile_;
  double ref_rate_ = 0, single_rate_ = 0, drain_rate_ = 0;
  double prefill_seconds_ = 0;
  std::vector<SweepPoint> sweep_;
  uint64_t fill_from_ = 0, log_size_ = 0, proof_hashes_ = 0;
  double fill_seconds_ = 0, fill_cpu_seconds_ = 0;
  double verify_seconds_ = 0, verify_fetch_seconds_ = 0, verify_hash_seconds_ = 0;
  double pipelined_verify_seconds_ = 0, raw_hash_seconds_ = 0;
  std::string table_sizes_;
};

}  // namespace
}  // namespace restitution::bench

int main(int argc, char** argv) {
  restitution::bench::SetProgramName("ledger_bench");
  restitution::bench::Options options = restitution::bench::ParseOptions(argc, argv);
  restitution::bench::Bench bench(std::move(options));
  bench.Run();
  return 0;
}
