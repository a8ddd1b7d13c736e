// /office/cases/:case/distributions/:id — one run: its figures, chart and allocations, and the
// officer's next step by status: endorse (a second officer), cancel, execute (after the
// court's approval), the payment batch and the bank's results.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { errorText, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Async, Button, ErrorMessage, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { Allocations, caseTitle, ConfirmPanel, ratioPercent, RunFigures, runPath, RunStatus, StaleNotice, localError } from './common.jsx';
import { PaymentResults, PaymentsDownload } from './payments.jsx';
import { formatMoney } from '../../money.js';
import { totalAllocated } from './common.jsx';

export function RunDetail({ params, session }) {
  const caseId = params.case;
  const runId = params.id;
  const state = useAsync(
    () => Promise.all([api.get(`/api/v1/cases/${encodeURIComponent(caseId)}`), api.get(runPath(caseId, runId))]),
    [caseId, runId],
  );
  return (
    <section>
      <PageTitle>{t('dist.run.title', { id: runId })}</PageTitle>
      <p>
        <Link href={`/office/cases/${encodeURIComponent(caseId)}/distributions`}>{t('dist.back_list')}</Link>
      </p>
      <Async state={state}>
        {([c, run]) => <RunBody caseInfo={c} run={run} session={session} reload={state.reload} />}
      </Async>
    </section>
  );
}

function RunBody({ caseInfo, run, session, reload }) {
  const [done, setDone] = useState(null);
  const officer = session && session.user.role === 'officer';
  return (
    <div>
      <p class="dist-case-name">{caseTitle(caseInfo)}</p>
      <p class="dist-status-line">
        {t('dist.run.status')} <RunStatus status={run.status} />
      </p>
      <p class="hint">{t(`dist.next.${run.status}`)}</p>
      {done ? <Notice kind="success"><p>{done}</p></Notice> : null}
      <StaleNotice run={run} />
      <RunFigures run={run} />
      {officer ? <OfficerActions run={run} session={session} reload={reload} onDone={setDone} /> : null}
      {run.status === 'executed' ? (
        <section class="card" aria-labelledby="dist-pay-h">
          <h2 id="dist-pay-h">{t('dist.pay.title')}</h2>
          <p>{run.reconciled ? t('dist.pay.reconciled') : t('dist.pay.open', { open: run.payments ? run.payments.open : 0, lines: run.payments ? run.payments.lines : 0 })}</p>
          <PaymentsDownload run={run} officer={officer} />
          {officer ? <PaymentResults run={run} onDone={reload} /> : null}
        </section>
      ) : null}
      <Allocations caseId={run.case_id} runId={run.id} total={run.counts ? run.counts.claims : 0} />
    </div>
  );
}

function OfficerActions({ run, session, reload, onDone }) {
  const [confirming, setConfirming] = useState(null); // 'execute' | 'cancel' | 'endorse'
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const keys = useRef({});
  const base = runPath(run.case_id, run.id);
  const act = async (action) => {
    setBusy(true);
    setError(null);
    keys.current[action] = keys.current[action] || newIdempotencyKey();
    try {
      await api.post(`${base}/${action}`, {}, { idempotencyKey: keys.current[action], timeoutMs: 10 * 60 * 1000 });
      setConfirming(null);
      onDone(t(`dist.done.${action}`));
      reload();
    } catch (err) {
      setError(localError(err));
    } finally {
      setBusy(false);
    }
  };
  const mine = session.user.id === run.drafted_by;
  const canEndorse = run.status === 'drafted';
  const canExecute = run.status === 'approved';
  const canCancel = ['drafted', 'endorsed', 'approved'].includes(run.status);
  if (!canEndorse && !canExecute && !canCancel) return null;
  return (
    <section class="card" aria-labelledby="dist-actions-h">
      <h2 id="dist-actions-h">{t('dist.actions.title')}</h2>
      {error ? <ErrorMessage error={{ ...localError(error), field: null }} /> : null}
      {error && error.code === 'stale' ? <p>{t('dist.stale.text')}</p> : null}
      {canEndorse && mine ? <Notice kind="info"><p>{t('dist.actions.endorse_other')}</p></Notice> : null}
      {run.status === 'endorsed' ? <p>{t('dist.actions.wait_court')}</p> : null}
      {confirming === 'execute' ? (
        <ConfirmPanel
          title={t('dist.confirm.execute_title')}
          confirmLabel={t('dist.confirm.execute_ok')}
          busy={busy}
          onConfirm={() => act('execute')}
          onCancel={() => setConfirming(null)}
        >
          <p>{t('dist.confirm.execute_text', { total: formatMoney(totalAllocated(run)), ratio: ratioPercent(run.ratio), paid: run.counts ? run.counts.paid : 0 })}</p>
        </ConfirmPanel>
      ) : confirming === 'cancel' ? (
        <ConfirmPanel
          title={t('dist.confirm.cancel_title')}
          confirmLabel={t('dist.confirm.cancel_ok')}
          variant="danger"
          busy={busy}
          onConfirm={() => act('cancel')}
          onCancel={() => setConfirming(null)}
        >
          <p>{t('dist.confirm.cancel_text')}</p>
        </ConfirmPanel>
      ) : confirming === 'endorse' ? (
        <ConfirmPanel
          title={t('dist.confirm.endorse_title')}
          confirmLabel={t('dist.confirm.endorse_ok')}
          busy={busy}
          onConfirm={() => act('endorse')}
          onCancel={() => setConfirming(null)}
        >
          <p>{t('dist.confirm.endorse_text', { total: formatMoney(totalAllocated(run)), ratio: ratioPercent(run.ratio) })}</p>
        </ConfirmPanel>
      ) : (
        <div class="actions">
          {canEndorse ? (
            <Button disabled={mine || run.stale} onClick={() => setConfirming('endorse')}>{t('dist.actions.endorse')}</Button>
          ) : null}
          {canExecute ? (
            <Button disabled={run.stale} onClick={() => setConfirming('execute')}>{t('dist.actions.execute')}</Button>
          ) : null}
          {canCancel ? (
            <Button variant="secondary" onClick={() => setConfirming('cancel')}>{t('dist.actions.cancel')}</Button>
          ) : null}
        </div>
      )}
    </section>
  );
}

export { errorText };
