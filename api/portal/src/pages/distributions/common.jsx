// Shared parts of the run pages (officer and court): the figures of a run, the chart of its
// allocations, the paged allocations table, and the words for a run's ratio and status.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { formatDate, formatDateTime, ownErrorText, t, tOr } from '../../i18n.js';
import { formatMoney, parseAmount } from '../../money.js';
import { Async, Money, Notice, useAsync } from '../../components/ui.jsx';
import { Pager } from '../../components/pager.jsx';

export const runPath = (caseId, id) => `/api/v1/cases/${encodeURIComponent(caseId)}/distributions/${encodeURIComponent(id)}`;

// "0.891234" -> "89.1234%", by moving the decimal point in the string (never a float).
export function ratioPercent(ratio) {
  if (ratio === null || ratio === undefined || ratio === '') return '—';
  const m = /^(\d+)(?:\.(\d*))?$/.exec(String(ratio));
  if (!m) return String(ratio);
  const frac = (m[2] || '').padEnd(6, '0');
  const whole = String(BigInt(m[1]) * 100n + BigInt(frac.slice(0, 2)));
  return `${whole}.${frac.slice(2, 6)}%`;
}

// The case and the run of a run page, both needed before anything is shown.
export function loadRun(caseId, runId) {
  return Promise.all([api.get(`/api/v1/cases/${encodeURIComponent(caseId)}`), api.get(runPath(caseId, runId))]);
}

// The case's name and the run's status, at the top of a run page.
export function RunHeading({ caseInfo, run }) {
  return (
    <>
      <p class="dist-case-name">{caseTitle(caseInfo)}</p>
      <p class="dist-status-line">
        {t('dist.run.status')} <RunStatus status={run.status} />
      </p>
    </>
  );
}

export function RunStatus({ status }) {
  return (
    <span class={`badge badge-${status}`} data-testid="run-status">
      {tOr(`dist.status.${status}`, status)}
    </span>
  );
}

// Everything allocated in the round: paid now plus held in reserve.
export function totalAllocated(run) {
  const totals = run.totals || {};
  return (parseAmount(totals.paid || '0') ?? 0n) + (parseAmount(totals.reserved || '0') ?? 0n);
}

export function caseTitle(c) {
  return c ? `${c.name}（${c.case_number}）` : '';
}

// The figures a court reads before approving, and an officer before endorsing.
export function RunFigures({ run }) {
  const totals = run.totals || {};
  const counts = run.counts || {};
  return (
    <div class="grid dist-figures">
      <section class="card" aria-labelledby="dist-fig-money">
        <h2 id="dist-fig-money">{t('dist.fig.money')}</h2>
        <dl class="facts">
          <dt>{t('dist.fig.pool_before')}</dt>
          <dd><Money value={run.pool_before} /></dd>
          <dt>{t('dist.fig.amount')}</dt>
          <dd><Money value={run.amount} /></dd>
          <dt>{t('dist.fig.total')}</dt>
          <dd data-testid="run-total">{formatMoney(totalAllocated(run))}</dd>
          <dt>{t('dist.fig.paid')}</dt>
          <dd><Money value={totals.paid} /></dd>
          <dt>{t('dist.fig.reserved')}</dt>
          <dd><Money value={totals.reserved} /></dd>
          <dt>{t('dist.fig.deferred')}</dt>
          <dd><Money value={totals.deferred} /></dd>
          <dt>{t('dist.fig.surplus')}</dt>
          <dd><Money value={totals.surplus} /></dd>
          <dt>{t('dist.fig.recognised')}</dt>
          <dd><Money value={totals.recognised} /></dd>
          <dt>{t('dist.fig.prior')}</dt>
          <dd><Money value={totals.prior} /></dd>
          <dt>{t('dist.fig.min_payment')}</dt>
          <dd><Money value={run.min_payment} /></dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="dist-fig-ratio">
        <h2 id="dist-fig-ratio">{t('dist.fig.ratio_title')}</h2>
        <p class="dist-ratio">
          <span data-testid="run-ratio">{ratioPercent(run.ratio)}</span>
        </p>
        <p class="hint">{t('dist.fig.ratio_hint', { ratio: run.ratio ?? '—', level: run.level ?? '—' })}</p>
        <dl class="facts">
          <dt>{t('dist.fig.claims')}</dt>
          <dd>{counts.claims ?? 0}</dd>
          <dt>{t('dist.fig.count_paid')}</dt>
          <dd>{counts.paid ?? 0}</dd>
          <dt>{t('dist.fig.count_reserved')}</dt>
          <dd>{counts.reserved ?? 0}</dd>
          <dt>{t('dist.fig.count_deferred')}</dt>
          <dd>{counts.deferred ?? 0}</dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="dist-fig-trail">
        <h2 id="dist-fig-trail">{t('dist.fig.trail')}</h2>
        <dl class="facts">
          <dt>{t('dist.fig.round')}</dt>
          <dd>{run.round ?? t('dist.fig.round_none')}</dd>
          <dt>{t('dist.fig.record_date')}</dt>
          <dd>{formatDate(run.record_date)}</dd>
          <dt>{t('dist.fig.drafted')}</dt>
          <dd>{who(run.drafted_by, run.drafted_at)}</dd>
          {run.endorsed_at ? <dt>{t('dist.fig.endorsed')}</dt> : null}
          {run.endorsed_at ? <dd>{who(run.endorsed_by, run.endorsed_at)}</dd> : null}
          {run.approved_at ? <dt>{t('dist.fig.approved')}</dt> : null}
          {run.approved_at ? <dd>{who(run.approved_by, run.approved_at)}</dd> : null}
          {run.order_reference ? <dt>{t('dist.fig.order_reference')}</dt> : null}
          {run.order_reference ? <dd>{run.order_reference}</dd> : null}
          {run.executed_at ? <dt>{t('dist.fig.executed')}</dt> : null}
          {run.executed_at ? <dd>{who(run.executed_by, run.executed_at)}</dd> : null}
          {run.cancelled_at ? <dt>{t('dist.fig.cancelled')}</dt> : null}
          {run.cancelled_at ? <dd>{who(run.cancelled_by, run.cancelled_at)}</dd> : null}
          {run.payments && run.payments.lines ? <dt>{t('dist.fig.payments')}</dt> : null}
          {run.payments && run.payments.lines ? (
            <dd>{t('dist.fig.payments_value', { lines: run.payments.lines, open: run.payments.open })}</dd>
          ) : null}
          <dt>{t('dist.fig.fingerprint')}</dt>
          <dd><code>{run.fingerprint || '—'}</code></dd>
        </dl>
      </section>
    </div>
  );
}

