// /office/cases/:case/distributions — the case's runs, newest first, and the way to a new draft.
import { api } from '../../api.js';
import { formatDate, formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { Async, Money, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { caseTitle, ratioPercent, RunStatus } from './common.jsx';

const ACTIVE = ['drafted', 'endorsed', 'approved'];

export function RunList({ params, session }) {
  const caseId = params.case;
  const state = useAsync(
    () =>
      Promise.all([
        api.get(`/api/v1/cases/${encodeURIComponent(caseId)}`),
        api.get(`/api/v1/cases/${encodeURIComponent(caseId)}/distributions`),
      ]),
    [caseId],
  );
  const officer = session && session.user.role === 'officer';
  return (
    <section>
      <PageTitle>{t('dist.list.title')}</PageTitle>
      <p>
        <Link href={`/office/cases/${encodeURIComponent(caseId)}`}>{t('dist.back_case')}</Link>
      </p>
      <Async state={state}>
        {([c, data]) => {
          const runs = data.distributions || [];
          const active = runs.find((r) => ACTIVE.includes(r.status));
          return (
            <div>
              <p class="dist-case-name">{caseTitle(c)}</p>
              {officer ? (
                active ? (
                  <Notice kind="info">
                    <p>
                      {t('dist.list.active', { id: active.id })}{' '}
                      <Link href={`/office/cases/${encodeURIComponent(caseId)}/distributions/${active.id}`}>{t('dist.list.open_active')}</Link>
                    </p>
                  </Notice>
                ) : (
                  <p class="actions">
                    <Link class="btn btn-primary" href={`/office/cases/${encodeURIComponent(caseId)}/distributions/new`}>
                      {t('dist.list.new')}
                    </Link>
                  </p>
                )
              ) : null}
              {runs.length === 0 ? (
                <p>{t('dist.list.empty')}</p>
              ) : (
                <div class="table-wrap">
                  <table class="stack">
                    <caption class="sr-only">{t('dist.list.title')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dist.list.run')}</th>
                        <th scope="col">{t('dist.list.status')}</th>
                        <th scope="col" class="num">{t('dist.list.amount')}</th>
                        <th scope="col" class="num">{t('dist.list.ratio')}</th>
                        <th scope="col" class="num">{t('dist.list.claims')}</th>
                        <th scope="col">{t('dist.list.drafted_at')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {runs.map((r) => (
                        <tr key={r.id}>
                          <td data-label={t('dist.list.run')}>
                            <Link href={`/office/cases/${encodeURIComponent(caseId)}/distributions/${r.id}`}>
                              {r.round ? t('dist.run_round', { id: r.id, round: r.round }) : t('dist.run_name', { id: r.id })}
                            </Link>
                          </td>
                          <td data-label={t('dist.list.status')}>
                            <span class={`badge badge-${r.status}`}>{t(`dist.status.${r.status}`)}</span>
                            {r.stale ? <span class="badge badge-disputed dist-stale-badge">{t('dist.stale.badge')}</span> : null}
                          </td>
                          <td class="num" data-label={t('dist.list.amount')}><Money value={r.amount} /></td>
                          <td class="num" data-label={t('dist.list.ratio')}>{ratioPercent(r.ratio)}</td>
                          <td class="num" data-label={t('dist.list.claims')}>{r.counts ? r.counts.claims : '—'}</td>
                          <td data-label={t('dist.list.drafted_at')}>{formatDateTime(r.drafted_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </div>
          );
        }}
      </Async>
    </section>
  );
}

export { RunStatus };
