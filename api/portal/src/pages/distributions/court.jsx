// Court pages: the runs awaiting approval across the court user's cases, and one run's
// summary with the approval (the court order's number, then a confirmation step).
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatDate, formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { ActionPanel } from '../../components/action_panel.jsx';
import { Async, Money, Notice, PageTitle, TextField, useAsync } from '../../components/ui.jsx';
import { formatMoney } from '../../money.js';
import { Allocations, caseTitle, distErrorWords, loadRun, ratioPercent, RunFigures, RunHeading, runPath, StaleNotice, totalAllocated } from './common.jsx';

// The API has no cross-case query: list every case, then each case's runs; cases this court
// user is not bound to answer 403/404 and are left out.
async function loadQueue() {
  const { cases } = await api.get('/api/v1/cases');
  const out = [];
  for (const c of cases || []) {
    try {
      const data = await api.get(`/api/v1/cases/${c.id}/distributions`);
      for (const r of data.distributions || []) out.push({ c, r });
    } catch (err) {
      if (err.status !== 403 && err.status !== 404) throw err;
    }
  }
  return out;
}

export function CourtQueue() {
  const state = useAsync(loadQueue, []);
  return (
    <section>
      <PageTitle>{t('court.queue.title')}</PageTitle>
      <p>{t('court.queue.intro')}</p>
      <Async state={state}>
        {(items) => {
          const waiting = items.filter((x) => x.r.status === 'endorsed');
          const others = items.filter((x) => x.r.status !== 'endorsed');
          return (
            <div>
              {waiting.length === 0 ? <Notice kind="info"><p>{t('court.queue.none')}</p></Notice> : null}
              {waiting.map(({ c, r }) => (
                <article class="card" key={`${c.id}-${r.id}`} data-testid="court-run">
                  <h2>
                    <Link href={`/court/cases/${c.id}/distributions/${r.id}`}>{t('court.queue.run', { id: r.id, case: caseTitle(c) })}</Link>
                  </h2>
                  <dl class="facts">
                    <dt>{t('dist.list.status')}</dt>
                    <dd><span class={`badge badge-${r.status}`}>{t(`dist.status.${r.status}`)}</span>{r.stale ? <span class="badge badge-disputed dist-stale-badge">{t('dist.stale.badge')}</span> : null}</dd>
                    <dt>{t('dist.fig.total')}</dt>
                    <dd>{formatMoney(totalAllocated(r))}</dd>
                    <dt>{t('dist.fig.ratio_title')}</dt>
                    <dd>{ratioPercent(r.ratio)}</dd>
                    <dt>{t('dist.fig.pool_before')}</dt>
                    <dd><Money value={r.pool_before} /></dd>
                    <dt>{t('dist.fig.reserved')}</dt>
                    <dd><Money value={r.totals ? r.totals.reserved : null} /></dd>
                    <dt>{t('dist.fig.claims')}</dt>
                    <dd>{r.counts ? r.counts.claims : '—'}</dd>
                    <dt>{t('dist.fig.endorsed')}</dt>
                    <dd>{formatDateTime(r.endorsed_at)}</dd>
                  </dl>
                </article>
              ))}
              {others.length ? (
                <section aria-labelledby="court-others-h">
                  <h2 id="court-others-h">{t('court.queue.others')}</h2>
                  <div class="table-wrap">
                    <table class="stack">
                      <thead>
                        <tr>
                          <th scope="col">{t('dist.list.run')}</th>
                          <th scope="col">{t('court.queue.case')}</th>
                          <th scope="col">{t('dist.list.status')}</th>
                          <th scope="col" class="num">{t('dist.list.ratio')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {others.map(({ c, r }) => (
                          <tr key={`${c.id}-${r.id}`}>
                            <td data-label={t('dist.list.run')}><Link href={`/court/cases/${c.id}/distributions/${r.id}`}>{t('dist.run_name', { id: r.id })}</Link></td>
                            <td data-label={t('court.queue.case')}>{caseTitle(c)}</td>
                            <td data-label={t('dist.list.status')}><span class={`badge badge-${r.status}`}>{t(`dist.status.${r.status}`)}</span></td>
                            <td class="num" data-label={t('dist.list.ratio')}>{ratioPercent(r.ratio)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </section>
              ) : null}
            </div>
          );
        }}
      </Async>
    </section>
  );
}

export function CourtRun({ params }) {
  const [approvedNow, setApprovedNow] = useState(false);
  const caseId = params.case;
  const runId = params.id;
  const state = useAsync(() => loadRun(caseId, runId), [caseId, runId]);
  return (
    <section>
      <PageTitle>{t('court.run.title', { id: runId })}</PageTitle>
      <p>
        <Link href="/court">{t('court.back')}</Link>
      </p>
      <Async state={state}>
        {([c, run]) => (
          <div>
            <RunHeading caseInfo={c} run={run} />
            {approvedNow ? <Notice kind="success"><p>{t('court.approve.done')}</p></Notice> : null}
            <StaleNotice run={run} />
            <RunFigures run={run} />
            {run.status === 'endorsed' ? (
              <Approve run={run} onApproved={() => { setApprovedNow(true); state.reload(); }} />
            ) : approvedNow ? null : (
              <p>{t(`court.after.${run.status}`)}</p>
            )}
            <Allocations caseId={run.case_id} runId={run.id} total={run.counts ? run.counts.claims : 0} />
          </div>
        )}
      </Async>
    </section>
  );
}

// The court order's number: "(2026)沪0104执1号" or with full-width brackets.
const ORDER_REF = /^[（(]\d{4}[)）].+\d+号$/;

function Approve({ run, onApproved }) {
  const [ref, setRef] = useState('');
  const validate = () => {
    const v = ref.trim();
    if (!v) return { order_reference: t('court.approve.ref_missing') };
    if (v.length > 64 || !ORDER_REF.test(v)) return { order_reference: t('court.approve.ref_invalid') };
    return null;
  };
  return (
    <ActionPanel
      title={t('court.approve.title')}
      nextLabel={t('court.approve.submit')}
      submitLabel={t('court.approve.confirm_ok')}
      backLabel={t('dist.confirm.back')}
      disabled={run.stale}
      input={ref.trim()}
      focusOnOpen={false}
      shownFields={['order_reference']}
      errorWords={distErrorWords}
      validate={validate}
      fields={({ errors }) => (
        <TextField
          label={t('court.approve.ref')}
          hint={t('court.approve.ref_hint')}
          required
          name="order_reference"
          maxLength={64}
          value={ref}
          onInput={setRef}
          error={errors.order_reference}
          disabled={run.stale}
        />
      )}
      submit={(key) =>
        api.post(`${runPath(run.case_id, run.id)}/approve`, { order_reference: ref.trim() }, { idempotencyKey: key, timeoutMs: 10 * 60 * 1000 })
      }
      onDone={onApproved}
    >
      <p>{t('court.approve.confirm_text', { id: run.id, total: formatMoney(totalAllocated(run)), ratio: ratioPercent(run.ratio), claims: run.counts ? run.counts.claims : 0 })}</p>
      <p>
        {t('court.approve.ref')}：<strong>{ref.trim()}</strong>
      </p>
    </ActionPanel>
  );
}
