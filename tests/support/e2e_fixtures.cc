#include "tests/support/e2e_fixtures.h"

#include <gtest/gtest.h>

#include <utility>

#include "service/resident_id.h"

namespace restitution::testing {

std::string ResidentIdNumber(const std::string& region, const std::string& birth_date,
                             int sequence) {
  std::string digits = std::to_string(sequence);
  if (digits.size() < 3) digits.insert(0, 3 - digits.size(), '0');
  const std::string first17 = region + birth_date + digits;
  return first17 + ResidentIdCheckCharacter(first17);
}

nlohmann::json Declaration(const Declarant& declarant, const std::string& id_number,
                           const std::string& principal) {
  return {{"identity",
           {{"name", declarant.name},
            {"id_number", id_number},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", declarant.region},
          {"accounts", {{{"platform_account", declarant.platform_account}, {"channel", "app"}}}},
          {"contributions", {{{"date", declarant.contribution_date}, {"amount", principal}}}},
          {"returns", nlohmann::json::array()}};
}

nlohmann::json CaseBody(const std::string& case_number, const std::string& name,
                        const std::string& region) {
  return {{"case_number", case_number},
          {"name", name},
          {"lead_region", region},
          {"regions", {region}},
          {"registration_opens", "2020-01-01"},
          {"registration_closes", "2099-12-31"}};
}

nlohmann::json WithDistributionTerms(nlohmann::json case_body) {
  case_body["objection_window_days"] = 30;
  case_body["countersign_threshold"] = "1000000.00";
  return case_body;
}

int64_t CreateCase(const ServerProcess& server, const std::string& admin_token,
                   const nlohmann::json& body) {
  ClientResponse created = server.client().PostJson("/api/v1/cases", body, admin_token);
  EXPECT_EQ(created.status, 201) << created.body;
  return created.Json().value("id", int64_t{0});
}

std::string StaffToken(const ServerProcess& server, const std::string& admin_token,
                       const std::string& username, const std::string& password,
                       const std::string& role, int64_t case_id) {
  std::string token = server.AddStaff(admin_token, username, password, role, case_id).token;
  EXPECT_FALSE(token.empty()) << username;
  return token;
}

std::map<std::string, std::string> CtlDatabaseEnv(ServerProcess& server) {
  const DbConfig& db = server.database().config();
  return {{"RESTITUTION_VAR", server.var_dir()},
          {"RESTITUTION_DB_SOCKET", db.socket},
          {"RESTITUTION_DB_USER", db.user},
          {"RESTITUTION_DB_PASSWORD", db.password},
          {"RESTITUTION_DB_NAME", db.database}};
}

}  // namespace restitution::testing
