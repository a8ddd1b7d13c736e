// The service's errors in words a claimant understands. The service names the rule a value
// broke (error.rule), which errorText turns into the catalogue's words; a string is already a
// catalogue key (the portal's own checks before sending).
import { errorText, t } from '../../i18n.js';

export function claimantErrorText(error) {
  if (!error) return '';
  if (typeof error === 'string') return t(error);
  return errorText(error);
}
