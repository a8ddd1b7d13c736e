#include "service/region_names.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace restitution {
namespace {

using Entry = std::pair<std::string_view, std::string_view>;

// Parsed once; the views point into the compiled-in text. The file is generated and checked
// into the repository, so a malformed one is a build defect: abort rather than show
// wrong names.
std::vector<Entry> ParseTable() {
  std::vector<Entry> table;
  std::string_view text = EmbeddedRegionNamesTsv();
  size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty() || line.front() == '#') continue;
    const size_t tab = line.find('\t');
    const std::string_view code = line.substr(0, tab);
    const bool code_ok = tab == 6 && std::all_of(code.begin(), code.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; });
    if (!code_ok || tab + 1 >= line.size() || (!table.empty() && table.back().first >= code)) {
      std::fprintf(stderr, "region_names.tsv line %zu is malformed or out of order\n", line_number);
      std::abort();
    }
    table.emplace_back(code, line.substr(tab + 1));
  }
  return table;
}

const std::vector<Entry>& Table() {
  static const std::vector<Entry> table = ParseTable();
  return table;
}

}  // namespace

std::optional<std::string_view> RegionName(std::string_view code) {
  const std::vector<Entry>& table = Table();
  const auto it = std::lower_bound(table.begin(), table.end(), code,
                                   [](const Entry& e, std::string_view c) { return e.first < c; });
  if (it == table.end() || it->first != code) return std::nullopt;
  return it->second;
}

nlohmann::json RegionNameJson(std::string_view code) {
  const std::optional<std::string_view> name = RegionName(code);
  return name ? nlohmann::json(std::string(*name)) : nlohmann::json(nullptr);
}

nlohmann::json RegionNamesJson(const std::vector<std::string>& codes) {
  nlohmann::json names = nlohmann::json::object();
  for (const std::string& code : codes) {
    if (const std::optional<std::string_view> name = RegionName(code)) {
      names[code] = std::string(*name);
    }
  }
  return names;
}

}  // namespace restitution
