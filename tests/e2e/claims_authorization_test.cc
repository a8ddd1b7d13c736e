// The authorization matrix of the claims API: every claims endpoint x every role x own/other
// claim x own/other case, each cell asserting the exact allow/deny status. A claim that is not
// the caller's to see answers 404 exactly as a missing one does; a role that may never use an
// endpoint answers 403; no session answers 401. Zero unexpected allows is the point.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "service/resident_id.h"
#include "tests/support/server_process.h"

namespace restitution::testing {
namespace {

constexpr char kAdminPassword[] = "correct horse battery";
constexpr char kStaffPassword[] = "staff password 1234";
constexpr char kClaimantPassword[] = "claimant password 1";

enum class Actor {
  kAnonymous,
  kOwner,             // the claimant who filed the claim
  kOtherClaimant,     // another claimant
  kOfficerOwnCase,    // an officer bound to the claim's case
  kOfficerOtherCase,  // an officer bound to another case only
  kCourtOwnCase,
  kCourtOtherCase,
  kAuditor,
  kAdmin,
};

const std::vector<Actor> kAllActors = {Actor::kAnonymous,
                                       Actor::kOwner,
                                       Actor::kOtherClaimant,
                                       Actor::kOfficerOwnCase,
                                       Actor::kOfficerOtherCase,
                                       Actor::kCourtOwnCase,
                                       Actor::kCourtOtherCase,
                                       Actor::kAuditor,
                                       Actor::kAdmin};

const char* ActorName(Actor actor) {
  switch (actor) {
    case Actor::kAnonymous:
      return "anonymous";
    case Actor::kOwner:
      return "owner";
    case Actor::kOtherClaimant:
      return "other claimant";
    case Actor::kOfficerOwnCase:
      return "officer of the case";
    case Actor::kOfficerOtherCase:
      return "officer of another case";
    case Actor::kCourtOwnCase:
      return "court of the case";
    case Actor::kCourtOtherCase:
      return "court of another case";
    case Actor::kAuditor:
      return "auditor";
    case Actor::kAdmin:
      return "admin";
  }
  return "?";
}

std::string IdNumber(int serial) {
  std::string sequence = std::to_string(serial % 1000);
  sequence.insert(0, 3 - sequence.size(), '0');
  const std::string first17 = std::string("110105") + "1970" + "0101" + sequence;
  return first17 + ResidentIdCheckCharacter(first17);
}

nlohmann::json Declaration(int serial) {
  return {
      {"identity",
       {{"name", "王五"},
        {"id_number", IdNumber(serial)},
        {"phone", "13800138000"},
        {"bank_name", "中国银行"},
        {"bank_account", "6222020200112233446"}}},
      {"region", "110105"},
      {"accounts", {{{"platform_account", "acct-" + std::to_string(serial)}, {"channel", "app"}}}},
      {"contributions", {{{"date", "2024-01-15"}, {"amount", "1000.00"}}}},
      {"returns", nlohmann::json::array()}};
}

// The claim a cell acts on, and where it lives.
struct Target {
  int64_t case_id = 0;
  int64_t claim_id = 0;
};

struct Endpoint {
  std::string name;
  std::string method;
  // Builds the path for the target (claim-less endpoints ignore claim_id).
  std::function<std::string(const Target&)> path;
  std::function<nlohmann::json()> body;  // for POST/PUT; null: no body
  std::map<Actor, int> expected;         // status per actor
};

class ClaimsAuthorizationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.started()) << server_.Log();
    ASSERT_GT(server_.CreateStaff("admin", kAdminPassword, "admin"), 0);
    tokens_[Actor::kAdmin] = server_.LoginToken("admin", kAdminPassword);
    case_ = NewCase("AUTH-1");
    other_case_ = NewCase("AUTH-2");
    tokens_[Actor::kOfficerOwnCase] = Staff("officer.own", "officer", case_);
    tokens_[Actor::kOfficerOtherCase] = Staff("officer.other", "officer", other_case_);
    tokens_[Actor::kCourtOwnCase] = Staff("court.own", "court", case_);
    tokens_[Actor::kCourtOtherCase] = Staff("court.other", "court", other_case_);
    tokens_[Actor::kAuditor] = Staff("auditor.one", "auditor", 0);
    tokens_[Actor::kOwner] = Claimant("13900000011");
    tokens_[Actor::kOtherClaimant] = Claimant("13900000012");
  }

  int64_t NewCase(const std::string& number) {
    ClientResponse created = client().PostJson("/api/v1/cases",
                                               {{"case_number", number},
                                                {"name", "授权测试案"},
                                                {"lead_region", "110105"},
                                                {"regions", {"110105"}},
                                                {"registration_opens", "2020-01-01"},
                                                {"registration_closes", "2099-12-31"}},
                                               tokens_[Actor::kAdmin]);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.Json().value("id", int64_t{0});
  }

  std::string Staff(const std::string& username, const std::string& role, int64_t case_id) {
    const std::string token =
        server_.AddStaff(tokens_[Actor::kAdmin], username, kStaffPassword, role, case_id).token;
    EXPECT_FALSE(token.empty()) << username;
    return token;
  }

  std::string Claimant(const std::string& phone) {
    const std::string token = server_.RegisterClaimant(phone, kClaimantPassword);
    EXPECT_FALSE(token.empty()) << phone;
    return token;
  }

  // A fresh submitted claim of the owner in the case.
  Target FreshClaim() {
    ClientResponse declared =
        client().PostJson("/api/v1/cases/" + std::to_string(case_) + "/claims",
                          Declaration(++serial_), tokens_[Actor::kOwner]);
    EXPECT_EQ(declared.status, 201) << declared.body;
    return Target{case_, declared.Json().value("id", int64_t{0})};
  }

  ClientResponse Call(const Endpoint& endpoint, Actor actor, const Target& target) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (actor != Actor::kAnonymous) {
      headers.emplace_back("Authorization", "Bearer " + tokens_[actor]);
    }
    std::string body;
    if (endpoint.body) {
      headers.emplace_back("Content-Type", "application/json");
      body = endpoint.body().dump();
    }
    return client().Send(endpoint.method, endpoint.path(target), body, headers);
  }

  // Every cell on a fresh claim, so one cell's change cannot decide another's answer.
  void CheckMatrix(const std::vector<Endpoint>& endpoints) {
    for (const Endpoint& endpoint : endpoints) {
      for (Actor actor : kAllActors) {
        auto expected = endpoint.expected.find(actor);
        ASSERT_NE(expected, endpoint.expected.end())
            << endpoint.name << ": no expectation for " << ActorName(actor);
        const Target target = FreshClaim();
        const ClientResponse response = Call(endpoint, actor, target);
        EXPECT_EQ(response.status, expected->second)
            << endpoint.name << " as " << ActorName(actor) << ": " << response.body;
        // The same claim addressed under a case it does not belong to exists for nobody.
        // (Only for endpoints that name a claim: a case-level endpoint under another case is
        // simply another case's endpoint, covered by the officer/court "other case" rows.)
        const bool names_claim =
            endpoint.path(target).find("/claims/" + std::to_string(target.claim_id)) !=
            std::string::npos;
        if (names_claim && actor != Actor::kAnonymous && expected->second < 300) {
          const ClientResponse crossed =
              Call(endpoint, actor, Target{other_case_, target.claim_id});
          EXPECT_TRUE(crossed.status == 404 || crossed.status == 403)
              << endpoint.name << " as " << ActorName(actor)
              << " under the other case: " << crossed.status << " " << crossed.body;
        }
      }
    }
  }

  HttpClient client() const { return server_.client(); }

  ServerProcess server_;
  std::map<Actor, std::string> tokens_;
  int64_t case_ = 0;
  int64_t other_case_ = 0;
  int serial_ = 0;
};

