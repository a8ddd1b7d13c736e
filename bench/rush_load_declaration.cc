#include "bench/rush_load_declaration.h"

#include <nlohmann/json.hpp>

#include "bench/bench_support.h"

namespace restitution::bench {

std::string ResidentId(const std::string& first17) {
  static constexpr int kWeights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t d = 0; d < 17 && d < first17.size(); ++d) sum += (first17[d] - '0') * kWeights[d];
  return first17 + "10X98765432"[sum % 11];
}

std::string IdNumber(int i) {
  // 1000 sequence numbers a day, 28 days a month (every month has them), a new month every
  // 28000: distinct for all of 0..99999.
  static_assert(kMaxClaimants <= 9 * 28000, "the month is one digit");
  const int month = 1 + i / 28000;
  const int day = 1 + (i / 1000) % 28;
  return ResidentId(Format("31010419800%d%02d%03d", month, day, i % 1000));
}

std::string Principal(int i) { return Format("%d.%02d", 1000 + (i * 37) % 9000, i % 100); }

std::string DeclarationBody(int i) {
  // ordered_json keeps the keys in the order JSON.stringify writes them; non-ASCII text goes
  // out as UTF-8, as Node sends it.
  using nlohmann::ordered_json;
  const ordered_json body = {
      {"identity",
       {{"name", "王五"},
        {"id_number", IdNumber(i)},
        {"phone", "13800138000"},
        {"bank_name", "中国工商银行"},
        {"bank_account", "6222020200112233446"}}},
      {"region", "310104"},
      {"accounts",
       ordered_json::array({{{"platform_account", "u" + std::to_string(i)}, {"channel", "app"}}})},
      {"contributions", ordered_json::array({{{"date", "2024-03-01"}, {"amount", Principal(i)}}})},
      {"returns", ordered_json::array()},
  };
  return body.dump();
}

}  // namespace restitution::bench
