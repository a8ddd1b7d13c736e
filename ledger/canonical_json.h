// Canonical JSON for ledger entries: one byte string per value, so that an entry's hash (and
// so the Merkle tree) depends only on what the entry says, never on how some library chose
// to print it, and so that an auditor re-encoding an entry gets the bytes that were hashed.
//
// The encoding: UTF-8; no insignificant whitespace; object keys sorted by their UTF-8 bytes
// (unsigned, shorter prefix first); arrays in order; true, false, null as usual; integers
// only, in [-2^63, 2^63 - 1], as plain decimal (no '+', no leading zeros, "-0" never
// appears); strings escaped exactly one way:
//   '"' -> \"    '\' -> \\    U+0008 -> \b   U+000C -> \f   U+000A -> \n   U+000D -> \r
//   U+0009 -> \t   other U+0000..U+001F and U+007F -> \u00xx (lowercase hex)
// and every other character, '/' and non-ASCII included, as its raw UTF-8 bytes.
//
// Floats are refused, 1.0 included: a ledger records money in integer fen, and floating
// point has no single spelling across languages. Values are limited to kMaxCanonicalJsonDepth
// nested arrays and objects, so a hostile entry cannot exhaust the verifier's stack.
#ifndef RESTITUTION_LEDGER_CANONICAL_JSON_H_
#define RESTITUTION_LEDGER_CANONICAL_JSON_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/status.h"

namespace restitution::ledger {

// Arrays and objects nested deeper than this are refused; a scalar is depth 0, [] depth 1.
constexpr int kMaxCanonicalJsonDepth = 64;

// The canonical bytes of value. InvalidArgument for floats, unsigned integers above
// 2^63 - 1, strings or keys that are not valid UTF-8, binary values, and nesting deeper than
// kMaxCanonicalJsonDepth.
StatusOr<std::string> CanonicalJson(const nlohmann::json& value);

// What a verifier does before trusting an entry: parses bytes and checks that they are
// exactly canonical, i.e. that CanonicalJson of the parsed value gives the same bytes back.
// That one comparison also rejects duplicate keys (the parsed object keeps one of them, so
// the re-encoding is shorter), whitespace, unsorted keys, needless escapes such as \u0041 or
// \/, a byte order mark, and numbers like 1.0, 1e3 or -0. InvalidArgument for all of them and
// for anything that is not JSON.
StatusOr<nlohmann::json> ParseCanonicalJson(std::string_view bytes);

}  // namespace restitution::ledger

#endif  // RESTITUTION_LEDGER_CANONICAL_JSON_H_
