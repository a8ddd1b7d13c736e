#include "service/json_input.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace restitution {
namespace {

using json = nlohmann::json;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

void ExpectInvalid(const Status& status, const std::string& field, const std::string& message) {
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_EQ(status.field(), field) << status.ToString();
  EXPECT_EQ(status.message(), message) << status.ToString();
}

template <typename T>
void ExpectInvalid(const StatusOr<T>& result, const std::string& field,
                   const std::string& message) {
  ASSERT_FALSE(result.ok()) << "unexpectedly accepted";
  ExpectInvalid(result.status(), field, message);
}

// Parses a body the test knows to be acceptable.
json MustParse(const std::string& body) {
  StatusOr<json> parsed = ParseJsonObject(body);
  EXPECT_TRUE(parsed.ok()) << body << ": " << parsed.status().ToString();
  if (!parsed.ok()) return json::object();
  return std::move(parsed).value();
}

// "{"a":" + depth-1 nested arrays + "}": a body whose nesting depth is exactly `depth`.
std::string NestedArrays(size_t depth) {
  return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

// A body of `depth` nested objects: {"k":{"k":...{}...}}.
std::string NestedObjects(size_t depth) {
  std::string body;
  for (size_t i = 1; i < depth; ++i) body += "{\"k\":";
  body += "{}";
  body += std::string(depth - 1, '}');
  return body;
}

// ---------------------------------------------------------------------------------------
// ParseJsonObject

TEST(ParseJsonObjectTest, AcceptsObjects) {
  json parsed = MustParse(R"( {"name":"Li","n":[1,2,{"x":null}],"o":{"b":true}} )"
                          "\n");
  EXPECT_EQ(parsed, json::parse(R"({"name":"Li","n":[1,2,{"x":null}],"o":{"b":true}})"));
  EXPECT_EQ(parsed["name"], "Li");
  EXPECT_EQ(MustParse("{}"), json::object());
}

TEST(ParseJsonObjectTest, KeepsBigIntegersExact) {
  json parsed = MustParse(R"({"u":18446744073709551615,"i":-9223372036854775808})");
  ASSERT_TRUE(parsed["u"].is_number_unsigned());
  EXPECT_EQ(parsed["u"].get<uint64_t>(), std::numeric_limits<uint64_t>::max());
  ASSERT_TRUE(parsed["i"].is_number_integer());
  EXPECT_EQ(parsed["i"].get<int64_t>(), kMin);
}

TEST(ParseJsonObjectTest, RejectsMalformedJson) {
  const std::vector<std::string> bodies = {
      "",
      " ",
      "{",
      "}",
      "{\"a\"}",
      "{\"a\":}",
      "{\"a\":1,}",
      "{\"a\":[1,]}",
      "{'a':1}",
      "{a:1}",
      "{\"a\":1} x",
      "{\"a\":1}{}",
      "{\"a\":1}}",
      "// comment\n{}",
      "{\"a\":1 /* comment */}",
      "{\"a\":NaN}",
      "{\"a\":Infinity}",
      "{\"a\":01}",
      "{\"a\":+1}",
      "{\"a\":.5}",
      "{\"a\":1.}",
      "{\"a\":1e400}",
      "{\"a\":0x10}",
      "{\"a\":\"unterminated}",
      "{\"a\":\"raw\ttab\"}",
      "{\"a\":\"bad \\x escape\"}",
      "{\"a\":True}",
      // nlohmann stops reading at a NUL byte; nothing after it may be smuggled in.
      std::string("{\"a\":1}\0", 8),
      std::string("{\"a\":1}\0{\"a\":2}", 15),
      std::string("{\"a\":1\0}", 8),
      std::string("{\"a\":\"x\0y\"}", 11),
      std::string("\0{}", 3),
      // A syntax error anywhere wins over duplicate keys and depth found before it.
      "{\"a\":1,\"a\":2",
      "{\"a\":1,\"a\":2} x",
      "{\"d\":" + std::string(40, '[') + std::string(40, ']') + "} x",
      // Very deep unterminated nesting: still just a syntax error, and no stack overflow.
      "{\"d\":" + std::string(100000, '['),
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body.substr(0, 80));
    ExpectInvalid(ParseJsonObject(body), "", "request body is not valid JSON");
  }
}

TEST(ParseJsonObjectTest, RejectsNonObjects) {
  const std::vector<std::string> bodies = {
      "[]",
      "[1,2]",
      "1",
      "-1.5",
      "\"text\"",
      "null",
      "true",
      "false",
      " [ {} ] ",
      // Problems inside a non-object are moot: the body is wrong at the top already.
      R"([{"a":1,"a":2}])",
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body);
    ExpectInvalid(ParseJsonObject(body), "", "request body must be a JSON object");
  }
}

