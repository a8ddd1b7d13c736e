// One claim for its claimant: status and timeline, what was declared, evidence, the
// deficiency notice to answer, the books' figures to accept or dispute, objections, the
// statement of refund rounds and "verify my record".
import { api } from '../../api.js';
import { Async, Money, Notice, PageTitle, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t, tOr } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { BookFigures, DeficiencyNotice, Objections, Statement, Timeline } from './claim_sections.jsx';
import { EvidenceList, EvidenceUploader } from './evidence.jsx';
import { regionLabel } from '../../regions.js';
import { ClaimStatus } from './status.jsx';
import { VerifyForm, VerifyReceipt } from './verify.jsx';

function Declared({ claim }) {
  const d = claim.declaration || {};
  return (
    <div>
      <dl class="facts">
        <dt>{t('claim.declared_principal')}</dt>
        <dd><Money value={claim.declared_principal} /></dd>
        <dt>{t('claim.declared_returns')}</dt>
        <dd><Money value={claim.declared_returns} /></dd>
        <dt>{t('claim.declared_net')}</dt>
        <dd><strong><Money value={claim.declared_net} /></strong></dd>
        {claim.allowed_amount ? (
          <>
            <dt>{t('claim.allowed_amount')}</dt>
            <dd><strong><Money value={claim.allowed_amount} /></strong></dd>
          </>
        ) : null}
        {claim.reject_reason ? (
          <>
            <dt>{t('claim.reject_reason_label')}</dt>
            <dd>{tOr(`claim.reject_reason.${claim.reject_reason}`, claim.reject_reason)}</dd>
          </>
        ) : null}
        <dt>{t('field.region')}</dt>
        <dd>{regionLabel(claim.region, claim.region_name)}</dd>
        <dt>{t('field.filed_as')}</dt>
        <dd>{t(`declare.filed_as.${claim.filed_as}`)}</dd>
        <dt>{t('claim.version')}</dt>
        <dd>{claim.version}</dd>
        {claim.late ? (
          <>
            <dt>{t('claim.late_label')}</dt>
            <dd>{t('claim.late')}</dd>
          </>
        ) : null}
      </dl>
      {d.identity ? (
        <details class="claimant-details">
          <summary>{t('claim.show_declaration')}</summary>
          <dl class="facts">
            <dt>{t('field.identity.name')}</dt>
            <dd>{d.identity.name}</dd>
            <dt>{t('field.identity.bank_name')}</dt>
            <dd>{d.identity.bank_name}</dd>
            <dt>{t('field.identity.bank_account')}</dt>
            <dd class="mono">{d.identity.bank_account}</dd>
            <dt>{t('declare.step.accounts')}</dt>
            <dd>{(d.accounts || []).map((a) => `${a.platform_account}（${a.channel}）`).join('、')}</dd>
          </dl>
          {['contributions', 'returns'].map((list) =>
            (d[list] || []).length ? (
              <table class="stack" key={list}>
                <caption>{t(`declare.step.${list}`)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t(`field.${list}.date`)}</th>
                    <th scope="col" class="num">{t(`field.${list}.amount`)}</th>
                  </tr>
                </thead>
                <tbody>
                  {d[list].map((r, i) => (
                    <tr key={i}>
                      <td data-label={t(`field.${list}.date`)}>{r.date}</td>
                      <td data-label={t(`field.${list}.amount`)} class="num"><Money value={r.amount} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null,
          )}
        </details>
      ) : null}
    </div>
  );
}

function VerifySection({ claim, statement }) {
  // Every step of the claim carries its ledger receipt, then every refund round's.
  const items = (claim.timeline || [])
    .filter((e) => e.receipt)
    .map((e) => ({
      label: t('verify.kind.step', { step: tOr(`claim.event.${e.action}`, e.action), at: formatDateTime(e.at) }),
      receipt: e.receipt,
    }));
  if (statement.data) {
    for (const r of statement.data.rounds) {
      if (r.allocation_receipt) items.push({ label: t('verify.kind.allocation', { n: r.round }), receipt: r.allocation_receipt });
      if (r.receipt) items.push({ label: t('verify.kind.round', { n: r.round }), receipt: r.receipt });
    }
  }
  return (
    <div>
      <p>{t('verify.claim_intro')}</p>
      {items.length === 0 ? <p class="hint">{t('verify.no_receipts')}</p> : null}
      <ul class="claimant-receipts">
        {items.map((it, i) => (
          <li key={i} class="card">
            <p>
              <strong>{it.label}</strong>
            </p>
            <p class="hint mono claimant-hash">
              {t('verify.index')}: {it.receipt.ledger_index ?? t('verify.pending_index')} · {t('verify.hash')}: {it.receipt.leaf_hash}
            </p>
            <VerifyReceipt receipt={it.receipt} label={t('verify.button_mine')} />
          </li>
        ))}
      </ul>
      <details class="claimant-details">
        <summary>{t('verify.paste_title')}</summary>
        <VerifyForm />
      </details>
    </div>
  );
}

export function ClaimPage({ params, query }) {
  const base = `/api/v1/cases/${encodeURIComponent(params.case)}/claims/${encodeURIComponent(params.id)}`;
  const claim = useAsync(() => api.get(base), [base]);
  const evidence = useAsync(() => api.get(`${base}/evidence`), [base]);
  const statement = useAsync(() => api.get(`${base}/statement`), [base, claim.data && claim.data.status]);
  const reload = () => {
    claim.reload();
    evidence.reload();
  };
  return (
    <Async state={claim}>
      {(c) => {
        const open = c.status === 'submitted' || c.status === 'deficient';
        return (
          <section class="claimant-claim">
            <p>
              <Link href="/my">{t('claim.back')}</Link>
            </p>
            <PageTitle>{t('claim.title', { id: c.id })}</PageTitle>
            {query && query.get('amended') ? <Notice kind="success">{t('claim.amended_notice')}</Notice> : null}
            <div class="card claimant-head">
              <dl class="facts">
                <dt>{t('claim.number')}</dt>
                <dd>
                  <span data-testid="claim-id">{c.id}</span>
                </dd>
                <dt>{t('claim.current_status')}</dt>
                <dd>
                  <ClaimStatus status={c.status} testid="claim-status" />
                </dd>
                <dt>{t('claim.filed_at')}</dt>
                <dd>{formatDateTime(c.created_at)}</dd>
              </dl>
              <p class="claimant-status-hint">{tOr(`claim.status_hint.${c.status}`, '')}</p>
            </div>
            {c.status === 'deficient' ? <DeficiencyNotice claim={c} /> : null}
            <div class="card">
              <h2>{t('claim.timeline')}</h2>
              <Timeline events={c.timeline} />
            </div>
            <div class="card">
              <h2>{t('claim.figures')}</h2>
              <Declared claim={c} />
              {open ? (
                <p>
                  <Link href={`/my/claims/${c.case_id}/${c.id}/amend`}>{t('claim.amend_link')}</Link>
                </p>
              ) : null}
            </div>
            <div class="card" id="evidence">
              <h2>{t('evidence.title')}</h2>
              <Async state={evidence}>{(e) => <EvidenceList items={e.evidence} caseId={c.case_id} claimId={c.id} />}</Async>
              {open ? (
                <div>
                  <h3>{t('evidence.add_more')}</h3>
                  <EvidenceUploader caseId={c.case_id} claimId={c.id} allowAuthority={c.filed_as !== 'self'} onUploaded={() => evidence.reload()} />
                </div>
              ) : (
                <p class="hint">{t('evidence.closed')}</p>
              )}
            </div>
            <div class="card">
              <h2>{t('claim.books.title')}</h2>
              <BookFigures claim={c} onChanged={reload} />
            </div>
            <div class="card">
              <h2>{t('objection.title')}</h2>
              <Objections claim={c} onChanged={reload} />
            </div>
            <div class="card">
              <h2>{t('statement.title')}</h2>
              <Statement state={statement} />
            </div>
            <div class="card">
              <h2>{t('verify.claim_title')}</h2>
              <VerifySection claim={c} statement={statement} />
            </div>
          </section>
        );
      }}
    </Async>
  );
}
