#include "crypto/random.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <openssl/rand.h>

#include "crypto/openssl_util.h"

namespace restitution::crypto {
namespace {

// RAND_bytes takes an int count; larger requests are served in pieces.
constexpr size_t kMaxRandChunk = size_t{1} << 30;

void FillRandom(unsigned char* out, size_t n) {
  while (n > 0) {
    const size_t chunk = std::min(n, kMaxRandChunk);
    if (RAND_bytes(out, static_cast<int>(chunk)) != 1) internal::FatalOpenSslError("RAND_bytes");
    out += chunk;
    n -= chunk;
  }
}

uint64_t RandomUint64() {
  unsigned char bytes[sizeof(uint64_t)];
  FillRandom(bytes, sizeof(bytes));
  uint64_t value;
  std::memcpy(&value, bytes, sizeof(value));
  return value;
}

}  // namespace

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  FillRandom(internal::MutableBytes(out), n);
  return out;
}

uint64_t RandomUniform(uint64_t bound) {
  if (bound == 0) {
    std::fprintf(stderr, "restitution: RandomUniform called with bound 0\n");
    std::abort();
  }
  // A plain "x % bound" favours small results whenever bound does not divide 2^64. Rejecting
  // the lowest (2^64 mod bound) values leaves a range whose size is a multiple of bound, so
  // the remainder is exactly uniform. At most half the draws are rejected, for any bound.
  const uint64_t rejected_below = (uint64_t{0} - bound) % bound;
  for (;;) {
    const uint64_t x = RandomUint64();
    if (x >= rejected_below) return x % bound;
  }
}

std::string RandomDigits(int count) {
  std::string digits;
  if (count <= 0) return digits;
  digits.reserve(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    digits.push_back(static_cast<char>('0' + RandomUniform(10)));
  }
  return digits;
}

}  // namespace restitution::crypto
