// rush_load: the load half of the registration rush (bench/rush.sh), a drop-in for
// `node tests/faults/driver.mjs declare` that costs the machine far less CPU per declaration,
// so the benchmark measures the service rather than its load generator. Every claimant of the
// state file declares once in every case, case after case, K at a time, until all have or
// the stop file appears; each 201 is appended to the claims log in the driver's format (its
// `check` reads it) and one JSON summary line with the driver's keys goes to stdout.
//
//   rush_load --base-url https://127.0.0.1:PORT --ca CA.pem --state STATE.json --log CLAIMS.log
//             --concurrency K --stop STOPFILE [--source-addresses N]
//   rush_load --declaration I   (claimant I's ID number, principal and body, to compare with
//                                driver.mjs)
//
// As in the driver: K runners; runner r sends from loopback addresses r, r+K, r+2K, … (of N,
// default 256) in turn, one keep-alive TLS connection each, so each address stays under
// nginx's per-address rate and handshakes happen once per address. A network error, 5xx or
// 429 is retried with the same Idempotency-Key after a short back-off until a definite answer
// or 120 s; a declaration's latency runs from its first attempt to that answer. Exit status 1
// when a declaration ended without a 201 (or the claims log could not be written), 2 on usage
// errors.
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include <openssl/rand.h>
#include <nlohmann/json.hpp>

#include "bench/bench_support.h"
#include "bench/rush_load_declaration.h"
#include "bench/rush_load_http.h"
#include "bench/rush_load_options.h"

namespace restitution::bench {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int kRequestTimeoutMs = 30000;                   // one attempt, as the driver's
constexpr auto kCallDeadline = std::chrono::seconds(120);  // all attempts of one declaration
constexpr auto kStopCheckInterval = std::chrono::milliseconds(50);
constexpr size_t kMaxKept = 20;  // garbage and refused answers kept for the summary

// Loopback source address number j, as the driver numbers them: 127.0.1.1 … 127.0.1.254,
// 127.0.2.1, …
sockaddr_in SourceAddress(int j) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl((127u << 24) | (static_cast<uint32_t>(1 + j / 254) << 8) |
                                  static_cast<uint32_t>(j % 254 + 1));
  return address;
}

// The stop file, looked at by one runner at a time and at most every 50 ms.
class StopFile {
 public:
  explicit StopFile(std::string path) : path_(std::move(path)) {}
  bool Requested() {
    if (stopped_.load(std::memory_order_relaxed)) return true;
    const int64_t now = Steady::now().time_since_epoch().count();
    int64_t due = next_check_.load(std::memory_order_relaxed);
    const int64_t interval =
        std::chrono::duration_cast<Steady::duration>(kStopCheckInterval).count();
    if (now < due || !next_check_.compare_exchange_strong(due, now + interval)) return false;
    struct stat info {};
    if (stat(path_.c_str(), &info) == 0) stopped_ = true;
    return stopped_.load();
  }
  void Force() { stopped_ = true; }

 private:
  const std::string path_;
  std::atomic<int64_t> next_check_{0};
  std::atomic<bool> stopped_{false};
};

// What every runner shares: read-only inputs, the job counter, the stop file and the log.
struct Shared {
  Options options;
  State state;
  std::unique_ptr<TlsClient> tls;
  sockaddr_in server{};
  std::string host_header;          // "127.0.0.1:PORT"
  std::vector<std::string> bodies;  // by claimant: the same in every case
  size_t job_count = 0;             // cases × claimants
  std::atomic<size_t> next_job{0};
  std::unique_ptr<StopFile> stop;
  int log_fd = -1;
  std::mutex error_mutex;
  std::string fatal_error;  // the first; stops the run
};

void Fail(Shared* shared, const std::string& error) {
  {
    std::lock_guard<std::mutex> lock(shared->error_mutex);
    if (shared->fatal_error.empty()) shared->fatal_error = error;
  }
  shared->stop->Force();
}

