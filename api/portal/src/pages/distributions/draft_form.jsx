// /office/cases/:case/distributions/new — draft a round: how much of the pool to distribute,
// the minimum payment, the record date. A big case's draft takes many seconds; the page says
// so and keeps counting, and a retry reuses the same Idempotency-Key.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { t } from '../../i18n.js';
import { fenToDecimal, formatMoney, parseYuan } from '../../money.js';
import { navigate, Link } from '../../router.jsx';
import { Async, Button, ErrorMessage, Notice, PageTitle, ProgressBar, TextField, useAsync, useFormErrors } from '../../components/ui.jsx';
import { caseTitle, DIST_ERRORS } from './common.jsx';

function beijingToday() {
  // The service's record_date is a Beijing date (UTC+8), whatever the browser's zone.
  return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
}

const FIELDS = ['amount', 'min_payment', 'record_date'];

// Polls the case's runs for a drafted run by this officer newer than `since` (ms), for up
// to ten minutes: a draft of a very large case may outlast the proxy's wait.
async function findDraft(base, since, session) {
  const me = session && session.user ? session.user.id : null;
  const until = Date.now() + 10 * 60 * 1000;
  while (Date.now() < until) {
    try {
      const data = await api.get(`${base}/distributions`);
      const run = (data.distributions || []).find(
        (r) => r.status === 'drafted' && (me === null || r.drafted_by === me) && Date.parse(r.drafted_at) >= since - 60000,
      );
      if (run) return run;
    } catch {
      // keep looking
    }
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  return null;
}

export function DraftForm({ params, session }) {
  const caseId = params.case;
  const base = `/api/v1/cases/${encodeURIComponent(caseId)}`;
  const state = useAsync(() => Promise.all([api.get(base), api.get(`${base}/pool`, { query: { recent: 0 } })]), [caseId]);
  const [amount, setAmount] = useState('');
  const [minPayment, setMinPayment] = useState('10.00');
  const [recordDate, setRecordDate] = useState(beijingToday());
  const [busy, setBusy] = useState(false);
  const [elapsed, setElapsed] = useState(0);
  const [checking, setChecking] = useState(false);
  const form = useFormErrors();
  const key = useRef(null);
  const timer = useRef(null);
  useEffect(() => () => clearInterval(timer.current), []);

  const submit = async (e, available) => {
    e.preventDefault();
    form.clear();
    const errors = {};
    const a = parseYuan(amount);
    const m = parseYuan(minPayment);
    if (a === null || a <= 0n) errors.amount = t('dist.draft.amount_invalid');
    else if (available !== null && a > available) errors.amount = t('dist.draft.amount_too_much', { available: formatMoney(available) });
    if (m === null) errors.min_payment = t('dist.draft.min_invalid');
    if (recordDate && !/^\d{4}-\d{2}-\d{2}$/.test(recordDate)) errors.record_date = t('dist.draft.date_invalid');
    else if (recordDate && recordDate > beijingToday()) errors.record_date = t('dist.draft.date_future');
    if (Object.keys(errors).length) {
      form.setErrors(errors);
      return;
    }
    const body = { amount: fenToDecimal(a), min_payment: fenToDecimal(m) };
    if (recordDate) body.record_date = recordDate;
    const signature = JSON.stringify(body);
    if (!key.current || key.current.signature !== signature) key.current = { signature, value: newIdempotencyKey() };
    setBusy(true);
    setElapsed(0);
    const started = Date.now();
    timer.current = setInterval(() => setElapsed(Math.round((Date.now() - started) / 1000)), 1000);
    try {
      const run = await api.post(`${base}/distributions`, body, { idempotencyKey: key.current.value, timeoutMs: 15 * 60 * 1000 });
      navigate(`/office/cases/${encodeURIComponent(caseId)}/distributions/${run.id}`);
    } catch (err) {
      // The proxy gives up on a long answer (504) while the service keeps drafting: look
      // for the run this officer drafted since pressing the button before calling it failed.
      if (err.status === 504 || err.status === 502 || err.code === 'timeout' || err.code === 'network') {
        setChecking(true);
        const run = await findDraft(base, started, session);
        setChecking(false);
        if (run) {
          navigate(`/office/cases/${encodeURIComponent(caseId)}/distributions/${run.id}`);
          return;
        }
      }
      form.fromApi(err, FIELDS, DIST_ERRORS);
    } finally {
      clearInterval(timer.current);
      setBusy(false);
    }
  };

  return (
    <section>
      <PageTitle>{t('dist.draft.title')}</PageTitle>
      <p>
        <Link href={`/office/cases/${encodeURIComponent(caseId)}/distributions`}>{t('dist.back_list')}</Link>
      </p>
      <Async state={state}>
        {([c, pool]) => {
          const available = parseYuan(pool.available || '0');
          return (
            <div>
              <p class="dist-case-name">{caseTitle(c)}</p>
              <section class="card" aria-labelledby="dist-pool-h">
                <h2 id="dist-pool-h">{t('dist.draft.pool')}</h2>
                <dl class="facts">
                  <dt>{t('dist.draft.available')}</dt>
                  <dd data-testid="pool-available">{formatMoney(pool.available)}</dd>
                  <dt>{t('dist.draft.recovered')}</dt>
                  <dd>{formatMoney(pool.recovered)}</dd>
                  <dt>{t('dist.draft.reserved')}</dt>
                  <dd>{formatMoney(pool.reserved)}</dd>
                  {pool.balances ? <dt>{t('dist.draft.paid')}</dt> : null}
                  {pool.balances ? <dd>{formatMoney(pool.balances.paid)}</dd> : null}
                </dl>
              </section>
              <form class="card" onSubmit={(e) => submit(e, available)} noValidate aria-busy={busy ? 'true' : undefined}>
                <ErrorMessage error={form.general} scopes={DIST_ERRORS} />
                <TextField
                  label={t('dist.draft.amount')}
                  hint={t('dist.draft.amount_hint')}
                  required
                  inputMode="decimal"
                  value={amount}
                  onInput={setAmount}
                  error={form.errors.amount}
                  disabled={busy}
                />
                <p>
                  <Button variant="secondary" disabled={busy || !available} onClick={() => setAmount(fenToDecimal(available))}>
                    {t('dist.draft.use_all')}
                  </Button>
                </p>
                <TextField
                  label={t('dist.draft.min_payment')}
                  hint={t('dist.draft.min_payment_hint')}
                  required
                  inputMode="decimal"
                  value={minPayment}
                  onInput={setMinPayment}
                  error={form.errors.min_payment}
                  disabled={busy}
                />
                <TextField
                  label={t('dist.draft.record_date')}
                  hint={t('dist.draft.record_date_hint')}
                  type="date"
                  max={beijingToday()}
                  value={recordDate}
                  onInput={setRecordDate}
                  error={form.errors.record_date}
                  disabled={busy}
                />
                <Notice kind="info">
                  <p>{t('dist.draft.reserve_note')}</p>
                </Notice>
                {busy ? (
                  <div aria-live="polite">
                    <ProgressBar value={0} max={0} label={t('dist.draft.progress', { seconds: elapsed })} />
                    <p class="hint">{checking ? t('dist.draft.checking') : t('dist.draft.progress_hint')}</p>
                  </div>
                ) : null}
                <div class="actions">
                  <Button type="submit" busy={busy}>{t('dist.draft.submit')}</Button>
                </div>
              </form>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
