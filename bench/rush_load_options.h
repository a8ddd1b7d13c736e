// rush_load's command line and its input, the state file `driver.mjs setup` writes.
#ifndef RESTITUTION_BENCH_RUSH_LOAD_OPTIONS_H_
#define RESTITUTION_BENCH_RUSH_LOAD_OPTIONS_H_

#include <cstdint>
#include <string>
#include <vector>

namespace restitution::bench {

constexpr int kMaxConcurrency = 1024;
constexpr int kMaxSourceAddresses = 4096;  // 127.0.1.1 … 127.0.17.32

struct Options {
  std::string host;  // the server's IPv4 address
  int port = 0;
  std::string ca_file;
  std::string state_file;
  std::string log_file;
  std::string stop_file;
  int concurrency = 0;
  int source_addresses = 256;
};

// The options, or a usage message and exit status 2. `--declaration I` prints claimant I's ID
// number, principal and body and exits 0.
Options ParseOptions(int argc, char** argv);

// What `driver.mjs setup` wrote: the cases, and each claimant's session token.
struct State {
  std::vector<int64_t> cases;
  std::vector<std::string> tokens;
};

// Reads and checks the state file; dies (exit 1) when it is unreadable or malformed.
State ReadState(const std::string& path);

}  // namespace restitution::bench

#endif  // RESTITUTION_BENCH_RUSH_LOAD_OPTIONS_H_
