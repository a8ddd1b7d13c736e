// /cases — every case, and /cases/:case — its public page: claim statistics by status and
// by region, every refund round with its ratio, and the ledger's current checkpoint.
import { api } from '../../api.js';
import { formatDate, formatDateTime, t, tOr } from '../../i18n.js';
import { OBJECTION_REASONS } from '../../objection_reasons.js';
import { caseRegionName, regionLabel } from '../../regions.js';
import { Link } from '../../router.jsx';
import { Async, Money, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { ratioPercent } from '../distributions/common.jsx';
import { CheckpointCard } from './checkpoint.jsx';

export function CaseCards({ cases }) {
  if (!cases.length) return <p>{t('public.cases.none')}</p>;
  return (
    <ul class="public-case-list">
      {cases.map((c) => (
        <li class="card" key={c.id}>
          <h3>
            <Link href={`/cases/${c.id}`}>{c.name}</Link>
          </h3>
          <p class="hint">{t('public.case.number', { number: c.case_number })}</p>
          <p>
            <span class={`badge badge-case-${c.status}`}>{tOr(`public.case_status.${c.status}`, c.status)}</span>{' '}
            {t('public.case.window', { opens: formatDate(c.registration_opens), closes: formatDate(c.registration_closes) })}
          </p>
        </li>
      ))}
    </ul>
  );
}

export function CaseList() {
  const state = useAsync(() => api.get('/api/v1/cases'), []);
  return (
    <section>
      <PageTitle>{t('public.cases.title')}</PageTitle>
      <p>{t('public.cases.intro')}</p>
      <Async state={state}>{(data) => <CaseCards cases={data.cases || []} />}</Async>
    </section>
  );
}

const STATUS_ORDER = ['submitted', 'deficient', 'pending_countersign', 'confirmed', 'disputed', 'rejected', 'withdrawn'];
const sortStatuses = (obj) =>
  Object.keys(obj || {}).sort((a, b) => (STATUS_ORDER.indexOf(a) + 100) % 100 - (STATUS_ORDER.indexOf(b) + 100) % 100);

export function CasePage({ params }) {
  const id = encodeURIComponent(params.case);
  const caseState = useAsync(() => api.get(`/api/v1/cases/${id}`), [id]);
  const stats = useAsync(() => api.get(`/api/v1/cases/${id}/stats`), [id]);
  const rounds = useAsync(() => api.get(`/api/v1/cases/${id}/distributions/public`), [id]);
  return (
    <section>
      {/* The page has its heading from the start; the case's name replaces it once loaded. */}
      <PageTitle>{caseState.data ? caseState.data.name : t('public.cases.title')}</PageTitle>
      <Async state={caseState}>
        {(c) => (
          <div>
            <dl class="facts card">
              <dt>{t('public.case.number_label')}</dt>
              <dd>{c.case_number}</dd>
              <dt>{t('public.case.status_label')}</dt>
              <dd>{tOr(`public.case_status.${c.status}`, c.status)}</dd>
              <dt>{t('public.case.opens')}</dt>
              <dd>{formatDate(c.registration_opens)}</dd>
              <dt>{t('public.case.closes')}</dt>
              <dd>{formatDate(c.registration_closes)}</dd>
              {c.supplementary_closes ? <dt>{t('public.case.supplementary')}</dt> : null}
              {c.supplementary_closes ? <dd>{formatDate(c.supplementary_closes)}</dd> : null}
              <dt>{t('public.case.objection')}</dt>
              <dd>{t('public.case.objection_days', { days: c.objection_window_days })}</dd>
            </dl>
            {c.status === 'registration' ? (
              <p class="actions">
                <Link class="btn btn-primary" href="/register">{t('home.register')}</Link>
              </p>
            ) : null}
          </div>
        )}
      </Async>
      <section aria-labelledby="public-rounds-h">
        <h2 id="public-rounds-h">{t('public.rounds.title')}</h2>
        <p class="hint">{t('public.rounds.intro')}</p>
        <Async state={rounds}>{(data) => <Rounds rounds={data.rounds || []} />}</Async>
      </section>
      <section aria-labelledby="public-stats-h">
        <h2 id="public-stats-h">{t('public.stats.title')}</h2>
        <p class="hint">{t('public.stats.intro')}</p>
        <Async state={stats}>{(data) => <Stats data={data} c={caseState.data} />}</Async>
      </section>
      <CheckpointCard />
    </section>
  );
}

function Rounds({ rounds }) {
  if (!rounds.length) return <Notice kind="info"><p>{t('public.rounds.none')}</p></Notice>;
  return (
    <div class="grid">
      {rounds.map((r) => (
        <article class="card" key={r.distribution} data-testid="public-round">
          <h3>{t('public.rounds.round', { round: r.round })}</h3>
          <p class="public-round-ratio">
            {t('public.rounds.ratio')} <strong data-testid="public-round-ratio">{ratioPercent(r.ratio)}</strong>
          </p>
          <dl class="facts">
            <dt>{t('public.rounds.executed')}</dt>
            <dd>{formatDateTime(r.executed_at)}</dd>
            <dt>{t('public.rounds.record_date')}</dt>
            <dd>{formatDate(r.record_date)}</dd>
            <dt>{t('public.rounds.pool_before')}</dt>
            <dd><Money value={r.pool_before} /></dd>
            <dt>{t('public.rounds.amount')}</dt>
            <dd><Money value={r.amount} /></dd>
            <dt>{t('public.rounds.paid')}</dt>
            <dd><Money value={r.paid} /></dd>
            <dt>{t('public.rounds.reserved')}</dt>
            <dd><Money value={r.reserved} /></dd>
            <dt>{t('public.rounds.deferred')}</dt>
            <dd><Money value={r.deferred} /></dd>
            <dt>{t('public.rounds.surplus')}</dt>
            <dd><Money value={r.surplus} /></dd>
            <dt>{t('public.rounds.counts')}</dt>
            <dd>{t('public.rounds.counts_value', { claims: r.claims ?? '—', paid: r.number_paid ?? '—', reserved: r.number_reserved ?? '—' })}</dd>
          </dl>
        </article>
      ))}
    </div>
  );
}

function Stats({ data, c }) {
  const byStatus = data.by_status || {};
  const byRegion = data.by_region || {};
  const total = data.total || {};
  return (
    <div>
      <div class="table-wrap">
        <table class="stack" data-testid="public-stats-status">
          <caption>{t('public.stats.by_status')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('public.stats.status')}</th>
              <th scope="col" class="num">{t('public.stats.count')}</th>
              <th scope="col" class="num">{t('public.stats.declared')}</th>
              <th scope="col" class="num">{t('public.stats.allowed')}</th>
            </tr>
          </thead>
          <tbody>
            {sortStatuses(byStatus).map((s) => (
              <tr key={s}>
                <td data-label={t('public.stats.status')}>{tOr(`public.claim_status.${s}`, s)}</td>
                <td class="num" data-label={t('public.stats.count')}>{byStatus[s].count}</td>
                <td class="num" data-label={t('public.stats.declared')}><Money value={byStatus[s].declared_net} /></td>
                <td class="num" data-label={t('public.stats.allowed')}><Money value={byStatus[s].allowed} /></td>
              </tr>
            ))}
            <tr class="public-total">
              <td data-label={t('public.stats.status')}><strong>{t('public.stats.total')}</strong></td>
              <td class="num" data-label={t('public.stats.count')}><strong>{total.count ?? 0}</strong></td>
              <td class="num" data-label={t('public.stats.declared')}><strong><Money value={total.declared_net} /></strong></td>
              <td class="num" data-label={t('public.stats.allowed')}><strong><Money value={total.allowed} /></strong></td>
            </tr>
          </tbody>
        </table>
      </div>
      {data.late ? <p class="hint">{t('public.stats.late', { late: data.late })}</p> : null}
      <div class="table-wrap">
        <table class="stack" data-testid="public-stats-region">
          <caption>{t('public.stats.by_region')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('public.stats.region')}</th>
              <th scope="col" class="num">{t('public.stats.count')}</th>
              <th scope="col" class="num">{t('public.stats.declared')}</th>
              <th scope="col" class="num">{t('public.stats.allowed')}</th>
              <th scope="col">{t('public.stats.breakdown')}</th>
            </tr>
          </thead>
          <tbody>
            {Object.keys(byRegion).map((region) => {
              const r = byRegion[region];
              const parts = sortStatuses(r.by_status).map((s) => `${tOr(`public.claim_status.${s}`, s)} ${r.by_status[s].count}`);
              return (
                <tr key={region}>
                  <td data-label={t('public.stats.region')}>{regionLabel(region, caseRegionName(c, region))}</td>
                  <td class="num" data-label={t('public.stats.count')}>{r.total ? r.total.count : 0}</td>
                  <td class="num" data-label={t('public.stats.declared')}><Money value={r.total ? r.total.declared_net : '0'} /></td>
                  <td class="num" data-label={t('public.stats.allowed')}><Money value={r.total ? r.total.allowed : '0'} /></td>
                  <td data-label={t('public.stats.breakdown')}>{parts.join('，') || '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ObjectionStats byReason={data.objections_by_reason || {}} />
    </div>
  );
}

// Objections by reason code, so the public sees what claimants dispute and how it ends.
function ObjectionStats({ byReason }) {
  const codes = OBJECTION_REASONS.filter((code) => byReason[code]);
  const any = codes.some((code) => byReason[code].open + byReason[code].upheld + byReason[code].adjusted > 0);
  if (!any) return <p class="hint">{t('public.stats.objections_none')}</p>;
  return (
    <div class="table-wrap">
      <table class="stack" data-testid="public-stats-objections">
        <caption>{t('public.stats.objections')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('public.stats.objection_reason')}</th>
            <th scope="col" class="num">{t('public.stats.objection_open')}</th>
            <th scope="col" class="num">{t('public.stats.objection_upheld')}</th>
            <th scope="col" class="num">{t('public.stats.objection_adjusted')}</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((code) => (
            <tr key={code}>
              <td data-label={t('public.stats.objection_reason')}>{t(`objection.kind.${code}`)}</td>
              <td class="num" data-label={t('public.stats.objection_open')}>{byReason[code].open}</td>
              <td class="num" data-label={t('public.stats.objection_upheld')}>{byReason[code].upheld}</td>
              <td class="num" data-label={t('public.stats.objection_adjusted')}>{byReason[code].adjusted}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
