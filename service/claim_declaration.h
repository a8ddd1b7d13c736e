// The declaration a claimant submits (债权申报, POST /api/v1/cases/{case}/claims and its
// amendments): who the participant is, where the refund goes, which platform accounts they
// used, what they paid in and what they got back. Parsed strictly, because a declaration is
// a legal statement the task force reviews and every amount in it may end up paid out.
//
// Body shape (optional members marked ?):
//   {"filed_as"?: "self" | "agent" | "heir",                         default "self"
//    "identity": {"name", "id_number", "phone", "bank_name", "bank_account",
//                 "bank_account_holder"?},                           default holder: name
//    "filer"?: {"name", "id_number", "phone", "relationship"},       iff agent or heir
//    "region": "110105",
//    "accounts": [{"platform_account", "channel"}],                  1..50, no duplicates
//    "contributions": [{"date": "YYYY-MM-DD", "amount": "1234.56", "ref"?}],   1..1000
//    "returns"?: [{"date", "amount", "kind": "interest"|"rebate"|"withdrawal"|"other"}]} 0..1000
// Unknown members are refused at every level. Validation errors are InvalidArgument naming the
// exact path ("contributions[2].amount"); breaking a rule that needs two fields to see is
// RuleViolated (422) naming the field to change.
#ifndef RESTITUTION_SERVICE_CLAIM_DECLARATION_H_
#define RESTITUTION_SERVICE_CLAIM_DECLARATION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/status.h"
#include "service/money.h"

namespace restitution {

// Who files: the participant, an agent holding a power of attorney, or an heir of a deceased
// participant (the heir then receives the refund).
enum class FiledAs { kSelf, kAgent, kHeir };
std::string_view FiledAsName(FiledAs filed_as);  // "self", "agent", "heir"
std::optional<FiledAs> ParseFiledAs(std::string_view name);

// What a return paid to the participant was. All kinds are offset against principal alike
// (2014 opinion §5); the kind is kept for review.
enum class ReturnKind { kInterest, kRebate, kWithdrawal, kOther };
std::string_view ReturnKindName(ReturnKind kind);  // "interest", "rebate", "withdrawal", "other"
std::optional<ReturnKind> ParseReturnKind(std::string_view name);

// The participant. Text is trimmed; names have look-alike middle dots normalised to U+00B7.
struct DeclaredIdentity {
  std::string name;
  std::string id_number;  // ResidentId::number: 17 digits and a digit or 'X'
  std::string phone;      // 11 digits
  std::string bank_name;
  std::string bank_account;         // digits only (NormalizeBankAccount)
  std::string bank_account_holder;  // always set: defaults to name
};

// The agent or heir who files for the participant.
struct DeclaredFiler {
  std::string name;
  std::string id_number;
  std::string phone;
  std::string relationship;  // free text: "配偶", "子女", "委托代理人"
};

struct DeclaredAccount {
  std::string platform_account;
  std::string channel;  // how the money went in: "app", "门店", a salesperson's name
};

struct DeclaredContribution {
  int date = 0;     // yyyymmdd
  Money amount;     // > 0
  std::string ref;  // may be empty
};

struct DeclaredReturn {
  int date = 0;  // yyyymmdd
  Money amount;  // > 0
  ReturnKind kind = ReturnKind::kOther;
};

struct ClaimDeclaration {
  FiledAs filed_as = FiledAs::kSelf;
  DeclaredIdentity identity;
  std::optional<DeclaredFiler> filer;  // present iff filed_as is agent or heir
  std::string region;                  // six digits; the case checks it is one of its own
  std::vector<DeclaredAccount> accounts;
  std::vector<DeclaredContribution> contributions;
  std::vector<DeclaredReturn> returns;

  Money declared_principal;  // Σ contributions
  Money declared_returns;    // Σ returns
  Money declared_net;        // max(0, principal - returns): a net winner is owed nothing
};

// today_yyyymmdd (China time, see ChinaDate) bounds birth dates and payment dates. Dates must
// also be on or after 1990-01-01. Sums that overflow are RuleViolated naming the list
// ("contributions" or "returns").
StatusOr<ClaimDeclaration> ParseClaimDeclaration(const nlohmann::json& body, int today_yyyymmdd);

// The normalised declaration in the body shape above, with every default filled in
// (filed_as, bank_account_holder; "ref" only when not empty): what is sealed and stored, and
// what the claimant and staff see. ParseClaimDeclaration gives it back unchanged. Personal
// data sits only under "identity" and "filer".
nlohmann::json ClaimDeclarationJson(const ClaimDeclaration& declaration);

// {"declared_principal": "1234.56", "declared_returns": "0.00", "declared_net": "1234.56"}
nlohmann::json DeclarationAmountsJson(const ClaimDeclaration& declaration);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_CLAIM_DECLARATION_H_
