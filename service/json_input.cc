#include "service/json_input.h"
#include "service/input_rules.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace restitution {
namespace {

using json = nlohmann::json;

// Deep enough for any request the API defines; shallow enough that no later recursive walk
// over a request (dump, destruction, handlers) can be driven into the ground by a client.
constexpr size_t kMaxDepth = 32;

Status NotValidJson() { return Status::InvalidArgument("", "request body is not valid JSON"); }

// A SAX handler that builds nothing and only checks what nlohmann's DOM parser lets through:
// duplicate keys (it keeps the last silently) and nesting depth. It runs over the whole
// body even after finding a problem, so that a syntax error later in the body still wins
// and the error does not depend on where in the body the client's mistakes are.
class Validator {
 public:
  bool null() { return Value(); }
  bool boolean(bool) { return Value(); }
  bool number_integer(json::number_integer_t) { return Value(); }
  bool number_unsigned(json::number_unsigned_t) { return Value(); }
  bool number_float(json::number_float_t, const json::string_t&) { return Value(); }
  bool string(json::string_t&) { return Value(); }
  bool binary(json::binary_t&) { return Value(); }  // not produced by the JSON text parser

  bool start_object(size_t) { return StartContainer(/*is_object=*/true); }
  bool end_object() { return EndContainer(); }
  bool start_array(size_t) { return StartContainer(/*is_object=*/false); }
  bool end_array() { return EndContainer(); }

  bool key(json::string_t& name) {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(name).second) {
      Fail(Status::InvalidArgument(PathTo(name), "duplicate key"));
    }
    frame.key = name;
    return true;
  }

  bool parse_error(size_t, const std::string&, const json::exception&) {
    syntax_error_ = true;
    return false;
  }

  bool syntax_error() const { return syntax_error_; }
  bool root_is_object() const { return root_is_object_; }
  const Status& first_error() const { return first_error_; }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;  // object: keys seen so far
    std::string key;             // object: key whose value is being read
    size_t count = 0;            // array: elements begun so far
  };

  bool Value() {
    BeginValue();
    return true;
  }

  bool StartContainer(bool is_object) {
    if (frames_.empty()) root_is_object_ = is_object;
    BeginValue();
    frames_.push_back(Frame{is_object, {}, {}, 0});
    if (frames_.size() > kMaxDepth) {
      Fail(Status::InvalidArgument("", "request body is nested too deeply"));
    }
    return true;
  }

  bool EndContainer() {
    frames_.pop_back();
    return true;
  }

  // Every value, scalar or container, starts here: an array element advances its array's
  // index so that paths name the element being read.
  void BeginValue() {
    if (frames_.empty()) return;
    Frame& parent = frames_.back();
    if (!parent.is_object) ++parent.count;
  }

  // Path of `key` inside the innermost object: "identity.name", "items[1].id".
  std::string PathTo(const std::string& key) const {
    std::string path;
    for (size_t i = 0; i + 1 < frames_.size(); ++i) {
      const Frame& frame = frames_[i];
      if (frame.is_object) {
        if (!path.empty()) path += '.';
        path += frame.key;
      } else {
        path += '[' + std::to_string(frame.count - 1) + ']';
      }
    }
    if (!path.empty()) path += '.';
    path += key;
    return path;
  }

  void Fail(Status status) {
    if (first_error_.ok()) first_error_ = std::move(status);
  }

  std::vector<Frame> frames_;
  bool root_is_object_ = false;
  bool syntax_error_ = false;
  Status first_error_;
};

}  // namespace

StatusOr<nlohmann::json> ParseJsonObject(std::string_view body) {
  // nlohmann's lexer rejects invalid UTF-8 (overlong forms, surrogates, truncated
  // sequences) and unpaired \u surrogate escapes as syntax errors, so UTF-8 needs no pass
  // of its own; the tests pin that behaviour.
  //
  // But nlohmann's lexer takes a NUL byte for the end of input, so "{}\0<anything>" would be
  // accepted with the rest unread. A raw NUL is never valid JSON (not whitespace, and not
  // allowed unescaped in strings), so refuse it outright.
  if (body.find('\0') != std::string_view::npos) return NotValidJson();
  Validator validator;
  try {
    json::sax_parse(body.begin(), body.end(), &validator);
  } catch (const json::exception&) {
    return NotValidJson();  // not expected with a SAX handler; a parse failure all the same
  }
  if (validator.syntax_error()) return NotValidJson();
  if (!validator.root_is_object()) {
    return Status::InvalidArgument("", "request body must be a JSON object");
  }
  RETURN_IF_ERROR(validator.first_error());

  json parsed = json::parse(body.begin(), body.end(), /*cb=*/nullptr,
                            /*allow_exceptions=*/false);
  // Both passes run the same lexer and grammar, so disagreement is a bug, not bad input.
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Status::Internal("JSON parser rejected a body its validator accepted");
  }
  return parsed;
}

JsonReader::JsonReader(const nlohmann::json& object, std::string path_prefix)
    : object_(&object), path_prefix_(std::move(path_prefix)) {}

std::string JsonReader::FieldPath(std::string_view key) const {
  if (path_prefix_.empty()) return std::string(key);
  std::string path = path_prefix_;
  path += '.';
  path += key;
  return path;
}

const nlohmann::json* JsonReader::Find(std::string_view key) const {
  // find() on a non-object returns end(), so a reader over a non-object sees no fields.
  auto it = object_->find(std::string(key));
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

StatusOr<std::string> JsonReader::RequiredString(std::string_view key, size_t max_len) const {
  ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalString(key, max_len));
  if (!value.has_value())
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  return std::move(*value);
}

