#include "service/input_rules.h"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/bank_account.h"
#include "service/claim_declaration.h"
#include "service/json_input.h"
#include "service/money.h"
#include "service/phone_number.h"
#include "service/region_code.h"
#include "service/resident_id.h"

namespace restitution {
namespace {

constexpr int kToday = 20261207;

std::string RuleOf(const Status& status) {
  EXPECT_FALSE(status.ok());
  return status.rule();
}

TEST(InputRulesTest, IdentityValidatorsNameTheirRule) {
  EXPECT_EQ(RuleOf(ParseResidentId("11010519491231002", "id", kToday).status()), rules::kIdFormat);
  EXPECT_EQ(RuleOf(ParseResidentId("99010519491231002X", "id", kToday).status()), rules::kIdRegion);
  EXPECT_EQ(RuleOf(ParseResidentId("110105194902300021", "id", kToday).status()), rules::kIdBirth);
  EXPECT_EQ(RuleOf(ParseResidentId("110105194912310021", "id", kToday).status()), rules::kIdCheck);
  EXPECT_EQ(RuleOf(NormalizeMobileNumber("1380013800", "phone").status()), rules::kPhone);
  EXPECT_EQ(RuleOf(NormalizeBankAccount("1234", "bank_account").status()), rules::kBankAccount);
  EXPECT_EQ(RuleOf(NormalizeBankAccount("6222020200112233445", "bank_account").status()),
            rules::kBankCard);
  EXPECT_EQ(RuleOf(ParseRegionCode("990000", "region").status()), rules::kRegion);
}

TEST(InputRulesTest, AmountsAndRequiredFieldsNameTheirRule) {
  EXPECT_EQ(RuleOf(Money::Parse("12.345", "amount").status()), rules::kAmount);
  EXPECT_EQ(RuleOf(Money::Parse("", "amount").status()), rules::kEmpty);
  const nlohmann::json body = {{"blank", ""}, {"number", 5}};
  const JsonReader reader(body);
  EXPECT_EQ(RuleOf(reader.RequiredString("missing", 10).status()), rules::kEmpty);
  EXPECT_EQ(RuleOf(reader.RequiredString("blank", 10).status()), rules::kEmpty);
  EXPECT_EQ(RuleOf(reader.RequiredMoney("number").status()), rules::kAmount);
}

// A declaration valid in every field but the one each case breaks.
nlohmann::json Declaration() {
  return {{"identity",
           {{"name", "王五"},
            {"id_number", "11010519491231002X"},
            {"phone", "13800138000"},
            {"bank_name", "中国工商银行"},
            {"bank_account", "6222020200112233446"}}},
          {"region", "110105"},
          {"accounts", {{{"platform_account", "u1"}, {"channel", "app"}}}},
          {"contributions", {{{"date", "2024-03-01"}, {"amount", "1000.00"}}}}};
}

std::string DeclarationRule(const std::string& pointer, const nlohmann::json& value) {
  nlohmann::json body = Declaration();
  body[nlohmann::json::json_pointer(pointer)] = value;
  return RuleOf(ParseClaimDeclaration(body, kToday).status());
}

TEST(InputRulesTest, DeclarationRulesAreNamed) {
  ASSERT_TRUE(ParseClaimDeclaration(Declaration(), kToday).ok());
  EXPECT_EQ(DeclarationRule("/contributions/0/date", "2024/03/01"), rules::kDateFormat);
  EXPECT_EQ(DeclarationRule("/contributions/0/date", "2023-02-29"), rules::kDateMissing);
  EXPECT_EQ(DeclarationRule("/contributions/0/date", "1989-12-31"), rules::kDateEarly);
  EXPECT_EQ(DeclarationRule("/contributions/0/date", "2027-01-01"), rules::kDateFuture);
  EXPECT_EQ(DeclarationRule("/contributions/0/amount", "0.00"), rules::kAmountZero);
  EXPECT_EQ(DeclarationRule("/identity/name", std::string(51, 'a')), rules::kTooLong);
  EXPECT_EQ(DeclarationRule("/identity/name", "王\x01五"), rules::kBadChars);
  EXPECT_EQ(DeclarationRule("/identity/name", "   "), rules::kEmpty);
  EXPECT_EQ(DeclarationRule("/identity/bank_account_holder", "李四"), rules::kHolder);
  EXPECT_EQ(DeclarationRule("/accounts/1", {{"platform_account", "u1"}, {"channel", "web"}}),
            rules::kAccountDuplicate);
}

}  // namespace
}  // namespace restitution