function who(userId, at) {
  return t('dist.fig.who', { user: userId ?? '—', at: formatDateTime(at) });
}

export function StaleNotice({ run }) {
  if (!run.stale) return null;
  return (
    <Notice kind="warning">
      <p><strong>{t('dist.stale.title')}</strong></p>
      <p>{t('dist.stale.text')}</p>
    </Notice>
  );
}

// ---- the chart: hand-made SVG, with its text alternative beside it ----
const toNum = (amount) => Number(parseAmount(amount || '0') ?? 0n) / 100; // pixels only, never money

export function AllocationChart({ allocations, total }) {
  if (!allocations || allocations.length === 0) {
    return <p>{t('dist.chart.empty')}</p>;
  }
  return allocations.length <= 30 ? <PerClaimChart rows={allocations} total={total} /> : <Histogram rows={allocations} total={total} />;
}

function chartSummary(rows, total) {
  let max = null;
  let min = null;
  for (const a of rows) {
    const v = parseAmount(a.pay) ?? 0n;
    if (max === null || v > max) max = v;
    if (min === null || v < min) min = v;
  }
  return t('dist.chart.summary', {
    shown: rows.length,
    total,
    max: formatMoney(max ?? 0n),
    min: formatMoney(min ?? 0n),
  });
}

function PerClaimChart({ rows, total }) {
  const width = 360;
  const label = 72;
  const barH = 22;
  const gap = 10;
  const top = 28;
  const height = top + rows.length * (barH + gap) + 10;
  const max = Math.max(1, ...rows.map((a) => toNum(a.recognised)));
  const span = width - label - 16;
  return (
    <figure class="dist-chart">
      <div class="dist-chart-scroll">
      <svg
        class="bar-chart"
        data-testid="allocation-chart"
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="dist-chart-title dist-chart-desc"
      >
        <title id="dist-chart-title">{t('dist.chart.per_claim_title')}</title>
        <desc id="dist-chart-desc">{chartSummary(rows, total)}</desc>
        <rect x={label} y="4" width="14" height="14" class="dist-bar-recognised" />
        <text x={label + 20} y="16" class="dist-chart-text">{t('dist.chart.legend_recognised')}</text>
        <rect x={label + 90} y="4" width="14" height="14" class="dist-bar-allocated" />
        <text x={label + 110} y="16" class="dist-chart-text">{t('dist.chart.legend_allocated')}</text>
        {rows.map((a, i) => {
          const y = top + i * (barH + gap);
          const rec = toNum(a.recognised);
          const got = toNum(a.prior) + toNum(a.pay) + toNum(a.reserve);
          return (
            <g key={a.claim_id}>
              <text x={label - 8} y={y + barH - 6} text-anchor="end" class="dist-chart-text">
                {t('dist.chart.claim', { id: a.claim_id })}
              </text>
              <rect x={label} y={y} width={Math.max(1, (rec / max) * span)} height={barH} class="dist-bar-recognised" />
              <rect x={label} y={y + 4} width={Math.max(1, (got / max) * span)} height={barH - 8} class="dist-bar-allocated" />
            </g>
          );
        })}
      </svg>
      </div>
      <figcaption class="hint">{chartSummary(rows, total)}</figcaption>
    </figure>
  );
}