std::string CasePath(const Target& t) { return "/api/v1/cases/" + std::to_string(t.case_id); }
std::string ClaimPath(const Target& t) {
  return CasePath(t) + "/claims/" + std::to_string(t.claim_id);
}

TEST_F(ClaimsAuthorizationTest, DeclarationReadingAmendingWithdrawingAndListing) {
  using A = Actor;
  const std::vector<Endpoint> endpoints = {
      {"read claim",
       "GET",
       ClaimPath,
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 200},
        {A::kAdmin, 404}}},
      {"amend claim",
       "PUT",
       ClaimPath,
       [this] { return Declaration(serial_); },
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 404},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 404},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 404},
        {A::kAdmin, 404}}},
      {"withdraw claim",
       "POST",
       [](const Target& t) { return ClaimPath(t) + "/withdraw"; },
       [] { return nlohmann::json::object(); },
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 404},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 404},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 404},
        {A::kAdmin, 404}}},
      {"declare claim",
       "POST",
       [](const Target& t) { return CasePath(t) + "/claims"; },
       [this] { return Declaration(500 + ++serial_); },
       {{A::kAnonymous, 401},
        {A::kOwner, 201},
        {A::kOtherClaimant, 201},
        {A::kOfficerOwnCase, 403},
        {A::kOfficerOtherCase, 403},
        {A::kCourtOwnCase, 403},
        {A::kCourtOtherCase, 403},
        {A::kAuditor, 403},
        {A::kAdmin, 403}}},
      {"review queue",
       "GET",
       [](const Target& t) { return CasePath(t) + "/claims"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 403},
        {A::kOtherClaimant, 403},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 200},
        {A::kAdmin, 403}}},
      {"claims register",
       "GET",
       [](const Target& t) { return CasePath(t) + "/claims.csv"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 403},
        {A::kOtherClaimant, 403},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 200},
        {A::kAdmin, 403}}},
      {"statistics",
       "GET",
       [](const Target& t) { return CasePath(t) + "/stats"; },
       nullptr,
       {{A::kAnonymous, 200},
        {A::kOwner, 200},
        {A::kOtherClaimant, 200},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 200},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 200},
        {A::kAuditor, 200},
        {A::kAdmin, 200}}},
      {"my claims",
       "GET",
       [](const Target&) { return std::string("/api/v1/me/claims"); },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 200},
        {A::kOfficerOwnCase, 403},
        {A::kOfficerOtherCase, 403},
        {A::kCourtOwnCase, 403},
        {A::kCourtOtherCase, 403},
        {A::kAuditor, 403},
        {A::kAdmin, 403}}},
  };
  CheckMatrix(endpoints);
}

