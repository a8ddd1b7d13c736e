// The service's errors in words a claimant understands: a specific code first
// (error.<code>), then the rule behind a validation message, then the generic text.
import { errorText, t, tOr } from '../../i18n.js';

const GENERIC = new Set(['validation_failed', 'rule_violated', 'conflict']);

// [pattern of the service's English message, catalogue key]
const RULES = [
  [/must not be empty|is required/, 'error.msg.empty'],
  [/must be more than 0/, 'error.msg.amount_zero'],
  [/decimal number|ASSCII digits|ASCII digits|must not contain spaces|plus sign|exponent|commas|must not be negative|fraction|decimal places|at most two/, 'error.msg.amount'],
  [/YYYY-MM-DD/, 'error.msg.date_format'],
  [/date that does not exist|birth date before|birth date in the future/, 'error.msg.id_birth'],
  [/is not a date that exists/, 'error.msg.date_missing'],
  [/before 1990/, 'error.msg.date_early'],
  [/must not be in the future/, 'error.msg.date_future'],
  [/18-character|17 digits/, 'error.msg.id_format'],
  [/valid region code/, 'error.msg.id_region'],
  [/wrong check character/, 'error.msg.id_check'],
  [/mobile number/, 'error.msg.phone'],
  [/bank account number of/, 'error.msg.bank_account'],
  [/not a valid bank card/, 'error.msg.bank_card'],
  [/administrative division|this case's regions/, 'error.msg.region'],
  [/is the same account as/, 'error.msg.account_duplicate'],
  [/heir's own name/, 'error.msg.holder_heir'],
  [/participant's own name/, 'error.msg.holder'],
  [/is too long/, 'error.msg.too_long'],
  [/control characters|UTF-8/, 'error.msg.bad_chars'],
  [/add up to more/, 'error.msg.overflow'],
  [/at least 10|at least \d+ characters|too short/, 'error.msg.password_short'],
  [/cannot exceed the declared principal/, 'error.msg.exceeds_principal'],
  [/PDF, JPEG or PNG/, 'error.msg.file_type'],
];

export function claimantErrorText(error) {
  if (!error) return '';
  if (typeof error === 'string') return t(error);
  if (!GENERIC.has(error.code)) {
    const specific = tOr(`error.${error.code}`, '');
    if (specific) return specific;
  }
  const message = String(error.message || '');
  for (const [pattern, key] of RULES) if (pattern.test(message)) return t(key);
  if (GENERIC.has(error.code)) return t(`error.${error.code}`);
  return errorText(error);
}
