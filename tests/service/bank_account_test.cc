#include "service/bank_account.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

// The card numbers below were given Luhn check digits computed outside the code under test.
TEST(BankAccountTest, AcceptedFormsNormaliseToDigits) {
  const std::vector<std::pair<std::string, std::string>> accepted = {
      {"6222021001123456789", "6222021001123456789"},      // 19-digit UnionPay
      {"6222 0210 0112 3456 789", "6222021001123456789"},  // grouped as printed on the card
      {"6222-0210-0112-3456-789", "6222021001123456789"},  //
      {" 6228 4800 1234 5671 ", "6228480012345671"},       // 16 digits
      {"621483012345678902", "621483012345678902"},        // 18 digits
      {"6217000010012345677", "6217000010012345677"},      //
      {"6225880123456783", "6225880123456783"},            //
      {"12345678", "12345678"},                            // 8-digit passbook
      {std::string(30, '9'), std::string(30, '9')},        // 30-digit corporate account
      {"4111111111111112", "4111111111111112"},            // not UnionPay: no check digit rule
      {"622202100112345", "622202100112345"},              // 15 digits: not a UnionPay card
      {"62220210011234567890", "62220210011234567890"},    // 20 digits: not a UnionPay card
      {"0200 0012 0901 0012 345", "0200001209010012345"},  // passbook with grouping
  };
  for (const auto& [input, expected] : accepted) {
    StatusOr<std::string> account = NormalizeBankAccount(input, "identity.bank_account");
    ASSERT_TRUE(account.ok()) << "\"" << input << "\": " << account.status().ToString();
    EXPECT_EQ(*account, expected) << input;
  }
}

TEST(BankAccountTest, RejectedForms) {
  const std::vector<std::string> rejected = {
      "",
      " ",
      "----",
      "1234567",                   // 7 digits
      "1234 567",                  //
      std::string(31, '1'),        // 31 digits
      "6222O21001123456789",       // letter O
      "6222.0210.0112.3456.789",   // dots are not a grouping we accept
      "6222\t0210\t0112\t3456",    //
      "+6222021001123456789",      //
      "６２２２０２１００１１２",  // full-width digits
      std::string("62220210\0"
                  "01123456789",
                  20),
      std::string(60, ' ') + "12345678",  // 68 bytes: too long to be an account number
  };
  for (const std::string& input : rejected) {
    StatusOr<std::string> account = NormalizeBankAccount(input, "identity.bank_account");
    ASSERT_FALSE(account.ok()) << "accepted \"" << input << "\" as " << *account;
    EXPECT_EQ(account.status().code(), StatusCode::kInvalidArgument) << input;
    EXPECT_EQ(account.status().field(), "identity.bank_account") << input;
    EXPECT_EQ(account.status().message(), "must be a bank account number of 8 to 30 digits")
        << input;
  }
}

TEST(BankAccountTest, UnionPayCardsMustPassLuhn) {
  // One digit off, and two adjacent digits swapped, in cards that are otherwise valid.
  for (const std::string& input :
       {std::string("6222021001123456788"), std::string("6222021001123456798"),
        std::string("6228 4800 1234 5672"), std::string("6228480012345617"),
        std::string("621483012345678901"), std::string("6225880123456784")}) {
    StatusOr<std::string> account = NormalizeBankAccount(input, "identity.bank_account");
    ASSERT_FALSE(account.ok()) << "accepted " << input;
    EXPECT_EQ(account.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(account.status().field(), "identity.bank_account");
    EXPECT_EQ(account.status().message(),
              "is not a valid bank card number: please check it for a typing mistake");
    EXPECT_EQ(account.status().message().find(input.substr(0, 8)), std::string::npos);
  }
}

TEST(BankAccountTest, LengthLimitCountsBytes) {
  const std::string padded_64 = std::string(56, ' ') + "12345678";
  ASSERT_EQ(padded_64.size(), 64u);
  EXPECT_TRUE(NormalizeBankAccount(padded_64, "a").ok());
  EXPECT_FALSE(NormalizeBankAccount(" " + padded_64, "a").ok());
}

TEST(BankAccountTest, MaskShowsFirstAndLastFour) {
  EXPECT_EQ(MaskBankAccount("6222021001123456789"), "6222 **** **** 6789");
  EXPECT_EQ(MaskBankAccount("6228480012345671"), "6228 **** **** 5671");
  EXPECT_EQ(MaskBankAccount(std::string(30, '9')), "9999 **** **** 9999");
  EXPECT_EQ(MaskBankAccount("123456789012"), "1234 **** **** 9012");
  // Short passbook numbers: the first four would leave too little hidden.
  EXPECT_EQ(MaskBankAccount("12345678"), "**** **** 5678");
  EXPECT_EQ(MaskBankAccount("12345678901"), "**** **** 8901");
  // Not a normalised number: nothing of it is shown.
  EXPECT_EQ(MaskBankAccount(""), "****");
  EXPECT_EQ(MaskBankAccount("1234567"), "****");
  EXPECT_EQ(MaskBankAccount("6222 0210 0112 3456"), "****");
}

TEST(BankAccountTest, MaskOfNormalisedNumberRoundTrip) {
  StatusOr<std::string> account = NormalizeBankAccount("6222-0210-0112-3456-789", "a");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(MaskBankAccount(*account), "6222 **** **** 6789");
}

}  // namespace
}  // namespace restitution
