#include "ledger/entry.h"

#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/encoding.h"
#include "ledger/canonical_json.h"
#include "ledger/merkle.h"

namespace restitution::ledger {
namespace {

using nlohmann::json;

// 2026-11-23T00:41:01.123Z
constexpr int64_t kSampleAtMs = 1795394461123;
// 9999-12-31T23:59:59.999Z, the last instant an entry can carry.
constexpr int64_t kLastMs = 253402300799999;

// The worked example of ledger/FORMAT.md, written out by hand: members sorted by their bytes
// (actor, at, case, payload, type, v), nested members sorted too, no whitespace.
constexpr char kSampleBytes[] =
    R"({"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
    R"("payload":{"role":"officer","user":2},"type":"staff_created","v":1})";
// printf '\x00%s' "$bytes" | sha256sum
constexpr char kSampleLeafHashHex[] =
    "3d54ff348cea2d875c1bba1a157702f162b7723cef938188b4f6d473d7293836";

EntryDraft SampleDraft() {
  EntryDraft draft;
  draft.type = "staff_created";
  draft.actor = Actor{1, "admin"};
  draft.at_ms = kSampleAtMs;
  draft.payload = {{"user", 2}, {"role", "officer"}};
  return draft;
}

// The sample as a JSON value, for tests that change one member and re-encode canonically, so
// that the only thing wrong with the bytes is the change itself.
json SampleJson() { return json::parse(kSampleBytes); }

std::string Canonical(const json& value) {
  auto bytes = CanonicalJson(value);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "<error>";
}

std::string Encode(const EntryDraft& draft) {
  auto bytes = EncodeEntry(draft);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "<error>";
}

// Payload {"blob": "xxx..."} padded so that the whole entry is exactly `size` bytes.
EntryDraft DraftOfSize(size_t size) {
  EntryDraft draft = SampleDraft();
  draft.payload = {{"blob", ""}};
  const size_t base = Encode(draft).size();
  draft.payload["blob"] = std::string(size - base, 'x');
  return draft;
}

void ExpectDecodeRejects(const std::string& bytes, const std::string& why) {
  auto decoded = DecodeEntry(bytes);
  EXPECT_FALSE(decoded.ok()) << why << ": " << bytes;
  if (!decoded.ok()) {
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument) << why;
  }
}

void ExpectEncodeRejects(const EntryDraft& draft, const std::string& field) {
  auto bytes = EncodeEntry(draft);
  ASSERT_FALSE(bytes.ok()) << "encoded " << *bytes;
  EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bytes.status().field(), field) << bytes.status().ToString();
}

// --- UTC times -------------------------------------------------------------------------------

TEST(UtcMillisTest, FormatsKnownInstants) {
  EXPECT_EQ(FormatUtcMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(1), "1970-01-01T00:00:00.001Z");
  EXPECT_EQ(FormatUtcMillis(kSampleAtMs), "2026-11-23T00:41:01.123Z");
  EXPECT_EQ(FormatUtcMillis(1709210096789), "2024-02-29T12:34:56.789Z");
  EXPECT_EQ(FormatUtcMillis(1709251200000), "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatUtcMillis(kLastMs), "9999-12-31T23:59:59.999Z");
}

TEST(UtcMillisTest, FormatsNothingOutsideYears1970To9999) {
  EXPECT_EQ(FormatUtcMillis(-1), "");
  EXPECT_EQ(FormatUtcMillis(kLastMs + 1), "");  // 10000-01-01T00:00:00.000Z
  EXPECT_EQ(FormatUtcMillis(std::numeric_limits<int64_t>::min()), "");
  EXPECT_EQ(FormatUtcMillis(std::numeric_limits<int64_t>::max()), "");
}

TEST(UtcMillisTest, RoundTrips) {
  for (int64_t ms : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{86399999}, int64_t{86400000},
                     int64_t{951782400000}, int64_t{1709210096789}, int64_t{1709251200000},
                     kSampleAtMs, kLastMs}) {
    const std::string text = FormatUtcMillis(ms);
    ASSERT_EQ(text.size(), 24u) << ms;
    auto parsed = ParseUtcMillis(text);
    ASSERT_TRUE(parsed.ok()) << text << ": " << parsed.status().ToString();
    EXPECT_EQ(*parsed, ms) << text;
  }
  // Every day boundary for eight years, leap days included.
  for (int64_t day = 19000; day < 19000 + 8 * 366; ++day) {
    const int64_t ms = day * 86400000 + 86399999;
    auto parsed = ParseUtcMillis(FormatUtcMillis(ms));
    ASSERT_TRUE(parsed.ok()) << FormatUtcMillis(ms);
    ASSERT_EQ(*parsed, ms);
  }
}

