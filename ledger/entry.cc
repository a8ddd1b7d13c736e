#include "ledger/entry.h"

#include <cstdio>

#include "ledger/canonical_json.h"
#include "ledger/civil_time.h"

namespace restitution::ledger {
namespace {

using Json = nlohmann::json;

// 10000-01-01T00:00:00.000Z in milliseconds: the first instant FormatUtcMillis cannot print.
constexpr int64_t kEndOfYear9999Ms = 253402300800000;

bool IsSnakeName(std::string_view name, size_t max_size) {
  if (name.empty() || name.size() > max_size) return false;
  if (name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Status CheckDraft(const EntryDraft& draft) {
  if (!IsSnakeName(draft.type, 64)) {
    return Status::InvalidArgument("type", "must be lower_snake_case, at most 64 bytes");
  }
  if (!IsSnakeName(draft.actor.role, 16)) {
    return Status::InvalidArgument("actor.role", "must be lower_snake_case, at most 16 bytes");
  }
  if (draft.actor.user_id < 0) return Status::InvalidArgument("actor.id", "must be >= 0");
  if (draft.case_id && *draft.case_id <= 0) {
    return Status::InvalidArgument("case", "must be a positive id or null");
  }
  if (draft.at_ms < 0 || draft.at_ms >= kEndOfYear9999Ms) {
    return Status::InvalidArgument("at", "must fall in years 1970 to 9999");
  }
  if (!draft.payload.is_object()) return Status::InvalidArgument("payload", "must be an object");
  return Status::Ok();
}

bool ReadDigits(std::string_view text, size_t pos, size_t count, int* out) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

}  // namespace

std::string FormatUtcMillis(int64_t ms) {
  if (ms < 0 || ms >= kEndOfYear9999Ms) return "";
  const int64_t days = ms / 86400000;
  const int64_t in_day = ms % 86400000;
  const CivilDate date = CivilFromDays(days);
  char text[32];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                static_cast<int>(date.year), date.month, date.day,
                static_cast<int>(in_day / 3600000), static_cast<int>(in_day / 60000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return text;
}

StatusOr<int64_t> ParseUtcMillis(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS.mmmZ
  constexpr size_t kLength = 24;
  const Status bad = Status::InvalidArgument("at", "must be YYYY-MM-DDTHH:MM:SS.mmmZ (UTC)");
  if (text.size() != kLength || text[4] != '-' || text[7] != '-' || text[10] != 'T' ||
      text[13] != ':' || text[16] != ':' || text[19] != '.' || text[23] != 'Z') {
    return bad;
  }
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, milli = 0;
  if (!ReadDigits(text, 0, 4, &year) || !ReadDigits(text, 5, 2, &month) ||
      !ReadDigits(text, 8, 2, &day) || !ReadDigits(text, 11, 2, &hour) ||
      !ReadDigits(text, 14, 2, &minute) || !ReadDigits(text, 17, 2, &second) ||
      !ReadDigits(text, 20, 3, &milli)) {
    return bad;
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
      second > 59) {
    return bad;
  }
  if (!IsValidCivilDate(year, month, day)) return bad;  // 30 February
  const int64_t days = DaysFromCivil(year, month, day);
  return days * 86400000 + hour * 3600000 + minute * 60000 + second * 1000 + milli;
}

StatusOr<std::string> EncodeEntry(const EntryDraft& draft) {
  RETURN_IF_ERROR(CheckDraft(draft));
  Json entry = Json::object();
  entry["v"] = kEntryFormatVersion;
  entry["type"] = draft.type;
  entry["case"] = draft.case_id ? Json(*draft.case_id) : Json(nullptr);
  entry["actor"] = Json{{"id", draft.actor.user_id}, {"role", draft.actor.role}};
  entry["at"] = FormatUtcMillis(draft.at_ms);
  entry["payload"] = draft.payload;
  ASSIGN_OR_RETURN(std::string bytes, CanonicalJson(entry));
  if (bytes.size() > kMaxEntryBytes) {
    return Status::InvalidArgument("payload",
                                   "entry exceeds " + std::to_string(kMaxEntryBytes) + " bytes");
  }
  return bytes;
}

StatusOr<EntryDraft> DecodeEntry(std::string_view bytes) {
  if (bytes.size() > kMaxEntryBytes) return Status::InvalidArgument("entry", "too large");
  ASSIGN_OR_RETURN(Json entry, ParseCanonicalJson(bytes));
  if (!entry.is_object() || entry.size() != 6) {
    return Status::InvalidArgument("entry",
                                   "must be an object of exactly v, type, case, actor, "
                                   "at and payload");
  }
  for (const char* member : {"v", "type", "case", "actor", "at", "payload"}) {
    if (!entry.contains(member)) {
      return Status::InvalidArgument(member, std::string("missing member ") + member);
    }
  }
  if (!entry["v"].is_number_integer() || entry["v"].get<int64_t>() != kEntryFormatVersion) {
    return Status::InvalidArgument("v", "unknown entry format version");
  }
  const Json& actor = entry["actor"];
  if (!entry["type"].is_string() || !actor.is_object() || actor.size() != 2 ||
      !actor.contains("id") || !actor.contains("role") || !actor["id"].is_number_integer() ||
      !actor["role"].is_string() || !entry["at"].is_string() ||
      !(entry["case"].is_null() || entry["case"].is_number_integer())) {
    return Status::InvalidArgument("entry", "member of the wrong type");
  }
  EntryDraft draft;
  draft.type = entry["type"].get<std::string>();
  if (!entry["case"].is_null()) draft.case_id = entry["case"].get<int64_t>();
  draft.actor.user_id = actor["id"].get<int64_t>();
  draft.actor.role = actor["role"].get<std::string>();
  ASSIGN_OR_RETURN(draft.at_ms, ParseUtcMillis(entry["at"].get<std::string>()));
  draft.payload = entry["payload"];
  RETURN_IF_ERROR(CheckDraft(draft));
  return draft;
}

}  // namespace restitution::ledger
