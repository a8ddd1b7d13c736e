#include "service/money.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

// -Wpedantic objects to __int128 unless marked as a deliberate extension. The reference
// arithmetic needs it: every int64 sum, difference and product fits in 128 bits.
__extension__ typedef __int128 Int128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// ---------------------------------------------------------------------------------------
// Construction and accessors

TEST(MoneyTest, DefaultIsZero) {
  constexpr Money zero;
  static_assert(zero.fen() == 0, "default Money must be 0 fen");
  EXPECT_EQ(zero.fen(), 0);
  EXPECT_TRUE(zero.IsZero());
  EXPECT_FALSE(zero.IsNegative());
  EXPECT_EQ(zero.ToString(), "0.00");
}

TEST(MoneyTest, FromFenKeepsValue) {
  static_assert(Money::FromFen(123).fen() == 123, "FromFen must be constexpr and exact");
  EXPECT_EQ(Money::FromFen(kMax).fen(), kMax);
  EXPECT_EQ(Money::FromFen(kMin).fen(), kMin);
  EXPECT_EQ(Money::FromFen(-1).fen(), -1);
}

TEST(MoneyTest, SignPredicates) {
  EXPECT_TRUE(Money::FromFen(-1).IsNegative());
  EXPECT_TRUE(Money::FromFen(kMin).IsNegative());
  EXPECT_FALSE(Money::FromFen(1).IsNegative());
  EXPECT_FALSE(Money::FromFen(0).IsNegative());
  EXPECT_TRUE(Money::FromFen(0).IsZero());
  EXPECT_FALSE(Money::FromFen(1).IsZero());
  EXPECT_FALSE(Money::FromFen(-1).IsZero());
}

TEST(MoneyTest, Comparisons) {
  const Money a = Money::FromFen(-5);
  const Money b = Money::FromFen(7);
  const Money b2 = Money::FromFen(7);

  EXPECT_TRUE(b == b2);
  EXPECT_FALSE(a == b);
  EXPECT_TRUE(a != b);
  EXPECT_FALSE(b != b2);

  EXPECT_TRUE(a < b);
  EXPECT_FALSE(b < a);
  EXPECT_FALSE(b < b2);

  EXPECT_TRUE(a <= b);
  EXPECT_TRUE(b <= b2);
  EXPECT_FALSE(b <= a);

  EXPECT_TRUE(b > a);
  EXPECT_FALSE(a > b);
  EXPECT_FALSE(b > b2);

  EXPECT_TRUE(b >= a);
  EXPECT_TRUE(b >= b2);
  EXPECT_FALSE(a >= b);

  EXPECT_TRUE(Money::FromFen(kMin) < Money::FromFen(kMax));
}

// ---------------------------------------------------------------------------------------
// Parse: accepted forms

struct AcceptCase {
  const char* text;
  bool allow_negative;
  int64_t fen;
};

TEST(MoneyParseTest, AcceptsStrictDecimals) {
  const AcceptCase cases[] = {
      {"0", false, 0},
      {"0.0", false, 0},
      {"0.00", false, 0},
      {"0.01", false, 1},
      {"0.05", false, 5},
      {"0.1", false, 10},
      {"0.5", false, 50},
      {"0.99", false, 99},
      {"1", false, 100},
      {"10", false, 1000},
      {"100.00", false, 10000},
      {"1234", false, 123400},
      {"1234.5", false, 123450},
      {"1234.56", false, 123456},
      {"1234.50", false, 123450},
      {"1000000", false, 100000000},
      {"92233720368547758.07", false, kMax},
      {"92233720368547758", false, 9223372036854775800},
      // With allow_negative, the same forms plus a leading '-'.
      {"1234.56", true, 123456},
      {"-0.05", true, -5},
      {"-0.5", true, -50},
      {"-1", true, -100},
      {"-1234.56", true, -123456},
      {"-1234.5", true, -123450},
      {"-0", true, 0},
      {"-0.00", true, 0},
      {"-92233720368547758.07", true, -kMax},
      {"-92233720368547758.08", true, kMin},
  };
  for (const AcceptCase& c : cases) {
    SCOPED_TRACE(std::string("text=\"") + c.text +
                 "\" allow_negative=" + (c.allow_negative ? "true" : "false"));
    StatusOr<Money> parsed = Money::Parse(c.text, "amount", c.allow_negative);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->fen(), c.fen);
  }
}

