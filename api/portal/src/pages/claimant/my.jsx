// "My claims": the claimant's own claims with their status, and the cases open for
// declaration with a button to declare in each.
import { api } from '../../api.js';
import { Async, Money, PageTitle, useAsync } from '../../components/ui.jsx';
import { formatDate, formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { caseOpen, ClaimStatus } from './status.jsx';

export function MyPage() {
  const claims = useAsync(() => api.get('/api/v1/me/claims'), []);
  const cases = useAsync(() => api.get('/api/v1/cases'), []);
  const caseName = (id) => {
    const c = cases.data && cases.data.cases.find((x) => x.id === id);
    return c ? c.name : t('my.case_n', { id });
  };
  return (
    <section>
      <PageTitle>{t('my.title')}</PageTitle>
      <h2>{t('my.claims')}</h2>
      <Async state={claims}>
        {(data) =>
          data.claims.length === 0 ? (
            <p>{t('my.no_claims')}</p>
          ) : (
            <ul class="claimant-cards">
              {data.claims.map((c) => (
                <li key={c.id} class="card">
                  <h3>
                    <Link href={`/my/claims/${c.case_id}/${c.id}`}>{t('my.claim_link', { id: c.id, case: caseName(c.case_id) })}</Link>
                  </h3>
                  <p>
                    {t('my.status')} <ClaimStatus status={c.status} />
                  </p>
                  <dl class="facts">
                    <dt>{t('claim.declared_net')}</dt>
                    <dd>
                      <Money value={c.declared_net} />
                    </dd>
                    {c.allowed_amount ? (
                      <>
                        <dt>{t('claim.allowed_amount')}</dt>
                        <dd>
                          <Money value={c.allowed_amount} />
                        </dd>
                      </>
                    ) : null}
                    <dt>{t('my.updated')}</dt>
                    <dd>{formatDateTime(c.updated_at)}</dd>
                  </dl>
                  {c.status === 'deficient' ? <p class="claimant-attention">{t('my.needs_answer')}</p> : null}
                  <p>
                    <Link href={`/my/claims/${c.case_id}/${c.id}`} class="btn btn-secondary claimant-link-btn">
                      {t('my.open_claim')}
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      <h2>{t('my.open_cases')}</h2>
      <Async state={cases}>
        {(data) => {
          const open = data.cases.filter((c) => caseOpen(c));
          if (open.length === 0) return <p>{t('my.no_open_cases')}</p>;
          const mine = new Set(((claims.data && claims.data.claims) || []).filter((c) => c.status !== 'withdrawn').map((c) => c.case_id));
          return (
            <ul class="claimant-cards">
              {open.map((c) => (
                <li key={c.id} class="card">
                  <h3>{c.name}</h3>
                  <dl class="facts">
                    <dt>{t('my.case_number')}</dt>
                    <dd>{c.case_number}</dd>
                    <dt>{t('my.closes')}</dt>
                    <dd>{formatDate(c.registration_closes)}</dd>
                  </dl>
                  {mine.has(c.id) ? <p class="hint">{t('my.already_declared')}</p> : null}
                  <p>
                    <Link href={`/my/cases/${c.id}/declare`} class="btn btn-primary claimant-link-btn">
                      {t('my.declare')}
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
          );
        }}
      </Async>
    </section>
  );
}
