#include "service/money.h"
#include "service/input_rules.h"

#include <limits>

namespace restitution {
namespace {

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

uint64_t DigitValue(char c) { return static_cast<uint64_t>(c - '0'); }

Status Overflow() { return Status::RuleViolated("", "amount overflow"); }

// Names the first character that can never appear in an amount, so the client learns what
// to fix instead of a generic "invalid". Returns nullptr when every character is one of
// [0-9.-]; where '.' and '-' may stand is checked by the caller.
const char* ForbiddenCharacterMessage(std::string_view text) {
  for (char c : text) {
    if (IsAsciiDigit(c) || c == '.' || c == '-') continue;
    switch (c) {
      case ' ':
      case '\t':
      case '\n':
      case '\r':
      case '\v':
      case '\f':
        return "must not contain spaces";
      case '+':
        return "must not have a plus sign";
      case 'e':
      case 'E':
        return "must not use exponent notation";
      case ',':
        return "must not contain commas (use '.' as the decimal point and no thousands "
               "separators)";
      default:
        break;
    }
    // Full-width and other non-ASCII digits look like numbers to people but are not ours.
    if (static_cast<unsigned char>(c) >= 0x80) return "must contain only ASCII digits";
    return "must be a decimal number such as 1234.56";
  }
  return nullptr;
}

}  // namespace

StatusOr<Money> Money::Parse(std::string_view text, std::string_view field, bool allow_negative) {
  auto invalid = [field](const char* message) {
    return Status::InvalidArgument(std::string(field), message).WithRule(rules::kAmount);
  };
  if (text.empty()) {
    return Status::InvalidArgument(std::string(field), "must not be empty").WithRule(rules::kEmpty);
  }
  if (const char* message = ForbiddenCharacterMessage(text)) return invalid(message);

  size_t pos = 0;
  const bool negative = text[0] == '-';
  if (negative) {
    if (!allow_negative) return invalid("must not be negative");
    pos = 1;
  }

  const size_t int_begin = pos;
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  const size_t int_end = pos;
  if (int_end == int_begin) return invalid("must start with a digit (write 0.5, not .5)");
  // "01" might be a typo for "10" or "0.1"; refuse rather than guess.
  if (int_end - int_begin > 1 && text[int_begin] == '0') {
    return invalid("must not have leading zeros");
  }

  size_t frac_begin = pos;
  size_t frac_end = pos;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    frac_begin = pos;
    while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
    frac_end = pos;
    if (frac_end == frac_begin) return invalid("must have a digit after the decimal point");
    // A third decimal would have to be rounded away, and amounts must be exact.
    if (frac_end - frac_begin > 2) return invalid("must have at most two decimal places");
  }
  if (pos < text.size()) {
    if (text[pos] == '-') return invalid("must have a minus sign only at the start");
    return invalid("must contain at most one decimal point");
  }

  // Accumulate the magnitude unsigned: INT64_MIN fen has no positive int64 counterpart.
  uint64_t magnitude = 0;
  for (size_t i = int_begin; i < int_end; ++i) {
    if (__builtin_mul_overflow(magnitude, uint64_t{10}, &magnitude) ||
        __builtin_add_overflow(magnitude, DigitValue(text[i]), &magnitude)) {
      return invalid("is out of range");
    }
  }
  uint64_t fraction = 0;
  if (frac_end > frac_begin) fraction = DigitValue(text[frac_begin]) * 10;
  if (frac_end - frac_begin == 2) fraction += DigitValue(text[frac_begin + 1]);
  if (__builtin_mul_overflow(magnitude, uint64_t{100}, &magnitude) ||
      __builtin_add_overflow(magnitude, fraction, &magnitude)) {
    return invalid("is out of range");
  }

  const uint64_t max_positive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (magnitude > (negative ? max_positive + 1 : max_positive)) return invalid("is out of range");
  if (!negative) return Money(static_cast<int64_t>(magnitude));
  // 0 - magnitude wraps in uint64_t to the two's complement bit pattern of -magnitude, which
  // converts back exactly (including INT64_MIN) without the signed overflow of negating.
  return Money(static_cast<int64_t>(0 - magnitude));
}

std::string Money::ToString() const {
  // Unsigned magnitude for the same reason as in Parse: -INT64_MIN overflows int64_t.
  const uint64_t magnitude =
      fen_ < 0 ? 0 - static_cast<uint64_t>(fen_) : static_cast<uint64_t>(fen_);
  const uint64_t cents = magnitude % 100;
  std::string out = fen_ < 0 ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

StatusOr<Money> Money::Add(Money other) const {
  int64_t result;
  if (__builtin_add_overflow(fen_, other.fen_, &result)) return Overflow();
  return Money(result);
}

StatusOr<Money> Money::Sub(Money other) const {
  int64_t result;
  if (__builtin_sub_overflow(fen_, other.fen_, &result)) return Overflow();
  return Money(result);
}

StatusOr<Money> Money::MultiplyBy(int64_t factor) const {
  int64_t result;
  if (__builtin_mul_overflow(fen_, factor, &result)) return Overflow();
  return Money(result);
}

}  // namespace restitution