TEST_F(ClaimsAuthorizationTest, ReviewEvidenceAndBooks) {
  using A = Actor;
  // Officers of the case act; court users and auditors may never review (403); officers of
  // another case do not see the claim (404); claimants never review.
  const std::map<Actor, int> officer_write = {{A::kAnonymous, 401},
                                              {A::kOwner, 403},
                                              {A::kOtherClaimant, 403},
                                              {A::kOfficerOwnCase, 200},
                                              {A::kOfficerOtherCase, 404},
                                              {A::kCourtOwnCase, 403},
                                              {A::kCourtOtherCase, 403},
                                              {A::kAuditor, 403},
                                              {A::kAdmin, 403}};
  const std::vector<Endpoint> endpoints = {
      {"request info", "POST", [](const Target& t) { return ClaimPath(t) + "/request-info"; },
       [] {
         return nlohmann::json{{"message", "请补充材料"}, {"cure_by", "2099-01-31"}};
       },
       officer_write},
      {"confirm", "POST", [](const Target& t) { return ClaimPath(t) + "/confirm"; },
       [] {
         return nlohmann::json{{"allowed_amount", "1000.00"}};
       },
       officer_write},
      {"reject", "POST", [](const Target& t) { return ClaimPath(t) + "/reject"; },
       [] {
         return nlohmann::json{{"reason_code", "no_evidence"}, {"note", "无凭证"}};
       },
       officer_write},
      {"list objections",
       "GET",
       [](const Target& t) { return ClaimPath(t) + "/objections"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 200},
        {A::kAdmin, 404}}},
      {"list evidence",
       "GET",
       [](const Target& t) { return ClaimPath(t) + "/evidence"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 404},
        {A::kAdmin, 404}}},
      {"claim beside the books",
       "GET",
       [](const Target& t) { return ClaimPath(t) + "/books"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 200},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 200},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 200},
        {A::kAdmin, 404}}},
      {"unclaimed book holders",
       "GET",
       [](const Target& t) { return CasePath(t) + "/books/unclaimed"; },
       nullptr,
       {{A::kAnonymous, 401},
        {A::kOwner, 403},
        {A::kOtherClaimant, 403},
        {A::kOfficerOwnCase, 200},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 403},
        {A::kCourtOtherCase, 403},
        {A::kAuditor, 403},
        {A::kAdmin, 403}}},
  };
  CheckMatrix(endpoints);
}