TEST(ParseJsonObjectTest, RejectsDuplicateKeysWithTheirPath) {
  const struct {
    const char* body;
    const char* path;
  } cases[] = {
      {R"({"a":1,"a":2})", "a"},
      {R"({"a":1,"b":2,"a":1})", "a"},
      {R"({"a":null,"a":null})", "a"},
      {R"({"a":{},"a":[]})", "a"},
      {R"({"":1,"":2})", ""},
      // An escape spelling the same key is the same key.
      {R"({"a":1,"\u0061":2})", "a"},
      {R"({"identity":{"name":"x","name":"y"}})", "identity.name"},
      {R"({"a":{"b":1},"c":{"d":1,"d":2}})", "c.d"},
      {R"({"a":{"b":{"c":{"d":1,"d":1}}}})", "a.b.c.d"},
      // Inside objects inside arrays, counting scalar and container elements alike.
      {R"({"contributions":[{"amount":"1"},{"amount":"1","id":1},{"x":1,"amount":"2","amount":"3"}]})",
       "contributions[2].amount"},
      {R"({"x":[1,"s",null,[],{},{"k":1,"k":2}]})", "x[5].k"},
      {R"({"m":[[{}],[{"k":1},{"k":1,"k":1}]]})", "m[1][1].k"},
      {R"({"a":[{"b":[{"c":1},{"c":1,"c":2}]}]})", "a[0].b[1].c"},
      // The first duplicate in document order is reported.
      {R"({"b":{"x":1,"x":2},"a":1,"a":2})", "b.x"},
      {R"({"a":1,"a":2,"b":{"x":1,"x":2}})", "a"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.body);
    ExpectInvalid(ParseJsonObject(c.body), c.path, "duplicate key");
  }
}

TEST(ParseJsonObjectTest, SameKeyInDifferentObjectsIsFine) {
  json parsed = MustParse(R"({"a":{"a":1},"b":{"a":2},"l":[{"a":1},{"a":2}],"k":{"k":{"k":3}}})");
  EXPECT_EQ(parsed["a"]["a"], 1);
  EXPECT_EQ(parsed["b"]["a"], 2);
  EXPECT_EQ(parsed["l"][1]["a"], 2);
  EXPECT_EQ(parsed["k"]["k"]["k"], 3);
}

TEST(ParseJsonObjectTest, LimitsNestingDepthTo32) {
  EXPECT_TRUE(ParseJsonObject(NestedArrays(32)).ok());
  EXPECT_TRUE(ParseJsonObject(NestedObjects(32)).ok());
  EXPECT_TRUE(ParseJsonObject(NestedObjects(1)).ok());

  ExpectInvalid(ParseJsonObject(NestedArrays(33)), "", "request body is nested too deeply");
  ExpectInvalid(ParseJsonObject(NestedObjects(33)), "", "request body is nested too deeply");
  ExpectInvalid(ParseJsonObject(NestedArrays(100000)), "", "request body is nested too deeply");
}

