// Shared by the libFuzzer harnesses: an invariant check that stays on in every build type
// (assert() would vanish under NDEBUG) and makes libFuzzer save the input as a crash.
#ifndef RESTITUTION_TESTS_FUZZ_FUZZ_CHECK_H_
#define RESTITUTION_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#define FUZZ_CHECK(condition, what)                                                              \
  do {                                                                                           \
    if (!(condition)) {                                                                          \
      std::fprintf(stderr, "%s:%d: invariant failed: %s (%s)\n", __FILE__, __LINE__, #condition, \
                   std::string(what).c_str());                                                   \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)

namespace restitution::fuzz {

inline std::string_view AsText(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Takes bytes off the front of the input, for harnesses that need a few parameters besides
// the text under test. Runs out gracefully: missing bytes read as zero.
class ByteReader {
 public:
  ByteReader(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  uint8_t Byte() {
    if (size_ == 0) return 0;
    --size_;
    return *data_++;
  }
  uint64_t Uint64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | Byte();
    return value;
  }
  std::string Bytes(size_t count) {
    std::string out;
    while (count-- > 0 && size_ > 0) out.push_back(static_cast<char>(Byte()));
    return out;
  }
  std::string_view Rest() const { return AsText(data_, size_); }
  size_t remaining() const { return size_; }

 private:
  const uint8_t* data_;
  size_t size_;
};

}  // namespace restitution::fuzz

#endif  // RESTITUTION_TESTS_FUZZ_FUZZ_CHECK_H_