// Endpoints whose allowed callers still meet a rule on a fresh submitted claim: for them the
// expected answer is that rule's 409 or 422, which proves the caller got past authorization,
// while everyone else gets the same 401/403/404 as elsewhere.
TEST_F(ClaimsAuthorizationTest, StateBoundEndpointsStillCheckTheCallerFirst) {
  using A = Actor;
  const std::string pdf = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
  const std::vector<Endpoint> endpoints = {
      {"countersign (nothing pending)",
       "POST",
       [](const Target& t) { return ClaimPath(t) + "/countersign"; },
       [] { return nlohmann::json::object(); },
       {{A::kAnonymous, 401},
        {A::kOwner, 403},
        {A::kOtherClaimant, 403},
        {A::kOfficerOwnCase, 409},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 403},
        {A::kCourtOtherCase, 403},
        {A::kAuditor, 403},
        {A::kAdmin, 403}}},
      {"object (no decision yet)",
       "POST",
       [](const Target& t) { return ClaimPath(t) + "/objections"; },
       [] {
         return nlohmann::json{{"reason", "认定金额有误"}};
       },
       {{A::kAnonymous, 401},
        {A::kOwner, 409},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 404},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 404},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 404},
        {A::kAdmin, 404}}},
      {"respond to the books (none imported)",
       "POST",
       [](const Target& t) { return ClaimPath(t) + "/book-figures"; },
       [] {
         return nlohmann::json{{"response", "accept"}};
       },
       {{A::kAnonymous, 401},
        {A::kOwner, 422},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 404},
        {A::kOfficerOtherCase, 404},
        {A::kCourtOwnCase, 404},
        {A::kCourtOtherCase, 404},
        {A::kAuditor, 404},
        {A::kAdmin, 404}}},
      {"look up the books (no match)",
       "POST",
       [](const Target& t) { return CasePath(t) + "/books/lookup"; },
       [] {
         return nlohmann::json{{"name", "王五"}, {"id_number", IdNumber(999)}};
       },
       {{A::kAnonymous, 401},
        {A::kOwner, 404},
        {A::kOtherClaimant, 404},
        {A::kOfficerOwnCase, 403},
        {A::kOfficerOtherCase, 403},
        {A::kCourtOwnCase, 403},
        {A::kCourtOtherCase, 403},
        {A::kAuditor, 403},
        {A::kAdmin, 403}}},
  };
  CheckMatrix(endpoints);

  // Uploads and imports carry raw bodies.
  for (Actor actor : kAllActors) {
    const Target target = FreshClaim();
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/pdf"}};
    if (actor != Actor::kAnonymous)
      headers.emplace_back("Authorization", "Bearer " + tokens_[actor]);
    const ClientResponse uploaded =
        client().Send("POST", ClaimPath(target) + "/evidence?filename=a.pdf", pdf, headers);
    const int expected_upload = actor == Actor::kAnonymous ? 401
                                : actor == Actor::kOwner   ? 201
                                                           : 404;
    EXPECT_EQ(uploaded.status, expected_upload)
        << "evidence upload as " << ActorName(actor) << ": " << uploaded.body;

    headers[0].second = "text/csv";
    const ClientResponse imported = client().Send(
        "POST", CasePath(target) + "/books",
        "platform_account,holder_name,id_number,total_deposits,total_withdrawals\n", headers);
    const int expected_import = actor == Actor::kAnonymous          ? 401
                                : actor == Actor::kOfficerOwnCase   ? 400  // header only: refused
                                : actor == Actor::kOfficerOtherCase ? 404
                                                                    : 403;
    EXPECT_EQ(imported.status, expected_import)
        << "books import as " << ActorName(actor) << ": " << imported.body;
  }
}

}  // namespace
}  // namespace restitution::testing
