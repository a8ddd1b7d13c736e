#include "ledger/utf8.h"

#include <cstddef>

namespace restitution::ledger {

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    const unsigned char lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The allowed range of the first continuation byte depends on the lead byte: that is
    // where overlong forms, surrogates and code points above U+10FFFF are excluded (RFC 3629
    // section 4). Later continuation bytes are always 0x80..0xBF.
    size_t length = 0;
    unsigned char low = 0x80;
    unsigned char high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead == 0xE0) {
      length = 3;
      low = 0xA0;
    } else if (lead >= 0xE1 && lead <= 0xEC) {
      length = 3;
    } else if (lead == 0xED) {
      length = 3;
      high = 0x9F;
    } else if (lead >= 0xEE && lead <= 0xEF) {
      length = 3;
    } else if (lead == 0xF0) {
      length = 4;
      low = 0x90;
    } else if (lead >= 0xF1 && lead <= 0xF3) {
      length = 4;
    } else if (lead == 0xF4) {
      length = 4;
      high = 0x8F;
    } else {
      return false;  // 0x80..0xC1 (continuation or overlong lead) and 0xF5..0xFF.
    }
    if (n - i < length) return false;
    const unsigned char first = static_cast<unsigned char>(text[i + 1]);
    if (first < low || first > high) return false;
    for (size_t j = 2; j < length; ++j) {
      const unsigned char next = static_cast<unsigned char>(text[i + j]);
      if (next < 0x80 || next > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

bool HasControlOrInvisibleCharacter(std::string_view text) {
  auto byte = [&](size_t pos) { return static_cast<unsigned char>(text[pos]); };
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = byte(i);
    if (b < 0x20 || b == 0x7F) return true;
    if (b == 0xC2 && i + 1 < text.size() && byte(i + 1) <= 0x9F) return true;
    if (b == 0xE2 && i + 2 < text.size()) {
      const unsigned char b1 = byte(i + 1);
      const unsigned char b2 = byte(i + 2);
      if (b1 == 0x80 && ((b2 >= 0x8B && b2 <= 0x8F) || (b2 >= 0xAA && b2 <= 0xAE))) return true;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
    }
    if (b == 0xEF && i + 2 < text.size() && byte(i + 1) == 0xBB && byte(i + 2) == 0xBF) {
      return true;
    }
  }
  return false;
}

}  // namespace restitution::ledger
