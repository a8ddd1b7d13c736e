// /office/cases/:case/distributions/:id — one run: its figures, chart and allocations, and the
// officer's next step by status: endorse (a second officer), cancel, execute (after the
// court's approval), the payment batch and the bank's results.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { ActionPanel } from '../../components/action_panel.jsx';
import { Async, Button, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { Allocations, distErrorWords, loadRun, ratioPercent, RunFigures, RunHeading, runPath, StaleNotice, totalAllocated } from './common.jsx';
import { PaymentResults, PaymentsDownload } from './payments.jsx';
import { formatMoney } from '../../money.js';

export function RunDetail({ params, session }) {
  const caseId = params.case;
  const runId = params.id;
  const state = useAsync(() => loadRun(caseId, runId), [caseId, runId]);
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
      <RunHeading caseInfo={caseInfo} run={run} />
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
  const base = runPath(run.case_id, run.id);
  const total = formatMoney(totalAllocated(run));
  const ratio = ratioPercent(run.ratio);
  const panels = {
    execute: {
      title: t('dist.confirm.execute_title'),
      ok: t('dist.confirm.execute_ok'),
      text: t('dist.confirm.execute_text', { total, ratio, paid: run.counts ? run.counts.paid : 0 }),
    },
    cancel: { title: t('dist.confirm.cancel_title'), ok: t('dist.confirm.cancel_ok'), text: t('dist.confirm.cancel_text'), variant: 'danger' },
    endorse: { title: t('dist.confirm.endorse_title'), ok: t('dist.confirm.endorse_ok'), text: t('dist.confirm.endorse_text', { total, ratio }) },
  };
  const mine = session.user.id === run.drafted_by;
  const canEndorse = run.status === 'drafted';
  const canExecute = run.status === 'approved';
  const canCancel = ['drafted', 'endorsed', 'approved'].includes(run.status);
  if (!canEndorse && !canExecute && !canCancel) return null;
  const panel = confirming ? panels[confirming] : null;
  return (
    <section class="card" aria-labelledby="dist-actions-h">
      <h2 id="dist-actions-h">{t('dist.actions.title')}</h2>
      {canEndorse && mine ? <Notice kind="info"><p>{t('dist.actions.endorse_other')}</p></Notice> : null}
      {run.status === 'endorsed' ? <p>{t('dist.actions.wait_court')}</p> : null}
      {panel ? (
        <ActionPanel
          key={confirming}
          title={panel.title}
          submitLabel={panel.ok}
          backLabel={t('dist.confirm.back')}
          variant={panel.variant}
          errorWords={distErrorWords}
          submit={(key) => api.post(`${base}/${confirming}`, {}, { idempotencyKey: key, timeoutMs: 10 * 60 * 1000 })}
          onDone={() => {
            const action = confirming;
            setConfirming(null);
            onDone(t(`dist.done.${action}`));
            reload();
          }}
          onCancel={() => setConfirming(null)}
        >
          <p>{panel.text}</p>
        </ActionPanel>
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