TEST(ParseJsonObjectTest, ReportsFirstOfDepthAndDuplicate) {
  const std::string deep = std::string(40, '[') + std::string(40, ']');
  ExpectInvalid(ParseJsonObject("{\"a\":1,\"a\":2,\"d\":" + deep + "}"), "a", "duplicate key");
  ExpectInvalid(ParseJsonObject("{\"d\":" + deep + ",\"a\":1,\"a\":2}"), "",
                "request body is nested too deeply");
}

TEST(ParseJsonObjectTest, AcceptsValidUtf8) {
  json parsed = MustParse(
      "{\"name\":\"\xE6\x9D\x8E\xE5\x9B\x9B\","  // 李四
      "\"\xE5\x90\x8D\":\"x\","                  // key 名
      "\"emoji\":\"\xF0\x9F\x98\x80\","          // U+1F600 raw
      "\"escaped\":\"\\ud83d\\ude00\","          // U+1F600 as a surrogate pair
      "\"max\":\"\xF4\x8F\xBF\xBF\"}");          // U+10FFFF
  EXPECT_EQ(parsed["name"], "\xE6\x9D\x8E\xE5\x9B\x9B");
  EXPECT_EQ(parsed["\xE5\x90\x8D"], "x");
  EXPECT_EQ(parsed["escaped"], "\xF0\x9F\x98\x80");
  EXPECT_EQ(parsed["max"], "\xF4\x8F\xBF\xBF");
}

TEST(ParseJsonObjectTest, RejectsInvalidUtf8) {
  const std::vector<std::string> bad_strings = {
      "\x80",                     // lone continuation byte
      "\xBF",                     //
      "\xFF",                     // never valid
      "\xFE",                     //
      "\xC0\xAF",                 // overlong '/'
      "\xC1\xBF",                 // overlong
      "\xE0\x80\xAF",             // overlong '/'
      "\xF0\x80\x80\xAF",         // overlong '/'
      "\xED\xA0\x80",             // UTF-16 surrogate U+D800 encoded in UTF-8
      "\xED\xBF\xBF",             // U+DFFF
      "\xF4\x90\x80\x80",         // U+110000, beyond Unicode
      "\xF5\x80\x80\x80",         //
      "\xE2\x82",                 // truncated 3-byte sequence
      "\xF0\x9F\x98",             // truncated 4-byte sequence
      "\xC3",                     // truncated 2-byte sequence
      "a\xC3(b",                  // bad continuation
      "\\ud800",                  // unpaired high surrogate escape
      "\\udc00",                  // unpaired low surrogate escape
      "\\ud800\\u0041",           // high surrogate followed by a non-surrogate
      "\\ud83d\xF0\x9F\x98\x80",  // high surrogate escape followed by raw UTF-8
  };
  for (const std::string& bad : bad_strings) {
    SCOPED_TRACE(testing::PrintToString(bad));
    ExpectInvalid(ParseJsonObject("{\"v\":\"" + bad + "\"}"), "", "request body is not valid JSON");
    ExpectInvalid(ParseJsonObject("{\"" + bad + "\":1}"), "", "request body is not valid JSON");
  }
  // Outside strings, non-ASCII bytes are not JSON whitespace or tokens.
  ExpectInvalid(ParseJsonObject("{\xC2\xA0\"a\":1}"), "", "request body is not valid JSON");
  ExpectInvalid(ParseJsonObject("{\"a\":1}\xFF"), "", "request body is not valid JSON");
}

// ---------------------------------------------------------------------------------------
// JsonReader: paths

TEST(JsonReaderTest, FieldPath) {
  const json object = json::object();
  EXPECT_EQ(JsonReader(object).FieldPath("amount"), "amount");
  EXPECT_EQ(JsonReader(object, "").FieldPath("amount"), "amount");
  EXPECT_EQ(JsonReader(object, "contributions[2]").FieldPath("amount"), "contributions[2].amount");
  EXPECT_EQ(JsonReader(object, "identity").FieldPath("name"), "identity.name");
}

// ---------------------------------------------------------------------------------------
// RequiredString / OptionalString

