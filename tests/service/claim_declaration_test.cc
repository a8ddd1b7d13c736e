#include "service/claim_declaration.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

using json = nlohmann::json;

constexpr int kToday = 20260315;

// Valid resident ID numbers (check characters computed outside the code under test).
constexpr char kParticipantId[] = "11010519491231002X";
constexpr char kFilerId[] = "44030519900101123X";

json ValidBody() {
  return json::parse(R"({
    "identity": {
      "name": " 欧阳娜娜 ",
      "id_number": "11010519491231002x",
      "phone": "+86 138 0013 8000",
      "bank_name": "中国工商银行北京朝阳支行",
      "bank_account": "6222 0210 0112 3456 789"
    },
    "region": "110105",
    "accounts": [
      {"platform_account": "ezb-10086", "channel": "app"},
      {"platform_account": "ezb-10087", "channel": "门店"}
    ],
    "contributions": [
      {"date": "2015-06-01", "amount": "10000.00", "ref": "合同 A-1"},
      {"date": "2015-09-30", "amount": "5000.5"}
    ],
    "returns": [
      {"date": "2015-12-31", "amount": "1200", "kind": "interest"},
      {"date": "2016-01-15", "amount": "300.25", "kind": "withdrawal"}
    ]
  })");
}

json AgentBody() {
  json body = ValidBody();
  body["filed_as"] = "agent";
  body["filer"] = {{"name", "张三"},
                   {"id_number", kFilerId},
                   {"phone", "13900139000"},
                   {"relationship", "委托代理人"}};
  return body;
}

Status ParseError(const json& body) {
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  if (d.ok()) return Status::Ok();
  return d.status();
}

// Sets the member at a JSON pointer ("/contributions/1/amount") in a valid body and expects
// the error to name `field`.
void ExpectFieldError(const std::string& pointer, const json& value, StatusCode code,
                      const std::string& field, const std::string& message = "") {
  json body = ValidBody();
  body[json::json_pointer(pointer)] = value;
  const Status status = ParseError(body);
  ASSERT_FALSE(status.ok()) << pointer << " = " << value.dump() << " was accepted";
  EXPECT_EQ(status.code(), code) << pointer << ": " << status.ToString();
  EXPECT_EQ(status.field(), field) << pointer << ": " << status.ToString();
  if (!message.empty()) {
    EXPECT_EQ(status.message(), message) << pointer;
  }
}

void ExpectBodyError(const json& body, StatusCode code, const std::string& field,
                     const std::string& message = "") {
  const Status status = ParseError(body);
  ASSERT_FALSE(status.ok()) << body.dump() << " was accepted";
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_EQ(status.field(), field) << status.ToString();
  if (!message.empty()) {
    EXPECT_EQ(status.message(), message);
  }
}

TEST(ClaimDeclarationTest, FullValidDeclarationIsNormalised) {
  StatusOr<ClaimDeclaration> parsed = ParseClaimDeclaration(ValidBody(), kToday);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const ClaimDeclaration& d = *parsed;
  EXPECT_EQ(d.filed_as, FiledAs::kSelf);
  EXPECT_FALSE(d.filer.has_value());
  EXPECT_EQ(d.identity.name, "欧阳娜娜");
  EXPECT_EQ(d.identity.id_number, kParticipantId);
  EXPECT_EQ(d.identity.phone, "13800138000");
  EXPECT_EQ(d.identity.bank_name, "中国工商银行北京朝阳支行");
  EXPECT_EQ(d.identity.bank_account, "6222021001123456789");
  EXPECT_EQ(d.identity.bank_account_holder, "欧阳娜娜");
  EXPECT_EQ(d.region, "110105");
  ASSERT_EQ(d.accounts.size(), 2u);
  EXPECT_EQ(d.accounts[1].platform_account, "ezb-10087");
  EXPECT_EQ(d.accounts[1].channel, "门店");
  ASSERT_EQ(d.contributions.size(), 2u);
  EXPECT_EQ(d.contributions[0].date, 20150601);
  EXPECT_EQ(d.contributions[0].amount, Money::FromFen(1000000));
  EXPECT_EQ(d.contributions[0].ref, "合同 A-1");
  EXPECT_EQ(d.contributions[1].amount, Money::FromFen(500050));
  EXPECT_EQ(d.contributions[1].ref, "");
  ASSERT_EQ(d.returns.size(), 2u);
  EXPECT_EQ(d.returns[0].kind, ReturnKind::kInterest);
  EXPECT_EQ(d.returns[1].kind, ReturnKind::kWithdrawal);
  EXPECT_EQ(d.returns[1].date, 20160115);

  EXPECT_EQ(d.declared_principal, Money::FromFen(1500050));
  EXPECT_EQ(d.declared_returns, Money::FromFen(150025));
  EXPECT_EQ(d.declared_net, Money::FromFen(1350025));
  EXPECT_EQ(DeclarationAmountsJson(d), json::parse(R"({"declared_principal": "15000.50",
      "declared_returns": "1500.25", "declared_net": "13500.25"})"));
}

