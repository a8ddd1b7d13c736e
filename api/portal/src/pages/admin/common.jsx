// Shared pieces of the admin pages: the admin sub-navigation, the words for an API error in
// an admin form (the field's own rule where we know it), and a two-step panel (fill in,
// check, then do it) whose errors land next to the field the service names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { newIdempotencyKey } from '../../api.js';
import { Button, ErrorMessage, Notice } from '../../components/ui.jsx';
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
  const scoped = scope ? tOr(`admin.${scope}.code.${error.code}`, '') : '';
  return scoped || tOr(`admin.error.${error.code}`, errorText(error));
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

// One admin action with a check step. fields({errors}) renders the inputs; validate()
// returns {field: words} or null; summary() says what will happen; submit(key) does it.
// shownFields: field names (catalogue form, "regions" for "regions[2]") this panel shows.
export function ConfirmPanel({
  title,
  scope,
  fields,
  validate,
  summary,
  submit,
  shownFields = [],
  onDone,
  onCancel,
  submitLabel,
  nextLabel,
  variant = 'primary',
  testid,
}) {
  const [stage, setStage] = useState('edit');
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const key = useRef(null);
  const heading = useRef(null);
  const first = useRef(true);
  useEffect(() => {
    // Focus follows the step, not the first render of the page.
    if (first.current) {
      first.current = false;
      return;
    }
    if (heading.current) heading.current.focus({ preventScroll: false });
  }, [stage]);
  const next = (e) => {
    e.preventDefault();
    setGeneral(null);
    const errs = validate ? validate() : null;
    if (errs && Object.keys(errs).length) {
      setErrors(errs);
      return;
    }
    setErrors({});
    setStage('confirm');
  };
  const go = async () => {
    if (!key.current) key.current = newIdempotencyKey();
    setBusy(true);
    setGeneral(null);
    try {
      const result = await submit(key.current);
      key.current = null;
      setBusy(false);
      setStage('edit');
      onDone && onDone(result);
    } catch (err) {
      setBusy(false);
      if (err.status && err.status < 500) key.current = null;
      const placed = fieldErrorsFrom(err, scope, shownFields);
      if (placed) {
        setErrors(placed);
        setStage('edit');
      } else {
        setGeneral(err);
      }
    }
  };
  return (
    <section class="card office-action" aria-label={title} data-testid={testid}>
      <h3 tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {stage === 'edit' ? (
        <form onSubmit={next} noValidate>
          {fields ? fields({ errors }) : null}
          <AdminError error={general} scope={scope} />
          <div class="actions">
            <Button type="submit" variant={variant}>
              {nextLabel || t('admin.action.next')}
            </Button>
            {onCancel ? (
              <Button variant="secondary" onClick={onCancel}>
                {t('admin.action.cancel')}
              </Button>
            ) : null}
          </div>
        </form>
      ) : (
        <div>
          <Notice kind="warning">
            <p>{summary ? summary() : title}</p>
          </Notice>
          <AdminError error={general} scope={scope} />
          <div class="actions">
            <Button variant={variant} busy={busy} onClick={go}>
              {submitLabel || t('admin.action.submit')}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setStage('edit')}>
              {t('admin.action.back')}
            </Button>
          </div>
        </div>
      )}
    </section>
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