TEST(JsonReaderTest, RequiredStringAccepts) {
  const json body = MustParse(R"({"name":"Li Si","five":"12345","cjk":"李四"})");
  const JsonReader reader(body);
  StatusOr<std::string> name = reader.RequiredString("name", 100);
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  EXPECT_EQ(*name, "Li Si");
  StatusOr<std::string> five = reader.RequiredString("five", 5);  // exactly at the limit
  ASSERT_TRUE(five.ok()) << five.status().ToString();
  EXPECT_EQ(*five, "12345");
  StatusOr<std::string> cjk = reader.RequiredString("cjk", 6);  // 2 characters, 6 bytes
  ASSERT_TRUE(cjk.ok()) << cjk.status().ToString();
  EXPECT_EQ(*cjk, "李四");
}

TEST(JsonReaderTest, RequiredStringRejects) {
  const json body = MustParse(
      R"({"null":null,"num":1,"bool":true,"obj":{},"arr":["a"],"empty":"","six":"123456",)"
      R"("cjk":"李四"})");
  const JsonReader reader(body, "identity");
  ExpectInvalid(reader.RequiredString("missing", 10), "identity.missing", "is required");
  ExpectInvalid(reader.RequiredString("null", 10), "identity.null", "is required");
  ExpectInvalid(reader.RequiredString("num", 10), "identity.num", "must be a string");
  ExpectInvalid(reader.RequiredString("bool", 10), "identity.bool", "must be a string");
  ExpectInvalid(reader.RequiredString("obj", 10), "identity.obj", "must be a string");
  ExpectInvalid(reader.RequiredString("arr", 10), "identity.arr", "must be a string");
  ExpectInvalid(reader.RequiredString("empty", 10), "identity.empty", "must not be empty");
  ExpectInvalid(reader.RequiredString("six", 5), "identity.six",
                "is too long (at most 5 characters)");
  // The limit counts UTF-8 bytes: two CJK characters are six bytes.
  ExpectInvalid(reader.RequiredString("cjk", 5), "identity.cjk",
                "is too long (at most 5 characters)");
}

TEST(JsonReaderTest, OptionalString) {
  const json body =
      MustParse(R"({"present":"abc","null":null,"num":7,"empty":"","long":"abcdef"})");
  const JsonReader reader(body);

  StatusOr<std::optional<std::string>> present = reader.OptionalString("present", 3);
  ASSERT_TRUE(present.ok()) << present.status().ToString();
  ASSERT_TRUE(present->has_value());
  EXPECT_EQ(**present, "abc");

  StatusOr<std::optional<std::string>> absent = reader.OptionalString("absent", 3);
  ASSERT_TRUE(absent.ok()) << absent.status().ToString();
  EXPECT_FALSE(absent->has_value());

  StatusOr<std::optional<std::string>> null = reader.OptionalString("null", 3);
  ASSERT_TRUE(null.ok()) << null.status().ToString();
  EXPECT_FALSE(null->has_value());

  ExpectInvalid(reader.OptionalString("num", 3), "num", "must be a string");
  ExpectInvalid(reader.OptionalString("empty", 3), "empty", "must not be empty");
  ExpectInvalid(reader.OptionalString("long", 5), "long", "is too long (at most 5 characters)");
}

// ---------------------------------------------------------------------------------------
// RequiredMoney

TEST(JsonReaderTest, RequiredMoneyAccepts) {
  const json body = MustParse(R"({"amount":"1234.56","small":"0.5","refund":"-0.05"})");
  const JsonReader reader(body);
  StatusOr<Money> amount = reader.RequiredMoney("amount");
  ASSERT_TRUE(amount.ok()) << amount.status().ToString();
  EXPECT_EQ(amount->fen(), 123456);
  StatusOr<Money> small = reader.RequiredMoney("small");
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->fen(), 50);
  StatusOr<Money> refund = reader.RequiredMoney("refund", /*allow_negative=*/true);
  ASSERT_TRUE(refund.ok()) << refund.status().ToString();
  EXPECT_EQ(refund->fen(), -5);
}

