// Money: an exact amount of renminbi, counted in fen (0.01 yuan).
//
// Every amount in the service is a Money. Refunds must be exact to the fen, so there is no
// floating point anywhere: amounts travel as decimal strings ("1234.56") at the edges and as
// int64 fen inside. Arithmetic is checked because a silently wrapped sum would pay out the
// wrong amount; overflow is reported, never ignored.
#ifndef RESTITUTION_SERVICE_MONEY_H_
#define RESTITUTION_SERVICE_MONEY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

class Money {
 public:
  constexpr Money() = default;  // 0 fen

  static constexpr Money FromFen(int64_t fen) { return Money(fen); }

  constexpr int64_t fen() const { return fen_; }

  // Strict decimal parsing of "1234.56", "1234.5", "1234" or "0.01"; a leading '-' only when
  // allow_negative. Anything a person could read two ways is refused rather than guessed at:
  // spaces, '+', exponents, more than two decimals, "1.", ".5", leading zeros ("01"),
  // thousands separators, non-ASCII digits, and values outside int64 fen.
  // Errors are Status::InvalidArgument(field, message).
  static StatusOr<Money> Parse(std::string_view text, std::string_view field,
                               bool allow_negative = false);

  // Always two decimals: "1234.50", "-0.05", "0.00". Parse(ToString()) gives back the same
  // amount (with allow_negative when negative).
  std::string ToString() const;

  // Checked arithmetic: on int64 overflow, Status::RuleViolated("", "amount overflow").
  StatusOr<Money> Add(Money other) const;
  StatusOr<Money> Sub(Money other) const;
  StatusOr<Money> MultiplyBy(int64_t factor) const;

  constexpr bool IsNegative() const { return fen_ < 0; }
  constexpr bool IsZero() const { return fen_ == 0; }

  friend constexpr bool operator==(Money a, Money b) { return a.fen_ == b.fen_; }
  friend constexpr bool operator!=(Money a, Money b) { return a.fen_ != b.fen_; }
  friend constexpr bool operator<(Money a, Money b) { return a.fen_ < b.fen_; }
  friend constexpr bool operator<=(Money a, Money b) { return a.fen_ <= b.fen_; }
  friend constexpr bool operator>(Money a, Money b) { return a.fen_ > b.fen_; }
  friend constexpr bool operator>=(Money a, Money b) { return a.fen_ >= b.fen_; }

 private:
  constexpr explicit Money(int64_t fen) : fen_(fen) {}

  int64_t fen_ = 0;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_MONEY_H_