// ---------------------------------------------------------------------------------------
// Parse: rejected forms, each with the message that names the problem

struct RejectCase {
  std::string text;  // std::string so a case can hold an embedded NUL
  bool allow_negative;
  const char* message;
};

TEST(MoneyParseTest, RejectsEverythingElse) {
  const RejectCase cases[] = {
      {"", false, "must not be empty"},
      {"", true, "must not be empty"},
      // Spaces anywhere.
      {" 1", false, "must not contain spaces"},
      {"1 ", false, "must not contain spaces"},
      {"1 000", false, "must not contain spaces"},
      {"1\t", false, "must not contain spaces"},
      {"\n1", false, "must not contain spaces"},
      {"- 1", true, "must not contain spaces"},
      {" ", false, "must not contain spaces"},
      // Signs.
      {"+1", false, "must not have a plus sign"},
      {"+1", true, "must not have a plus sign"},
      {"-1", false, "must not be negative"},
      {"-0", false, "must not be negative"},
      {"-0.05", false, "must not be negative"},
      {"--1", true, "must start with a digit (write 0.5, not .5)"},
      {"-", true, "must start with a digit (write 0.5, not .5)"},
      {"1-", true, "must have a minus sign only at the start"},
      {"1-2", false, "must have a minus sign only at the start"},
      {"1.5-", true, "must have a minus sign only at the start"},
      // Exponents.
      {"1e3", false, "must not use exponent notation"},
      {"1E3", false, "must not use exponent notation"},
      {"1.5e2", false, "must not use exponent notation"},
      {"1e-2", true, "must not use exponent notation"},
      // Decimal point placement and decimals.
      {"1.234", false, "must have at most two decimal places"},
      {"0.001", false, "must have at most two decimal places"},
      {"1.000", false, "must have at most two decimal places"},
      {"1.", false, "must have a digit after the decimal point"},
      {"-1.", true, "must have a digit after the decimal point"},
      {".5", false, "must start with a digit (write 0.5, not .5)"},
      {"-.5", true, "must start with a digit (write 0.5, not .5)"},
      {".", false, "must start with a digit (write 0.5, not .5)"},
      {"1.2.3", false, "must contain at most one decimal point"},
      {"1..2", false, "must have a digit after the decimal point"},
      // Leading zeros.
      {"01", false, "must not have leading zeros"},
      {"00", false, "must not have leading zeros"},
      {"00.5", false, "must not have leading zeros"},
      {"-01", true, "must not have leading zeros"},
      {"007.00", false, "must not have leading zeros"},
      // Thousands separators and other punctuation.
      {"1,000", false,
       "must not contain commas (use '.' as the decimal point and no thousands separators)"},
      {"1,000.00", false,
       "must not contain commas (use '.' as the decimal point and no thousands separators)"},
      {"1,5", false,
       "must not contain commas (use '.' as the decimal point and no thousands separators)"},
      {"1_000", false, "must be a decimal number such as 1234.56"},
      {"1'000", false, "must be a decimal number such as 1234.56"},
      {"0x10", false, "must be a decimal number such as 1234.56"},
      {"NaN", false, "must be a decimal number such as 1234.56"},
      {"inf", false, "must be a decimal number such as 1234.56"},
      {"12a", false, "must be a decimal number such as 1234.56"},
      {"\"1\"", false, "must be a decimal number such as 1234.56"},
      {std::string("1\0", 2), false, "must be a decimal number such as 1234.56"},
      // Non-ASCII digits and spaces.
      {"\xEF\xBC\x91\xEF\xBC\x92", false, "must contain only ASCII digits"},  // "１２" full-width
      {"\xD9\xA1\xD9\xA2", false, "must contain only ASCII digits"},          // Arabic-Indic 12
      {"1\xC2\xA0"
       "000",
       false, "must contain only ASCII digits"},  // no-break space
      {"\xC2\xA5"
       "1",
       false, "must contain only ASCII digits"},  // yen sign
      // Out of int64 fen.
      {"92233720368547758.08", false, "is out of range"},
      {"92233720368547758.08", true, "is out of range"},
      {"92233720368547759", false, "is out of range"},
      {"-92233720368547758.09", true, "is out of range"},
      {"-92233720368547759", true, "is out of range"},
      {"184467440737095516.16", false, "is out of range"},  // 2^64 fen: wraps uint64 to 0
      {"99999999999999999999", false, "is out of range"},
      {"999999999999999999999999999999", true, "is out of range"},
      {"-999999999999999999999999999999.99", true, "is out of range"},
  };
  for (const RejectCase& c : cases) {
    SCOPED_TRACE("text=\"" + c.text + "\" allow_negative=" + (c.allow_negative ? "true" : "false"));
    StatusOr<Money> parsed = Money::Parse(c.text, "contributions[2].amount", c.allow_negative);
    ASSERT_FALSE(parsed.ok()) << "parsed as " << parsed->fen();
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(parsed.status().field(), "contributions[2].amount");
    EXPECT_EQ(parsed.status().message(), c.message);
  }
}

