#include "ledger/utf8.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

namespace restitution::ledger {
namespace {

// UTF-8 encoding of any value up to 0x10FFFF, surrogates included (so the test can check
// they are refused), written from the RFC 3629 table.
std::string Encode(uint32_t cp) {
  std::string out;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return out;
}

TEST(Utf8Test, EveryCodePointExceptSurrogatesIsValid) {
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    ASSERT_EQ(IsValidUtf8(Encode(cp)), !surrogate) << std::hex << cp;
  }
}

TEST(Utf8Test, Boundaries) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8(std::string("\0", 1)));
  EXPECT_TRUE(IsValidUtf8("\x7F"));
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));
  EXPECT_TRUE(IsValidUtf8("\xDF\xBF"));
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));  // U+D7FF
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));  // U+E000
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));
  EXPECT_TRUE(IsValidUtf8("a\xC3\xA9z\xE4\xB8\xAD\xF0\x9F\x98\x80"));
}

TEST(Utf8Test, RejectsMalformedSequences) {
  const char* const kInvalid[] = {
      "\x80",              // lone continuation
      "\xBF",              //
      "\xC0\x80",          // overlong NUL
      "\xC1\xBF",          // overlong
      "\xE0\x80\x80",      // overlong
      "\xE0\x9F\xBF",      // overlong U+07FF
      "\xED\xA0\x80",      // U+D800
      "\xED\xBF\xBF",      // U+DFFF
      "\xF0\x80\x80\x80",  // overlong
      "\xF0\x8F\xBF\xBF",  // overlong U+FFFF
      "\xF4\x90\x80\x80",  // U+110000
      "\xF5\x80\x80\x80",  //
      "\xF8\x88\x80\x80\x80",
      "\xFE",
      "\xFF",
      "\xC3",              // truncated
      "\xE2\x82",          // truncated
      "\xF0\x9F\x98",      // truncated
      "a\xC3",             // truncated at the end
      "\xC3\x41",          // continuation missing
      "\xE2\x28\xA1",      // bad second byte
      "\xE2\x82\x28",      // bad third byte
      "\xF0\x9F\x98\x28",  // bad fourth byte
      "\xC3\xA9\x80",      // extra continuation
  };
  for (const char* s : kInvalid) EXPECT_FALSE(IsValidUtf8(s)) << s;
}

}  // namespace
}  // namespace restitution::ledger

namespace restitution::ledger {
namespace {

TEST(HasControlOrInvisibleCharacterTest, FindsControlsAndInvisibleFormatCharacters) {
  EXPECT_FALSE(HasControlOrInvisibleCharacter("张三 Zhang·San"));
  EXPECT_FALSE(HasControlOrInvisibleCharacter(""));
  for (const char* text : {"a\tb", "a\x7f", "a\xC2\x85", "a\xE2\x80\x8B", "a\xE2\x80\x8F",
                           "invoice\xE2\x80\xAE"
                           "fdp.exe",
                           "a\xE2\x81\xA6",
                           "\xEF\xBB\xBF"
                           "a"}) {
    EXPECT_TRUE(HasControlOrInvisibleCharacter(text)) << text;
  }
  EXPECT_FALSE(HasControlOrInvisibleCharacter("a\xE2\x80\x94"));  // an em dash is visible
}

}  // namespace
}  // namespace restitution::ledger
