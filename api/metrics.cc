#include "api/metrics.h"

#include <sstream>

namespace restitution {
namespace {

// Label values are route patterns and methods of our own; escaping keeps the format valid
// whatever they hold.
std::string Escape(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::RecordRequest(const std::string& route, const std::string& method, int status,
                            int64_t latency_us) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, method, status}];
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBucketsMs.size(); ++i) {
    if (latency_us <= kBucketsMs[i] * 1000) {
      ++h.buckets[i];
      break;
    }
  }
  ++h.count;
  h.sum_us += latency_us;
}

void Metrics::AddGauge(std::string name, std::string help, std::function<int64_t()> read) {
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::RenderPrometheus() const {
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out << "# HELP restitution_http_requests_total HTTP requests by route, method and status.\n"
        << "# TYPE restitution_http_requests_total counter\n";
    for (const auto& [key, count] : requests_) {
      out << "restitution_http_requests_total{route=\"" << Escape(std::get<0>(key))
          << "\",method=\"" << Escape(std::get<1>(key)) << "\",status=\"" << std::get<2>(key)
          << "\"} " << count << "\n";
    }
    out << "# HELP restitution_http_request_duration_ms Request latency in milliseconds.\n"
        << "# TYPE restitution_http_request_duration_ms histogram\n";
    for (const auto& [route, h] : latency_) {
      uint64_t cumulative = 0;
      const std::string label = "route=\"" + Escape(route) + "\"";
      for (size_t i = 0; i < kBucketsMs.size(); ++i) {
        cumulative += h.buckets[i];
        out << "restitution_http_request_duration_ms_bucket{" << label << ",le=\"" << kBucketsMs[i]
            << "\"} " << cumulative << "\n";
      }
      out << "restitution_http_request_duration_ms_bucket{" << label << ",le=\"+Inf\"} " << h.count
          << "\n";
      out << "restitution_http_request_duration_ms_sum{" << label << "} " << h.sum_us / 1000
          << "\n";
      out << "restitution_http_request_duration_ms_count{" << label << "} " << h.count << "\n";
    }
  }
  for (const Gauge& gauge : gauges_) {
    out << "# HELP " << gauge.name << " " << gauge.help << "\n"
        << "# TYPE " << gauge.name << " gauge\n"
        << gauge.name << " " << gauge.read() << "\n";
  }
  return out.str();
}

}  // namespace restitution
