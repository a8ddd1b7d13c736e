#include "service/phone_number.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

TEST(PhoneNumberTest, AcceptedFormsNormaliseToElevenDigits) {
  const std::vector<std::pair<std::string, std::string>> accepted = {
      {"13800138000", "13800138000"},       {"+8613800138000", "13800138000"},
      {"8613800138000", "13800138000"},     {"86 138 0013 8000", "13800138000"},
      {"+86 138 0013 8000", "13800138000"}, {"138-0013-8000", "13800138000"},
      {"+86-138-0013-8000", "13800138000"}, {" 138 0013 8000 ", "13800138000"},
      {"13000000000", "13000000000"},       {"19912345678", "19912345678"},
      {"15555555555", "15555555555"},       {"+86 199 1234 5678", "19912345678"},
  };
  for (const auto& [input, expected] : accepted) {
    StatusOr<std::string> phone = NormalizeMobileNumber(input, "phone");
    ASSERT_TRUE(phone.ok()) << "\"" << input << "\": " << phone.status().ToString();
    EXPECT_EQ(*phone, expected) << input;
  }
}

TEST(PhoneNumberTest, RejectedForms) {
  const std::vector<std::string> rejected = {
      "",
      "+",
      "-",
      "   ",
      "1380013800",    // 10 digits
      "138001380001",  // 12 digits
      "23800138000",   // not a mobile prefix
      "12800138000",   // second digit below 3
      "10800138000",
      "861380013800",     // 86 + 10 digits
      "86138001380001",   // 86 + 12 digits
      "8623800138000",    // 86 + a non-mobile number
      "008613800138000",  // 00 prefix is not supported
      "+1 555 123 4567",  // another country, even though its 11 digits look mobile
      "+15551234567",
      "+44 1380 0138000",
      "+13800138000",    // a plus sign must be followed by China's 86
      "86+13800138000",  // plus only in front
      "++8613800138000",
      "138.0013.8000",
      "(138) 0013 8000",
      "138 0013 800O",           // letter O
      "１３８００１３８０００",  // full-width digits
      "138\t0013\t8000",
      std::string("1380013\0"
                  "8000",
                  12),
      "1380013800013800138000",              // two numbers glued together
      std::string(24, ' ') + "13800138000",  // 35 bytes: too long to be a phone
  };
  for (const std::string& input : rejected) {
    StatusOr<std::string> phone = NormalizeMobileNumber(input, "phone");
    ASSERT_FALSE(phone.ok()) << "accepted \"" << input << "\" as " << *phone;
    EXPECT_EQ(phone.status().code(), StatusCode::kInvalidArgument) << input;
    EXPECT_EQ(phone.status().field(), "phone") << input;
  }
}

TEST(PhoneNumberTest, ErrorNamesTheGivenField) {
  StatusOr<std::string> phone = NormalizeMobileNumber("nope", "claimant.contact_phone");
  ASSERT_FALSE(phone.ok());
  EXPECT_EQ(phone.status().field(), "claimant.contact_phone");
  // The message never echoes the input back (it may be someone's number).
  StatusOr<std::string> digits = NormalizeMobileNumber("23800138000", "phone");
  ASSERT_FALSE(digits.ok());
  EXPECT_EQ(digits.status().message().find("23800138000"), std::string::npos);
}

TEST(PhoneNumberTest, LengthLimitCountsBytes) {
  // 32 bytes is still accepted, 33 is not.
  const std::string padded_32 = std::string(21, ' ') + "13800138000";
  ASSERT_EQ(padded_32.size(), 32u);
  EXPECT_TRUE(NormalizeMobileNumber(padded_32, "phone").ok());
  EXPECT_FALSE(NormalizeMobileNumber(" " + padded_32, "phone").ok());
}

}  // namespace
}  // namespace restitution
