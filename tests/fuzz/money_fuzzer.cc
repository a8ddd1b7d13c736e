// Money::Parse against a reference parser written from its documented grammar, the
// Parse(ToString()) round trip, and checked arithmetic against 128-bit arithmetic.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/status.h"
#include "service/money.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution {
namespace {

using fuzz::AsText;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The grammar of money.h: -?(0|[1-9][0-9]*)(\.[0-9]{1,2})? in fen, or nullopt when the text
// does not match. Values too big for 128 bits saturate (they are out of range anyway).
struct Reference {
  bool negative = false;
  __int128 fen = 0;
};
std::optional<Reference> ReferenceParse(std::string_view text) {
  Reference ref;
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') {
    ref.negative = true;
    ++pos;
  }
  const size_t int_begin = pos;
  const __int128 kCap = static_cast<__int128>(1) << 100;
  __int128 units = 0;
  while (pos < text.size() && IsDigit(text[pos])) {
    if (units < kCap) units = units * 10 + (text[pos] - '0');
    ++pos;
  }
  if (pos == int_begin) return std::nullopt;
  if (pos - int_begin > 1 && text[int_begin] == '0') return std::nullopt;
  __int128 fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    const size_t frac_begin = pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    const size_t digits = pos - frac_begin;
    if (digits == 0 || digits > 2) return std::nullopt;
    fraction = (text[frac_begin] - '0') * 10 + (digits == 2 ? text[frac_begin + 1] - '0' : 0);
  }
  if (pos != text.size()) return std::nullopt;
  ref.fen = units * 100 + fraction;
  if (ref.negative) ref.fen = -ref.fen;
  return ref;
}

bool FitsInt64(__int128 value) {
  return value >= std::numeric_limits<int64_t>::min() &&
         value <= std::numeric_limits<int64_t>::max();
}

void CheckParse(std::string_view text, bool allow_negative) {
  const StatusOr<Money> parsed = Money::Parse(text, "amount", allow_negative);
  const std::optional<Reference> ref = ReferenceParse(text);
  const bool expect_ok =
      ref.has_value() && FitsInt64(ref->fen) && (allow_negative || !ref->negative);
  FUZZ_CHECK(parsed.ok() == expect_ok, "accepts exactly the documented grammar");
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
    FUZZ_CHECK(parsed.status().field() == "amount", "the error names the field");
    FUZZ_CHECK(!parsed.status().message().empty(), "the error says why");
    return;
  }
  const Money money = *parsed;
  FUZZ_CHECK(static_cast<__int128>(money.fen()) == ref->fen, "value equals the reference");

  const std::string printed = money.ToString();
  const StatusOr<Money> reparsed = Money::Parse(printed, "amount", money.IsNegative());
  FUZZ_CHECK(reparsed.ok() && *reparsed == money, "Parse(ToString()) round-trips: " + printed);
  // Canonical input (two decimals, not "-0.00") prints back byte for byte.
  const size_t dot = text.find('.');
  const bool canonical =
      dot != std::string_view::npos && text.size() - dot == 3 && !(ref->negative && money.IsZero());
  if (canonical) FUZZ_CHECK(printed == text, "canonical text prints back unchanged");
}

void CheckArithmetic(int64_t a, int64_t b) {
  const Money x = Money::FromFen(a);
  const Money y = Money::FromFen(b);
  const __int128 sum = static_cast<__int128>(a) + b;
  const __int128 difference = static_cast<__int128>(a) - b;
  const __int128 product = static_cast<__int128>(a) * b;
  const StatusOr<Money> add = x.Add(y);
  const StatusOr<Money> sub = x.Sub(y);
  const StatusOr<Money> mul = x.MultiplyBy(b);
  FUZZ_CHECK(add.ok() == FitsInt64(sum) && (!add.ok() || add->fen() == sum), "Add");
  FUZZ_CHECK(sub.ok() == FitsInt64(difference) && (!sub.ok() || sub->fen() == difference), "Sub");
  FUZZ_CHECK(mul.ok() == FitsInt64(product) && (!mul.ok() || mul->fen() == product), "MultiplyBy");
  for (const StatusOr<Money>* result : {&add, &sub, &mul}) {
    if (!result->ok()) {
      FUZZ_CHECK(result->status().code() == StatusCode::kRuleViolated, "overflow is reported");
    }
  }
  // Every int64 prints and parses back, INT64_MIN included.
  const StatusOr<Money> back = Money::Parse(x.ToString(), "amount", true);
  FUZZ_CHECK(back.ok() && *back == x, "ToString of any amount parses back: " + x.ToString());
}

}  // namespace
}  // namespace restitution

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = restitution::fuzz::AsText(data, size);
  restitution::CheckParse(text, false);
  restitution::CheckParse(text, true);
  if (size >= 16) {
    restitution::fuzz::ByteReader reader(data, size);
    const auto a = static_cast<int64_t>(reader.Uint64());
    const auto b = static_cast<int64_t>(reader.Uint64());
    restitution::CheckArithmetic(a, b);
  }
  return 0;
}