TEST(ClaimDeclarationTest, NormalisedJsonRoundTrips) {
  StatusOr<ClaimDeclaration> first = ParseClaimDeclaration(AgentBody(), kToday);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const json stored = ClaimDeclarationJson(*first);
  EXPECT_EQ(stored["filed_as"], "agent");
  EXPECT_EQ(stored["identity"]["id_number"], kParticipantId);
  EXPECT_EQ(stored["identity"]["bank_account_holder"], "欧阳娜娜");
  EXPECT_EQ(stored["filer"]["relationship"], "委托代理人");
  EXPECT_EQ(stored["contributions"][0]["date"], "2015-06-01");
  EXPECT_EQ(stored["contributions"][1]["amount"], "5000.50");
  EXPECT_FALSE(stored["contributions"][1].contains("ref"));
  EXPECT_EQ(stored["returns"][0]["amount"], "1200.00");
  // Personal data only under identity and filer: that is what auditors' views drop.
  json without_people = stored;
  without_people.erase("identity");
  without_people.erase("filer");
  EXPECT_EQ(without_people.dump().find("138"), std::string::npos);
  EXPECT_EQ(without_people.dump().find("6222"), std::string::npos);

  StatusOr<ClaimDeclaration> second = ParseClaimDeclaration(stored, kToday);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(ClaimDeclarationJson(*second), stored);
  EXPECT_EQ(second->declared_net, first->declared_net);

  // A self filing's stored form re-parses too (no filer, filed_as spelled out).
  StatusOr<ClaimDeclaration> self = ParseClaimDeclaration(ValidBody(), kToday);
  ASSERT_TRUE(self.ok());
  const json self_json = ClaimDeclarationJson(*self);
  EXPECT_EQ(self_json["filed_as"], "self");
  EXPECT_FALSE(self_json.contains("filer"));
  StatusOr<ClaimDeclaration> again = ParseClaimDeclaration(self_json, kToday);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(ClaimDeclarationJson(*again), self_json);
}

TEST(ClaimDeclarationTest, NetWinnerIsOwedNothing) {
  json body = ValidBody();
  body["returns"] = json::parse(R"([{"date": "2016-01-01", "amount": "16000", "kind": "rebate"},
                                    {"date": "2016-02-01", "amount": "0.01", "kind": "other"}])");
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->declared_principal, Money::FromFen(1500050));
  EXPECT_EQ(d->declared_returns, Money::FromFen(1600001));
  EXPECT_EQ(d->declared_net, Money());
  EXPECT_EQ(DeclarationAmountsJson(*d)["declared_net"], "0.00");

  // Exactly even: also nothing, and not negative.
  body["returns"] =
      json::parse(R"([{"date": "2016-01-01", "amount": "15000.50", "kind": "other"}])");
  d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->declared_net, Money());
}

