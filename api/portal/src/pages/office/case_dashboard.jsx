// /office/cases/:case: the case's facts, its claims counted by status and by region, and
// the claims register as a CSV file for the roles the service gives it to.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, ErrorMessage, Money, Notice, PageTitle, ProgressBar, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t, tOr } from '../../i18n.js';
import { sumFen } from '../../money.js';
import { Link } from '../../router.jsx';
import { caseRegionName, regionWithCode } from '../../regions.js';
import { CaseFacts } from './case_facts.jsx';
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

export function CaseDashboard({ params, session }) {
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
                <CaseFacts c={c} />
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
            <RegionStats c={c} stats={stats} />
            <RegisterExport caseId={caseId} role={session && session.user ? session.user.role : ''} />
          </div>
        )}
      </Loaded>
    </section>
  );
}

// by_region from GET …/stats: {code: {total: {count, declared_net, allowed}, by_status}}.
// The service's region totals leave withdrawn claims out.
function RegionStats({ c, stats }) {
  const byRegion = stats.by_region || {};
  const codes = Object.keys(byRegion).sort();
  const zero = { count: 0, declared_net: '0.00', allowed: '0.00' };
  const rows = codes.map((code) => {
    const r = byRegion[code] || {};
    const total = r.total || zero;
    const confirmed = (r.by_status || {}).confirmed || zero;
    return { code, total, confirmed };
  });
  const sumCount = (pick) => rows.reduce((n, r) => n + (Number(pick(r)) || 0), 0);
  return (
    <div class="card" data-testid="case-regions">
      <h2 id="case-regions-title">{t('office.dashboard.by_region')}</h2>
      <p class="hint">{t('office.dashboard.by_region_hint')}</p>
      {rows.length === 0 ? (
        <p>{t('office.dashboard.no_regions')}</p>
      ) : (
        <div class="table-wrap">
          <table class="stack" aria-labelledby="case-regions-title">
            <thead>
              <tr>
                <th scope="col">{t('office.dashboard.col.region')}</th>
                <th scope="col" class="num">{t('office.dashboard.col.count')}</th>
                <th scope="col" class="num">{t('office.dashboard.col.confirmed')}</th>
                <th scope="col" class="num">{t('office.col.declared_net')}</th>
                <th scope="col" class="num">{t('office.col.allowed')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.code} data-testid={`case-region-${r.code}`}>
                  <th scope="row" data-label={t('office.dashboard.col.region')} class="office-dash-region">
                    {regionWithCode(r.code, caseRegionName(c, r.code))}
                  </th>
                  <td class="num" data-label={t('office.dashboard.col.count')}>
                    {r.total.count}
                  </td>
                  <td class="num" data-label={t('office.dashboard.col.confirmed')}>
                    {r.confirmed.count}
                  </td>
                  <td class="num" data-label={t('office.col.declared_net')}>
                    <Money value={r.total.declared_net} />
                  </td>
                  <td class="num" data-label={t('office.col.allowed')}>
                    <Money value={r.total.allowed} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr data-testid="case-region-total">
                <th scope="row">{t('office.col.total')}</th>
                <td class="num" data-label={t('office.dashboard.col.count')}>
                  {sumCount((r) => r.total.count)}
                </td>
                <td class="num" data-label={t('office.dashboard.col.confirmed')}>
                  {sumCount((r) => r.confirmed.count)}
                </td>
                <td class="num" data-label={t('office.col.declared_net')}>
                  <Money value={sumFen(rows.map((r) => r.total.declared_net))} />
                </td>
                <td class="num" data-label={t('office.col.allowed')}>
                  <Money value={sumFen(rows.map((r) => r.total.allowed))} />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </div>
  );
}

// The service gives the claims register to the case's officers (with identity and refund
// accounts) and to court users and auditors (figures only); admins do not get it.
const REGISTER_ROLES = ['officer', 'court', 'auditor'];

function fileSize(bytes) {
  if (bytes < 1024) return t('office.dashboard.csv.bytes', { n: bytes });
  if (bytes < 1024 * 1024) return t('office.dashboard.csv.kib', { n: (bytes / 1024).toFixed(1) });
  return t('office.dashboard.csv.mib', { n: (bytes / 1024 / 1024).toFixed(1) });
}

function RegisterExport({ caseId, role }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [file, setFile] = useState(null);
  const urlRef = useRef(null);
  const linkRef = useRef(null);
  const autoSave = useRef(false);
  // The file stays in memory only while the page is open.
  useEffect(
    () => () => {
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
    },
    [],
  );
  useEffect(() => {
    if (file && autoSave.current && linkRef.current) {
      autoSave.current = false;
      linkRef.current.click();
    }
  }, [file]);
  if (!REGISTER_ROLES.includes(role)) return null;
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.getPagedCsv(`${apiCase(caseId)}/claims.csv`);
      if (urlRef.current) URL.revokeObjectURL(urlRef.current);
      urlRef.current = URL.createObjectURL(blob);
      autoSave.current = true;
      setFile({ url: urlRef.current, name: `claims-case-${caseId}.csv`, size: blob.size, at: Date.now() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="card" data-testid="claims-csv">
      <h2>{t('office.dashboard.csv.title')}</h2>
      <p>{t(role === 'officer' ? 'office.dashboard.csv.hint_officer' : 'office.dashboard.csv.hint_figures')}</p>
      <p class="hint">{t('office.dashboard.csv.ledger')}</p>
      <div class="actions">
        <Button busy={busy} onClick={download} data-testid="claims-csv-download">
          {t('office.dashboard.csv.button')}
        </Button>
      </div>
      {busy ? <ProgressBar value={0} max={0} label={t('office.dashboard.csv.busy')} /> : null}
      {error ? (
        <div data-testid="claims-csv-error">
          {error.status === 403 || error.status === 404 ? (
            <ErrorMessage error={t('office.dashboard.csv.not_member')} />
          ) : (
            <ErrorMessage error={error} onRetry={download} />
          )}
        </div>
      ) : null}
      {file && !busy ? (
        <Notice kind="success">
          <p>
            {t('office.dashboard.csv.ready', { size: fileSize(file.size), at: formatDateTime(file.at) })}{' '}
            <a href={file.url} download={file.name} ref={linkRef} data-testid="claims-csv-link">
              {t('office.dashboard.csv.save', { name: file.name })}
            </a>
          </p>
        </Notice>
      ) : null}
    </div>
  );
}
