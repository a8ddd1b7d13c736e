// Shared pieces of the officer pages: the case sub-navigation, a friendly 403/404, the
// two-step action panel (fill in, check, submit) and China-time dates.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, ErrorMessage, Loading, Notice, useFormErrors } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { Link } from '../../router.jsx';

export const STAFF_ROLES = ['officer', 'auditor', 'admin', 'court'];

export const caseBase = (caseId) => `/office/cases/${encodeURIComponent(caseId)}`;
export const apiCase = (caseId) => `/api/v1/cases/${encodeURIComponent(caseId)}`;

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

// One action with a check step. fields({errors}) renders the inputs; validate() returns
// {field: message} or null; submit(idempotencyKey) performs it; summary() describes what
// will happen on the check step. The idempotency key lives as long as the logical action.
export function ActionPanel({
  title,
  fields,
  validate,
  summary,
  submit,
  shownFields = [],
  onDone,
  onCancel,
  submitLabel,
  variant = 'primary',
  testid,
  codeText = {},
}) {
  const form = useFormErrors();
  const [stage, setStage] = useState('edit');
  const [busy, setBusy] = useState(false);
  const key = useRef(null);
  const heading = useRef(null);
  // Keyboard and screen-reader users land on the panel when it opens and on each step.
  useEffect(() => {
    if (heading.current) heading.current.focus({ preventScroll: false });
  }, [stage]);
  const next = (e) => {
    e.preventDefault();
    form.clear();
    const errs = validate ? validate() : null;
    if (errs && Object.keys(errs).length) {
      form.setErrors(errs);
      return;
    }
    setStage('confirm');
  };
  const go = async () => {
    if (!key.current) key.current = newIdempotencyKey();
    setBusy(true);
    form.clear();
    try {
      const result = await submit(key.current);
      key.current = null;
      setBusy(false);
      onDone && onDone(result);
    } catch (err) {
      setBusy(false);
      // A different answer next time is a different action only if the input changes.
      if (err.status && err.status !== 0 && err.status < 500) key.current = null;
      // Codes whose shared catalogue words are about something else get this panel's own.
      if (codeText[err.code]) form.setGeneral(t(codeText[err.code]));
      else form.fromApi(err, shownFields);
      if (err.field && shownFields.includes(err.field)) setStage('edit');
    }
  };
  return (
    <section class="card office-action" aria-label={title} data-testid={testid}>
      <h3 tabIndex={-1} ref={heading}>
        {title}
      </h3>
      {stage === 'edit' ? (
        <form onSubmit={next} noValidate>
          {fields ? fields({ errors: form.errors }) : null}
          <ErrorMessage error={form.general} />
          <div class="actions">
            <Button type="submit" variant={variant}>
              {t('office.action.next')}
            </Button>
            <Button variant="secondary" onClick={onCancel}>
              {t('office.action.cancel')}
            </Button>
          </div>
        </form>
      ) : (
        <div>
          <Notice kind="warning">
            <p>{summary ? summary() : title}</p>
          </Notice>
          <ErrorMessage error={form.general} />
          <div class="actions">
            <Button variant={variant} busy={busy} onClick={go}>
              {submitLabel || t('office.action.submit')}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setStage('edit')}>
              {t('office.action.back')}
            </Button>
          </div>
        </div>
      )}
    </section>
  );
}
