// Shared pieces of the admin pages: the admin sub-navigation, the words for an API error in
// an admin form (the field's own rule where we know it), and the action panel's admin words.
import { ActionPanel as SharedActionPanel } from '../../components/action_panel.jsx';
import { ErrorMessage } from '../../components/ui.jsx';
import { errorText, fieldKey, t, tOr } from '../../i18n.js';
import { Link } from '../../router.jsx';

export const ADMIN = ['admin'];
export const STAFF_ACCOUNT_ROLES = ['officer', 'court', 'auditor', 'admin'];
export const MEMBER_ROLES = ['officer', 'court'];
export const CASE_STATUSES = ['registration', 'review', 'distribution', 'closed'];

export const adminCase = (caseId) => `/admin/cases/${encodeURIComponent(caseId)}`;

// The step after the case's current one, or null when it is closed (the service moves a case
// one step at a time: registration -> review -> distribution -> closed).
export function nextCaseStatus(status) {
  const i = CASE_STATUSES.indexOf(status);
  return i >= 0 && i < CASE_STATUSES.length - 1 ? CASE_STATUSES[i + 1] : null;
}

export function caseStatusText(status) {
  return tOr(`office.case.status.${status}`, status);
}

export function roleText(role) {
  return tOr(`admin.role.${role}`, role);
}

// The words for an API error in a form of `scope`: "admin.<scope>.err.<field>" when the
// service names a field we have words for, then "admin.error.<code>", then the shared words.
export function adminErrorText(error, scope) {
  if (!error) return '';
  if (typeof error === 'string') return error;
  if (error.field && scope) {
    const own = tOr(`admin.${scope}.err.${fieldKey(error.field)}`, '');
    if (own && (error.code === 'validation_failed' || error.code === 'rule_violated')) return own;
  }
  return errorText(error, scope ? [`admin.${scope}.code`, 'admin.error'] : ['admin.error']);
}

// Field errors from an ApiError: {field: words} when the form shows the field, else null.
export function fieldErrorsFrom(error, scope, shownFields) {
  if (!error || !error.field) return null;
  const key = fieldKey(error.field);
  if (!shownFields.includes(key)) return null;
  return { [key]: adminErrorText(error, scope) };
}

export function AdminNav({ current }) {
  return (
    <nav class="office-subnav" aria-label={t('admin.nav.label')}>
      <ul>
        <li>
          <Link href="/office">{t('admin.nav.office')}</Link>
        </li>
        <li>
          <Link href="/admin" aria-current={current === 'home' ? 'page' : undefined}>
            {t('admin.nav.home')}
          </Link>
        </li>
        <li>
          <Link href="/admin/cases/new" aria-current={current === 'new' ? 'page' : undefined}>
            {t('admin.nav.new_case')}
          </Link>
        </li>
      </ul>
    </nav>
  );
}

// A general (not field) error of an admin form, with the admin words for its code.
export function AdminError({ error, scope, onRetry }) {
  if (!error) return null;
  const text = adminErrorText(error, scope);
  return <ErrorMessage error={text} onRetry={onRetry} />;
}

// The shared action panel with the admin words: errors in the words of `scope` (see
// adminErrorText). The panel is part of the page, so focus moves only with its steps.
export function ActionPanel({ scope, nextLabel, submitLabel, ...props }) {
  return (
    <SharedActionPanel
      nextLabel={nextLabel || t('admin.action.next')}
      submitLabel={submitLabel || t('admin.action.submit')}
      backLabel={t('admin.action.back')}
      errorWords={(err) => adminErrorText(err, scope)}
      focusOnOpen={false}
      {...props}
    />
  );
}

// Staff accounts created during this visit (memory only, gone on reload): the service has no
// list of users, so the case page offers these ids when binding someone to a case.
const createdStaff = [];
export function rememberStaff(user) {
  if (!createdStaff.some((u) => u.id === user.id)) createdStaff.push({ id: user.id, username: user.username, role: user.role });
}
export function staffCreatedThisVisit() {
  return createdStaff.slice();
}