TEST(JsonReaderTest, RequiredMoneyRejects) {
  const json body =
      MustParse(R"({"float":1234.56,"int":1234,"bool":true,"obj":{},"null":null,"three":"1.234",)"
                R"("neg":"-1","spaced":" 1","empty":""})");
  const JsonReader reader(body, "contributions[2]");
  const std::string must_be_string = "must be a string such as \"1234.56\"";
  ExpectInvalid(reader.RequiredMoney("float"), "contributions[2].float", must_be_string);
  ExpectInvalid(reader.RequiredMoney("int"), "contributions[2].int", must_be_string);
  ExpectInvalid(reader.RequiredMoney("bool"), "contributions[2].bool", must_be_string);
  ExpectInvalid(reader.RequiredMoney("obj"), "contributions[2].obj", must_be_string);
  ExpectInvalid(reader.RequiredMoney("missing"), "contributions[2].missing", "is required");
  ExpectInvalid(reader.RequiredMoney("null"), "contributions[2].null", "is required");
  // Money::Parse's own errors carry the full path.
  ExpectInvalid(reader.RequiredMoney("three"), "contributions[2].three",
                "must have at most two decimal places");
  ExpectInvalid(reader.RequiredMoney("neg"), "contributions[2].neg", "must not be negative");
  ExpectInvalid(reader.RequiredMoney("spaced", true), "contributions[2].spaced",
                "must not contain spaces");
  ExpectInvalid(reader.RequiredMoney("empty"), "contributions[2].empty", "must not be empty");
}

// ---------------------------------------------------------------------------------------
// RequiredInteger

TEST(JsonReaderTest, RequiredIntegerAccepts) {
  const json body = MustParse(R"({"five":5,"zero":0,"neg_zero":-0,"ten":10,"neg":-7,)"
                              R"("max":9223372036854775807,"min":-9223372036854775808})");
  const JsonReader reader(body);
  const struct {
    const char* key;
    int64_t min;
    int64_t max;
    int64_t expected;
  } cases[] = {
      {"five", 0, 10, 5},        {"zero", 0, 10, 0},        {"neg_zero", 0, 10, 0},
      {"ten", 0, 10, 10},        {"five", 5, 5, 5},         {"neg", -10, -1, -7},
      {"neg", kMin, kMax, -7},   {"max", kMin, kMax, kMax}, {"max", kMax, kMax, kMax},
      {"min", kMin, kMax, kMin}, {"min", kMin, kMin, kMin}, {"five", -10, 10, 5},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.key) + " in [" + std::to_string(c.min) + ", " +
                 std::to_string(c.max) + "]");
    StatusOr<int64_t> value = reader.RequiredInteger(c.key, c.min, c.max);
    ASSERT_TRUE(value.ok()) << value.status().ToString();
    EXPECT_EQ(*value, c.expected);
  }
}

