#include "service/sql_value.h"

#include <cassert>
#include <charconv>

namespace restitution {

int64_t SqlRow::Int(size_t i) const {
  const Cell& cell = cells_.at(i);
  if (cell.is_null) return 0;
  if (cell.is_integer) return cell.integer;
  // DECIMAL and aggregate columns (SUM of BIGINT is DECIMAL) arrive as text.
  int64_t value = 0;
  const char* begin = cell.bytes.data();
  const char* end = begin + cell.bytes.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  assert(ec == std::errc() && ptr == end && "non-integer value read as integer");
  (void)ptr;
  (void)ec;
  return value;
}

}  // namespace restitution
