// End-to-end: cases, their staff and their lifecycle over HTTP, against a real restitutiond
// and MariaDB. Every change answers with a ledger receipt.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";

nlohmann::json SampleCase(const std::string& number) {
  return {{"case_number", number},
          {"name", "某某财富非法吸收公众存款案"},
          {"lead_region", "110105"},
          {"regions", {"110105", "310115", "440305"}},
          {"registration_opens", "2026-01-01"},
          {"registration_closes", "2026-03-31"},
          {"supplementary_closes", "2026-04-30T18:00:00+08:00"}};
}

class CasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    admin_ = server_.LoginToken("admin", kAdminPassword);
    ASSERT_FALSE(admin_.empty());
  }

  int64_t NewStaff(const std::string& username, const std::string& role) {
    ClientResponse created = client().PostJson(
        "/api/v1/users", {{"username", username}, {"password", kStaffPassword}, {"role", role}},
        admin_);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json().value("id", int64_t{0});
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::string admin_;
};

TEST_F(CasesTest, AdminCreatesACaseThatEveryoneCanRead) {
  ClientResponse created = client().PostJson("/api/v1/cases", SampleCase("JZ-2026-001"), admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  const nlohmann::json json = created.Json();
  EXPECT_EQ(json["status"], "registration");
  EXPECT_EQ(json["regions"], nlohmann::json({"110105", "310115", "440305"}));
  // Beijing midnight is 16:00 UTC the day before; deadlines run to the end of their day.
  EXPECT_EQ(json["registration_opens"], "2025-12-31T16:00:00.000Z");
  EXPECT_EQ(json["registration_closes"], "2026-03-31T15:59:59.999Z");
  EXPECT_EQ(json["supplementary_closes"], "2026-04-30T10:00:00.000Z");
  EXPECT_EQ(json["countersign_threshold"], "100000.00");
  EXPECT_TRUE(json["receipt"]["ledger_index"].is_number_unsigned()) << created.body;

  const std::string path = "/api/v1/cases/" + json["id"].dump();
  ClientResponse read = client().Get(path);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["case_number"], "JZ-2026-001");
  ClientResponse list = client().Get("/api/v1/cases");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json()["cases"].size(), 1u);

  ClientResponse again = client().PostJson("/api/v1/cases", SampleCase("JZ-2026-001"), admin_);
  EXPECT_EQ(again.status, 409) << again.body;
}

TEST_F(CasesTest, RegionsComeWithTheirNames) {
  nlohmann::json body = SampleCase("JZ-2026-002");
  // 310108 (闸北区) was merged away in 2015: still a code, no longer a name.
  body["regions"] = {"110105", "310108", "441900"};
  ClientResponse created = client().PostJson("/api/v1/cases", body, admin_);
  ASSERT_EQ(created.status, 201) << created.body;
  const nlohmann::json names = {{"110105", "北京市朝阳区"}, {"441900", "广东省东莞市"}};
  EXPECT_EQ(created.Json()["region_names"], names) << created.body;
  // The public read, which a claimant choosing a region sees.
  ClientResponse read = client().Get("/api/v1/cases/" + created.Json()["id"].dump());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.Json()["region_names"], names) << read.body;
}

TEST_F(CasesTest, OnlyAdminsCreateCasesAndBadFieldsAreNamed) {
  NewStaff("officer.a", "officer");
  const std::string officer = server_.LoginToken("officer.a", kStaffPassword);
  EXPECT_EQ(client().PostJson("/api/v1/cases", SampleCase("X-1"), officer).status, 403);
  EXPECT_EQ(client().PostJson("/api/v1/cases", SampleCase("X-1")).status, 401);

  auto expect_field = [&](nlohmann::json body, const std::string& field) {
    ClientResponse response = client().PostJson("/api/v1/cases", body, admin_);
    EXPECT_EQ(response.status, 400) << body.dump() << " " << response.body;
    EXPECT_EQ(response.ErrorField(), field) << response.body;
  };
  nlohmann::json body = SampleCase("X-2");
  body["lead_region"] = "990000";
  expect_field(body, "lead_region");
  body = SampleCase("X-2");
  body["regions"] = {"110105", "110105"};
  expect_field(body, "regions[1]");
  body = SampleCase("X-2");
  body["regions"] = {"310115"};
  expect_field(body, "lead_region");
  body = SampleCase("X-2");
  body["registration_closes"] = "2025-12-01";
  expect_field(body, "registration_closes");
  body = SampleCase("X-2");
  body["registration_opens"] = "2026-02-30";
  expect_field(body, "registration_opens");
  body = SampleCase("X-2");
  body["supplementary_closes"] = "2026-03-01";
  expect_field(body, "supplementary_closes");
  body = SampleCase("X-2");
  body["objection_window_days"] = 1.5;
  expect_field(body, "objection_window_days");
  body = SampleCase("X-2");
  body["countersign_threshold"] = "1.234";
  expect_field(body, "countersign_threshold");
  body = SampleCase("X-2");
  body["colour"] = "red";
  expect_field(body, "colour");
  EXPECT_EQ(client().Get("/api/v1/cases").Json()["cases"].size(), 0u);
}

