#include "service/claim_declaration.h"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>

#include "ledger/civil_time.h"
#include "ledger/utf8.h"
#include "service/bank_account.h"
#include "service/input_rules.h"
#include "service/json_input.h"
#include "service/phone_number.h"
#include "service/region_code.h"
#include "service/resident_id.h"

namespace restitution {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxNameChars = 50;
constexpr size_t kMaxBankNameChars = 60;
constexpr size_t kMaxRelationshipChars = 32;
constexpr size_t kMaxPlatformAccountChars = 64;
constexpr size_t kMaxChannelChars = 32;
constexpr size_t kMaxRefChars = 64;
constexpr size_t kMaxAccounts = 50;
constexpr size_t kMaxContributions = 1000;
constexpr size_t kMaxReturns = 1000;
// The schemes this service deals with are all later than this; an earlier date is a typo.
constexpr int kEarliestDate = 19900101;
// Strings whose own parser applies a tighter, better-worded limit are read unbounded here;
// the HTTP layer has already capped the whole body.
constexpr size_t kUnbounded = std::numeric_limits<size_t>::max();

// ASCII spaces and the ideographic space U+3000 that Chinese input methods type.
std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  while (true) {
    if (!text.empty() && text.front() == ' ') {
      text.remove_prefix(1);
    } else if (text.substr(0, 3) == kIdeographicSpace) {
      text.remove_prefix(3);
    } else {
      break;
    }
  }
  while (true) {
    if (!text.empty() && text.back() == ' ') {
      text.remove_suffix(1);
    } else if (text.size() >= 3 && text.substr(text.size() - 3) == kIdeographicSpace) {
      text.remove_suffix(3);
    } else {
      break;
    }
  }
  return text;
}

