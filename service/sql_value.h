// Values bound to prepared-statement placeholders and read back from result rows.
#ifndef RESTITUTION_SERVICE_SQL_VALUE_H_
#define RESTITUTION_SERVICE_SQL_VALUE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace restitution {

// A parameter: NULL, an integer, or bytes (text or binary; bound with setString, which is
// length-delimited and therefore binary-safe).
class SqlParam {
 public:
  enum class Kind { kNull, kInt, kBytes };

  SqlParam(std::nullptr_t) : kind_(Kind::kNull) {}                        // NOLINT
  SqlParam(int64_t v) : kind_(Kind::kInt), int_(v) {}                     // NOLINT
  SqlParam(int v) : kind_(Kind::kInt), int_(v) {}                         // NOLINT
  SqlParam(std::string v) : kind_(Kind::kBytes), bytes_(std::move(v)) {}  // NOLINT
  SqlParam(std::string_view v) : kind_(Kind::kBytes), bytes_(v) {}        // NOLINT
  SqlParam(const char* v) : kind_(Kind::kBytes), bytes_(v) {}             // NOLINT
  template <typename T>
  SqlParam(const std::optional<T>& v)  // NOLINT
      : SqlParam(v ? SqlParam(*v) : SqlParam(nullptr)) {}

  Kind kind() const { return kind_; }
  int64_t int_value() const { return int_; }
  const std::string& bytes() const { return bytes_; }

 private:
  Kind kind_;
  int64_t int_ = 0;
  std::string bytes_;
};

// One result row, fully materialised: a statement's result set never outlives the call.
class SqlRow {
 public:
  struct Cell {
    bool is_null = true;
    bool is_integer = false;
    int64_t integer = 0;
    std::string bytes;
  };

  explicit SqlRow(std::vector<Cell> cells) : cells_(std::move(cells)) {}

  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const { return cells_.at(i).is_null; }
  // Integer column (NULL reads as 0: check IsNull where NULL is possible).
  int64_t Int(size_t i) const;
  // Text or binary column, exact bytes.
  const std::string& Bytes(size_t i) const { return cells_.at(i).bytes; }
  std::optional<int64_t> OptionalInt(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<int64_t>(Int(i));
  }
  std::optional<std::string> OptionalBytes(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<std::string>(Bytes(i));
  }

 private:
  std::vector<Cell> cells_;
};

using SqlRows = std::vector<SqlRow>;

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_SQL_VALUE_H_