StatusOr<std::optional<std::string>> JsonReader::OptionalString(std::string_view key,
                                                                size_t max_len) const {
  const json* value = Find(key);
  if (value == nullptr) return std::optional<std::string>();
  if (!value->is_string()) return Status::InvalidArgument(FieldPath(key), "must be a string");
  const std::string& text = value->get_ref<const std::string&>();
  if (text.empty())
    return Status::InvalidArgument(FieldPath(key), "must not be empty").WithRule(rules::kEmpty);
  // UTF-8 bytes, not characters: a byte bound caps storage and work whatever the script.
  if (text.size() > max_len) {
    return Status::InvalidArgument(
        FieldPath(key), "is too long (at most " + std::to_string(max_len) + " characters)");
  }
  return std::optional<std::string>(text);
}

StatusOr<Money> JsonReader::RequiredMoney(std::string_view key, bool allow_negative) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  if (!value->is_string()) {
    return Status::InvalidArgument(FieldPath(key), "must be a string such as \"1234.56\"")
        .WithRule(rules::kAmount);
  }
  return Money::Parse(value->get_ref<const std::string&>(), FieldPath(key), allow_negative);
}

StatusOr<int64_t> JsonReader::RequiredInteger(std::string_view key, int64_t min,
                                              int64_t max) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  // is_number_integer() is false for floats (1.5, 1.0, 1e3, and integers too large for 64
  // bits, which nlohmann stores as doubles) and for booleans.
  if (!value->is_number_integer()) {
    return Status::InvalidArgument(FieldPath(key), "must be an integer");
  }
  // Compare each representation in its own type so no value wraps before the range check.
  bool in_range;
  int64_t result = 0;
  if (value->is_number_unsigned()) {
    const uint64_t n = value->get<uint64_t>();
    in_range = max >= 0 && n <= static_cast<uint64_t>(max) &&
               (min <= 0 || n >= static_cast<uint64_t>(min));
    if (in_range) result = static_cast<int64_t>(n);
  } else {
    result = value->get<int64_t>();
    in_range = result >= min && result <= max;
  }
  if (!in_range) {
    return Status::InvalidArgument(
        FieldPath(key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return result;
}

StatusOr<bool> JsonReader::RequiredBool(std::string_view key) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  if (!value->is_boolean()) return Status::InvalidArgument(FieldPath(key), "must be true or false");
  return value->get<bool>();
}

StatusOr<JsonReader> JsonReader::RequiredObject(std::string_view key) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  if (!value->is_object()) return Status::InvalidArgument(FieldPath(key), "must be an object");
  return JsonReader(*value, FieldPath(key));
}

StatusOr<std::vector<JsonReader>> JsonReader::RequiredArrayOfObjects(std::string_view key,
                                                                     size_t max_items) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  if (!value->is_array()) return Status::InvalidArgument(FieldPath(key), "must be an array");
  if (value->empty())
    return Status::InvalidArgument(FieldPath(key), "must not be empty").WithRule(rules::kEmpty);
  if (value->size() > max_items) {
    return Status::InvalidArgument(
        FieldPath(key), "has too many items (at most " + std::to_string(max_items) + ")");
  }
  std::vector<JsonReader> readers;
  readers.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    std::string path = FieldPath(key) + "[" + std::to_string(i) + "]";
    const json& element = (*value)[i];
    if (!element.is_object()) return Status::InvalidArgument(std::move(path), "must be an object");
    readers.emplace_back(element, std::move(path));
  }
  return readers;
}

StatusOr<std::vector<std::string>> JsonReader::RequiredArrayOfStrings(std::string_view key,
                                                                      size_t max_items,
                                                                      size_t max_len) const {
  const json* value = Find(key);
  if (value == nullptr)
    return Status::InvalidArgument(FieldPath(key), "is required").WithRule(rules::kEmpty);
  if (!value->is_array()) return Status::InvalidArgument(FieldPath(key), "must be an array");
  if (value->empty())
    return Status::InvalidArgument(FieldPath(key), "must not be empty").WithRule(rules::kEmpty);
  if (value->size() > max_items) {
    return Status::InvalidArgument(
        FieldPath(key), "has too many items (at most " + std::to_string(max_items) + ")");
  }
  // Each element is read as the single member of a one-key object, so the string rules
  // (and their messages) are exactly RequiredString's.
  std::vector<std::string> items;
  items.reserve(value->size());
  for (size_t i = 0; i < value->size(); ++i) {
    const json wrapper = {{"item", (*value)[i]}};
    const std::string path = FieldPath(key) + "[" + std::to_string(i) + "]";
    StatusOr<std::string> item = JsonReader(wrapper).RequiredString("item", max_len);
    if (!item.ok()) {
      return Status::InvalidArgument(path, item.status().message()).WithRule(item.status().rule());
    }
    items.push_back(std::move(item).value());
  }
  return items;
}

Status JsonReader::RejectUnknownKeys(std::initializer_list<std::string_view> allowed) const {
  if (!object_->is_object()) return Status::Ok();
  for (const auto& item : object_->items()) {
    bool known = false;
    for (std::string_view name : allowed) {
      if (item.key() == name) {
        known = true;
        break;
      }
    }
    if (!known) return Status::InvalidArgument(FieldPath(item.key()), "unknown field");
  }
  return Status::Ok();
}

}  // namespace restitution
