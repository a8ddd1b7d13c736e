// /office/cases/:case: the case's facts and its claims counted by status.
import { api } from '../../api.js';
import { Money, PageTitle, StatusBadge, useAsync } from '../../components/ui.jsx';
import { formatDate, t, tOr } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { CaseNav, Loaded, apiCase, caseBase } from './common.jsx';

export const CLAIM_STATUSES = [
  'submitted',
  'deficient',
  'pending_countersign',
  'confirmed',
  'rejected',
  'disputed',
  'withdrawn',
];

// The claimant area writes claim.status.*; review.status.* is this area's own fallback.
export function claimStatusText(status) {
  return tOr(`claim.status.${status}`, tOr(`review.status.${status}`, status));
}

export function ClaimBadge({ status }) {
  return <span class={`badge badge-${status}`}>{claimStatusText(status)}</span>;
}

export function CaseDashboard({ params }) {
  const caseId = params.case;
  const state = useAsync(
    () => Promise.all([api.get(apiCase(caseId)), api.get(`${apiCase(caseId)}/stats`)]),
    [caseId],
  );
  const base = caseBase(caseId);
  return (
    <section>
      <CaseNav caseId={caseId} current="dashboard" />
      <Loaded state={state}>
        {([c, stats]) => (
          <div>
            <PageTitle>{c.name}</PageTitle>
            <div class="grid">
              <div class="card">
                <h2>{t('office.case.facts')}</h2>
                <dl class="facts">
                  <dt>{t('office.case.number')}</dt>
                  <dd class="mono">{c.case_number}</dd>
                  <dt>{t('office.case.status')}</dt>
                  <dd>
                    <StatusBadge status={c.status} kind="office.case" />
                  </dd>
                  <dt>{t('office.case.lead_region')}</dt>
                  <dd>{c.lead_region}</dd>
                  <dt>{t('office.case.regions')}</dt>
                  <dd>{(c.regions || []).join('、')}</dd>
                  <dt>{t('office.case.registration')}</dt>
                  <dd>
                    {formatDate(c.registration_opens)} – {formatDate(c.registration_closes)}
                  </dd>
                  {c.supplementary_closes ? (
                    <>
                      <dt>{t('office.case.supplementary')}</dt>
                      <dd>{formatDate(c.supplementary_closes)}</dd>
                    </>
                  ) : null}
                  <dt>{t('office.case.objection_days')}</dt>
                  <dd>{t('office.case.days', { n: c.objection_window_days })}</dd>
                  <dt>{t('office.case.threshold')}</dt>
                  <dd>
                    <Money value={c.countersign_threshold} />
                  </dd>
                </dl>
              </div>
              <div class="card">
                <h2>{t('office.case.work')}</h2>
                <ul class="office-links">
                  <li>
                    <Link href={`${base}/claims`}>{t('office.nav.queue')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/claims?status=pending_countersign`}>{t('office.case.to_countersign')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/claims?status=disputed`}>{t('office.case.to_resolve')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/books`}>{t('office.nav.books')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/assets`}>{t('office.nav.assets')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/pool`}>{t('office.nav.pool')}</Link>
                  </li>
                  <li>
                    <Link href={`${base}/distributions`}>{t('office.nav.distributions')}</Link>
                  </li>
                </ul>
              </div>
            </div>
            <div class="card">
              <h2>{t('office.case.claims_by_status')}</h2>
              <div class="table-wrap">
                <table class="stack">
                  <thead>
                    <tr>
                      <th scope="col">{t('office.col.status')}</th>
                      <th scope="col" class="num">{t('office.col.count')}</th>
                      <th scope="col" class="num">{t('office.col.declared_net')}</th>
                      <th scope="col" class="num">{t('office.col.allowed')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {CLAIM_STATUSES.map((s) => {
                      const row = (stats.by_status || {})[s] || { count: 0, declared_net: '0.00', allowed: '0.00' };
                      return (
                        <tr key={s} data-testid={`case-count-${s}`}>
                          <td data-label={t('office.col.status')}>
                            <Link href={`${base}/claims?status=${s}`}>{claimStatusText(s)}</Link>
                          </td>
                          <td class="num" data-label={t('office.col.count')}>
                            {row.count}
                          </td>
                          <td class="num" data-label={t('office.col.declared_net')}>
                            <Money value={row.declared_net} />
                          </td>
                          <td class="num" data-label={t('office.col.allowed')}>
                            <Money value={row.allowed} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                  <tfoot>
                    <tr>
                      <th scope="row">{t('office.col.total')}</th>
                      <td class="num" data-label={t('office.col.count')}>
                        {stats.total ? stats.total.count : 0}
                      </td>
                      <td class="num" data-label={t('office.col.declared_net')}>
                        <Money value={stats.total ? stats.total.declared_net : '0.00'} />
                      </td>
                      <td class="num" data-label={t('office.col.allowed')}>
                        <Money value={stats.total ? stats.total.allowed : '0.00'} />
                      </td>
                    </tr>
                  </tfoot>
                </table>
              </div>
              {stats.late ? <p class="hint">{t('office.case.late', { n: stats.late })}</p> : null}
            </div>
          </div>
        )}
      </Loaded>
    </section>
  );
}