TEST(UtcMillisTest, ParsesLeapDays) {
  auto leap = ParseUtcMillis("2024-02-29T12:34:56.789Z");
  ASSERT_TRUE(leap.ok()) << leap.status().ToString();
  EXPECT_EQ(*leap, 1709210096789);
  auto y2000 = ParseUtcMillis("2000-02-29T00:00:00.000Z");
  ASSERT_TRUE(y2000.ok()) << y2000.status().ToString();
  EXPECT_EQ(*y2000, 951782400000);
}

TEST(UtcMillisTest, RejectsDatesThatDoNotExist) {
  for (const char* text : {
           "2024-02-30T00:00:00.000Z",  // Feb 30
           "2023-02-29T00:00:00.000Z",  // not a leap year
           "1900-02-29T00:00:00.000Z",  // before 1970 anyway
           "2100-02-29T00:00:00.000Z",  // century, not a leap year
           "2024-04-31T00:00:00.000Z",  // April has 30 days
           "2024-13-01T00:00:00.000Z",
           "2024-00-01T00:00:00.000Z",
           "2024-01-00T00:00:00.000Z",
           "2024-01-32T00:00:00.000Z",
           "2024-01-01T24:00:00.000Z",  // hour 24
           "2024-01-01T00:60:00.000Z",
           "2024-12-31T23:59:60.000Z",  // no leap seconds
           "1969-12-31T23:59:59.999Z",  // before the epoch
           "0000-01-01T00:00:00.000Z",
       }) {
    auto parsed = ParseUtcMillis(text);
    EXPECT_FALSE(parsed.ok()) << text << " parsed as " << *parsed;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(UtcMillisTest, RejectsOtherSpellings) {
  for (const char* text : {
           "",
           "2024-01-01T00:00:00.000",    // missing Z
           "2024-01-01t00:00:00.000Z",   // lowercase t
           "2024-01-01T00:00:00.000z",   // lowercase z
           "2024-01-01 00:00:00.000Z",   // space for T
           "2024-01-01T00:00:00.0000Z",  // extra digit
           "2024-01-01T00:00:00.00Z",    // too few digits
           "2024-01-01T00:00:00Z",       // no milliseconds
           "2024-01-01T00:00:00.000+00:00",
           "2024-01-01T00:00:00.000Z ",  // trailing space
           " 2024-01-01T00:00:00.000Z",  // leading space
           "02024-01-01T00:00:00.000Z",  // five-digit year
           "10000-01-01T00:00:00.000Z",  // year 10000
           "2024-1-01T00:00:00.0000Z",   // right length, wrong places
           "2024/01/01T00:00:00.000Z",
           "2024-01-01T00-00-00.000Z",
           "2024-01-01T00:00:00,000Z",
           "+024-01-01T00:00:00.000Z",
           "2024-01-01T00:00:00.-01Z",
           "2024-01-01T0a:00:00.000Z",
           "２024-01-01T00:00:00.000Z",  // a full-width digit
       }) {
    auto parsed = ParseUtcMillis(text);
    EXPECT_FALSE(parsed.ok()) << "'" << text << "' parsed as " << *parsed;
  }
}

// --- EncodeEntry ----------------------------------------------------------------------------

TEST(EntryEncodeTest, GivesTheExactBytesOfTheSpecExample) {
  EXPECT_EQ(Encode(SampleDraft()), kSampleBytes);
  EXPECT_EQ(crypto::HexEncode(LeafHash(kSampleBytes)), kSampleLeafHashHex);
}

TEST(EntryEncodeTest, CaseNestedPayloadAndEscapes) {
  EntryDraft draft;
  draft.type = "claimant_activated";
  draft.case_id = 7;
  draft.actor = Actor{42, "claimant"};
  draft.at_ms = 0;
  draft.payload = {{"user", 42},
                   {"b", json::array({3, "x", nullptr, false})},
                   {"a", {{"z", true}, {"y", -9223372036854775807LL - 1}}},
                   {"note", "\"q\"\\/\n\x01é"}};
  EXPECT_EQ(Encode(draft),
            R"({"actor":{"id":42,"role":"claimant"},"at":"1970-01-01T00:00:00.000Z","case":7,)"
            R"("payload":{"a":{"y":-9223372036854775808,"z":true},"b":[3,"x",null,false],)"
            "\"note\":\"\\\"q\\\"\\\\/\\n\\u0001é\",\"user\":42},"
            R"("type":"claimant_activated","v":1})");
}

TEST(EntryEncodeTest, SystemActorByDefault) {
  EntryDraft draft;
  draft.type = "staff_created";
  draft.at_ms = kSampleAtMs;
  draft.payload = {{"user", 1}, {"role", "admin"}};
  EXPECT_EQ(Encode(draft),
            R"({"actor":{"id":0,"role":"system"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
            R"("payload":{"role":"admin","user":1},"type":"staff_created","v":1})");
}

TEST(EntryEncodeTest, EmptyPayloadAndTimeLimits) {
  EntryDraft draft = SampleDraft();
  draft.payload = json::object();
  draft.at_ms = kLastMs;
  EXPECT_EQ(Encode(draft),
            R"({"actor":{"id":1,"role":"admin"},"at":"9999-12-31T23:59:59.999Z","case":null,)"
            R"("payload":{},"type":"staff_created","v":1})");
}

TEST(EntryEncodeTest, RejectsFloatsInPayload) {
  for (const json& payload : {json{{"amount", 1.5}}, json{{"amount", 1.0}},
                              json{{"deep", {{"list", json::array({1, 2.25})}}}}}) {
    EntryDraft draft = SampleDraft();
    draft.payload = payload;
    auto bytes = EncodeEntry(draft);
    EXPECT_FALSE(bytes.ok()) << payload.dump() << " encoded as " << *bytes;
    if (!bytes.ok()) {
      EXPECT_EQ(bytes.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(EntryEncodeTest, RejectsTimesOutsideYears1970To9999) {
  EntryDraft draft = SampleDraft();
  draft.at_ms = -1;
  ExpectEncodeRejects(draft, "at");
  draft.at_ms = kLastMs + 1;
  ExpectEncodeRejects(draft, "at");
  draft.at_ms = std::numeric_limits<int64_t>::min();
  ExpectEncodeRejects(draft, "at");
}

TEST(EntryEncodeTest, RejectsBadTypeNames) {
  for (const std::string& type :
       {std::string(), std::string("Staff_created"), std::string("STAFF"),
        std::string("staff-created"), std::string("staff created"), std::string("_staff"),
        std::string("1staff"), std::string("staff.created"), std::string("caf\xC3\xA9"),
        std::string(65, 'a')}) {
    EntryDraft draft = SampleDraft();
    draft.type = type;
    ExpectEncodeRejects(draft, "type");
  }
  EntryDraft longest = SampleDraft();
  longest.type = std::string(64, 'a');
  EXPECT_TRUE(EncodeEntry(longest).ok());
  longest.type = "a1_b2_";
  EXPECT_TRUE(EncodeEntry(longest).ok());
}

TEST(EntryEncodeTest, RejectsBadActorsCasesAndPayloads) {
  EntryDraft draft = SampleDraft();
  draft.actor.role = "Admin";
  ExpectEncodeRejects(draft, "actor.role");
  draft.actor.role = "";
  ExpectEncodeRejects(draft, "actor.role");
  draft.actor.role = std::string(17, 'r');
  ExpectEncodeRejects(draft, "actor.role");
  draft.actor.role = std::string(16, 'r');
  EXPECT_TRUE(EncodeEntry(draft).ok());

  draft = SampleDraft();
  draft.actor.user_id = -1;
  ExpectEncodeRejects(draft, "actor.id");

  draft = SampleDraft();
  draft.case_id = 0;
  ExpectEncodeRejects(draft, "case");
  draft.case_id = -5;
  ExpectEncodeRejects(draft, "case");

  for (const json& payload : {json(nullptr), json::array(), json("x"), json(1)}) {
    draft = SampleDraft();
    draft.payload = payload;
    ExpectEncodeRejects(draft, "payload");
  }

  draft = SampleDraft();
  draft.payload = {{"name", std::string("\xFF")}};  // not UTF-8
  EXPECT_FALSE(EncodeEntry(draft).ok());
}

TEST(EntryEncodeTest, SizeLimitIs64KiB) {
  const EntryDraft at_limit = DraftOfSize(kMaxEntryBytes);
  const std::string bytes = Encode(at_limit);
  EXPECT_EQ(bytes.size(), kMaxEntryBytes);
  EXPECT_TRUE(DecodeEntry(bytes).ok());

  ExpectEncodeRejects(DraftOfSize(kMaxEntryBytes + 1), "payload");
}

// --- DecodeEntry ----------------------------------------------------------------------------

TEST(EntryDecodeTest, DecodesTheSpecExample) {
  auto decoded = DecodeEntry(kSampleBytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->type, "staff_created");
  EXPECT_FALSE(decoded->case_id.has_value());
  EXPECT_EQ(decoded->actor.user_id, 1);
  EXPECT_EQ(decoded->actor.role, "admin");
  EXPECT_EQ(decoded->at_ms, kSampleAtMs);
  EXPECT_EQ(decoded->payload, json({{"user", 2}, {"role", "officer"}}));
}

TEST(EntryDecodeTest, RoundTrips) {
  EntryDraft draft;
  draft.type = "claimant_activated";
  draft.case_id = 9223372036854775807LL;
  draft.actor = Actor{0, "system"};
  draft.at_ms = 1709210096789;
  draft.payload = {{"user", 5},
                   {"phone_commitment", std::string(64, 'f')},
                   {"nested", {{"list", json::array({1, -2, "三"})}, {"empty", json::object()}}}};
  const std::string bytes = Encode(draft);
  auto decoded = DecodeEntry(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->type, draft.type);
  EXPECT_EQ(decoded->case_id, draft.case_id);
  EXPECT_EQ(decoded->actor.user_id, draft.actor.user_id);
  EXPECT_EQ(decoded->actor.role, draft.actor.role);
  EXPECT_EQ(decoded->at_ms, draft.at_ms);
  EXPECT_EQ(decoded->payload, draft.payload);
  EXPECT_EQ(Encode(*decoded), bytes);
}

TEST(EntryDecodeTest, RejectsNonCanonicalBytes) {
  const std::string sample = kSampleBytes;
  ExpectDecodeRejects(" " + sample, "leading space");
  ExpectDecodeRejects(sample + "\n", "trailing newline");
  ExpectDecodeRejects(
      R"({"actor": {"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"officer","user":2},"type":"staff_created","v":1})",
      "space after a colon");
  ExpectDecodeRejects(
      R"({"v":1,"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"officer","user":2},"type":"staff_created"})",
      "unsorted top-level keys");
  ExpectDecodeRejects(
      R"({"actor":{"role":"admin","id":1},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"officer","user":2},"type":"staff_created","v":1})",
      "unsorted actor keys");
  ExpectDecodeRejects(
      R"({"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"user":2,"role":"officer"},"type":"staff_created","v":1})",
      "unsorted payload keys");
  ExpectDecodeRejects(
      R"({"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"officer","user":2.0},"type":"staff_created","v":1})",
      "a float");
  ExpectDecodeRejects(
      R"({"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"\u006Ffficer","user":2},"type":"staff_created","v":1})",
      "a needless escape");
  ExpectDecodeRejects(
      R"({"actor":{"id":1,"role":"admin"},"at":"2026-11-23T00:41:01.123Z","case":null,)"
      R"("payload":{"role":"officer","user":2},"type":"staff_created","v":1,"v":1})",
      "a duplicate key");
  ExpectDecodeRejects("", "empty");
  ExpectDecodeRejects("null", "not an object");
  ExpectDecodeRejects("[]", "not an object");
  ExpectDecodeRejects("{}", "an empty object");
}

