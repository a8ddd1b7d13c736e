// Shared fixtures for end-to-end tests: valid resident ID numbers, claim declarations, cases
// and staff accounts made over HTTP against a ServerProcess.
#ifndef RESTITUTION_TESTS_SUPPORT_E2E_FIXTURES_H_
#define RESTITUTION_TESTS_SUPPORT_E2E_FIXTURES_H_

#include <cstdint>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "tests/support/server_process.h"

namespace restitution::testing {

// A valid resident ID number: the region code, the birth date (YYYYMMDD), the three digits of
// `sequence` and the check character.
std::string ResidentIdNumber(const std::string& region, const std::string& birth_date,
                             int sequence);

// Who declares a claim, apart from the ID number and the amount.
struct Declarant {
  std::string name;
  std::string region;
  std::string platform_account;
  std::string contribution_date;  // YYYY-MM-DD
};

// A declaration of one payment of `principal` and nothing back: the declared net is the
// principal.
nlohmann::json Declaration(const Declarant& declarant, const std::string& id_number,
                           const std::string& principal);

// A case open for registration from 2020-01-01 to 2099-12-31, in its lead region only.
nlohmann::json CaseBody(const std::string& case_number, const std::string& name,
                        const std::string& region);
// The same with the terms a distribution needs: a 30-day objection window and countersigning
// from 1000000.00.
nlohmann::json WithDistributionTerms(nlohmann::json case_body);
// An admin creates the case over HTTP; its id, or 0 after a test failure.
int64_t CreateCase(const ServerProcess& server, const std::string& admin_token,
                   const nlohmann::json& body);

// ServerProcess::AddStaff's token, after a test failure naming the account when it is empty.
std::string StaffToken(const ServerProcess& server, const std::string& admin_token,
                       const std::string& username, const std::string& password,
                       const std::string& role, int64_t case_id = 0);

// The variables restitutionctl needs to work on the server's database and var dir directly.
std::map<std::string, std::string> CtlDatabaseEnv(ServerProcess& server);

}  // namespace restitution::testing

#endif  // RESTITUTION_TESTS_SUPPORT_E2E_FIXTURES_H_