size_t CountCharacters(std::string_view utf8) {
  size_t count = 0;
  for (char c : utf8) {
    if ((static_cast<uint8_t>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// One line of human text: valid UTF-8, no control characters, trimmed, 1..max_chars
// characters (not bytes: a Chinese name of 50 characters is 150 bytes).
StatusOr<std::string> CleanText(std::string_view raw, const std::string& field, size_t max_chars) {
  // Text from ParseJsonObject is valid UTF-8 already; a json built in code need not be.
  if (!ledger::IsValidUtf8(raw))
    return Status::InvalidArgument(field, "is not valid UTF-8").WithRule(rules::kBadChars);
  if (ledger::HasControlOrInvisibleCharacter(raw)) {
    return Status::InvalidArgument(field, "must not contain control characters")
        .WithRule(rules::kBadChars);
  }
  const std::string_view text = TrimSpaces(raw);
  if (text.empty())
    return Status::InvalidArgument(field, "must not be empty").WithRule(rules::kEmpty);
  if (CountCharacters(text) > max_chars) {
    return Status::InvalidArgument(
               field, "is too long (at most " + std::to_string(max_chars) + " characters)")
        .WithRule(rules::kTooLong);
  }
  return std::string(text);
}

StatusOr<std::string> RequiredText(const JsonReader& reader, std::string_view key,
                                   size_t max_chars) {
  ASSIGN_OR_RETURN(std::string raw, reader.RequiredString(key, kUnbounded));
  return CleanText(raw, reader.FieldPath(key), max_chars);
}

// Minority names join their parts with a middle dot (阿依古丽·买买提), which people type as
// any of several look-alike characters; the bank and the ID card use U+00B7. Without this
// the holder check below would turn away people for a dot they cannot see.
std::string NormalizeMiddleDots(const std::string& name) {
  static constexpr std::string_view kMiddleDot = "\xC2\xB7";
  static constexpr std::string_view kLookAlikes[] = {
      "\xE2\x80\xA2",  // U+2022 BULLET
      "\xE2\x80\xA7",  // U+2027 HYPHENATION POINT
      "\xE2\x88\x99",  // U+2219 BULLET OPERATOR
      "\xE2\x8B\x85",  // U+22C5 DOT OPERATOR
      "\xE3\x83\xBB",  // U+30FB KATAKANA MIDDLE DOT
      "\xEF\xBC\x8E",  // U+FF0E FULLWIDTH FULL STOP
      "\xEF\xBD\xA5",  // U+FF65 HALFWIDTH KATAKANA MIDDLE DOT
  };
  std::string out;
  out.reserve(name.size());
  size_t i = 0;
  while (i < name.size()) {
    bool replaced = false;
    for (std::string_view look_alike : kLookAlikes) {
      if (name.compare(i, look_alike.size(), look_alike) == 0) {
        out.append(kMiddleDot);
        i += look_alike.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += name[i++];
  }
  return out;
}

StatusOr<std::string> RequiredName(const JsonReader& reader, std::string_view key) {
  ASSIGN_OR_RETURN(std::string name, RequiredText(reader, key, kMaxNameChars));
  return NormalizeMiddleDots(name);
}

StatusOr<std::string> RequiredIdNumber(const JsonReader& reader, std::string_view key, int today) {
  ASSIGN_OR_RETURN(std::string raw, reader.RequiredString(key, kUnbounded));
  ASSIGN_OR_RETURN(ResidentId id, ParseResidentId(raw, reader.FieldPath(key), today));
  return std::move(id.number);
}

StatusOr<std::string> RequiredPhone(const JsonReader& reader, std::string_view key) {
  ASSIGN_OR_RETURN(std::string raw, reader.RequiredString(key, kUnbounded));
  return NormalizeMobileNumber(raw, reader.FieldPath(key));
}

bool Digits(std::string_view text, size_t pos, size_t count, int* out) {
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  *out = value;
  return true;
}

// "YYYY-MM-DD" of a real calendar day from 1990-01-01 to today, as yyyymmdd.
StatusOr<int> RequiredDate(const JsonReader& reader, std::string_view key, int today) {
  ASSIGN_OR_RETURN(std::string text, reader.RequiredString(key, kUnbounded));
  const std::string field = reader.FieldPath(key);
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, &year) ||
      !Digits(text, 5, 2, &month) || !Digits(text, 8, 2, &day)) {
    return Status::InvalidArgument(field, "must be a date written YYYY-MM-DD")
        .WithRule(rules::kDateFormat);
  }
  if (!IsValidCivilDate(year, month, day)) {
    return Status::InvalidArgument(field, "is not a date that exists")
        .WithRule(rules::kDateMissing);
  }
  const int date = year * 10000 + month * 100 + day;
  if (date < kEarliestDate)
    return Status::InvalidArgument(field, "must not be before 1990-01-01")
        .WithRule(rules::kDateEarly);
  if (date > today)
    return Status::InvalidArgument(field, "must not be in the future").WithRule(rules::kDateFuture);
  return date;
}

StatusOr<Money> RequiredAmount(const JsonReader& reader, std::string_view key) {
  ASSIGN_OR_RETURN(Money amount, reader.RequiredMoney(key));
  if (amount.IsZero())
    return Status::InvalidArgument(reader.FieldPath(key), "must be more than 0")
        .WithRule(rules::kAmountZero);
  return amount;
}

std::string TwoDigits(int value) {
  std::string text(2, '0');
  text[0] = static_cast<char>('0' + value / 10);
  text[1] = static_cast<char>('0' + value % 10);
  return text;
}

// yyyymmdd -> "YYYY-MM-DD"; the year is always four digits (1990 or later).
std::string FormatDate(int yyyymmdd) {
  return std::to_string(yyyymmdd / 10000) + '-' + TwoDigits(yyyymmdd / 100 % 100) + '-' +
         TwoDigits(yyyymmdd % 100);
}

StatusOr<DeclaredIdentity> ParseIdentity(const JsonReader& reader, int today) {
  RETURN_IF_ERROR(reader.RejectUnknownKeys(
      {"name", "id_number", "phone", "bank_name", "bank_account", "bank_account_holder"}));
  DeclaredIdentity identity;
  ASSIGN_OR_RETURN(identity.name, RequiredName(reader, "name"));
  ASSIGN_OR_RETURN(identity.id_number, RequiredIdNumber(reader, "id_number", today));
  ASSIGN_OR_RETURN(identity.phone, RequiredPhone(reader, "phone"));
  ASSIGN_OR_RETURN(identity.bank_name, RequiredText(reader, "bank_name", kMaxBankNameChars));
  ASSIGN_OR_RETURN(std::string account, reader.RequiredString("bank_account", kUnbounded));
  ASSIGN_OR_RETURN(identity.bank_account,
                   NormalizeBankAccount(account, reader.FieldPath("bank_account")));
  if (reader.Has("bank_account_holder")) {
    ASSIGN_OR_RETURN(identity.bank_account_holder, RequiredName(reader, "bank_account_holder"));
  } else {
    identity.bank_account_holder = identity.name;
  }
  return identity;
}

StatusOr<DeclaredFiler> ParseFiler(const JsonReader& reader, int today) {
  RETURN_IF_ERROR(reader.RejectUnknownKeys({"name", "id_number", "phone", "relationship"}));
  DeclaredFiler filer;
  ASSIGN_OR_RETURN(filer.name, RequiredName(reader, "name"));
  ASSIGN_OR_RETURN(filer.id_number, RequiredIdNumber(reader, "id_number", today));
  ASSIGN_OR_RETURN(filer.phone, RequiredPhone(reader, "phone"));
  ASSIGN_OR_RETURN(filer.relationship, RequiredText(reader, "relationship", kMaxRelationshipChars));
  return filer;
}

StatusOr<std::vector<DeclaredAccount>> ParseAccounts(const JsonReader& body) {
  ASSIGN_OR_RETURN(std::vector<JsonReader> items,
                   body.RequiredArrayOfObjects("accounts", kMaxAccounts));
  std::vector<DeclaredAccount> accounts;
  accounts.reserve(items.size());
  // Exact comparison, as the books import does: whether the platform treated "Abc" and "abc"
  // as one account is unknown.
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < items.size(); ++i) {
    const JsonReader& item = items[i];
    RETURN_IF_ERROR(item.RejectUnknownKeys({"platform_account", "channel"}));
    DeclaredAccount account;
    ASSIGN_OR_RETURN(account.platform_account,
                     RequiredText(item, "platform_account", kMaxPlatformAccountChars));
    ASSIGN_OR_RETURN(account.channel, RequiredText(item, "channel", kMaxChannelChars));
    const auto [it, inserted] = seen.emplace(account.platform_account, i);
    if (!inserted) {
      return Status::InvalidArgument(item.FieldPath("platform_account"),
                                     "is the same account as accounts[" +
                                         std::to_string(it->second) +
                                         "].platform_account: list each account once")
          .WithRule(rules::kAccountDuplicate);
    }
    accounts.push_back(std::move(account));
  }
  return accounts;
}

// "ref" is optional and may be "" (a blank form field) as well as absent or null.
StatusOr<std::string> OptionalRef(const JsonReader& item, const json& raw) {
  const auto it = raw.find("ref");
  if (it == raw.end() || it->is_null()) return std::string();
  if (it->is_string() && it->get_ref<const std::string&>().empty()) return std::string();
  ASSIGN_OR_RETURN(std::string text, item.RequiredString("ref", kUnbounded));
  // A reference made only of spaces says nothing: keep it as no reference.
  if (TrimSpaces(text).empty()) return std::string();
  return CleanText(text, item.FieldPath("ref"), kMaxRefChars);
}

StatusOr<std::vector<DeclaredContribution>> ParseContributions(const JsonReader& body,
                                                               const json& raw, int today) {
  ASSIGN_OR_RETURN(std::vector<JsonReader> items,
                   body.RequiredArrayOfObjects("contributions", kMaxContributions));
  const json& list = raw.at("contributions");
  std::vector<DeclaredContribution> contributions;
  contributions.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    const JsonReader& item = items[i];
    RETURN_IF_ERROR(item.RejectUnknownKeys({"date", "amount", "ref"}));
    DeclaredContribution contribution;
    ASSIGN_OR_RETURN(contribution.date, RequiredDate(item, "date", today));
    ASSIGN_OR_RETURN(contribution.amount, RequiredAmount(item, "amount"));
    ASSIGN_OR_RETURN(contribution.ref, OptionalRef(item, list[i]));
    contributions.push_back(std::move(contribution));
  }
  return contributions;
}

StatusOr<std::vector<DeclaredReturn>> ParseReturns(const JsonReader& body, const json& raw,
                                                   int today) {
  // Optional, and may be empty: many participants never got anything back.
  const auto it = raw.find("returns");
  if (it == raw.end() || it->is_null() || (it->is_array() && it->empty())) {
    return std::vector<DeclaredReturn>();
  }
  ASSIGN_OR_RETURN(std::vector<JsonReader> items,
                   body.RequiredArrayOfObjects("returns", kMaxReturns));
  std::vector<DeclaredReturn> returns;
  returns.reserve(items.size());
  for (const JsonReader& item : items) {
    RETURN_IF_ERROR(item.RejectUnknownKeys({"date", "amount", "kind"}));
    DeclaredReturn declared;
    ASSIGN_OR_RETURN(declared.date, RequiredDate(item, "date", today));
    ASSIGN_OR_RETURN(declared.amount, RequiredAmount(item, "amount"));
    ASSIGN_OR_RETURN(std::string kind, item.RequiredString("kind", kUnbounded));
    const std::optional<ReturnKind> parsed = ParseReturnKind(kind);
    if (!parsed) {
      return Status::InvalidArgument(item.FieldPath("kind"),
                                     "must be one of interest, rebate, withdrawal, other");
    }
    declared.kind = *parsed;
    returns.push_back(std::move(declared));
  }
  return returns;
}

// Money::Add reports overflow without a field; name the list whose sum overflowed.
template <typename Item>
StatusOr<Money> Sum(const std::vector<Item>& items, const char* list) {
  Money total;
  for (const Item& item : items) {
    StatusOr<Money> next = total.Add(item.amount);
    if (!next.ok()) {
      return Status::RuleViolated(list, "the amounts add up to more than can be recorded")
          .WithRule(rules::kOverflow);
    }
    total = *next;
  }
  return total;
}

// The refund goes only into an account in the beneficiary's own name: the participant's, or
// for a deceased participant the heir's. Paying into someone else's account is how refunds
// are stolen (冒领).
Status CheckAccountHolder(const ClaimDeclaration& d) {
  if (d.filed_as == FiledAs::kHeir) {
    if (d.identity.bank_account_holder != d.filer->name) {
      return Status::RuleViolated("identity.bank_account_holder",
                                  "must be the heir's own name (filer.name): an heir's refund is "
                                  "paid only into an account in the heir's name")
          .WithRule(rules::kHolderHeir);
    }
  } else if (d.identity.bank_account_holder != d.identity.name) {
    return Status::RuleViolated("identity.bank_account_holder",
                                "must be the participant's own name (identity.name): refunds are "
                                "paid only into an account in the participant's name")
        .WithRule(rules::kHolder);
  }
  return Status::Ok();
}

}  // namespace

std::string_view FiledAsName(FiledAs filed_as) {
  switch (filed_as) {
    case FiledAs::kSelf:
      return "self";
    case FiledAs::kAgent:
      return "agent";
    case FiledAs::kHeir:
      return "heir";
  }
  return "self";
}

std::optional<FiledAs> ParseFiledAs(std::string_view name) {
  for (FiledAs value : {FiledAs::kSelf, FiledAs::kAgent, FiledAs::kHeir}) {
    if (FiledAsName(value) == name) return value;
  }
  return std::nullopt;
}

std::string_view ReturnKindName(ReturnKind kind) {
  switch (kind) {
    case ReturnKind::kInterest:
      return "interest";
    case ReturnKind::kRebate:
      return "rebate";
    case ReturnKind::kWithdrawal:
      return "withdrawal";
    case ReturnKind::kOther:
      return "other";
  }
  return "other";
}

std::optional<ReturnKind> ParseReturnKind(std::string_view name) {
  for (ReturnKind kind :
       {ReturnKind::kInterest, ReturnKind::kRebate, ReturnKind::kWithdrawal, ReturnKind::kOther}) {
    if (ReturnKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

StatusOr<ClaimDeclaration> ParseClaimDeclaration(const nlohmann::json& body, int today_yyyymmdd) {
  if (!body.is_object()) return Status::InvalidArgument("", "request body must be a JSON object");
  const JsonReader reader(body);
  RETURN_IF_ERROR(reader.RejectUnknownKeys(
      {"filed_as", "identity", "filer", "region", "accounts", "contributions", "returns"}));
  ClaimDeclaration d;

  ASSIGN_OR_RETURN(std::optional<std::string> filed_as, reader.OptionalString("filed_as", 16));
  if (filed_as.has_value()) {
    const std::optional<FiledAs> parsed = ParseFiledAs(*filed_as);
    if (!parsed) return Status::InvalidArgument("filed_as", "must be one of self, agent, heir");
    d.filed_as = *parsed;
  }

  ASSIGN_OR_RETURN(JsonReader identity, reader.RequiredObject("identity"));
  ASSIGN_OR_RETURN(d.identity, ParseIdentity(identity, today_yyyymmdd));

  if (d.filed_as == FiledAs::kSelf) {
    if (reader.Has("filer")) {
      return Status::InvalidArgument("filer", "must be left out when filed_as is self");
    }
  } else {
    if (!reader.Has("filer")) {
      return Status::InvalidArgument("filer", "is required when filed_as is agent or heir");
    }
    ASSIGN_OR_RETURN(JsonReader filer, reader.RequiredObject("filer"));
    ASSIGN_OR_RETURN(d.filer, ParseFiler(filer, today_yyyymmdd));
  }

  ASSIGN_OR_RETURN(std::string region, reader.RequiredString("region", kUnbounded));
  ASSIGN_OR_RETURN(d.region, ParseRegionCode(region, "region"));
  ASSIGN_OR_RETURN(d.accounts, ParseAccounts(reader));
  ASSIGN_OR_RETURN(d.contributions, ParseContributions(reader, body, today_yyyymmdd));
  ASSIGN_OR_RETURN(d.returns, ParseReturns(reader, body, today_yyyymmdd));

  // Rules across fields, once every field is known to be well formed.
  if (d.filer.has_value() && d.filer->id_number == d.identity.id_number) {
    return Status::RuleViolated("filer.id_number",
                                "must be the filer's own ID number: an agent or heir is a "
                                "different person from the participant");
  }
  RETURN_IF_ERROR(CheckAccountHolder(d));

  ASSIGN_OR_RETURN(d.declared_principal, Sum(d.contributions, "contributions"));
  ASSIGN_OR_RETURN(d.declared_returns, Sum(d.returns, "returns"));
  // Both sums are non-negative, so the difference cannot overflow; checked all the same.
  ASSIGN_OR_RETURN(Money net, d.declared_principal.Sub(d.declared_returns));
  d.declared_net = net.IsNegative() ? Money() : net;
  return d;
}

nlohmann::json ClaimDeclarationJson(const ClaimDeclaration& d) {
  json out = json::object();
  out["filed_as"] = std::string(FiledAsName(d.filed_as));
  out["identity"] = {{"name", d.identity.name},
                     {"id_number", d.identity.id_number},
                     {"phone", d.identity.phone},
                     {"bank_name", d.identity.bank_name},
                     {"bank_account", d.identity.bank_account},
                     {"bank_account_holder", d.identity.bank_account_holder}};
  if (d.filer.has_value()) {
    out["filer"] = {{"name", d.filer->name},
                    {"id_number", d.filer->id_number},
                    {"phone", d.filer->phone},
                    {"relationship", d.filer->relationship}};
  }
  out["region"] = d.region;
  json accounts = json::array();
  for (const DeclaredAccount& a : d.accounts) {
    accounts.push_back({{"platform_account", a.platform_account}, {"channel", a.channel}});
  }
  out["accounts"] = std::move(accounts);
  json contributions = json::array();
  for (const DeclaredContribution& c : d.contributions) {
    json item = {{"date", FormatDate(c.date)}, {"amount", c.amount.ToString()}};
    if (!c.ref.empty()) item["ref"] = c.ref;
    contributions.push_back(std::move(item));
  }
  out["contributions"] = std::move(contributions);
  json returns = json::array();
  for (const DeclaredReturn& r : d.returns) {
    returns.push_back({{"date", FormatDate(r.date)},
                       {"amount", r.amount.ToString()},
                       {"kind", std::string(ReturnKindName(r.kind))}});
  }
  out["returns"] = std::move(returns);
  return out;
}

nlohmann::json DeclarationAmountsJson(const ClaimDeclaration& d) {
  return {{"declared_principal", d.declared_principal.ToString()},
          {"declared_returns", d.declared_returns.ToString()},
          {"declared_net", d.declared_net.ToString()}};
}

}  // namespace restitution