TEST(EntryDecodeTest, RejectsMissingAndExtraMembers) {
  for (const char* member : {"v", "type", "case", "actor", "at", "payload"}) {
    json entry = SampleJson();
    entry.erase(member);
    ExpectDecodeRejects(Canonical(entry), std::string("without ") + member);
    // Six members again, but one of them misnamed.
    entry[std::string(member) + "_"] = SampleJson()[member];
    ExpectDecodeRejects(Canonical(entry), std::string("renamed ") + member);
  }
  json extra = SampleJson();
  extra["w"] = 0;
  ExpectDecodeRejects(Canonical(extra), "extra member w");
  extra = SampleJson();
  extra["id"] = nullptr;
  ExpectDecodeRejects(Canonical(extra), "extra member id");
}

TEST(EntryDecodeTest, RejectsUnknownVersions) {
  for (const json& v : {json(2), json(0), json(-1), json("1"), json(true), json(nullptr)}) {
    json entry = SampleJson();
    entry["v"] = v;
    ExpectDecodeRejects(Canonical(entry), "v = " + v.dump());
  }
  json entry = SampleJson();
  entry["v"] = 2;
  auto decoded = DecodeEntry(Canonical(entry));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().field(), "v");
}

TEST(EntryDecodeTest, RejectsBadCases) {
  for (const json& c : {json("7"), json(0), json(-7), json(true), json::object(), json::array()}) {
    json entry = SampleJson();
    entry["case"] = c;
    ExpectDecodeRejects(Canonical(entry), "case = " + c.dump());
  }
  json entry = SampleJson();
  entry["case"] = 7;
  auto decoded = DecodeEntry(Canonical(entry));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->case_id.value_or(0), 7);
}

