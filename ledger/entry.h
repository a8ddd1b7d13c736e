// Ledger entries: what one fact looks like on the log. An entry is a canonical JSON object
// (ledger/canonical_json.h) with exactly these members:
//
//   {"actor":{"id":<user id>,"role":"<role>"},"at":"2026-11-23T00:41:01.123Z",
//    "case":<case id>|null,"payload":{...},"type":"<entry type>","v":1}
//
// The actor is pseudonymous: a user id, never a name. Personal data never appears in a
// payload, only keyed commitments of it (see ledger/FORMAT.md for every type and field).
// The bytes are fixed when the entry is queued, inside the business transaction; the
// sequencer later gives them an index without touching them.
#ifndef RESTITUTION_LEDGER_ENTRY_H_
#define RESTITUTION_LEDGER_ENTRY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/status.h"

namespace restitution::ledger {

constexpr int kEntryFormatVersion = 1;
// Larger entries are refused: an entry records a fact, documents live off the log.
constexpr size_t kMaxEntryBytes = 64 * 1024;

struct Actor {
  int64_t user_id = 0;  // 0 with role "system": set-up tools and the service itself
  std::string role = "system";
};

struct EntryDraft {
  std::string type;                // lower_snake_case, at most 64 bytes
  std::optional<int64_t> case_id;  // null for entries that belong to no case
  Actor actor;
  int64_t at_ms = 0;  // UTC milliseconds since the epoch
  nlohmann::json payload = nlohmann::json::object();
};

// The canonical bytes of the entry. InvalidArgument for a malformed type or role, a payload
// that is not an object or not canonical-encodable (floats), a time outside years 1970-9999,
// or more than kMaxEntryBytes.
StatusOr<std::string> EncodeEntry(const EntryDraft& draft);

// What a verifier does with served bytes: checks they are canonical JSON of exactly the shape
// above (no member missing or extra, "v" known) and returns the fields.
StatusOr<EntryDraft> DecodeEntry(std::string_view bytes);

// "YYYY-MM-DDTHH:MM:SS.mmmZ" for UTC milliseconds in years 1970-9999; "" outside them.
std::string FormatUtcMillis(int64_t ms);
// The inverse, accepting exactly that form. InvalidArgument otherwise.
StatusOr<int64_t> ParseUtcMillis(std::string_view text);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_ENTRY_H_