TEST(JsonReaderTest, RequiredIntegerRejects) {
  const json body =
      MustParse(R"({"half":1.5,"one_point_zero":1.0,"exp":1e3,"exp_int":1E2,"neg_float":-2.5,)"
                R"("true":true,"false":false,"string":"5","obj":{},"arr":[1],"null":null,)"
                R"("five":5,"neg":-3,"u64max":18446744073709551615,"over_i64":9223372036854775808,)"
                R"("over_u64":18446744073709551616,"under_i64":-9223372036854775809})");
  const JsonReader reader(body, "claim");
  const std::string integer = "must be an integer";
  ExpectInvalid(reader.RequiredInteger("half", 0, 10), "claim.half", integer);
  ExpectInvalid(reader.RequiredInteger("one_point_zero", 0, 10), "claim.one_point_zero", integer);
  ExpectInvalid(reader.RequiredInteger("exp", 0, 10000), "claim.exp", integer);
  ExpectInvalid(reader.RequiredInteger("exp_int", 0, 10000), "claim.exp_int", integer);
  ExpectInvalid(reader.RequiredInteger("neg_float", -10, 10), "claim.neg_float", integer);
  ExpectInvalid(reader.RequiredInteger("true", 0, 10), "claim.true", integer);
  ExpectInvalid(reader.RequiredInteger("false", 0, 10), "claim.false", integer);
  ExpectInvalid(reader.RequiredInteger("string", 0, 10), "claim.string", integer);
  ExpectInvalid(reader.RequiredInteger("obj", 0, 10), "claim.obj", integer);
  ExpectInvalid(reader.RequiredInteger("arr", 0, 10), "claim.arr", integer);
  // Beyond 64 bits nlohmann stores a double: never silently rounded into range.
  ExpectInvalid(reader.RequiredInteger("over_u64", kMin, kMax), "claim.over_u64", integer);
  ExpectInvalid(reader.RequiredInteger("under_i64", kMin, kMax), "claim.under_i64", integer);

  ExpectInvalid(reader.RequiredInteger("missing", 0, 10), "claim.missing", "is required");
  ExpectInvalid(reader.RequiredInteger("null", 0, 10), "claim.null", "is required");

  ExpectInvalid(reader.RequiredInteger("five", 0, 4), "claim.five", "must be between 0 and 4");
  ExpectInvalid(reader.RequiredInteger("five", 6, 10), "claim.five", "must be between 6 and 10");
  ExpectInvalid(reader.RequiredInteger("five", -10, -1), "claim.five",
                "must be between -10 and -1");
  ExpectInvalid(reader.RequiredInteger("neg", 0, 10), "claim.neg", "must be between 0 and 10");
  ExpectInvalid(reader.RequiredInteger("neg", -2, 10), "claim.neg", "must be between -2 and 10");
  // Unsigned values above INT64_MAX must not wrap to negative numbers inside the range.
  ExpectInvalid(reader.RequiredInteger("u64max", kMin, kMax), "claim.u64max",
                "must be between -9223372036854775808 and 9223372036854775807");
  ExpectInvalid(reader.RequiredInteger("u64max", -5, 5), "claim.u64max",
                "must be between -5 and 5");
  ExpectInvalid(reader.RequiredInteger("over_i64", kMin, kMax), "claim.over_i64",
                "must be between -9223372036854775808 and 9223372036854775807");
}

// ---------------------------------------------------------------------------------------
// RequiredBool

TEST(JsonReaderTest, RequiredBool) {
  const json body =
      MustParse(R"({"yes":true,"no":false,"one":1,"zero":0,"str":"true","null":null,"obj":{}})");
  const JsonReader reader(body, "consent");
  StatusOr<bool> yes = reader.RequiredBool("yes");
  ASSERT_TRUE(yes.ok()) << yes.status().ToString();
  EXPECT_TRUE(*yes);
  StatusOr<bool> no = reader.RequiredBool("no");
  ASSERT_TRUE(no.ok()) << no.status().ToString();
  EXPECT_FALSE(*no);
  ExpectInvalid(reader.RequiredBool("one"), "consent.one", "must be true or false");
  ExpectInvalid(reader.RequiredBool("zero"), "consent.zero", "must be true or false");
  ExpectInvalid(reader.RequiredBool("str"), "consent.str", "must be true or false");
  ExpectInvalid(reader.RequiredBool("obj"), "consent.obj", "must be true or false");
  ExpectInvalid(reader.RequiredBool("null"), "consent.null", "is required");
  ExpectInvalid(reader.RequiredBool("missing"), "consent.missing", "is required");
}

// ---------------------------------------------------------------------------------------
// RequiredObject

