// Strict JSON request-body parsing for every HTTP handler.
//
// nlohmann/json is lenient in ways that are dangerous for a service that pays out money:
// it silently keeps the last of duplicate keys (so a proxy or audit log and the service can
// disagree on what was sent), get<int>() truncates 1.5 to 1, integers beyond 64 bits turn
// into doubles, and malformed input throws. ParseJsonObject and JsonReader close those holes
// and turn every problem into a Status::InvalidArgument that names the offending field.
#ifndef RESTITUTION_SERVICE_JSON_INPUT_H_
#define RESTITUTION_SERVICE_JSON_INPUT_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/money.h"

namespace restitution {

// Parses a request body: must be a JSON object, valid UTF-8, no duplicate keys at any depth,
// nesting depth <= 32 (the body object itself is depth 1).
// Errors, all Status::InvalidArgument:
//   ("", "request body is not valid JSON")      syntax error or invalid UTF-8
//   ("", "request body must be a JSON object")  valid JSON of another type
//   ("", "request body is nested too deeply")   more than 32 levels of objects and arrays
//   (path, "duplicate key")                     path like "identity.name" or "items[1].id"
// A syntax error anywhere wins over the other errors; otherwise the first problem in
// document order is reported.
StatusOr<nlohmann::json> ParseJsonObject(std::string_view body);

// Reads fields out of one JSON object, naming each field by its full path in errors.
//
// A JsonReader refers to the object it was built from, which must outlive it. For every
// Required* accessor a JSON null counts as missing ("is required"), as it does as absent for
// OptionalString.
class JsonReader {
 public:
  // path_prefix is this object's own path, e.g. "contributions[2]"; empty for the body.
  JsonReader(const nlohmann::json& object, std::string path_prefix = "");

  // A non-empty string of at most max_len bytes of UTF-8. Errors on FieldPath(key):
  // "is required", "must be a string", "must not be empty",
  // "is too long (at most N characters)".
  StatusOr<std::string> RequiredString(std::string_view key, size_t max_len) const;

  // Absent or null -> nullopt; otherwise checked exactly as RequiredString (so "" is
  // refused: a client with nothing to say omits the field or sends null).
  StatusOr<std::optional<std::string>> OptionalString(std::string_view key, size_t max_len) const;

  // Must be a JSON string parsed by Money::Parse: a JSON number would have passed through a
  // double in some client along the way, so "must be a string such as \"1234.56\"".
  StatusOr<Money> RequiredMoney(std::string_view key, bool allow_negative = false) const;

  // A JSON integer in [min, max]. Floats (1.5, 1.0, 1e3), booleans and strings are refused
  // with "must be an integer"; integers outside the range with "must be between MIN and MAX".
  StatusOr<int64_t> RequiredInteger(std::string_view key, int64_t min, int64_t max) const;

  // JSON true or false only: "must be true or false".
  StatusOr<bool> RequiredBool(std::string_view key) const;

  // A nested object, read with prefix FieldPath(key): "must be an object".
  StatusOr<JsonReader> RequiredObject(std::string_view key) const;

  // A non-empty array of at most max_items objects; element i is read with prefix
  // "key[i]". Errors: "must be an array", "must not be empty",
  // "has too many items (at most N)", and "must be an object" on "key[i]".
  StatusOr<std::vector<JsonReader>> RequiredArrayOfObjects(std::string_view key,
                                                           size_t max_items) const;

  // A non-empty array of at most max_items strings, each checked as RequiredString checks
  // one (element i named "key[i]").
  StatusOr<std::vector<std::string>> RequiredArrayOfStrings(std::string_view key, size_t max_items,
                                                            size_t max_len) const;
  // True when the key is present and not null.
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // Refuses keys not in `allowed` with (FieldPath(key), "unknown field"), so a misspelt
  // optional field is an error rather than silently ignored. When several keys are unknown,
  // the first in byte order is reported.
  Status RejectUnknownKeys(std::initializer_list<std::string_view> allowed) const;

  // "contributions[2].amount" for key "amount" under prefix "contributions[2]".
  std::string FieldPath(std::string_view key) const;

 private:
  // The value under key, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;

  const nlohmann::json* object_;  // a pointer, not a reference, so readers can be copied
  std::string path_prefix_;
};

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_JSON_INPUT_H_
