#include "bench/bench_support.h"

#include <sys/resource.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>

namespace restitution::bench {
namespace {

const char* program_name = "bench";

}  // namespace

void SetProgramName(const char* name) { program_name = name; }

std::string Format(const char* format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  return buffer;
}

void Progress(const std::string& message) {
  std::fprintf(stderr, "[%s] %s\n", program_name, message.c_str());
  std::fflush(stderr);
}

void Die(const std::string& what) {
  std::fprintf(stderr, "[%s] ERROR: %s\n", program_name, what.c_str());
  std::exit(1);
}

void MustOk(const Status& status, const std::string& what) {
  if (!status.ok()) Die(what + ": " + status.ToString());
}

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double Percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const double rank = p * static_cast<double>(samples.size());
  size_t index = static_cast<size_t>(rank);
  if (static_cast<double>(index) < rank) ++index;
  index = std::clamp<size_t>(index, 1, samples.size()) - 1;
  return samples[index];
}

DbConfig ServerConfigFromEnvironment(int pool_size, int lock_wait_timeout_seconds) {
  auto env = [](const char* name) {
    const char* value = std::getenv(name);
    return std::string(value == nullptr ? "" : value);
  };
  DbConfig config;
  config.socket = env("RESTITUTION_DB_SOCKET");
  config.host = env("RESTITUTION_DB_HOST");
  if (!env("RESTITUTION_DB_PORT").empty()) {
    config.port = std::atoi(env("RESTITUTION_DB_PORT").c_str());
  }
  if (!env("RESTITUTION_DB_USER").empty()) config.user = env("RESTITUTION_DB_USER");
  config.password = env("RESTITUTION_DB_PASSWORD");
  if (config.socket.empty() && config.host.empty()) {
    Die("set RESTITUTION_DB_SOCKET (or RESTITUTION_DB_HOST); bench/run.sh does");
  }
  config.database = "";
  config.pool_size = pool_size;
  config.acquire_timeout_ms = 30000;
  config.lock_wait_timeout_seconds = lock_wait_timeout_seconds;
  return config;
}

}  // namespace restitution::bench
