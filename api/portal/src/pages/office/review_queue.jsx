// /office/cases/:case/claims: the review queue with filters, totals and paging. The search
// text (an ID number) stays in the page's memory, never in the address bar.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, Money, PageTitle, SelectField, TextField, useAsync } from '../../components/ui.jsx';
import { Pager } from '../../components/pager.jsx';
import { errorText, formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { CLAIM_STATUSES, ClaimBadge, claimStatusText } from './case_dashboard.jsx';
import { CaseNav, Loaded, apiCase, caseBase, loadCase } from './common.jsx';

export function ReviewQueue({ params, query }) {
  const caseId = params.case;
  const initialStatus = (query && query.get('status')) || '';
  const [draft, setDraft] = useState({ status: initialStatus, region: '', q: '' });
  const [filter, setFilter] = useState({ status: initialStatus, region: '', q: '', page: 1 });
  const caseState = useAsync(() => loadCase(caseId), [caseId]);
  const state = useAsync(
    () =>
      api.get(`${apiCase(caseId)}/claims`, {
        query: { status: filter.status, region: filter.region, q: filter.q.trim(), page: filter.page },
      }),
    [caseId, filter.status, filter.region, filter.q, filter.page],
  );
  const regions = caseState.data ? caseState.data.regions || [] : [];
  const apply = (e) => {
    e.preventDefault();
    setFilter({ ...draft, page: 1 });
  };
  const reset = () => {
    setDraft({ status: '', region: '', q: '' });
    setFilter({ status: '', region: '', q: '', page: 1 });
  };
  const fieldError = (name) =>
    state.error && state.error.field === name ? errorText(state.error) : undefined;
  return (
    <section>
      <CaseNav caseId={caseId} current="claims" />
      <PageTitle>{t('review.queue.title')}</PageTitle>
      <form class="card office-filters" onSubmit={apply} role="search" aria-label={t('review.queue.filters')}>
        <div class="office-filter-grid">
          <SelectField
            label={t('review.queue.status')}
            value={draft.status}
            onInput={(v) => setDraft({ ...draft, status: v })}
            options={[{ value: '', label: t('review.queue.all') }, ...CLAIM_STATUSES.map((s) => ({ value: s, label: claimStatusText(s) }))]}
          />
          <SelectField
            label={t('review.queue.region')}
            value={draft.region}
            onInput={(v) => setDraft({ ...draft, region: v })}
            options={[{ value: '', label: t('review.queue.all') }, ...regions.map((r) => ({ value: r, label: r }))]}
          />
          <TextField
            label={t('review.queue.search')}
            hint={t('review.queue.search_hint')}
            value={draft.q}
            maxLength={32}
            autocomplete="off"
            error={fieldError('q')}
            onInput={(v) => setDraft({ ...draft, q: v })}
          />
        </div>
        <div class="actions">
          <Button type="submit">{t('review.queue.apply')}</Button>
          <Button variant="secondary" onClick={reset}>
            {t('review.queue.reset')}
          </Button>
        </div>
      </form>
      <Loaded state={state}>
        {(data) => {
          const items = data.items || [];
          const totals = data.totals || { count: 0, declared_net: '0.00', allowed: '0.00' };
          const pageSize = data.page_size || 50;
          const pages = Math.max(1, Math.ceil(totals.count / pageSize));
          return (
            <div aria-busy={state.loading ? 'true' : undefined}>
              <p class="office-totals" data-testid="queue-totals" role="status">
                {t('review.queue.totals', { count: totals.count })}{' '}
                {t('review.queue.totals_declared')} <Money value={totals.declared_net} />
                {' · '}
                {t('review.queue.totals_allowed')} <Money value={totals.allowed} />
              </p>
              {items.length === 0 ? (
                <p>{t('review.queue.empty')}</p>
              ) : (
                <div class="table-wrap">
                  <table class="stack office-queue">
                    <caption class="sr-only">{t('review.queue.title')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('review.col.id')}</th>
                        <th scope="col">{t('office.col.status')}</th>
                        <th scope="col">{t('review.col.region')}</th>
                        <th scope="col" class="num">{t('office.col.declared_net')}</th>
                        <th scope="col" class="num">{t('review.col.book_net')}</th>
                        <th scope="col" class="num">{t('office.col.allowed')}</th>
                        <th scope="col">{t('review.col.updated')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {items.map((c) => (
                        <tr key={c.id} data-testid="queue-row" data-claim-id={c.id}>
                          <td data-label={t('review.col.id')}>
                            <Link href={`${caseBase(caseId)}/claims/${c.id}`} aria-label={t('review.queue.open', { id: c.id })}>
                              #{c.id}
                            </Link>
                            {c.late ? <span class="badge office-flag">{t('review.late')}</span> : null}
                            {c.filed_as && c.filed_as !== 'self' ? (
                              <span class="badge office-flag">{t(`review.filed_as.${c.filed_as}`)}</span>
                            ) : null}
                          </td>
                          <td data-label={t('office.col.status')}>
                            <ClaimBadge status={c.status} />
                          </td>
                          <td data-label={t('review.col.region')}>{c.region}</td>
                          <td class="num" data-label={t('office.col.declared_net')}>
                            <Money value={c.declared_net} />
                          </td>
                          <td class={`num${c.discrepancy ? ' office-diff' : ''}`} data-label={t('review.col.book_net')}>
                            {c.book_net === null || c.book_net === undefined ? (
                              t('review.no_books')
                            ) : (
                              <>
                                <Money value={c.book_net} />
                                {c.discrepancy ? <span class="office-diff-mark"> {t('review.differs')}</span> : null}
                              </>
                            )}
                          </td>
                          <td class="num" data-label={t('office.col.allowed')}>
                            {c.allowed_amount ? <Money value={c.allowed_amount} /> : '—'}
                          </td>
                          <td data-label={t('review.col.updated')}>{formatDateTime(c.updated_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <Pager
                page={data.page || filter.page}
                pages={pages}
                busy={state.loading}
                onPage={(page) => setFilter({ ...filter, page })}
              />
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