TEST(ClaimDeclarationTest, ReturnsMayBeAbsentNullOrEmpty) {
  for (int variant = 0; variant < 3; ++variant) {
    json body = ValidBody();
    if (variant == 0) body.erase("returns");
    if (variant == 1) body["returns"] = nullptr;
    if (variant == 2) body["returns"] = json::array();
    StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
    ASSERT_TRUE(d.ok()) << variant << ": " << d.status().ToString();
    EXPECT_TRUE(d->returns.empty());
    EXPECT_EQ(d->declared_returns, Money());
    EXPECT_EQ(d->declared_net, d->declared_principal);
  }
}

TEST(ClaimDeclarationTest, BadFieldsNameTheirExactPath) {
  const StatusCode k400 = StatusCode::kInvalidArgument;
  // Identity.
  ExpectFieldError("/identity/id_number", "110105194912310021", k400, "identity.id_number",
                   "has a wrong check character: please check the number for a typing mistake");
  ExpectFieldError("/identity/id_number", "110105202603160010", k400, "identity.id_number",
                   "contains a birth date in the future");
  ExpectFieldError("/identity/id_number", 110105194912310020, k400, "identity.id_number",
                   "must be a string");
  ExpectFieldError("/identity/name", "", k400, "identity.name", "must not be empty");
  ExpectFieldError("/identity/name", "   ", k400, "identity.name", "must not be empty");
  ExpectFieldError("/identity/name", "\xE3\x80\x80", k400, "identity.name", "must not be empty");
  ExpectFieldError("/identity/name", "张\n三", k400, "identity.name",
                   "must not contain control characters");
  ExpectFieldError("/identity/name", "张\xE2\x80\x8B三", k400, "identity.name",
                   "must not contain control characters");
  ExpectFieldError("/identity/name", std::string(51, 'a'), k400, "identity.name",
                   "is too long (at most 50 characters)");
  ExpectFieldError("/identity/name", nullptr, k400, "identity.name", "is required");
  ExpectFieldError("/identity/phone", "23800138000", k400, "identity.phone");
  ExpectFieldError("/identity/bank_name", std::string(61, 'b'), k400, "identity.bank_name",
                   "is too long (at most 60 characters)");
  ExpectFieldError("/identity/bank_account", "6222021001123456788", k400, "identity.bank_account");
  ExpectFieldError("/identity/bank_account", "1234", k400, "identity.bank_account");
  ExpectFieldError("/identity/bank_account_holder", "", k400, "identity.bank_account_holder");
  ExpectFieldError("/identity", "欧阳娜娜", k400, "identity", "must be an object");
  ExpectFieldError("/region", "990000", k400, "region");
  ExpectFieldError("/region", 110105, k400, "region", "must be a string");
  ExpectFieldError("/region", "1101", k400, "region");

  // Accounts.
  ExpectFieldError("/accounts", json::array(), k400, "accounts", "must not be empty");
  ExpectFieldError("/accounts/0/platform_account", std::string(65, 'p'), k400,
                   "accounts[0].platform_account", "is too long (at most 64 characters)");
  ExpectFieldError("/accounts/1/channel", std::string(33, 'c'), k400, "accounts[1].channel",
                   "is too long (at most 32 characters)");
  ExpectFieldError("/accounts/1/channel", nullptr, k400, "accounts[1].channel", "is required");
  ExpectFieldError("/accounts/1/platform_account", " ezb-10086 ", k400,
                   "accounts[1].platform_account",
                   "is the same account as accounts[0].platform_account: list each account once");
  ExpectFieldError("/accounts/1", "ezb-10087", k400, "accounts[1]", "must be an object");

  // Contributions.
  ExpectFieldError("/contributions", json::array(), k400, "contributions", "must not be empty");
  ExpectFieldError("/contributions", "10000", k400, "contributions", "must be an array");
  ExpectFieldError("/contributions/1/amount", "-5000.50", k400, "contributions[1].amount");
  ExpectFieldError("/contributions/1/amount", "5000.505", k400, "contributions[1].amount");
  ExpectFieldError("/contributions/1/amount", "5e3", k400, "contributions[1].amount");
  ExpectFieldError("/contributions/1/amount", "0.00", k400, "contributions[1].amount",
                   "must be more than 0");
  ExpectFieldError("/contributions/0/amount", 10000.5, k400, "contributions[0].amount",
                   "must be a string such as \"1234.56\"");
  ExpectFieldError("/contributions/0/amount", 10000, k400, "contributions[0].amount",
                   "must be a string such as \"1234.56\"");
  ExpectFieldError("/contributions/0/date", "2026-03-16", k400, "contributions[0].date",
                   "must not be in the future");
  ExpectFieldError("/contributions/1/date", "2025-02-30", k400, "contributions[1].date",
                   "is not a date that exists");
  ExpectFieldError("/contributions/1/date", "2025-02-29", k400, "contributions[1].date",
                   "is not a date that exists");
  ExpectFieldError("/contributions/1/date", "1989-12-31", k400, "contributions[1].date",
                   "must not be before 1990-01-01");
  for (const char* bad : {"2015/06/01", "2015-6-1", "20150601", "2015-06-01T00:00:00Z",
                          " 2015-06-01", "２０１５-06-01", ""}) {
    ExpectFieldError(
        "/contributions/1/date", bad, k400, "contributions[1].date",
        std::string(bad).empty() ? "must not be empty" : "must be a date written YYYY-MM-DD");
  }
  ExpectFieldError("/contributions/0/ref", std::string(65, 'r'), k400, "contributions[0].ref",
                   "is too long (at most 64 characters)");
  ExpectFieldError("/contributions/0/ref", 42, k400, "contributions[0].ref", "must be a string");

  // Returns.
  ExpectFieldError("/returns/1/kind", "bonus", k400, "returns[1].kind",
                   "must be one of interest, rebate, withdrawal, other");
  ExpectFieldError("/returns/1/kind", "Interest", k400, "returns[1].kind");
  ExpectFieldError("/returns/0/kind", nullptr, k400, "returns[0].kind", "is required");
  ExpectFieldError("/returns/0/amount", "-1.00", k400, "returns[0].amount");
  ExpectFieldError("/returns/0/date", "2027-01-01", k400, "returns[0].date",
                   "must not be in the future");
  ExpectFieldError("/returns", "none", k400, "returns", "must be an array");

  // filed_as.
  ExpectFieldError("/filed_as", "proxy", k400, "filed_as", "must be one of self, agent, heir");
  ExpectFieldError("/filed_as", "", k400, "filed_as");
}