TEST(JsonReaderTest, RequiredObjectNestsPaths) {
  const json body = MustParse(R"({"identity":{"name":"Li","address":{"city":7}}})");
  const JsonReader reader(body);
  StatusOr<JsonReader> identity = reader.RequiredObject("identity");
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  StatusOr<std::string> name = identity->RequiredString("name", 10);
  ASSERT_TRUE(name.ok()) << name.status().ToString();
  EXPECT_EQ(*name, "Li");
  ExpectInvalid(identity->RequiredString("missing", 10), "identity.missing", "is required");
  EXPECT_EQ(identity->FieldPath("name"), "identity.name");

  StatusOr<JsonReader> address = identity->RequiredObject("address");
  ASSERT_TRUE(address.ok()) << address.status().ToString();
  ExpectInvalid(address->RequiredString("city", 10), "identity.address.city", "must be a string");
}

TEST(JsonReaderTest, RequiredObjectRejects) {
  const json body = MustParse(R"({"arr":[{}],"str":"{}","num":1,"null":null})");
  const JsonReader reader(body, "claim");
  ExpectInvalid(reader.RequiredObject("arr"), "claim.arr", "must be an object");
  ExpectInvalid(reader.RequiredObject("str"), "claim.str", "must be an object");
  ExpectInvalid(reader.RequiredObject("num"), "claim.num", "must be an object");
  ExpectInvalid(reader.RequiredObject("null"), "claim.null", "is required");
  ExpectInvalid(reader.RequiredObject("missing"), "claim.missing", "is required");
}

// ---------------------------------------------------------------------------------------
// RequiredArrayOfObjects

TEST(JsonReaderTest, RequiredArrayOfObjectsGivesElementPaths) {
  const json body =
      MustParse(R"({"contributions":[{"amount":"1.00"},{"amount":"2.50"},{"amount":2.5}]})");
  const JsonReader reader(body);
  StatusOr<std::vector<JsonReader>> items = reader.RequiredArrayOfObjects("contributions", 3);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 3u);
  StatusOr<Money> first = (*items)[0].RequiredMoney("amount");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->fen(), 100);
  StatusOr<Money> second = (*items)[1].RequiredMoney("amount");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->fen(), 250);
  ExpectInvalid((*items)[2].RequiredMoney("amount"), "contributions[2].amount",
                "must be a string such as \"1234.56\"");
  EXPECT_EQ((*items)[1].FieldPath("amount"), "contributions[1].amount");
}

TEST(JsonReaderTest, RequiredArrayOfObjectsUnderPrefix) {
  const json body = MustParse(R"({"claims":[{"items":[{"id":1},{"id":"x"}]}]})");
  const JsonReader reader(body);
  StatusOr<std::vector<JsonReader>> claims = reader.RequiredArrayOfObjects("claims", 10);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  ASSERT_EQ(claims->size(), 1u);
  StatusOr<std::vector<JsonReader>> items = (*claims)[0].RequiredArrayOfObjects("items", 10);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  ASSERT_EQ(items->size(), 2u);
  StatusOr<int64_t> id = (*items)[0].RequiredInteger("id", 0, 10);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, 1);
  ExpectInvalid((*items)[1].RequiredInteger("id", 0, 10), "claims[0].items[1].id",
                "must be an integer");
}

TEST(JsonReaderTest, RequiredArrayOfObjectsRejects) {
  const json body = MustParse(
      R"({"empty":[],"three":[{},{},{}],"mixed":[{},1,{}],"nested":[[{}]],"nulls":[null],)"
      R"("obj":{"a":{}},"str":"[]","null":null})");
  const JsonReader reader(body, "claim");
  ExpectInvalid(reader.RequiredArrayOfObjects("empty", 5), "claim.empty", "must not be empty");
  ExpectInvalid(reader.RequiredArrayOfObjects("three", 2), "claim.three",
                "has too many items (at most 2)");
  ExpectInvalid(reader.RequiredArrayOfObjects("mixed", 5), "claim.mixed[1]", "must be an object");
  ExpectInvalid(reader.RequiredArrayOfObjects("nested", 5), "claim.nested[0]", "must be an object");
  ExpectInvalid(reader.RequiredArrayOfObjects("nulls", 5), "claim.nulls[0]", "must be an object");
  ExpectInvalid(reader.RequiredArrayOfObjects("obj", 5), "claim.obj", "must be an array");
  ExpectInvalid(reader.RequiredArrayOfObjects("str", 5), "claim.str", "must be an array");
  ExpectInvalid(reader.RequiredArrayOfObjects("null", 5), "claim.null", "is required");
  ExpectInvalid(reader.RequiredArrayOfObjects("missing", 5), "claim.missing", "is required");

  StatusOr<std::vector<JsonReader>> at_limit = reader.RequiredArrayOfObjects("three", 3);
  ASSERT_TRUE(at_limit.ok()) << at_limit.status().ToString();
  EXPECT_EQ(at_limit->size(), 3u);
}

