// Shared pieces of the officer pages: the case sub-navigation, a friendly 403/404, the
// action panel's office words and China-time dates.
import { api } from '../../api.js';
import { ActionPanel as SharedActionPanel } from '../../components/action_panel.jsx';
import { ErrorMessage, Loading, Notice } from '../../components/ui.jsx';
import { ownErrorText, t } from '../../i18n.js';
import { Link } from '../../router.jsx';

export const STAFF_ROLES = ['officer', 'auditor', 'admin', 'court'];

export const caseBase = (caseId) => `/office/cases/${encodeURIComponent(caseId)}`;
export const apiCase = (caseId) => `/api/v1/cases/${encodeURIComponent(caseId)}`;

// submit(key) of an officer's decision on a claim: POST .../claims/<id>/<action>.
export function claimAction(caseId, claimId, action, body) {
  return (key) => api.post(`${apiCase(caseId)}/claims/${claimId}/${action}`, body, { idempotencyKey: key });
}

// Options of a required choice: "please choose" first, then each value in its catalogue words.
export function choiceOptions(values, prefix) {
  return [{ value: '', label: t('office.choose') }, ...values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))];
}

export function loadCase(caseId) {
  return api.get(apiCase(caseId));
}

// "YYYY-MM-DD" of today (plus days) on the Beijing calendar, which the service uses.
export function chinaDate(plusDays = 0) {
  const d = new Date(Date.now() + plusDays * 86400000);
  return d.toLocaleDateString('en-CA', { timeZone: 'Asia/Shanghai' });
}

// Errors of a whole page: 403 and 404 get their own plain words, the rest a retry.
export function PageError({ error, onRetry }) {
  if (!error) return null;
  if (error.status === 403) {
    return (
      <Notice kind="warning">
        <p>{t('office.forbidden')}</p>
        <p>
          <Link href="/office">{t('office.back_to_cases')}</Link>
        </p>
      </Notice>
    );
  }
  if (error.status === 404) {
    return (
      <Notice kind="warning">
        <p>{t('office.not_found')}</p>
      </Notice>
    );
  }
  return <ErrorMessage error={error} onRetry={onRetry} />;
}

// Loading/error/children, with PageError for the error.
export function Loaded({ state, children }) {
  if (state.error) return <PageError error={state.error} onRetry={state.reload} />;
  if (state.loading && state.data === undefined) return <Loading />;
  return children(state.data);
}

export function CaseNav({ caseId, current }) {
  const base = caseBase(caseId);
  const items = [
    ['dashboard', base, 'office.nav.dashboard'],
    ['claims', `${base}/claims`, 'office.nav.queue'],
    ['books', `${base}/books`, 'office.nav.books'],
    ['assets', `${base}/assets`, 'office.nav.assets'],
    ['pool', `${base}/pool`, 'office.nav.pool'],
    ['distributions', `${base}/distributions`, 'office.nav.distributions'],
  ];
  return (
    <nav class="office-subnav" aria-label={t('office.nav.label')}>
      <ul>
        <li>
          <Link href="/office">{t('office.nav.cases')}</Link>
        </li>
        {items.map(([key, href, label]) => (
          <li key={key}>
            <Link href={href} aria-current={current === key ? 'page' : undefined}>
              {t(label)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

// The shared action panel with the office's button words; errorScope: catalogue prefix of
// this action's own words for error codes whose shared words are about something else.
export function ActionPanel({ errorScope, submitLabel, ...props }) {
  return (
    <SharedActionPanel
      nextLabel={t('office.action.next')}
      submitLabel={submitLabel || t('office.action.submit')}
      backLabel={t('office.action.back')}
      errorWords={(err) => (errorScope ? ownErrorText(err, [errorScope]) : null)}
      {...props}
    />
  );
}