TEST(MoneyParseTest, FieldIsCopiedFromArgument) {
  StatusOr<Money> parsed = Money::Parse("x", "refund.total");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().field(), "refund.total");
  StatusOr<Money> no_field = Money::Parse("x", "");
  ASSERT_FALSE(no_field.ok());
  EXPECT_EQ(no_field.status().field(), "");
}

TEST(MoneyParseTest, DoesNotReadPastTheView) {
  // The view stops before ".99"; Parse must honour its length, not a terminating NUL.
  const char buffer[] = "12.99";
  StatusOr<Money> parsed = Money::Parse(std::string_view(buffer, 2), "amount");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->fen(), 1200);
}

// ---------------------------------------------------------------------------------------
// ToString

TEST(MoneyToStringTest, AlwaysTwoDecimals) {
  const struct {
    int64_t fen;
    const char* text;
  } cases[] = {
      {0, "0.00"},
      {1, "0.01"},
      {5, "0.05"},
      {10, "0.10"},
      {99, "0.99"},
      {100, "1.00"},
      {101, "1.01"},
      {123450, "1234.50"},
      {123456, "1234.56"},
      {-1, "-0.01"},
      {-5, "-0.05"},
      {-50, "-0.50"},
      {-100, "-1.00"},
      {-123456, "-1234.56"},
      {kMax, "92233720368547758.07"},
      {kMax - 1, "92233720368547758.06"},
      {kMin, "-92233720368547758.08"},
      {kMin + 1, "-92233720368547758.07"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.fen);
    EXPECT_EQ(Money::FromFen(c.fen).ToString(), c.text);
  }
}

// ---------------------------------------------------------------------------------------
// Arithmetic: fixed cases

void ExpectOverflow(const StatusOr<Money>& result) {
  ASSERT_FALSE(result.ok()) << "got " << result->fen();
  EXPECT_EQ(result.status().code(), StatusCode::kRuleViolated);
  EXPECT_EQ(result.status().field(), "");
  EXPECT_EQ(result.status().message(), "amount overflow");
}

void ExpectFen(const StatusOr<Money>& result, int64_t fen) {
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->fen(), fen);
}

