#include "bench/rush_load_options.h"

#include <arpa/inet.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"
#include "bench/rush_load_declaration.h"

namespace restitution::bench {
namespace {

using nlohmann::json;

constexpr int kMaxCases = 10000;
constexpr size_t kMaxStateBytes = 256 << 20;

[[noreturn]] void Usage(const std::string& problem) {
  if (!problem.empty()) std::fprintf(stderr, "rush_load: %s\n", problem.c_str());
  std::fprintf(stderr,
               "usage: rush_load --base-url https://IPV4:PORT --ca CA.pem --state STATE.json "
               "--log CLAIMS.log --concurrency K --stop STOPFILE [--source-addresses N]\n"
               "       rush_load --declaration I\n"
               "Declares every claimant of STATE.json in each of its cases (driver.mjs declare); "
               "K in 1..%d, N in 1..%d (default 256).\n",
               kMaxConcurrency, kMaxSourceAddresses);
  std::exit(2);
}

// A decimal number in [low, high], or a usage error naming the flag.
int IntFlag(const std::string& flag, const std::string& text, int low, int high) {
  char* end = nullptr;
  errno = 0;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < low || value > high) {
    Usage(Format("%s must be a number in %d..%d", flag.c_str(), low, high));
  }
  return static_cast<int>(value);
}

// "https://A.B.C.D:PORT" with an optional trailing slash: the rush runs on loopback, and the
// source addresses it binds are IPv4.
void ParseBaseUrl(std::string url, Options* options) {
  const std::string scheme = "https://";
  if (url.rfind(scheme, 0) != 0) Usage("--base-url must start with https://");
  url.erase(0, scheme.size());
  if (!url.empty() && url.back() == '/') url.pop_back();
  const size_t colon = url.find(':');
  if (colon == std::string::npos) Usage("--base-url needs a port");
  options->host = url.substr(0, colon);
  in_addr address{};
  if (inet_pton(AF_INET, options->host.c_str(), &address) != 1) {
    Usage("--base-url's host must be an IPv4 address");
  }
  options->port = IntFlag("--base-url's port", url.substr(colon + 1), 1, 65535);
}

// Prints claimant I's ID number, principal and declaration body, one per line.
[[noreturn]] void PrintDeclaration(const std::string& text) {
  const int i = IntFlag("--declaration", text, 0, kMaxClaimants - 1);
  std::printf("%s\n%s\n%s\n", IdNumber(i).c_str(), Principal(i).c_str(),
              DeclarationBody(i).c_str());
  std::exit(0);
}

}  // namespace

Options ParseOptions(int argc, char** argv) {
  Options options;
  bool have_url = false;
  for (int a = 1; a < argc; ++a) {
    const std::string flag = argv[a];
    if (flag == "--help" || flag == "-h") Usage("");
    if (a + 1 >= argc) Usage(flag + " needs a value");
    const std::string value = argv[++a];
    if (flag == "--base-url") {
      ParseBaseUrl(value, &options);
      have_url = true;
    } else if (flag == "--ca") {
      options.ca_file = value;
    } else if (flag == "--state") {
      options.state_file = value;
    } else if (flag == "--log") {
      options.log_file = value;
    } else if (flag == "--stop") {
      options.stop_file = value;
    } else if (flag == "--concurrency") {
      options.concurrency = IntFlag(flag, value, 1, kMaxConcurrency);
    } else if (flag == "--source-addresses") {
      options.source_addresses = IntFlag(flag, value, 1, kMaxSourceAddresses);
    } else if (flag == "--declaration") {
      PrintDeclaration(value);
    } else {
      Usage("unknown argument " + flag);
    }
  }
  if (!have_url || options.ca_file.empty() || options.state_file.empty() ||
      options.log_file.empty() || options.stop_file.empty() || options.concurrency == 0) {
    Usage("--base-url, --ca, --state, --log, --concurrency and --stop are required");
  }
  return options;
}

State ReadState(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Die("cannot read " + path);
  std::string text;
  char chunk[65536];
  while (in.read(chunk, sizeof(chunk)) || in.gcount() > 0) {
    text.append(chunk, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxStateBytes) Die(path + " is too large");
  }
  if (in.bad()) Die("cannot read " + path);
  const json state = json::parse(text, nullptr, false);
  if (state.is_discarded() || !state.is_object()) Die(path + " is not a JSON object");
  State parsed;
  const json& cases = state.value("cases", json::array());
  const json& claimants = state.value("claimants", json::array());
  if (!cases.is_array() || cases.size() > kMaxCases) Die(path + ": bad \"cases\"");
  if (!claimants.is_array() || claimants.size() > static_cast<size_t>(kMaxClaimants)) {
    Die(path + Format(": \"claimants\" must be a list of at most %d", kMaxClaimants));
  }
  for (const json& id : cases) {
    if (!id.is_number_integer()) Die(path + ": a case id is not an integer");
    parsed.cases.push_back(id.get<int64_t>());
  }
  for (const json& claimant : claimants) {
    const json token = claimant.is_object() ? claimant.value("token", json()) : json();
    // The token goes into a header line: printable ASCII only.
    if (!token.is_string() || token.get<std::string>().empty() ||
        !std::all_of(token.get_ref<const std::string&>().begin(),
                     token.get_ref<const std::string&>().end(),
                     [](char c) { return c > ' ' && c < 127; })) {
      Die(path + ": a claimant without a usable token");
    }
    parsed.tokens.push_back(token.get<std::string>());
  }
  return parsed;
}

}  // namespace restitution::bench