TEST_F(CasesTest, StaffAreBoundWithTheirOwnRoleOnlyAndCanBeUnbound) {
  const int64_t case_id =
      client().PostJson("/api/v1/cases", SampleCase("JZ-2"), admin_).Json()["id"];
  const std::string members = "/api/v1/cases/" + std::to_string(case_id) + "/members";
  const int64_t officer = NewStaff("officer.b", "officer");
  const int64_t court = NewStaff("court.b", "court");

  ClientResponse bound =
      client().PostJson(members, {{"user_id", officer}, {"role", "officer"}}, admin_);
  ASSERT_EQ(bound.status, 201) << bound.body;
  EXPECT_TRUE(bound.Json()["receipt"]["ledger_index"].is_number_unsigned());
  EXPECT_EQ(client().PostJson(members, {{"user_id", officer}, {"role", "officer"}}, admin_).status,
            409);
  EXPECT_EQ(client().PostJson(members, {{"user_id", court}, {"role", "officer"}}, admin_).status,
            422);
  EXPECT_EQ(client().PostJson(members, {{"user_id", court}, {"role", "admin"}}, admin_).status,
            400);
  EXPECT_EQ(client().PostJson(members, {{"user_id", 99999}, {"role", "court"}}, admin_).status,
            400);
  EXPECT_EQ(
      client()
          .PostJson("/api/v1/cases/999/members", {{"user_id", court}, {"role", "court"}}, admin_)
          .status,
      404);
  const std::string officer_token = server_.LoginToken("officer.b", kStaffPassword);
  EXPECT_EQ(
      client().PostJson(members, {{"user_id", court}, {"role", "court"}}, officer_token).status,
      403);
  // The officer's own cases: this one only, not a case they are not bound to.
  const int64_t other_case =
      client().PostJson("/api/v1/cases", SampleCase("JZ-2B"), admin_).Json()["id"];
  ASSERT_GT(other_case, 0);
  const auto own_cases = [&](const std::string& token) {
    ClientResponse me = client().Get("/api/v1/me", token);
    EXPECT_EQ(me.status, 200) << me.body;
    return me.Json().value("cases", nlohmann::json());
  };
  EXPECT_EQ(own_cases(officer_token), nlohmann::json::array({case_id}));
  // Who is bound: the administrator and the case's own staff see it, no one else.
  ClientResponse listed = client().Get(members, admin_);
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["members"].size(), 1u) << listed.body;
  EXPECT_EQ(listed.Json()["members"][0]["user_id"], officer);
  EXPECT_EQ(listed.Json()["members"][0]["username"], "officer.b");
  EXPECT_EQ(listed.Json()["members"][0]["role"], "officer");
  EXPECT_EQ(client().Get(members, officer_token).status, 200);
  const std::string other_members = "/api/v1/cases/" + std::to_string(other_case) + "/members";
  EXPECT_EQ(client().Get(other_members, officer_token).status, 404);
  EXPECT_EQ(client().Get(members, server_.LoginToken("court.b", kStaffPassword)).status, 404);
  EXPECT_EQ(client().Get(members).status, 401);
  EXPECT_EQ(client().Get("/api/v1/cases/999/members", admin_).status, 404);
  // The court user is bound to nothing yet; an admin's access is not by binding.
  EXPECT_EQ(own_cases(server_.LoginToken("court.b", kStaffPassword)), nlohmann::json::array());
  EXPECT_TRUE(own_cases(admin_).is_null());

  ClientResponse removed = client().Send("DELETE", members + "/" + std::to_string(officer), "",
                                         {{"Authorization", "Bearer " + admin_}});
  EXPECT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.Json()["receipt"]["ledger_index"].is_number_unsigned());
  ClientResponse twice = client().Send("DELETE", members + "/" + std::to_string(officer), "",
                                       {{"Authorization", "Bearer " + admin_}});
  EXPECT_EQ(twice.status, 404) << twice.body;
  EXPECT_EQ(own_cases(officer_token), nlohmann::json::array());
  EXPECT_EQ(client().Get(members, admin_).Json()["members"], nlohmann::json::array());
}

TEST_F(CasesTest, LifecycleMovesOneStepForwardOnly) {
  const int64_t case_id =
      client().PostJson("/api/v1/cases", SampleCase("JZ-3"), admin_).Json()["id"];
  const std::string path = "/api/v1/cases/" + std::to_string(case_id) + "/status";
  EXPECT_EQ(client().PostJson(path, {{"status", "distribution"}}, admin_).status, 409);
  EXPECT_EQ(client().PostJson(path, {{"status", "registration"}}, admin_).status, 409);
  EXPECT_EQ(client().PostJson(path, {{"status", "open"}}, admin_).status, 400);
  for (const char* next : {"review", "distribution", "closed"}) {
    ClientResponse moved = client().PostJson(path, {{"status", next}}, admin_);
    ASSERT_EQ(moved.status, 200) << moved.body;
    EXPECT_EQ(moved.Json()["status"], next);
  }
  EXPECT_EQ(client().PostJson(path, {{"status", "review"}}, admin_).status, 409);
  EXPECT_EQ(client().Get("/api/v1/cases/abc").status, 404);
  EXPECT_EQ(client().Get("/api/v1/cases/0").status, 404);
}

}  // namespace
}  // namespace restitution::testing
