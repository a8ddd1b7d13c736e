#include "crypto/encoding.h"

#include <cstdint>

namespace restitution::crypto {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kBase64UrlAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

uint32_t Byte(char c) { return static_cast<unsigned char>(c); }

Status Invalid(std::string_view encoding, std::string_view problem) {
  std::string message = "invalid ";
  message += encoding;
  message += ": ";
  message += problem;
  return Status::InvalidArgument("", std::move(message));
}

Status InvalidCharacter(std::string_view encoding, size_t offset) {
  return Invalid(encoding, "unexpected character at offset " + std::to_string(offset));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The 6-bit value of c in the given alphabet, or -1. Computed rather than looked up in a
// reverse table, so the two alphabets cannot drift apart.
int Base64Value(char c, bool url) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == (url ? '-' : '+')) return 62;
  if (c == (url ? '_' : '/')) return 63;
  return -1;
}

std::string EncodeBase64(std::string_view bytes, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = Byte(bytes[i]) << 16 | Byte(bytes[i + 1]) << 8 | Byte(bytes[i + 2]);
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    out.push_back(alphabet[v & 63]);
  }
  const size_t rest = bytes.size() - i;
  if (rest == 1) {
    const uint32_t v = Byte(bytes[i]) << 16;
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    if (pad) out += "==";
  } else if (rest == 2) {
    const uint32_t v = Byte(bytes[i]) << 16 | Byte(bytes[i + 1]) << 8;
    out.push_back(alphabet[v >> 18]);
    out.push_back(alphabet[(v >> 12) & 63]);
    out.push_back(alphabet[(v >> 6) & 63]);
    if (pad) out.push_back('=');
  }
  return out;
}

StatusOr<std::string> DecodeBase64(std::string_view text, bool url) {
  const std::string_view name = url ? "base64url" : "base64";
  // data_length counts the characters before any padding.
  size_t data_length = text.size();
  if (!url) {
    if (text.size() % 4 != 0) return Invalid(name, "length is not a multiple of 4");
    for (int pads = 0; pads < 2 && data_length > 0 && text[data_length - 1] == '='; ++pads) {
      --data_length;
    }
  }
  // A single leftover character carries only 6 bits, less than a byte. (Padded input never
  // gets here: stripping at most two '=' from a multiple of 4 cannot leave 4k+1.)
  if (data_length % 4 == 1) return Invalid(name, "truncated input");

  std::string out;
  out.reserve(data_length / 4 * 3 + 2);
  uint32_t group = 0;  // the bits of the current 4-character group
  for (size_t i = 0; i < data_length; ++i) {
    // '=' inside the data, or anywhere in base64url, fails here too.
    const int value = Base64Value(text[i], url);
    if (value < 0) return InvalidCharacter(name, i);
    group = group << 6 | static_cast<uint32_t>(value);
    if (i % 4 == 3) {
      out.push_back(static_cast<char>(group >> 16));
      out.push_back(static_cast<char>((group >> 8) & 0xff));
      out.push_back(static_cast<char>(group & 0xff));
      group = 0;
    }
  }
  // A final partial group holds 12 or 18 bits for 1 or 2 bytes; the 4 or 2 bits left over
  // must be zero, or several texts would decode to the same bytes.
  switch (data_length % 4) {
    case 2:
      if ((group & 0xf) != 0) return Invalid(name, "non-zero trailing bits");
      out.push_back(static_cast<char>(group >> 4));
      break;
    case 3:
      if ((group & 0x3) != 0) return Invalid(name, "non-zero trailing bits");
      out.push_back(static_cast<char>(group >> 10));
      out.push_back(static_cast<char>((group >> 2) & 0xff));
      break;
    default:
      break;
  }
  return out;
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    out.push_back(kHexDigits[Byte(c) >> 4]);
    out.push_back(kHexDigits[Byte(c) & 0xf]);
  }
  return out;
}

StatusOr<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return Invalid("hex", "odd length");
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int high = HexValue(hex[i]);
    if (high < 0) return InvalidCharacter("hex", i);
    const int low = HexValue(hex[i + 1]);
    if (low < 0) return InvalidCharacter("hex", i + 1);
    out.push_back(static_cast<char>(high << 4 | low));
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  return EncodeBase64(bytes, kBase64Alphabet, /*pad=*/true);
}

StatusOr<std::string> Base64Decode(std::string_view text) {
  return DecodeBase64(text, /*url=*/false);
}

std::string Base64UrlEncode(std::string_view bytes) {
  return EncodeBase64(bytes, kBase64UrlAlphabet, /*pad=*/false);
}

StatusOr<std::string> Base64UrlDecode(std::string_view text) {
  return DecodeBase64(text, /*url=*/true);
}

}  // namespace restitution::crypto
