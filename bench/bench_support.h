// What every benchmark program needs around its measurements: formatted text, progress and
// fatal errors on stderr tagged with the program's name, Status checks that stop the run,
// timing in seconds, and the database to measure named by the environment bench/run.sh sets.
#ifndef RESTITUTION_BENCH_BENCH_SUPPORT_H_
#define RESTITUTION_BENCH_BENCH_SUPPORT_H_

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "crypto/status.h"
#include "service/db_config.h"

namespace restitution::bench {

using Steady = std::chrono::steady_clock;

// The tag of Progress and Die lines ("ledger_bench"); set once at the start of main.
void SetProgramName(const char* name);

std::string Format(const char* format, ...) __attribute__((format(printf, 1, 2)));
void Progress(const std::string& message);
[[noreturn]] void Die(const std::string& what);

void MustOk(const Status& status, const std::string& what);
template <typename T>
T Must(StatusOr<T> value, const std::string& what) {
  MustOk(value.status(), what);
  return std::move(value).value();
}

double Seconds(Steady::duration d);
// CPU time (user + system) of this process: the client side of a measurement, to tell it
// apart from time spent waiting for the server and the disk.
double ProcessCpuSeconds();

// Nearest-rank percentile (p in 0..1) of samples; 0 for no samples.
double Percentile(std::vector<double> samples, double p);

// RESTITUTION_DB_SOCKET or _HOST/_PORT, _USER, _PASSWORD; no database selected (the program
// makes its own). Dies when neither a socket nor a host is set.
DbConfig ServerConfigFromEnvironment(int pool_size, int lock_wait_timeout_seconds);

}  // namespace restitution::bench

#endif  // RESTITUTION_BENCH_BENCH_SUPPORT_H_
