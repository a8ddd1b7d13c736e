// A claim's status as a badge (with a stable test hook when asked for).
import { t, tOr } from '../../i18n.js';

export function ClaimStatus({ status, testid }) {
  return (
    <span class={`badge badge-${status} claimant-badge-${status}`} data-testid={testid} data-status={status}>
      {tOr(`claim.status.${status}`, status)}
    </span>
  );
}

// Whether a case takes declarations now (on time or in the supplementary window).
export function caseOpen(c, now = Date.now()) {
  if (!c || c.status !== 'registration') return false;
  const opens = Date.parse(c.registration_opens);
  const closes = Date.parse(c.supplementary_closes || c.registration_closes);
  return !(opens > now) && !(closes < now);
}

export function caseLate(c, now = Date.now()) {
  return c && c.supplementary_closes && Date.parse(c.registration_closes) < now;
}

export function statusHint(status) {
  return t(`claim.status_hint.${status}`);
}
