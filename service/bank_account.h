// Bank account numbers (银行账号) that refunds are paid to. A refund sent to a mistyped
// account is the costliest kind of typo, so the number is normalised once and card numbers
// are checked; the display form shows only enough for the claimant to recognise the account.
#ifndef RESTITUTION_SERVICE_BANK_ACCOUNT_H_
#define RESTITUTION_SERVICE_BANK_ACCOUNT_H_

#include <string>
#include <string_view>

#include "crypto/status.h"

namespace restitution {

// Strips ASCII spaces and hyphens ("6222 0210 0112 3456 789", "6222-0210-…") and returns the
// digits, which must number 8 to 30. A number of 16 to 19 digits starting with "62" is a
// UnionPay card and must pass the Luhn check; other numbers (passbooks, corporate accounts)
// follow no public check-digit rule and are accepted as they are. InvalidArgument naming
// `field` otherwise; messages never echo the number.
StatusOr<std::string> NormalizeBankAccount(std::string_view text, const std::string& field);

// "6222 **** **** 6789": the first four and last four digits of a normalised number, for
// screens and text messages. The middle is always "**** ****" so the length is not revealed
// either. Numbers of fewer than 12 digits would show too much that way, so only their last
// four appear ("**** **** 5678"); anything that is not a normalised number gives "****".
std::string MaskBankAccount(std::string_view normalized);

}  // namespace restitution

#endif  // RESTITUTION_SERVICE_BANK_ACCOUNT_H_
