// The route input decoders: a request body goes through ParseJsonObject (as the HTTP server
// does) and then through the decoder the first input byte picks. Invariants: nothing throws
// (an escaped nlohmann exception would be a 500), every refusal is a 4xx Status naming a
// field, and the strict parser never accepts what nlohmann's own grammar refuses. The
// declaration, the biggest decoder, must also give its normalised form back unchanged.
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/assets.h"
#include "service/cases.h"
#include "service/claim_declaration.h"
#include "service/claim_review.h"
#include "service/distribution_runs.h"
#include "service/json_input.h"
#include "service/money.h"
#include "service/pool.h"
#include "tests/fuzz/fuzz_check.h"

namespace restitution {
namespace {

using nlohmann::json;

constexpr int kToday = 20250615;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// A decoder's refusal: a client error (400 or 422) that says which field to fix.
void CheckRefusal(const Status& status, const char* decoder) {
  const std::string what = std::string(decoder) + ": " + status.ToString();
  FUZZ_CHECK(
      status.code() == StatusCode::kInvalidArgument || status.code() == StatusCode::kRuleViolated,
      "a decoder refuses with 400 or 422 only: " + what);
  // The one empty path is the key "" itself, refused as an unknown field of the body.
  FUZZ_CHECK(!status.field().empty() || status.message() == "unknown field",
             "the refusal names a field: " + what);
  FUZZ_CHECK(!status.message().empty(), "the refusal says why: " + what);
}

template <typename T>
void Refusal(const StatusOr<T>& result, const char* decoder) {
  if (!result.ok()) CheckRefusal(result.status(), decoder);
}

void CheckDeclaration(const json& body) {
  const StatusOr<ClaimDeclaration> parsed = ParseClaimDeclaration(body, kToday);
  Refusal(parsed, "ParseClaimDeclaration");
  if (!parsed.ok()) return;
  const ClaimDeclaration& d = *parsed;
  // The sums are what the header says they are.
  __int128 principal = 0;
  __int128 returns = 0;
  for (const DeclaredContribution& c : d.contributions) {
    FUZZ_CHECK(c.amount.fen() > 0, "contributions are positive");
    principal += c.amount.fen();
  }
  for (const DeclaredReturn& r : d.returns) {
    FUZZ_CHECK(r.amount.fen() > 0, "returns are positive");
    returns += r.amount.fen();
  }
  FUZZ_CHECK(d.declared_principal.fen() == principal, "declared_principal = sum");
  FUZZ_CHECK(d.declared_returns.fen() == returns, "declared_returns = sum");
  const __int128 net = principal > returns ? principal - returns : 0;
  FUZZ_CHECK(d.declared_net.fen() == net, "declared_net = max(0, principal - returns)");
  FUZZ_CHECK(d.filer.has_value() == (d.filed_as != FiledAs::kSelf), "filer iff agent or heir");
  FUZZ_CHECK(!d.identity.bank_account_holder.empty(), "holder defaults to the name");
  // The normalised form is a fixed point: what is sealed reads back as itself.
  const json normal = ClaimDeclarationJson(d);
  const StatusOr<ClaimDeclaration> again = ParseClaimDeclaration(normal, kToday);
  FUZZ_CHECK(again.ok(), "the normalised declaration parses: " + again.status().ToString());
  FUZZ_CHECK(ClaimDeclarationJson(*again) == normal, "normalising twice changes nothing");
  FUZZ_CHECK(DeclarationAmountsJson(*again) == DeclarationAmountsJson(d), "same amounts");
  // And it survives the trip through bytes the portal and the ledger make.
  const StatusOr<json> reread = ParseJsonObject(normal.dump());
  FUZZ_CHECK(reread.ok() && *reread == normal, "the normalised form is valid strict JSON");
}

// Every JsonReader accessor on every key of the body (and one level down), checking that
// a refusal names exactly the field and that values obey their bounds.
void CheckReader(const JsonReader& reader, const json& object, int depth) {
  size_t keys = 0;
  for (const auto& item : object.items()) {
    if (++keys > 16) break;
    const std::string& key = item.key();
    const std::string path = reader.FieldPath(key);
    const auto named = [&](const Status& status) {
      FUZZ_CHECK(status.code() == StatusCode::kInvalidArgument, "InvalidArgument");
      FUZZ_CHECK(status.field().rfind(path, 0) == 0, "names the field: " + status.field());
    };
    for (size_t max_len : {size_t{1}, size_t{8}, size_t{1000}}) {
      const StatusOr<std::string> text = reader.RequiredString(key, max_len);
      if (text.ok()) {
        FUZZ_CHECK(!text->empty() && text->size() <= max_len, "string bounds");
      } else {
        named(text.status());
      }
    }
    for (bool negative : {false, true}) {
      const StatusOr<Money> money = reader.RequiredMoney(key, negative);
      if (money.ok()) {
        FUZZ_CHECK(negative || !money->IsNegative(), "no negative money unless allowed");
      } else {
        named(money.status());
      }
    }
    for (const auto& [min, max] :
         {std::pair<int64_t, int64_t>{kMin, kMax}, {1, 100}, {-5, 5}, {kMax - 1, kMax}}) {
      const StatusOr<int64_t> n = reader.RequiredInteger(key, min, max);
      if (n.ok()) {
        FUZZ_CHECK(*n >= min && *n <= max, "integer within range");
        FUZZ_CHECK(item.value().is_number_integer() && item.value() == json(*n),
                   "the integer is the value sent");
      } else {
        named(n.status());
      }
    }
    const StatusOr<bool> flag = reader.RequiredBool(key);
    if (!flag.ok()) named(flag.status());
    const StatusOr<std::vector<std::string>> strings = reader.RequiredArrayOfStrings(key, 4, 16);
    if (strings.ok()) {
      FUZZ_CHECK(!strings->empty() && strings->size() <= 4, "array bounds");
    } else {
      named(strings.status());
    }
    const StatusOr<std::vector<JsonReader>> objects = reader.RequiredArrayOfObjects(key, 4);
    if (!objects.ok()) named(objects.status());
    const StatusOr<JsonReader> child = reader.RequiredObject(key);
    if (child.ok()) {
      if (depth < 2) CheckReader(*child, item.value(), depth + 1);
    } else {
      named(child.status());
    }
  }
  const Status unknown = reader.RejectUnknownKeys({"amount", "name", "id"});
  if (!unknown.ok()) {
    bool names_a_key = false;
    for (const auto& item : object.items()) {
      names_a_key = names_a_key || unknown.field() == reader.FieldPath(item.key());
    }
    FUZZ_CHECK(names_a_key && unknown.code() == StatusCode::kInvalidArgument,
               "an unknown key is named by its path: " + unknown.field());
  }
}

void Decode(uint8_t selector, const json& body) {
  switch (selector % 17) {
    case 0:
      CheckDeclaration(body);
      break;
    case 1:
      Refusal(ParseCaseInput(body), "ParseCaseInput");
      break;
    case 2:
      Refusal(ParseAssetInput(body), "ParseAssetInput");
      break;
    case 3:
      Refusal(ParseValuationInput(body, kToday), "ParseValuationInput");
      break;
    case 4:
      Refusal(ParseLiquidationInput(body, kToday), "ParseLiquidationInput");
      break;
    case 5:
      Refusal(ParseDepositTransferInput(body, kToday), "ParseDepositTransferInput");
      break;
    case 6:
      Refusal(ParseReasonInput(body), "ParseReasonInput");
      break;
    case 7:
      Refusal(ParseInfoRequestInput(body), "ParseInfoRequestInput");
      break;
    case 8:
      Refusal(ParseConfirmInput(body), "ParseConfirmInput");
      break;
    case 9:
      Refusal(ParseRejectInput(body), "ParseRejectInput");
      break;
    case 10:
      Refusal(ParseObjectionInput(body), "ParseObjectionInput");
      break;
    case 11:
      Refusal(ParseResolveInput(body), "ParseResolveInput");
      break;
    case 12:
      Refusal(ParseDraftInput(body), "ParseDraftInput");
      break;
    case 13:
      Refusal(ParseApproveInput(body), "ParseApproveInput");
      break;
    case 14:
      Refusal(ParsePaymentResults(body), "ParsePaymentResults");
      break;
    case 15: {
      // Ledger payloads: the transfers array under "transfers", or the body itself.
      const auto it = body.find("transfers");
      const StatusOr<std::vector<PoolTransfer>> transfers =
          ParseTransfersJson(it != body.end() ? *it : body);
      if (transfers.ok()) {
        const StatusOr<std::vector<PoolTransfer>> again =
            ParseTransfersJson(TransfersJson(*transfers));
        FUZZ_CHECK(again.ok() && TransfersJson(*again) == TransfersJson(*transfers),
                   "TransfersJson round-trips");
      } else {
        FUZZ_CHECK(transfers.status().code() == StatusCode::kInvalidArgument, "InvalidArgument");
      }
      break;
    }
    default:
      CheckReader(JsonReader(body), body, 0);
      break;
  }
}

}  // namespace
}  // namespace restitution

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t selector = data[0];
  const std::string_view body = restitution::fuzz::AsText(data + 1, size - 1);
  const restitution::StatusOr<nlohmann::json> parsed = restitution::ParseJsonObject(body);
  if (!parsed.ok()) {
    FUZZ_CHECK(parsed.status().code() == restitution::StatusCode::kInvalidArgument,
               parsed.status().ToString());
    return 0;
  }
  FUZZ_CHECK(parsed->is_object(), "ParseJsonObject returns an object");
  // Stricter than nlohmann, never looser.
  FUZZ_CHECK(nlohmann::json::accept(body.begin(), body.end()), "valid JSON by nlohmann too");
  restitution::Decode(selector, *parsed);
  return 0;
}
