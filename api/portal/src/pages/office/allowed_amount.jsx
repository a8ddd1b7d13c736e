// The amount an officer allows for a claim, set on confirming it or on adjusting it after an
// objection: one field and one check, so both hold the claim to its declared principal.
import { TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { formatMoney, parseYuan } from '../../money.js';

// The words for a wrong amount, or null when it can be allowed.
export function allowedAmountError(text, claim) {
  const v = parseYuan(text);
  if (v === null) return t('review.confirm.bad_amount');
  const principal = parseYuan(claim.declared_principal);
  if (principal !== null && v > principal) return t('review.confirm.over_principal', { max: formatMoney(claim.declared_principal) });
  return null;
}

export function AllowedAmountField({ claim, value, onInput, error }) {
  return (
    <TextField
      label={t('review.confirm.amount')}
      hint={t('review.confirm.amount_hint', {
        net: formatMoney(claim.declared_net),
        max: formatMoney(claim.declared_principal),
      })}
      inputMode="decimal"
      required
      value={value}
      onInput={onInput}
      error={error}
    />
  );
}