TEST(ClaimDeclarationTest, DatesAtTheEdges) {
  json body = ValidBody();
  body["contributions"][0]["date"] = "2026-03-15";  // today
  body["contributions"][1]["date"] = "1990-01-01";
  body["returns"][0]["date"] = "2024-02-29";  // a leap day
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->contributions[0].date, 20260315);
  EXPECT_EQ(d->contributions[1].date, 19900101);
  EXPECT_EQ(ClaimDeclarationJson(*d)["returns"][0]["date"], "2024-02-29");
  // The same body a day earlier has a payment in the future.
  StatusOr<ClaimDeclaration> earlier = ParseClaimDeclaration(body, 20260314);
  ASSERT_FALSE(earlier.ok());
  EXPECT_EQ(earlier.status().field(), "contributions[0].date");
  EXPECT_EQ(earlier.status().message(), "must not be in the future");
}

TEST(ClaimDeclarationTest, RequiredMembers) {
  for (const char* member : {"identity", "region", "accounts", "contributions"}) {
    json body = ValidBody();
    body.erase(member);
    ExpectBodyError(body, StatusCode::kInvalidArgument, member, "is required");
  }
  for (const char* member : {"name", "id_number", "phone", "bank_name", "bank_account"}) {
    json body = ValidBody();
    body["identity"].erase(member);
    ExpectBodyError(body, StatusCode::kInvalidArgument, std::string("identity.") + member,
                    "is required");
  }
  json no_amount = ValidBody();
  no_amount["contributions"][1].erase("amount");
  ExpectBodyError(no_amount, StatusCode::kInvalidArgument, "contributions[1].amount",
                  "is required");
}

