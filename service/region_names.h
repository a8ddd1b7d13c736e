// The names shown beside administrative division codes ("310104" → "上海市徐汇区"), so that a
// claimant choosing a region on a phone sees a place, not six digits. From the 2023 edition of
// the statistical division codes (service/region_names.tsv, compiled in).
#ifndef RESTITUTION_SERVICE_REGION_NAMES_H_
#define RESTITUTION_SERVICE_REGION_NAMES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace restitution {

// The full name of a province-, prefecture- or county-level code, province first; nullopt for a
// code the edition does not list. Such a code is not wrong: divisions merged before 2023
// (闸北区 310108, in 2015) keep their codes in the cases from that time.
std::optional<std::string_view> RegionName(std::string_view code);

// The name as a JSON string, or null for a code without one.
nlohmann::json RegionNameJson(std::string_view code);

// {code: name} for those of `codes` that have a name.
nlohmann::json RegionNamesJson(const std::vector<std::string>& codes);

// service/region_names.tsv: "#" comment lines, then "code\tname" lines in code order.
std::string_view EmbeddedRegionNamesTsv();

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_REGION_NAMES_H_
