// /office/cases/:case/claims/:id: one claim for review — its declaration, the books'
// figures beside it, the evidence, the timeline, the decisions and the objections.
import { api } from '../../api.js';
import { Money, PageTitle, useAsync } from '../../components/ui.jsx';
import { formatDate, formatDateTime, t, tOr } from '../../i18n.js';
import { eventReasonKey } from '../../objection_reasons.js';
import { Link } from '../../router.jsx';
import { ClaimBadge, claimStatusText } from './case_dashboard.jsx';
import { ClaimActions } from './claim_actions.jsx';
import { CaseNav, Loaded, apiCase, caseBase } from './common.jsx';
import { EvidenceViewer } from './evidence_viewer.jsx';
import { FiguresCompare } from './figures_compare.jsx';
import { Objections } from './objections.jsx';

function Declaration({ claim }) {
  const d = claim.declaration || {};
  const id = d.identity;
  return (
    <section class="card" aria-labelledby="decl-h">
      <h2 id="decl-h">{t('review.decl.title')}</h2>
      <dl class="facts">
        {id ? (
          <>
            <dt>{t('review.decl.name')}</dt>
            <dd>{id.name}</dd>
            <dt>{t('review.decl.id_number')}</dt>
            <dd class="mono">{id.id_number}</dd>
            <dt>{t('review.decl.phone')}</dt>
            <dd class="mono">{id.phone}</dd>
            <dt>{t('review.decl.bank')}</dt>
            <dd>
              {id.bank_name} <span class="mono">{id.bank_account}</span>
              {id.bank_account_holder ? ` (${id.bank_account_holder})` : ''}
            </dd>
          </>
        ) : (
          <>
            <dt>{t('review.decl.identity')}</dt>
            <dd>{t('review.decl.identity_hidden')}</dd>
          </>
        )}
        <dt>{t('review.col.region')}</dt>
        <dd>{claim.region}</dd>
        <dt>{t('review.decl.filed_as')}</dt>
        <dd>{t(`review.filed_as.${claim.filed_as || 'self'}`)}</dd>
        {d.filer && d.filer.name ? (
          <>
            <dt>{t('review.decl.filer')}</dt>
            <dd>
              {d.filer.name} {d.filer.relationship ? `(${d.filer.relationship})` : ''}
            </dd>
          </>
        ) : null}
        <dt>{t('review.decl.version')}</dt>
        <dd>{claim.version}</dd>
        <dt>{t('review.decl.created')}</dt>
        <dd>{formatDateTime(claim.created_at)}</dd>
        {claim.late ? (
          <>
            <dt>{t('review.late')}</dt>
            <dd>{t('review.decl.late_yes')}</dd>
          </>
        ) : null}
        {claim.cure_by ? (
          <>
            <dt>{t('review.decl.cure_by')}</dt>
            <dd>{formatDate(claim.cure_by)}</dd>
          </>
        ) : null}
        {claim.allowed_amount ? (
          <>
            <dt>{t('office.col.allowed')}</dt>
            <dd>
              <Money value={claim.allowed_amount} />
            </dd>
          </>
        ) : null}
        {claim.reject_reason ? (
          <>
            <dt>{t('review.decl.reject_reason')}</dt>
            <dd>{tOr(`review.reason.${claim.reject_reason}`, claim.reject_reason)}</dd>
          </>
        ) : null}
      </dl>
      {d.accounts && d.accounts.length ? (
        <>
          <h3>{t('review.decl.accounts')}</h3>
          <ul>
            {d.accounts.map((a, i) => (
              <li key={i}>
                <span class="mono">{a.platform_account}</span> · {a.channel}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <div class="grid">
        <div>
          <h3>{t('review.decl.contributions')}</h3>
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('review.decl.date')}</th>
                  <th scope="col" class="num">{t('review.decl.amount')}</th>
                </tr>
              </thead>
              <tbody>
                {(d.contributions || []).map((c, i) => (
                  <tr key={i}>
                    <td data-label={t('review.decl.date')}>{c.date}</td>
                    <td class="num" data-label={t('review.decl.amount')}>
                      <Money value={c.amount} />
                      {c.ref ? <span class="hint mono"> {c.ref}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div>
          <h3>{t('review.decl.returns')}</h3>
          {(d.returns || []).length === 0 ? (
            <p>{t('review.decl.no_returns')}</p>
          ) : (
            <div class="table-wrap">
              <table class="stack">
                <thead>
                  <tr>
                    <th scope="col">{t('review.decl.date')}</th>
                    <th scope="col">{t('review.decl.kind')}</th>
                    <th scope="col" class="num">{t('review.decl.amount')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.returns.map((r, i) => (
                    <tr key={i}>
                      <td data-label={t('review.decl.date')}>{r.date}</td>
                      <td data-label={t('review.decl.kind')}>{tOr(`review.return_kind.${r.kind}`, r.kind)}</td>
                      <td class="num" data-label={t('review.decl.amount')}>
                        <Money value={r.amount} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}

function Timeline({ events }) {
  if (!events || events.length === 0) return null;
  return (
    <section class="card" aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('review.timeline.title')}</h2>
      <ol class="timeline" data-testid="review-timeline">
        {events.map((e, i) => (
          <li key={i}>
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
            <strong>{tOr(`review.event.${e.action}`, e.action)}</strong>{' '}
            <span class="hint">({tOr(`review.role.${e.actor_role}`, e.actor_role)})</span>
            {e.to_status && (e.from_status ? e.from_status !== e.to_status : e.action === 'declared') ? (
              <span> → {claimStatusText(e.to_status)}</span>
            ) : null}
            {e.amount ? (
              <span>
                {' '}
                · <Money value={e.amount} />
              </span>
            ) : null}
            {e.reason_code ? <span> · {tOr(eventReasonKey(e.action, e.reason_code, 'review.reason'), e.reason_code)}</span> : null}
            {e.note ? <p class="office-text">{e.note}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function ClaimReview({ params, session }) {
  const caseId = params.case;
  const claimId = params.id;
  const state = useAsync(
    () =>
      Promise.all([
        api.get(`${apiCase(caseId)}/claims/${encodeURIComponent(claimId)}`),
        api.get(`${apiCase(caseId)}/claims/${encodeURIComponent(claimId)}/books`),
        api.get(apiCase(caseId)).catch(() => null),
      ]),
    [caseId, claimId],
  );
  const canAct = session && session.user.role === 'officer';
  return (
    <section>
      <CaseNav caseId={caseId} current="claims" />
      <p>
        <Link href={`${caseBase(caseId)}/claims`}>← {t('review.back_to_queue')}</Link>
      </p>
      <Loaded state={state}>
        {([claim, books, c]) => (
          <div aria-busy={state.loading ? 'true' : undefined}>
            <PageTitle>{t('review.claim.title', { id: claim.id })}</PageTitle>
            <p class="office-status-line">
              {t('review.claim.status')}{' '}
              <span data-testid="review-status" data-status={claim.status}>
                <ClaimBadge status={claim.status} />
              </span>
              {' · '}
              {t('office.col.declared_net')} <Money value={claim.declared_net} />
            </p>
            <ClaimActions
              caseId={caseId}
              claim={claim}
              books={books}
              threshold={c ? c.countersign_threshold : null}
              canAct={canAct}
              onChanged={state.reload}
            />
            <Objections caseId={caseId} claim={claim} canAct={canAct} onChanged={state.reload} />
            <FiguresCompare books={books} />
            <Declaration claim={claim} />
            <EvidenceViewer caseId={caseId} claimId={claim.id} />
            <Timeline events={claim.timeline} />
          </div>
        )}
      </Loaded>
    </section>
  );
}