TEST(ClaimDeclarationTest, UnknownMembersAreRefusedAtEveryLevel) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/note", "note"},
      {"/declared_net", "declared_net"},
      {"/identity/email", "identity.email"},
      {"/accounts/1/balance", "accounts[1].balance"},
      {"/contributions/1/memo", "contributions[1].memo"},
      {"/returns/0/ref", "returns[0].ref"},
  };
  for (const auto& [pointer, field] : cases) {
    ExpectFieldError(pointer, "x", StatusCode::kInvalidArgument, field, "unknown field");
  }
  json body = AgentBody();
  body["filer"]["email"] = "a@b.c";
  ExpectBodyError(body, StatusCode::kInvalidArgument, "filer.email", "unknown field");
}

TEST(ClaimDeclarationTest, FilerRules) {
  // Agent and heir need a filer; self must not have one.
  json agent = ValidBody();
  agent["filed_as"] = "agent";
  ExpectBodyError(agent, StatusCode::kInvalidArgument, "filer",
                  "is required when filed_as is agent or heir");
  agent["filer"] = nullptr;
  ExpectBodyError(agent, StatusCode::kInvalidArgument, "filer");

  json self = AgentBody();
  self["filed_as"] = "self";
  ExpectBodyError(self, StatusCode::kInvalidArgument, "filer",
                  "must be left out when filed_as is self");
  self.erase("filed_as");  // self by default
  ExpectBodyError(self, StatusCode::kInvalidArgument, "filer");
  self["filer"] = nullptr;  // null is as good as absent
  EXPECT_TRUE(ParseClaimDeclaration(self, kToday).ok());

  StatusOr<ClaimDeclaration> ok = ParseClaimDeclaration(AgentBody(), kToday);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->filed_as, FiledAs::kAgent);
  ASSERT_TRUE(ok->filer.has_value());
  EXPECT_EQ(ok->filer->id_number, kFilerId);
  EXPECT_EQ(ok->filer->phone, "13900139000");

  json bad = AgentBody();
  bad["filer"]["id_number"] = "44030519900101123";
  ExpectBodyError(bad, StatusCode::kInvalidArgument, "filer.id_number");
  bad = AgentBody();
  bad["filer"].erase("relationship");
  ExpectBodyError(bad, StatusCode::kInvalidArgument, "filer.relationship", "is required");
  bad = AgentBody();
  bad["filer"]["relationship"] = std::string(33, 'x');
  ExpectBodyError(bad, StatusCode::kInvalidArgument, "filer.relationship");
  bad = AgentBody();
  bad["filer"]["phone"] = "12345";
  ExpectBodyError(bad, StatusCode::kInvalidArgument, "filer.phone");
  bad = AgentBody();
  bad["filer"] = "张三";
  ExpectBodyError(bad, StatusCode::kInvalidArgument, "filer", "must be an object");

  // Filing for yourself as your own agent is not an agent filing.
  json same = AgentBody();
  same["filer"]["id_number"] = "11010519491231002x";
  ExpectBodyError(same, StatusCode::kRuleViolated, "filer.id_number");
}