// One runner's results; merged at the end so runners never contend for them.
struct Tally {
  std::map<int, int64_t> statuses;  // every answer, network errors as 0
  std::vector<ordered_json> garbage;
  std::vector<ordered_json> refused;
  std::vector<double> latencies_ms;
  int64_t declarations = 0;
  int64_t refused_count = 0;
  int64_t replayed = 0;
};

// One attempt's outcome: status 0 for a network error, which `error` describes.
struct Attempt {
  int status = 0;
  std::string body;
  bool replayed = false;
  std::string error;
};

// A source address and its kept-alive connection (none until first used or after an error).
struct Slot {
  sockaddr_in source{};
  std::unique_ptr<HttpConnection> connection;
};

// 32 hex digits from the CSPRNG; empty if it fails.
std::string NewKey() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return "";
  std::string key;
  for (unsigned char b : bytes) key += Format("%02x", b);
  return key;
}

std::string DeclarationRequest(const Shared& shared, int64_t case_id, int i,
                               const std::string& key) {
  const std::string& body = shared.bodies[static_cast<size_t>(i)];
  return "POST /api/v1/cases/" + std::to_string(case_id) +
         "/claims HTTP/1.1\r\nHost: " + shared.host_header + "\r\nAuthorization: Bearer " +
         shared.state.tokens[static_cast<size_t>(i)] + "\r\nIdempotency-Key: " + key +
         "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

Attempt Once(const Shared& shared, Slot* slot, const std::string& request) {
  Attempt attempt;
  if (slot->connection == nullptr) {
    StatusOr<std::unique_ptr<HttpConnection>> opened =
        HttpConnection::Open(*shared.tls, slot->source, shared.server, kRequestTimeoutMs);
    if (!opened.ok()) {
      attempt.error = opened.status().message();
      return attempt;
    }
    slot->connection = std::move(opened).value();
  }
  StatusOr<HttpAnswer> answer = slot->connection->Exchange(request, kRequestTimeoutMs);
  if (!answer.ok() || !slot->connection->reusable()) slot->connection.reset();
  if (!answer.ok()) {
    attempt.error = answer.status().message();
    return attempt;
  }
  attempt.status = answer->status;
  attempt.body = std::move(answer->body);
  attempt.replayed = answer->replayed;
  return attempt;
}

// Counts an answer; keeps the first 5xx bodies that are not the service's JSON errors.
void Count(const Attempt& attempt, Tally* tally) {
  ++tally->statuses[attempt.status];
  if (attempt.status < 500 || tally->garbage.size() >= kMaxKept) return;
  const json body = json::parse(attempt.body, nullptr, false);
  const bool json_error = body.is_object() && body.contains("error") && body["error"].is_object() &&
                          body["error"].contains("code");
  if (!json_error) {
    tally->garbage.push_back({{"status", attempt.status}, {"body", attempt.body.substr(0, 200)}});
  }
}

// The declaration retried with the same key until a definite answer (not a network error,
// 5xx or 429) or 120 s, backing off 50, 100, 200, 300, 300 … ms as the driver does.
Attempt Call(const Shared& shared, Slot* slot, const std::string& request, Tally* tally) {
  const Steady::time_point deadline = Steady::now() + kCallDeadline;
  for (int attempt = 0;; ++attempt) {
    Attempt answer = Once(shared, slot, request);
    Count(answer, tally);
    const bool definite = answer.status != 0 && answer.status < 500 && answer.status != 429;
    if (definite || Steady::now() > deadline) return answer;
    const int back_off_ms = std::min(50 << std::min(attempt, 3), 300);
    std::this_thread::sleep_for(std::chrono::milliseconds(back_off_ms));
  }
}

// The claim id of a 201's body, or -1.
int64_t ClaimId(const std::string& body) {
  const json answer = json::parse(body, nullptr, false);
  if (!answer.is_object() || !answer.contains("id") || !answer["id"].is_number_integer()) {
    return -1;
  }
  return answer["id"].get<int64_t>();
}

// The line driver.mjs declare appends for a 201, in its key order.
bool LogClaim(const Shared& shared, int64_t case_id, int i, int64_t claim, const std::string& key) {
  const std::string line = Format(
      "{\"op\":\"claim\",\"case\":%lld,\"i\":%d,\"claim\":%lld,\"net\":\"%s\",\"key\":\"%s\"}\n",
      static_cast<long long>(case_id), i, static_cast<long long>(claim), Principal(i).c_str(),
      key.c_str());
  // O_APPEND: each line lands whole at the end, whichever runner writes it.
  return write(shared.log_fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
}

void Declare(Shared* shared, size_t job, Slot* slot, Tally* tally) {
  const size_t claimants = shared->state.tokens.size();
  const int i = static_cast<int>(job % claimants);
  const int64_t case_id = shared->state.cases[job / claimants];
  const std::string key = NewKey();
  if (key.empty()) return Fail(shared, "RAND_bytes failed");
  const std::string request = DeclarationRequest(*shared, case_id, i, key);
  ++tally->declarations;
  const Steady::time_point asked = Steady::now();
  const Attempt answer = Call(*shared, slot, request, tally);
  tally->latencies_ms.push_back(Seconds(Steady::now() - asked) * 1e3);
  const int64_t claim = answer.status == 201 ? ClaimId(answer.body) : -1;
  if (claim >= 0) {
    if (answer.replayed) ++tally->replayed;
    if (!LogClaim(*shared, case_id, i, claim, key)) {
      Fail(shared, "cannot append to " + shared->options.log_file + ": " + std::strerror(errno));
    }
    return;
  }
  // Not a 201, or a 201 without a claim id: either way no claim the check could look for.
  ++tally->refused_count;
  if (tally->refused.size() < kMaxKept) {
    tally->refused.push_back(
        {{"case", case_id},
         {"i", i},
         {"status", answer.status},
         {"body", answer.status == 0 ? answer.error : answer.body.substr(0, 300)}});
  }
}

void Run(Shared* shared, int runner, Tally* tally) {
  const int k = shared->options.concurrency;
  const int n = shared->options.source_addresses;
  const int per_runner = std::max(1, n / k);
  std::vector<Slot> slots(static_cast<size_t>(per_runner));
  for (int t = 0; t < per_runner; ++t) {
    slots[static_cast<size_t>(t)].source = SourceAddress(
        static_cast<int>((static_cast<int64_t>(runner) + static_cast<int64_t>(k) * t) % n));
  }
  // Bounded by the jobs: each turn takes one or stops.
  for (size_t turn = 0; !shared->stop->Requested(); ++turn) {
    const size_t job = shared->next_job.fetch_add(1);
    if (job >= shared->job_count) break;
    Declare(shared, job, &slots[turn % slots.size()], tally);
  }
}

// To `digits` decimals, as the driver's +x.toFixed(digits); scaled up, rounded and divided so
// that 6.3 prints as 6.3, not 6.300000000000001.
double Rounded(double value, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(value * scale) / scale;
}

// The driver's summary line: the same keys in the same order.
ordered_json Summary(const Shared& shared, const std::vector<Tally>& tallies, double seconds) {
  std::map<int, int64_t> statuses;
  ordered_json garbage = ordered_json::array();
  ordered_json refused = ordered_json::array();
  std::vector<double> latencies;
  int64_t declarations = 0, refused_count = 0, replayed = 0;
  for (const Tally& t : tallies) {
    for (const auto& [status, count] : t.statuses) statuses[status] += count;
    for (const ordered_json& g : t.garbage) {
      if (garbage.size() < kMaxKept) garbage.push_back(g);
    }
    for (const ordered_json& r : t.refused) {
      if (refused.size() < kMaxKept) refused.push_back(r);
    }
    latencies.insert(latencies.end(), t.latencies_ms.begin(), t.latencies_ms.end());
    declarations += t.declarations;
    refused_count += t.refused_count;
    replayed += t.replayed;
  }
  ordered_json by_status = ordered_json::object();
  for (const auto& [status, count] : statuses) by_status[std::to_string(status)] = count;
  ordered_json summary = {
      {"statuses", by_status},
      {"garbage", garbage},
      {"declarations", declarations},
      {"refused", refused},
      {"refused_count", refused_count},
      {"replayed", replayed},
      {"concurrency", shared.options.concurrency},
      {"source_addresses", shared.options.source_addresses},
      {"seconds", Rounded(seconds, 1)},
      {"per_second", Rounded(static_cast<double>(declarations) / seconds, 1)},
      {"p50_ms", Rounded(Percentile(latencies, 0.5), 1)},
      {"p99_ms", Rounded(Percentile(latencies, 0.99), 1)},
      {"p999_ms", Rounded(Percentile(latencies, 0.999), 1)},
      {"max_ms", Rounded(Percentile(latencies, 1), 1)},
      {"driver_cpu_seconds", Rounded(ProcessCpuSeconds(), 2)},
  };
  if (!shared.fatal_error.empty()) summary["error"] = shared.fatal_error;
  return summary;
}

// Every connection is a descriptor: up to max(K, N) of them, beyond the usual soft limit.
void RaiseDescriptorLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

int Main(int argc, char** argv) {
  SetProgramName("rush_load");
  auto shared = std::make_unique<Shared>();
  shared->options = ParseOptions(argc, argv);
  const Options& options = shared->options;
  // OpenSSL writes with write(2), which cannot be told MSG_NOSIGNAL: a server closing a
  // connection must be an error to retry, not the end of the process.
  signal(SIGPIPE, SIG_IGN);
  RaiseDescriptorLimit();
  shared->state = ReadState(options.state_file);
  shared->tls = Must(TlsClient::Create(options.ca_file, options.host), "TLS set-up");
  shared->server.sin_family = AF_INET;
  shared->server.sin_port = htons(static_cast<uint16_t>(options.port));
  inet_pton(AF_INET, options.host.c_str(), &shared->server.sin_addr);
  shared->host_header = options.host + ":" + std::to_string(options.port);
  for (size_t i = 0; i < shared->state.tokens.size(); ++i) {
    shared->bodies.push_back(DeclarationBody(static_cast<int>(i)));
  }
  shared->job_count = shared->state.cases.size() * shared->state.tokens.size();
  shared->stop = std::make_unique<StopFile>(options.stop_file);
  shared->log_fd = open(options.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (shared->log_fd < 0) Die("cannot open " + options.log_file + ": " + std::strerror(errno));

  const size_t runners = std::min(static_cast<size_t>(options.concurrency), shared->job_count);
  std::vector<Tally> tallies(runners);
  const Steady::time_point started = Steady::now();
  std::vector<std::thread> threads;
  for (size_t r = 0; r < runners; ++r) {
    try {
      threads.emplace_back(Run, shared.get(), static_cast<int>(r), &tallies[r]);
    } catch (const std::system_error& e) {
      // Out of threads: stop the ones running and report, rather than abort mid-rush.
      Fail(shared.get(), std::string("cannot start runner ") + std::to_string(r) + ": " + e.what());
      break;
    }
  }
  for (std::thread& t : threads) t.join();
  const double seconds = std::max(Seconds(Steady::now() - started), 1e-3);
  close(shared->log_fd);

  const ordered_json summary = Summary(*shared, tallies, seconds);
  // Bodies cut at 200 or 300 bytes may end mid-character: replace rather than throw.
  std::printf("%s\n", summary.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
  const bool failed = summary["refused_count"].get<int64_t>() > 0 || !shared->fatal_error.empty();
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace restitution::bench

int main(int argc, char** argv) { return restitution::bench::Main(argc, argv); }