TEST(MoneyArithmeticTest, Add) {
  ExpectFen(Money::FromFen(150).Add(Money::FromFen(275)), 425);
  ExpectFen(Money::FromFen(-150).Add(Money::FromFen(100)), -50);
  ExpectFen(Money::FromFen(kMax).Add(Money::FromFen(0)), kMax);
  ExpectFen(Money::FromFen(kMax).Add(Money::FromFen(kMin)), -1);
  ExpectFen(Money::FromFen(kMax - 1).Add(Money::FromFen(1)), kMax);
  ExpectFen(Money::FromFen(kMin + 1).Add(Money::FromFen(-1)), kMin);
  ExpectOverflow(Money::FromFen(kMax).Add(Money::FromFen(1)));
  ExpectOverflow(Money::FromFen(kMin).Add(Money::FromFen(-1)));
  ExpectOverflow(Money::FromFen(kMax).Add(Money::FromFen(kMax)));
  ExpectOverflow(Money::FromFen(kMin).Add(Money::FromFen(kMin)));
}

TEST(MoneyArithmeticTest, Sub) {
  ExpectFen(Money::FromFen(425).Sub(Money::FromFen(275)), 150);
  ExpectFen(Money::FromFen(100).Sub(Money::FromFen(150)), -50);
  ExpectFen(Money::FromFen(kMin).Sub(Money::FromFen(kMin)), 0);
  ExpectFen(Money::FromFen(-1).Sub(Money::FromFen(kMax)), kMin);
  ExpectOverflow(Money::FromFen(kMin).Sub(Money::FromFen(1)));
  ExpectOverflow(Money::FromFen(0).Sub(Money::FromFen(kMin)));
  ExpectOverflow(Money::FromFen(kMax).Sub(Money::FromFen(-1)));
  ExpectOverflow(Money::FromFen(-2).Sub(Money::FromFen(kMax)));
}

TEST(MoneyArithmeticTest, MultiplyBy) {
  ExpectFen(Money::FromFen(1234).MultiplyBy(3), 3702);
  ExpectFen(Money::FromFen(1234).MultiplyBy(-3), -3702);
  ExpectFen(Money::FromFen(1234).MultiplyBy(0), 0);
  ExpectFen(Money::FromFen(kMin).MultiplyBy(1), kMin);
  ExpectFen(Money::FromFen(kMax).MultiplyBy(-1), -kMax);
  ExpectFen(Money::FromFen(kMin / 2).MultiplyBy(2), kMin);
  ExpectFen(Money::FromFen(kMin).MultiplyBy(0), 0);
  ExpectOverflow(Money::FromFen(kMin).MultiplyBy(-1));
  ExpectOverflow(Money::FromFen(kMax / 2 + 1).MultiplyBy(2));
  ExpectOverflow(Money::FromFen(kMax).MultiplyBy(kMax));
  ExpectOverflow(Money::FromFen(-1).MultiplyBy(kMin));
}

// ---------------------------------------------------------------------------------------
// Property tests against 128-bit reference arithmetic

// Edge values where off-by-one and sign mistakes live, plus a fixed-seed random spread over
// every magnitude (shifting a random word right by a random amount gives as many 3-digit
// amounts as 18-digit ones, where a plain uniform draw would almost only give huge ones).
std::vector<int64_t> SampleValues(size_t random_count) {
  std::vector<int64_t> values = {0,
                                 1,
                                 -1,
                                 2,
                                 -2,
                                 9,
                                 10,
                                 -10,
                                 99,
                                 -99,
                                 100,
                                 -100,
                                 101,
                                 -101,
                                 kMax,
                                 kMax - 1,
                                 kMax - 99,
                                 kMax - 100,
                                 kMax / 2,
                                 kMax / 2 + 1,
                                 kMin,
                                 kMin + 1,
                                 kMin + 100,
                                 kMin / 2,
                                 kMin / 2 - 1,
                                 int64_t{1} << 32,
                                 -(int64_t{1} << 32),
                                 int64_t{3037000499},  // floor(sqrt(kMax))
                                 int64_t{3037000500},
                                 -int64_t{3037000500}};
  std::mt19937_64 rng(20240517);
  for (size_t i = 0; i < random_count; ++i) {
    const uint64_t bits = rng();
    const unsigned shift = static_cast<unsigned>(rng() % 64);
    int64_t value = static_cast<int64_t>(bits >> shift);
    // Unsigned negation: value may be kMin (shift 0), whose int64 negation would overflow.
    if (rng() & 1) value = static_cast<int64_t>(0 - static_cast<uint64_t>(value));
    values.push_back(value);
  }
  return values;
}

