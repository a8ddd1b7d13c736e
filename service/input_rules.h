// The names of the input rules a value can break, sent as the error's "rule" beside its field
// (Status::WithRule). Clients translate these, not the English messages: the web portal's
// catalogue has error.msg.<rule> for each one (checked by its unit tests against this file),
// and its own checks before sending use the same names.
#ifndef RESTITUTION_SERVICE_INPUT_RULES_H_
#define RESTITUTION_SERVICE_INPUT_RULES_H_

namespace restitution::rules {

inline constexpr char kEmpty[] = "empty";               // missing, or blank
inline constexpr char kAmount[] = "amount";             // not an amount like 1234.56
inline constexpr char kAmountZero[] = "amount_zero";    // 0 where more is needed
inline constexpr char kOverflow[] = "overflow";         // amounts too large to add up
inline constexpr char kDateFormat[] = "date_format";    // not YYYY-MM-DD
inline constexpr char kDateMissing[] = "date_missing";  // no such calendar day
inline constexpr char kDateEarly[] = "date_early";      // before the schemes began
inline constexpr char kDateFuture[] = "date_future";    // after today
inline constexpr char kIdFormat[] = "id_format";        // not 17 digits and a check
inline constexpr char kIdRegion[] = "id_region";        // no such province prefix
inline constexpr char kIdBirth[] = "id_birth";          // impossible birth date
inline constexpr char kIdCheck[] = "id_check";          // check character wrong
inline constexpr char kPhone[] = "phone";               // not a mainland mobile
inline constexpr char kBankAccount[] = "bank_account";  // not 8 to 30 digits
inline constexpr char kBankCard[] = "bank_card";        // card number fails Luhn
inline constexpr char kRegion[] = "region";             // not a division, or not the case's
inline constexpr char kAccountDuplicate[] = "account_duplicate";  // an account listed twice
inline constexpr char kHolder[] = "holder";                       // account not in own name
inline constexpr char kHolderHeir[] = "holder_heir";        // heir's account not in heir's name
inline constexpr char kTooLong[] = "too_long";              // more characters than allowed
inline constexpr char kBadChars[] = "bad_chars";            // control characters, bad UTF-8
inline constexpr char kPasswordShort[] = "password_short";  // below the minimum length
inline constexpr char kExceedsPrincipal[] = "exceeds_principal";  // above the declared principal
inline constexpr char kFileType[] = "file_type";                  // not PDF, JPEG or PNG

}  // namespace restitution::rules

#endif  // RESTITUTION_SERVICE_INPUT_RULES_H_