TEST(ClaimDeclarationTest, RefundAccountMustBeInTheBeneficiarysName) {
  // Self: the holder defaults to the participant and may be stated.
  json body = ValidBody();
  body["identity"]["bank_account_holder"] = "欧阳娜娜";
  EXPECT_TRUE(ParseClaimDeclaration(body, kToday).ok());
  body["identity"]["bank_account_holder"] = "欧阳菲菲";
  ExpectBodyError(body, StatusCode::kRuleViolated, "identity.bank_account_holder");

  // Agent: the participant's own account, never the agent's.
  json agent = AgentBody();
  agent["identity"]["bank_account_holder"] = "张三";
  ExpectBodyError(agent, StatusCode::kRuleViolated, "identity.bank_account_holder");

  // Heir: the heir's own account; the participant's (default) is refused.
  json heir = AgentBody();
  heir["filed_as"] = "heir";
  heir["filer"]["relationship"] = "子女";
  ExpectBodyError(heir, StatusCode::kRuleViolated, "identity.bank_account_holder",
                  "must be the heir's own name (filer.name): an heir's refund is paid only into "
                  "an account in the heir's name");
  heir["identity"]["bank_account_holder"] = " 张三";
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(heir, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->filed_as, FiledAs::kHeir);
  EXPECT_EQ(d->identity.bank_account_holder, "张三");
}

TEST(ClaimDeclarationTest, ChineseAndMinorityNames) {
  for (const std::string& name :
       {std::string("欧阳娜娜"), std::string("阿依古丽·买买提"), std::string("张三"),
        std::string("爱新觉罗·启星"), std::string("Zhang San")}) {
    json body = ValidBody();
    body["identity"]["name"] = name;
    StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
    ASSERT_TRUE(d.ok()) << name << ": " << d.status().ToString();
    EXPECT_EQ(d->identity.name, name);
  }
  // Look-alike dots become U+00B7, so the holder check compares what people mean.
  json body = ValidBody();
  body["identity"]["name"] = "阿依古丽•买买提";                  // U+2022
  body["identity"]["bank_account_holder"] = "阿依古丽・买买提";  // U+30FB
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->identity.name, "阿依古丽·买买提");
  EXPECT_EQ(d->identity.bank_account_holder, "阿依古丽·买买提");
  // The ideographic space around a name is trimmed.
  body["identity"]["name"] = "\xE3\x80\x80欧阳娜娜\xE3\x80\x80";
  body["identity"].erase("bank_account_holder");
  d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->identity.name, "欧阳娜娜");
  // 50 characters (150 bytes) fit; 51 do not.
  std::string fifty;
  for (int i = 0; i < 50; ++i) fifty += "娜";
  body["identity"]["name"] = fifty;
  EXPECT_TRUE(ParseClaimDeclaration(body, kToday).ok());
  body["identity"]["name"] = fifty + "娜";
  ExpectBodyError(body, StatusCode::kInvalidArgument, "identity.name",
                  "is too long (at most 50 characters)");
  // Text that is not UTF-8 (possible in a json built in code) is refused, not counted.
  body["identity"]["name"] = std::string("\xB6\xD4", 2);
  ExpectBodyError(body, StatusCode::kInvalidArgument, "identity.name", "is not valid UTF-8");
}

TEST(ClaimDeclarationTest, RefMayBeEmptyOrBlank) {
  json body = ValidBody();
  body["contributions"][0]["ref"] = "";
  body["contributions"][1]["ref"] = "   ";
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->contributions[0].ref, "");
  EXPECT_EQ(d->contributions[1].ref, "");
  body["contributions"][0]["ref"] = nullptr;
  EXPECT_TRUE(ParseClaimDeclaration(body, kToday).ok());
  body["contributions"][0]["ref"] = std::string(64, 'r');
  EXPECT_TRUE(ParseClaimDeclaration(body, kToday).ok());
}