TEST(EntryDecodeTest, RejectsBadActors) {
  const json bad_actors[] = {
      json{{"id", 1}, {"role", "admin"}, {"name", "Zhang San"}},  // extra member
      json{{"id", 1}},                                            // missing role
      json{{"role", "admin"}},                                    // missing id
      json{{"id", 1}, {"name", "admin"}},                         // wrong member
      json{{"id", -1}, {"role", "admin"}},                        // negative id
      json{{"id", "1"}, {"role", "admin"}},                       // id as a string
      json{{"id", nullptr}, {"role", "admin"}},
      json{{"id", 1}, {"role", "Admin"}},  // role not lower_snake_case
      json{{"id", 1}, {"role", ""}},
      json{{"id", 1}, {"role", std::string(17, 'r')}},
      json{{"id", 1}, {"role", 1}},
      json::array({1, "admin"}),
      json(nullptr),
      json(1),
  };
  for (const json& actor : bad_actors) {
    json entry = SampleJson();
    entry["actor"] = actor;
    ExpectDecodeRejects(Canonical(entry), "actor = " + actor.dump());
  }
}

TEST(EntryDecodeTest, RejectsBadTypes) {
  for (const json& type :
       {json("Staff_created"), json("STAFF_CREATED"), json(""), json(std::string(65, 'a')),
        json("staff-created"), json("_staff"), json("9staff"), json(1), json(nullptr)}) {
    json entry = SampleJson();
    entry["type"] = type;
    ExpectDecodeRejects(Canonical(entry), "type = " + type.dump());
  }
  json entry = SampleJson();
  entry["type"] = std::string(64, 'a');
  EXPECT_TRUE(DecodeEntry(Canonical(entry)).ok());
  // Unknown but well-formed types decode: a verifier hashes bytes, it need not know the type.
  entry["type"] = "some_future_type";
  EXPECT_TRUE(DecodeEntry(Canonical(entry)).ok());
}

