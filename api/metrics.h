// Request metrics in Prometheus text format: counts by route, method and status, and latency
// histograms by route (milliseconds, integer buckets). Gauges are sampled at scrape time.
#ifndef RESTITUTION_API_METRICS_H_
#define RESTITUTION_API_METRICS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace restitution {

class Metrics {
 public:
  static constexpr std::array<int64_t, 12> kBucketsMs = {1,   2,   5,   10,   25,   50,
                                                         100, 250, 500, 1000, 2500, 10000};

  void RecordRequest(const std::string& route, const std::string& method, int status,
                     int64_t latency_us);
  // A gauge read when /metrics is scraped: name, help, and a function returning the value.
  void AddGauge(std::string name, std::string help, std::function<int64_t()> read);
  std::string RenderPrometheus() const;

 private:
  struct Histogram {
    std::array<uint64_t, kBucketsMs.size()> buckets{};  // cumulative on render, not here
    uint64_t count = 0;
    int64_t sum_us = 0;
  };
  struct Gauge {
    std::string name;
    std::string help;
    std::function<int64_t()> read;
  };

  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;  // guarded by mu_
  std::map<std::string, Histogram> latency_;                                // guarded by mu_
  std::vector<Gauge> gauges_;  // written before serving, read-only afterwards
};

}  // namespace restitution

#endif  // RESTITUTION_API_METRICS_H_