TEST(ClaimDeclarationTest, ListSizeLimits) {
  json body = ValidBody();
  body["accounts"] = json::array();
  for (int i = 0; i < 50; ++i) {
    body["accounts"].push_back(
        {{"platform_account", "acct-" + std::to_string(i)}, {"channel", "app"}});
  }
  EXPECT_TRUE(ParseClaimDeclaration(body, kToday).ok());
  body["accounts"].push_back({{"platform_account", "acct-50"}, {"channel", "app"}});
  ExpectBodyError(body, StatusCode::kInvalidArgument, "accounts",
                  "has too many items (at most 50)");

  body = ValidBody();
  const json one = {{"date", "2015-06-01"}, {"amount", "1.00"}};
  body["contributions"] = json::array();
  for (int i = 0; i < 1000; ++i) body["contributions"].push_back(one);
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->declared_principal, Money::FromFen(100000));
  body["contributions"].push_back(one);
  ExpectBodyError(body, StatusCode::kInvalidArgument, "contributions",
                  "has too many items (at most 1000)");

  body = ValidBody();
  const json back = {{"date", "2015-06-01"}, {"amount", "1.00"}, {"kind", "other"}};
  body["returns"] = json::array();
  for (int i = 0; i < 1001; ++i) body["returns"].push_back(back);
  ExpectBodyError(body, StatusCode::kInvalidArgument, "returns",
                  "has too many items (at most 1000)");
}

TEST(ClaimDeclarationTest, OverflowingSumsAreARuleViolationNotACrash) {
  // Each amount is a valid Money; their sum is not.
  json body = ValidBody();
  body["contributions"] = json::array();
  for (int i = 0; i < 1000; ++i) {
    body["contributions"].push_back({{"date", "2015-06-01"}, {"amount", "90000000000000000.00"}});
  }
  ExpectBodyError(body, StatusCode::kRuleViolated, "contributions");

  body = ValidBody();
  body["contributions"] = json::parse(R"([{"date": "2015-06-01", "amount": "50000000000000000"},
                                          {"date": "2015-06-02", "amount": "50000000000000000"}])");
  ExpectBodyError(body, StatusCode::kRuleViolated, "contributions");

  body = ValidBody();
  body["returns"] = json::array();
  for (int i = 0; i < 3; ++i) {
    body["returns"].push_back(
        {{"date", "2016-01-01"}, {"amount", "40000000000000000.00"}, {"kind", "other"}});
  }
  ExpectBodyError(body, StatusCode::kRuleViolated, "returns");

  // The largest amount Money holds, alone, is fine; beyond it Money::Parse refuses.
  body = ValidBody();
  body["contributions"] =
      json::parse(R"([{"date": "2015-06-01", "amount": "92233720368547758.07"}])");
  body.erase("returns");
  StatusOr<ClaimDeclaration> d = ParseClaimDeclaration(body, kToday);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->declared_net, d->declared_principal);
  body["contributions"][0]["amount"] = "92233720368547758.08";
  ExpectBodyError(body, StatusCode::kInvalidArgument, "contributions[0].amount");
}

TEST(ClaimDeclarationTest, BodyMustBeAnObject) {
  ExpectBodyError(json::array(), StatusCode::kInvalidArgument, "");
  ExpectBodyError(json("text"), StatusCode::kInvalidArgument, "");
}

TEST(ClaimDeclarationTest, NamesOfEnums) {
  EXPECT_EQ(FiledAsName(FiledAs::kSelf), "self");
  EXPECT_EQ(FiledAsName(FiledAs::kAgent), "agent");
  EXPECT_EQ(FiledAsName(FiledAs::kHeir), "heir");
  EXPECT_EQ(ParseFiledAs("heir"), FiledAs::kHeir);
  EXPECT_FALSE(ParseFiledAs("Self").has_value());
  for (ReturnKind kind :
       {ReturnKind::kInterest, ReturnKind::kRebate, ReturnKind::kWithdrawal, ReturnKind::kOther}) {
    EXPECT_EQ(ParseReturnKind(ReturnKindName(kind)), kind);
  }
  EXPECT_EQ(ReturnKindName(ReturnKind::kRebate), "rebate");
  EXPECT_FALSE(ParseReturnKind("bonus").has_value());
}

}  // namespace
}  // namespace restitution
