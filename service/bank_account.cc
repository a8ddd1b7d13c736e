#include "service/bank_account.h"
#include "service/input_rules.h"

#include <cstddef>

namespace restitution {
namespace {

constexpr size_t kMinDigits = 8;
constexpr size_t kMaxDigits = 30;
// Room for a 30-digit number written in groups with spaces and hyphens; beyond this the
// input is not an account number and is not worth scanning.
constexpr size_t kMaxInput = 64;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAllDigits(std::string_view text) {
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// Luhn (ISO/IEC 7812-1): catches every single-digit error and most adjacent transpositions.
bool PassesLuhn(std::string_view digits) {
  int sum = 0;
  bool double_it = false;
  for (size_t i = digits.size(); i > 0; --i) {
    int d = digits[i - 1] - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool IsUnionPayCard(std::string_view digits) {
  return digits.size() >= 16 && digits.size() <= 19 && digits.compare(0, 2, "62") == 0;
}

}  // namespace

StatusOr<std::string> NormalizeBankAccount(std::string_view text, const std::string& field) {
  const Status bad =
      Status::InvalidArgument(field, "must be a bank account number of 8 to 30 digits")
          .WithRule(rules::kBankAccount);
  if (text.size() > kMaxInput) return bad;
  std::string digits;
  for (char c : text) {
    if (IsDigit(c)) {
      digits += c;
    } else if (c != ' ' && c != '-') {
      return bad;
    }
  }
  if (digits.size() < kMinDigits || digits.size() > kMaxDigits) return bad;
  if (IsUnionPayCard(digits) && !PassesLuhn(digits)) {
    return Status::InvalidArgument(
               field, "is not a valid bank card number: please check it for a typing mistake")
        .WithRule(rules::kBankCard);
  }
  return digits;
}

std::string MaskBankAccount(std::string_view normalized) {
  if (normalized.size() < kMinDigits || !IsAllDigits(normalized)) return "****";
  const std::string_view last4 = normalized.substr(normalized.size() - 4);
  std::string masked;
  if (normalized.size() >= 12) {
    masked.append(normalized.substr(0, 4));
    masked += ' ';
  }
  masked += "**** **** ";
  masked.append(last4);
  return masked;
}

}  // namespace restitution