function Histogram({ rows, total }) {
  const buckets = 10;
  const values = rows.map((a) => toNum(a.pay));
  const max = Math.max(...values, 0.01);
  const counts = new Array(buckets).fill(0);
  for (const v of values) counts[Math.min(buckets - 1, Math.floor((v / max) * buckets))] += 1;
  const top = Math.max(1, ...counts);
  const width = 400;
  const height = 260;
  const base = 220;
  const bw = (width - 24) / buckets;
  return (
    <figure class="dist-chart">
      <div class="dist-chart-scroll">
      <svg class="bar-chart" data-testid="allocation-chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby="dist-hist-title dist-hist-desc">
        <title id="dist-hist-title">{t('dist.chart.hist_title')}</title>
        <desc id="dist-hist-desc">{chartSummary(rows, total)}</desc>
        <line x1="12" y1={base} x2={width - 12} y2={base} class="dist-axis" />
        {counts.map((c, i) => {
          const h = (c / top) * (base - 30);
          const x = 12 + i * bw;
          return (
            <g key={i}>
              <rect x={x + 4} y={base - h} width={bw - 8} height={h} class="dist-bar-allocated" />
              <text x={x + bw / 2} y={base - h - 6} text-anchor="middle" class="dist-chart-text">{c}</text>
              {i % 2 === 1 ? (
                <text x={x + bw / 2} y={base + 20} text-anchor="middle" class="dist-chart-small">
                  {`≤${formatMoney(BigInt(Math.round(((i + 1) * max * 100) / buckets)), { symbol: false }).replace(/\.\d\d$/, '')}`}
                </text>
              ) : null}
            </g>
          );
        })}
        <text x={width / 2} y={height - 4} text-anchor="middle" class="dist-chart-small">{t('dist.chart.hist_axis')}</text>
      </svg>
      </div>
      <figcaption class="hint">{chartSummary(rows, total)}</figcaption>
    </figure>
  );
}

// ---- allocations: chart of the page shown, and the paged table ----
export function Allocations({ caseId, runId, total }) {
  const [page, setPage] = useState(1);
  const state = useAsync(() => api.get(`${runPath(caseId, runId)}/allocations`, { query: { page } }), [caseId, runId, page]);
  return (
    <Async state={state} label={t('dist.alloc.loading')}>
      {(data) => {
        const rows = data.allocations || [];
        const pages = Math.max(1, Math.ceil((data.total || 0) / (data.page_size || 1000)));
        return (
          <div>
            <section class="card" aria-labelledby="dist-chart-h">
              <h2 id="dist-chart-h">{t('dist.chart.title')}</h2>
              {pages > 1 ? <p class="hint">{t('dist.chart.page_note', { page, pages })}</p> : null}
              <AllocationChart allocations={rows} total={data.total ?? rows.length} />
            </section>
            <section class="card" aria-labelledby="dist-alloc-h">
              <h2 id="dist-alloc-h">{t('dist.alloc.title')}</h2>
              <p class="hint">{t('dist.alloc.hint', { total: data.total ?? rows.length })}</p>
              <div class="table-wrap">
                <table class="stack">
                  <caption class="sr-only">{t('dist.alloc.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('dist.alloc.claim')}</th>
                      <th scope="col">{t('dist.alloc.status')}</th>
                      <th scope="col" class="num">{t('dist.alloc.recognised')}</th>
                      <th scope="col" class="num">{t('dist.alloc.prior')}</th>
                      <th scope="col" class="num">{t('dist.alloc.pay')}</th>
                      <th scope="col" class="num">{t('dist.alloc.reserve')}</th>
                      <th scope="col" class="num">{t('dist.alloc.deferred')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((a) => (
                      <tr key={a.claim_id}>
                        <td data-label={t('dist.alloc.claim')}>{a.claim_id}</td>
                        <td data-label={t('dist.alloc.status')}>{tOr(`dist.claim_status.${a.claim_status}`, a.claim_status)}</td>
                        <td class="num" data-label={t('dist.alloc.recognised')}><Money value={a.recognised} /></td>
                        <td class="num" data-label={t('dist.alloc.prior')}><Money value={a.prior} /></td>
                        <td class="num" data-label={t('dist.alloc.pay')}><Money value={a.pay} /></td>
                        <td class="num" data-label={t('dist.alloc.reserve')}><Money value={a.reserve} /></td>
                        <td class="num" data-label={t('dist.alloc.deferred')}><Money value={a.deferred} /></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager page={page} pages={pages} onPage={setPage} />
            </section>
          </div>
        );
      }}
    </Async>
  );
}

// Error codes whose shared wording speaks of claims get the run's own words (dist.error.*).
export const DIST_ERRORS = ['dist.error'];
export const distErrorWords = (err) => ownErrorText(err, DIST_ERRORS);