bool FitsInt64(Int128 v) { return v >= kMin && v <= kMax; }

TEST(MoneyPropertyTest, ParseInvertsToString) {
  for (int64_t fen : SampleValues(100000)) {
    const Money money = Money::FromFen(fen);
    const std::string text = money.ToString();
    StatusOr<Money> parsed = Money::Parse(text, "amount", /*allow_negative=*/true);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    ASSERT_EQ(parsed->fen(), fen) << text;
    // Without allow_negative exactly the negative amounts are refused.
    StatusOr<Money> non_negative = Money::Parse(text, "amount");
    ASSERT_EQ(non_negative.ok(), fen >= 0) << text;
  }
}

TEST(MoneyPropertyTest, AddAndSubMatchReference) {
  const std::vector<int64_t> values = SampleValues(600);
  for (int64_t a : values) {
    for (int64_t b : values) {
      const Int128 sum = Int128{a} + Int128{b};
      StatusOr<Money> added = Money::FromFen(a).Add(Money::FromFen(b));
      ASSERT_EQ(added.ok(), FitsInt64(sum)) << a << " + " << b;
      if (added.ok()) {
        ASSERT_EQ(added->fen(), static_cast<int64_t>(sum)) << a << " + " << b;
      } else {
        ASSERT_EQ(added.status().code(), StatusCode::kRuleViolated);
        ASSERT_EQ(added.status().message(), "amount overflow");
      }

      const Int128 difference = Int128{a} - Int128{b};
      StatusOr<Money> subtracted = Money::FromFen(a).Sub(Money::FromFen(b));
      ASSERT_EQ(subtracted.ok(), FitsInt64(difference)) << a << " - " << b;
      if (subtracted.ok()) {
        ASSERT_EQ(subtracted->fen(), static_cast<int64_t>(difference)) << a << " - " << b;
      } else {
        ASSERT_EQ(subtracted.status().code(), StatusCode::kRuleViolated);
        ASSERT_EQ(subtracted.status().message(), "amount overflow");
      }
    }
  }
}

TEST(MoneyPropertyTest, MultiplyByMatchesReference) {
  const std::vector<int64_t> values = SampleValues(600);
  size_t overflows = 0;
  size_t successes = 0;
  for (int64_t a : values) {
    for (int64_t factor : values) {
      const Int128 product = Int128{a} * Int128{factor};
      StatusOr<Money> multiplied = Money::FromFen(a).MultiplyBy(factor);
      ASSERT_EQ(multiplied.ok(), FitsInt64(product)) << a << " * " << factor;
      if (multiplied.ok()) {
        ++successes;
        ASSERT_EQ(multiplied->fen(), static_cast<int64_t>(product)) << a << " * " << factor;
      } else {
        ++overflows;
        ASSERT_EQ(multiplied.status().code(), StatusCode::kRuleViolated);
        ASSERT_EQ(multiplied.status().message(), "amount overflow");
      }
    }
  }
  // The sample must exercise both outcomes, or the property proves nothing.
  EXPECT_GT(overflows, 1000u);
  EXPECT_GT(successes, 1000u);
}

}  // namespace
}  // namespace restitution