// ---------------------------------------------------------------------------------------
// RejectUnknownKeys

TEST(JsonReaderTest, RejectUnknownKeys) {
  const json body = MustParse(R"({"name":"Li","amount":"1.00","identity":{"Name":"x","id":1}})");
  const JsonReader reader(body);
  EXPECT_TRUE(reader.RejectUnknownKeys({"name", "amount", "identity"}).ok());
  EXPECT_TRUE(reader.RejectUnknownKeys({"identity", "other", "amount", "name"}).ok());
  ExpectInvalid(reader.RejectUnknownKeys({"name", "identity"}), "amount", "unknown field");
  // With several unknown keys the first in byte order is named.
  ExpectInvalid(reader.RejectUnknownKeys({}), "amount", "unknown field");
  ExpectInvalid(reader.RejectUnknownKeys({"amount"}), "identity", "unknown field");

  StatusOr<JsonReader> identity = reader.RequiredObject("identity");
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  // Keys are case-sensitive.
  ExpectInvalid(identity->RejectUnknownKeys({"name", "id"}), "identity.Name", "unknown field");
  EXPECT_TRUE(identity->RejectUnknownKeys({"Name", "id"}).ok());

  const json empty = MustParse("{}");
  EXPECT_TRUE(JsonReader(empty).RejectUnknownKeys({}).ok());
}

TEST(JsonReaderTest, ReadersFromArrayCanBeCopied) {
  const json body = MustParse(R"({"a":[{"x":"1"},{"x":"2"}]})");
  StatusOr<std::vector<JsonReader>> items = JsonReader(body).RequiredArrayOfObjects("a", 5);
  ASSERT_TRUE(items.ok()) << items.status().ToString();
  std::vector<JsonReader> copies = *items;
  JsonReader assigned = copies[0];
  assigned = copies[1];
  ExpectInvalid(assigned.RequiredInteger("x", 0, 5), "a[1].x", "must be an integer");
}

}  // namespace
}  // namespace restitution

namespace restitution {
namespace {

TEST(JsonReaderStringArrayTest, ReadsStringsAndNamesTheBadElement) {
  const nlohmann::json body = {{"regions", {"110105", "310115"}},
                               {"mixed", {"a", 1}},
                               {"empty", nlohmann::json::array()},
                               {"long", {"abcdefg"}}};
  JsonReader reader(body);
  EXPECT_EQ(reader.RequiredArrayOfStrings("regions", 10, 6).value(),
            (std::vector<std::string>{"110105", "310115"}));
  StatusOr<std::vector<std::string>> mixed = reader.RequiredArrayOfStrings("mixed", 10, 6);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.status().field(), "mixed[1]");
  EXPECT_EQ(reader.RequiredArrayOfStrings("empty", 10, 6).status().field(), "empty");
  EXPECT_EQ(reader.RequiredArrayOfStrings("long", 10, 6).status().field(), "long[0]");
  EXPECT_EQ(reader.RequiredArrayOfStrings("regions", 1, 6).status().field(), "regions");
  EXPECT_FALSE(reader.RequiredArrayOfStrings("absent", 1, 6).ok());
  EXPECT_TRUE(reader.Has("regions"));
  EXPECT_FALSE(reader.Has("absent"));
}

}  // namespace
}  // namespace restitution
