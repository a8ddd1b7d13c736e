#include "ledger/canonical_json.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace restitution::ledger {
namespace {

using nlohmann::json;

std::string Canonical(const json& value) {
  auto bytes = CanonicalJson(value);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "<error>";
}

StatusCode CanonicalError(const json& value) { return CanonicalJson(value).status().code(); }

TEST(CanonicalJsonTest, Scalars) {
  EXPECT_EQ(Canonical(nullptr), "null");
  EXPECT_EQ(Canonical(true), "true");
  EXPECT_EQ(Canonical(false), "false");
  EXPECT_EQ(Canonical(0), "0");
  EXPECT_EQ(Canonical(-1), "-1");
  EXPECT_EQ(Canonical(1234567), "1234567");
  EXPECT_EQ(Canonical(""), "\"\"");
  EXPECT_EQ(Canonical("abc"), "\"abc\"");
}

TEST(CanonicalJsonTest, IntegerLimits) {
  EXPECT_EQ(Canonical(std::numeric_limits<int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(Canonical(std::numeric_limits<int64_t>::max()), "9223372036854775807");
  // nlohmann keeps non-negative parsed numbers as unsigned; those up to 2^63 - 1 are fine.
  EXPECT_EQ(Canonical(json(uint64_t{9223372036854775807u})), "9223372036854775807");
  EXPECT_EQ(Canonical(json(uint64_t{0})), "0");
  EXPECT_EQ(CanonicalError(json(uint64_t{9223372036854775808u})), StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalError(json(std::numeric_limits<uint64_t>::max())),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalError(json::array({1, uint64_t{1} << 63})), StatusCode::kInvalidArgument);
}

TEST(CanonicalJsonTest, FloatsAreRejectedEvenWhenIntegral) {
  for (double d : {1.5, 1.0, 0.0, -0.0, 1e300, -2.5e-10, std::nan(""),
                   std::numeric_limits<double>::infinity()}) {
    EXPECT_EQ(CanonicalError(json(d)), StatusCode::kInvalidArgument) << d;
  }
  EXPECT_EQ(CanonicalError(json::object({{"amount", 100.0}})), StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalError(json::array({1, 2, 3.0})), StatusCode::kInvalidArgument);
}

TEST(CanonicalJsonTest, KeysSortedByBytesAtEveryLevel) {
  json value = {{"b", 1}, {"a", 2}, {"aa", 3}, {"A", 4}, {"", 5}, {"a\x7f", 6}, {"a b", 7}};
  EXPECT_EQ(Canonical(value), "{\"\":5,\"A\":4,\"a\":2,\"a b\":7,\"aa\":3,\"a\\u007f\":6,\"b\":1}");
  json nested = {{"z", {{"y", 1}, {"x", {{"d", 1}, {"c", 2}}}}}, {"m", json::array()}};
  EXPECT_EQ(Canonical(nested), "{\"m\":[],\"z\":{\"x\":{\"c\":2,\"d\":1},\"y\":1}}");
}

TEST(CanonicalJsonTest, NonAsciiKeysSortByUtf8BytesNotUtf16) {
  // U+00E9 (C3 A9), U+4E2D (E4 B8 AD), U+FF71 (EF BD B1), U+1F600 (F0 9F 98 80). In UTF-16
  // U+1F600 (a surrogate pair, D83D...) would sort before U+FF71; in UTF-8 bytes it sorts
  // after.
  json value = {{"\xF0\x9F\x98\x80", 1},
                {"\xEF\xBD\xB1", 2},
                {"\xE4\xB8\xAD", 3},
                {"\xC3\xA9", 4},
                {"z", 5},
                {"\xC3\xA9"
                 "a",
                 6}};
  EXPECT_EQ(Canonical(value),
            "{\"z\":5,\"\xC3\xA9\":4,\"\xC3\xA9"
            "a\":6,\"\xE4\xB8\xAD\":3,\"\xEF\xBD\xB1\":2,"
            "\"\xF0\x9F\x98\x80\":1}");
}

TEST(CanonicalJsonTest, EveryAsciiCharacterEscapesExactlyOneWay) {
  std::string all;
  for (int c = 0; c < 128; ++c) all.push_back(static_cast<char>(c));
  const std::string expected =
      "\""
      "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
      "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
      "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
      "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
      " !\\\"#$%&'()*+,-./0123456789:;<=>?"
      "@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_"
      "`abcdefghijklmnopqrstuvwxyz{|}~"
      "\\u007f"
      "\"";
  EXPECT_EQ(Canonical(all), expected);
  // Keys are strings too.
  EXPECT_EQ(Canonical(json{{"a\"b\n", 1}}), "{\"a\\\"b\\n\":1}");
}

TEST(CanonicalJsonTest, NonAsciiAndSlashAreRaw) {
  const std::string text =
      "\xE5\x8F\x97\xE5\xAE\xB3\xE4\xBA\xBA \xC3\xA9 \xF0\x9F\x98\x80 "
      "\xE2\x80\xA8 \xEF\xBF\xBF a/b";
  EXPECT_EQ(Canonical(text), "\"" + text + "\"");
}

TEST(CanonicalJsonTest, InvalidUtf8IsRejectedInValuesAndKeys) {
  const char* const kInvalid[] = {
      "\xFF",              // never valid
      "\xC3",              // truncated
      "a\xC3(",            // bad continuation
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // surrogate U+D800
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\x80",              // lone continuation
  };
  for (const char* s : kInvalid) {
    EXPECT_EQ(CanonicalError(json(s)), StatusCode::kInvalidArgument) << s;
    EXPECT_EQ(CanonicalError(json{{s, 1}}), StatusCode::kInvalidArgument) << s;
    EXPECT_EQ(CanonicalError(json::array({"ok", s})), StatusCode::kInvalidArgument) << s;
  }
}

TEST(CanonicalJsonTest, ArraysKeepOrder) {
  EXPECT_EQ(Canonical(json::array({3, 1, 2, "b", "a", nullptr, true})),
            "[3,1,2,\"b\",\"a\",null,true]");
  EXPECT_EQ(Canonical(json::array()), "[]");
  EXPECT_EQ(Canonical(json::object()), "{}");
  EXPECT_EQ(Canonical(json::array({json::array(), json::object(), json::array({json::array()})})),
            "[[],{},[[]]]");
}

TEST(CanonicalJsonTest, BinaryIsRejected) {
  EXPECT_EQ(CanonicalError(json::binary({1, 2, 3})), StatusCode::kInvalidArgument);
}

TEST(CanonicalJsonTest, NestingDepthIsLimited) {
  json value = 1;
  for (int i = 0; i < kMaxCanonicalJsonDepth; ++i) value = json::array({value});
  auto ok = CanonicalJson(value);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u * kMaxCanonicalJsonDepth + 1);
  EXPECT_EQ(CanonicalError(json::array({value})), StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalError(json{{"k", value}}), StatusCode::kInvalidArgument);
}

TEST(CanonicalJsonTest, LedgerEntryExample) {
  json entry = {{"type", "refund_paid"},
                {"claim_id", 1042},
                {"amount_fen", 1250000},
                {"claimant", {{"name", "\xE5\xBC\xA0\xE4\xB8\x89"}, {"id_last4", "123X"}}},
                {"notes", json::array({"first \"instalment\"", "line\nbreak"})},
                {"reversal", nullptr}};
  EXPECT_EQ(Canonical(entry),
            "{\"amount_fen\":1250000,\"claim_id\":1042,\"claimant\":{\"id_last4\":\"123X\","
            "\"name\":\"\xE5\xBC\xA0\xE4\xB8\x89\"},\"notes\":[\"first \\\"instalment\\\"\","
            "\"line\\nbreak\"],\"reversal\":null,\"type\":\"refund_paid\"}");
}

// ---------------------------------------------------------------------------------------
// ParseCanonicalJson.

TEST(ParseCanonicalJsonTest, RoundTrip) {
  json entry = {
      {"z", json::array({1, -2, "three", nullptr, false})},
      {"a", {{"\xC3\xA9", "\x01\x7f\"\\/"}, {"big", std::numeric_limits<int64_t>::min()}}},
      {"max", std::numeric_limits<int64_t>::max()}};
  const std::string bytes = Canonical(entry);
  auto parsed = ParseCanonicalJson(bytes);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, entry);
  EXPECT_EQ(Canonical(*parsed), bytes);
}

TEST(ParseCanonicalJsonTest, AcceptsCanonicalBytes) {
  const char* const kCanonical[] = {
      "null",
      "true",
      "false",
      "0",
      "-1",
      "9223372036854775807",
      "-9223372036854775808",
      "\"\"",
      "\"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f\\u007f\"",
      "\"\\\"\\\\/\"",
      "[]",
      "{}",
      "[1,[2,[3]]]",
      "{\"\":0,\"a\":{\"b\":[]}}",
      "\"\xE4\xB8\xAD\xF0\x9F\x98\x80\"",
  };
  for (const char* bytes : kCanonical) {
    auto parsed = ParseCanonicalJson(bytes);
    EXPECT_TRUE(parsed.ok()) << bytes << ": " << parsed.status().ToString();
  }
}

TEST(ParseCanonicalJsonTest, RejectsNonCanonicalBytes) {
  const char* const kNonCanonical[] = {
      " {}",
      "{} ",
      "{}\n",
      "{\"a\": 1}",
      "{\"a\":1 }",
      "[1, 2]",
      "\t1",
      "{\"b\":1,\"a\":2}",          // unsorted
      "{\"\xC3\xA9\":1,\"z\":2}",   // unsorted by bytes
      "\"\\u0041\"",                // needless escape of a printable character
      "\"\\/\"",                    // escaped slash
      "\"\\u00e9\"",                // escaped non-ASCII
      "\"\\u0008\"",                // \b has a short form
      "\"\\u000A\"",                // and \n
      "\"\\u001F\"",                // uppercase hex
      "\"\x7f\"",                   // DEL must be escaped
      "{\"a\":1,\"a\":1}",          // duplicate key, same value
      "{\"a\":1,\"a\":2}",          // duplicate key, different value
      "{\"a\":{\"b\":1,\"b\":1}}",  // nested duplicate
      "1.0",
      "1.5",
      "1e3",
      "1E3",
      "-0",
      "0.0",
      "01",
      "+1",
      "9223372036854775808",   // above 2^63 - 1
      "-9223372036854775809",  // below -2^63
      "18446744073709551616",  // above 2^64
      "\xEF\xBB\xBFnull",      // byte order mark
      "",
      "nul",
      "[1,]",
      "{\"a\"}",
      "'a'",
      "[1]]",
      "\"\xFF\"",
      "\"\xC0\xAF\"",
      "\"\\ud800\"",         // lone surrogate escape
      "\"\\ud83d\\ude00\"",  // escaped astral character (raw is canonical)
      "\"\x01\"",            // raw control character
      "/* comment */ 1",
  };
  for (const char* bytes : kNonCanonical) {
    auto parsed = ParseCanonicalJson(bytes);
    EXPECT_FALSE(parsed.ok()) << "accepted: " << bytes;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bytes;
    }
  }
}

TEST(ParseCanonicalJsonTest, RejectsEmbeddedNul) {
  EXPECT_FALSE(ParseCanonicalJson(std::string("1\0", 2)).ok());
  EXPECT_FALSE(ParseCanonicalJson(std::string("\"a\0\"", 4)).ok());
}

TEST(ParseCanonicalJsonTest, DeepNestingIsRejectedWithoutCrashing) {
  const int depth = 100000;
  const std::string deep = std::string(depth, '[') + std::string(depth, ']');
  EXPECT_EQ(ParseCanonicalJson(deep).status().code(), StatusCode::kInvalidArgument);
  const std::string limit =
      std::string(kMaxCanonicalJsonDepth, '[') + std::string(kMaxCanonicalJsonDepth, ']');
  EXPECT_TRUE(ParseCanonicalJson(limit).ok());
}

}  // namespace
}  // namespace restitution::ledger