TEST(EntryDecodeTest, RejectsBadTimes) {
  for (const json& at : {json("2026-11-23T00:41:01Z"), json("2026-11-23t00:41:01.123Z"),
                         json("2026-11-23T00:41:01.123"), json("2023-02-29T00:00:00.000Z"),
                         json("1969-12-31T23:59:59.999Z"), json(kSampleAtMs), json(nullptr)}) {
    json entry = SampleJson();
    entry["at"] = at;
    ExpectDecodeRejects(Canonical(entry), "at = " + at.dump());
  }
}

TEST(EntryDecodeTest, RejectsPayloadsThatAreNotObjects) {
  for (const json& payload :
       {json::array(), json::array({1}), json("x"), json(1), json(nullptr), json(false)}) {
    json entry = SampleJson();
    entry["payload"] = payload;
    ExpectDecodeRejects(Canonical(entry), "payload = " + payload.dump());
  }
}

TEST(EntryDecodeTest, RejectsEntriesOver64KiB) {
  json entry = SampleJson();
  entry["payload"] = {{"blob", ""}};
  const size_t base = Canonical(entry).size();
  entry["payload"]["blob"] = std::string(kMaxEntryBytes + 1 - base, 'x');
  const std::string too_large = Canonical(entry);
  ASSERT_EQ(too_large.size(), kMaxEntryBytes + 1);
  ExpectDecodeRejects(too_large, "65537 bytes");

  entry["payload"]["blob"] = std::string(kMaxEntryBytes - base, 'x');
  const std::string at_limit = Canonical(entry);
  ASSERT_EQ(at_limit.size(), kMaxEntryBytes);
  EXPECT_TRUE(DecodeEntry(at_limit).ok());
}

}  // namespace
}  // namespace restitution::ledger
