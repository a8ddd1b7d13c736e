#include "api/metrics.h"

#include <gtest/gtest.h>

namespace restitution {
namespace {

TEST(MetricsTest, CountsAndCumulativeBuckets) {
  Metrics metrics;
  metrics.RecordRequest("GET /healthz", "GET", 200, 1500);      // 1.5 ms -> le=2
  metrics.RecordRequest("GET /healthz", "GET", 200, 30000);     // 30 ms -> le=50
  metrics.RecordRequest("GET /healthz", "GET", 503, 20000000);  // 20 s -> +Inf only
  const std::string text = metrics.RenderPrometheus();
  EXPECT_NE(text.find("restitution_http_requests_total{route=\"GET /healthz\",method=\"GET\","
                      "status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("status=\"503\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /healthz\",le=\"1\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /healthz\",le=\"2\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /healthz\",le=\"50\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /healthz\",le=\"10000\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("_bucket{route=\"GET /healthz\",le=\"+Inf\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("_count{route=\"GET /healthz\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("_sum{route=\"GET /healthz\"} 20031\n"), std::string::npos);
}

TEST(MetricsTest, GaugesAreReadAtScrapeTime) {
  Metrics metrics;
  int64_t value = 3;
  metrics.AddGauge("restitution_test_gauge", "A test gauge.", [&] { return value; });
  EXPECT_NE(metrics.RenderPrometheus().find("restitution_test_gauge 3\n"), std::string::npos);
  value = 9;
  EXPECT_NE(metrics.RenderPrometheus().find("restitution_test_gauge 9\n"), std::string::npos);
  EXPECT_NE(metrics.RenderPrometheus().find("# TYPE restitution_test_gauge gauge\n"),
            std::string::npos);
}

}  // namespace
}  // namespace restitution
