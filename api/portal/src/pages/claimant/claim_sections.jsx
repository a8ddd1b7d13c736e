// The parts of the claim page: timeline, deficiency notice, book figures, objections,
// statement of refund rounds.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Async, Button, Money, Notice, SelectField, TextArea, TextField, useAsync } from '../../components/ui.jsx';
import { formatDate, formatDateTime, t, tOr } from '../../i18n.js';
import { fenToDecimal, formatMoney, parseYuan } from '../../money.js';
import { eventReasonKey, objectionReasonsFor } from '../../objection_reasons.js';
import { Link } from '../../router.jsx';
import { claimantErrorText } from './errors.js';
import { ClaimStatus } from './status.jsx';

// "0.350000" -> "35.00%" without floating point.
export function ratioPercent(text) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(text || ''));
  if (!m) return text || '—';
  const micro = BigInt(m[1]) * 1000000n + BigInt(((m[2] || '') + '000000').slice(0, 6));
  const hundredths = (micro + 50n) / 100n; // percent with two decimals
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}%`;
}

// Events that never change the status (the service still names the status they left).
const QUIET = new Set(['evidence_added', 'book_figures_accepted', 'book_figures_disputed']);

export function Timeline({ events }) {
  if (!events || events.length === 0) return <p>{t('claim.timeline_empty')}</p>;
  return (
    <ol class="timeline claimant-timeline">
      {events.map((e, i) => (
        <li key={i} data-action={e.action}>
          <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          <strong>{tOr(`claim.event.${e.action}`, e.action)}</strong>
          {e.to_status && e.to_status !== e.from_status && !QUIET.has(e.action) ? (
            <span>
              {' '}
              → <ClaimStatus status={e.to_status} />
            </span>
          ) : null}
          {e.amount ? (
            <span>
              {' '}
              · <Money value={e.amount} />
            </span>
          ) : null}
          {e.reason_code ? <span> · {tOr(eventReasonKey(e.action, e.reason_code, 'claim.reject_reason'), e.reason_code)}</span> : null}
          {e.note ? <p class="claimant-note">{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}

export function DeficiencyNotice({ claim }) {
  const requests = (claim.timeline || []).filter((e) => e.action === 'info_requested');
  const last = requests[requests.length - 1];
  return (
    <div class="alert alert-warning claimant-deficiency" role="region" aria-label={t('claim.deficiency.title')}>
      <h2>{t('claim.deficiency.title')}</h2>
      <p>{t('claim.deficiency.intro')}</p>
      {last && last.note ? <blockquote class="claimant-note">{last.note}</blockquote> : null}
      {claim.cure_by ? <p>{t('claim.deficiency.cure_by', { date: formatDateTime(claim.cure_by) })}</p> : null}
      <div class="actions">
        <Link href={`/my/claims/${claim.case_id}/${claim.id}/amend`} class="btn btn-primary claimant-link-btn">
          {t('claim.deficiency.amend')}
        </Link>
        <a href="#evidence" class="btn btn-secondary claimant-link-btn">
          {t('claim.deficiency.upload')}
        </a>
      </div>
    </div>
  );
}

export function BookFigures({ claim, onChanged }) {
  const state = useAsync(() => api.get(`/api/v1/cases/${claim.case_id}/claims/${claim.id}/books`), [claim.id, claim.version]);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const key = useRef({});
  const answered = (claim.timeline || []).filter((e) => e.action === 'book_figures_accepted' || e.action === 'book_figures_disputed').pop();
  const respond = async (response) => {
    setBusy(response);
    setError(null);
    if (!key.current[response]) key.current[response] = newIdempotencyKey();
    try {
      const body = { response };
      if (note.trim()) body.note = note.trim();
      await api.post(`/api/v1/cases/${claim.case_id}/claims/${claim.id}/book-figures`, body, { idempotencyKey: key.current[response] });
      setDone(response);
      key.current = {};
      if (onChanged) onChanged();
    } catch (err) {
      setError(err);
      if (err.status >= 400 && err.status < 500 && err.status !== 429) key.current[response] = null;
    }
    setBusy(null);
  };
  const open = claim.status === 'submitted' || claim.status === 'deficient';
  return (
    <Async state={state}>
      {(b) =>
        !b.books ? (
          <p>{t('claim.books.none')}</p>
        ) : (
          <div>
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col"></th>
                    <th scope="col" class="num">{t('claim.books.declared')}</th>
                    <th scope="col" class="num">{t('claim.books.books')}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{t('claim.books.in')}</th>
                    <td class="num"><Money value={b.declared.principal} /></td>
                    <td class="num"><Money value={b.books.deposits} /></td>
                  </tr>
                  <tr>
                    <th scope="row">{t('claim.books.out')}</th>
                    <td class="num"><Money value={b.declared.returns} /></td>
                    <td class="num"><Money value={b.books.withdrawals} /></td>
                  </tr>
                  <tr>
                    <th scope="row">{t('claim.books.net')}</th>
                    <td class="num"><strong><Money value={b.declared.net} /></strong></td>
                    <td class="num"><strong><Money value={b.books.net} /></strong></td>
                  </tr>
                </tbody>
              </table>
            </div>
            {b.books.accounts && b.books.accounts.length ? (
              <p class="hint">{t('claim.books.accounts', { list: b.books.accounts.map((a) => a.platform_account).join('、') })}</p>
            ) : null}
            {b.discrepancy ? <Notice kind="warning">{t('claim.books.discrepancy')}</Notice> : null}
            {answered && !done ? <p>{t(`claim.books.answered_${answered.action === 'book_figures_accepted' ? 'accept' : 'dispute'}`, { date: formatDateTime(answered.at) })}</p> : null}
            {done ? <Notice kind="success">{t(`claim.books.done_${done}`)}</Notice> : null}
            {open ? (
              <div>
                <TextArea label={t('claim.books.note')} hint={t('claim.books.note_hint')} value={note} onInput={setNote} maxlength={2000} />
                {error ? <div class="alert alert-error" role="alert"><p>{claimantErrorText(error)}</p></div> : null}
                <div class="actions">
                  <Button busy={busy === 'accept'} disabled={!!busy} onClick={() => respond('accept')}>
                    {t('claim.books.accept')}
                  </Button>
                  <Button variant="secondary" busy={busy === 'dispute'} disabled={!!busy} onClick={() => respond('dispute')}>
                    {t('claim.books.dispute')}
                  </Button>
                </div>
              </div>
            ) : null}
          </div>
        )
      }
    </Async>
  );
}


export function Objections({ claim, onChanged }) {
  const state = useAsync(() => api.get(`/api/v1/cases/${claim.case_id}/claims/${claim.id}/objections`), [claim.id, claim.status]);
  const [kind, setKind] = useState(claim.status === 'rejected' ? 'wrongly_rejected' : 'amount_wrong');
  const [reason, setReason] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState({});
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const key = useRef(newIdempotencyKey());
  const canObject = claim.status === 'confirmed' || claim.status === 'rejected';
  const submit = async (e) => {
    e.preventDefault();
    const fe = {};
    if (!reason.trim()) fe.reason = t('error.msg.empty');
    let fen = null;
    if (amount.trim()) {
      fen = parseYuan(amount);
      if (fen === null) fe.requested_amount = t('error.msg.amount');
    }
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    const body = { reason_code: kind, reason: reason.trim() };
    if (fen !== null) body.requested_amount = fenToDecimal(fen);
    try {
      await api.post(`/api/v1/cases/${claim.case_id}/claims/${claim.id}/objections`, body, { idempotencyKey: key.current });
      setReason('');
      setAmount('');
      key.current = newIdempotencyKey();
      if (onChanged) onChanged();
    } catch (err) {
      if (err.status >= 400 && err.status < 500 && err.status !== 429) key.current = newIdempotencyKey();
      if (['reason_code', 'reason', 'requested_amount'].includes(err.field)) setErrors({ [err.field]: claimantErrorText(err) });
      else setError(err);
    }
    setBusy(false);
  };
  return (
    <div>
      <Async state={state}>
        {(data) =>
          data.objections.length === 0 ? (
            <p>{t('objection.none')}</p>
          ) : (
            <ul class="claimant-cards">
              {data.objections.map((o) => (
                <li key={o.id} class="card">
                  <p>
                    <strong>{t('objection.item', { id: o.id })}</strong> <span class={`badge badge-${o.status}`}>{t(`objection.status.${o.status}`)}</span>
                  </p>
                  <dl class="facts">
                    <dt>{t('objection.lodged_at')}</dt>
                    <dd>{formatDateTime(o.lodged_at)}</dd>
                    <dt>{t('objection.against')}</dt>
                    <dd>{tOr(`claim.status.${o.disputed_decision}`, o.disputed_decision)}</dd>
                    <dt>{t('objection.kind_label')}</dt>
                    <dd>{tOr(`objection.kind.${o.reason_code}`, o.reason_code)}</dd>
                    {o.requested_amount ? (
                      <>
                        <dt>{t('objection.requested')}</dt>
                        <dd><Money value={o.requested_amount} /></dd>
                      </>
                    ) : null}
                    {o.reason ? (
                      <>
                        <dt>{t('objection.reason')}</dt>
                        <dd class="claimant-note">{o.reason}</dd>
                      </>
                    ) : null}
                    {o.outcome ? (
                      <>
                        <dt>{t('objection.outcome')}</dt>
                        <dd>{t(`objection.outcome.${o.outcome}`)}{o.resolved_at ? `（${formatDateTime(o.resolved_at)}）` : ''}</dd>
                      </>
                    ) : null}
                    {o.resolution_note ? (
                      <>
                        <dt>{t('objection.resolution_note')}</dt>
                        <dd class="claimant-note">{o.resolution_note}</dd>
                      </>
                    ) : null}
                  </dl>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {canObject ? (
        <form onSubmit={submit} noValidate class="card">
          <h3>{t('objection.form_title')}</h3>
          <p class="hint">{t('objection.form_intro')}</p>
          {error ? <div class="alert alert-error" role="alert"><p>{claimantErrorText(error)}</p></div> : null}
          <SelectField label={t('objection.kind_label')} value={kind} onInput={setKind} error={errors.reason_code} options={objectionReasonsFor(claim.status).map((k) => ({ value: k, label: t(`objection.kind.${k}`) }))} />
          <TextArea label={t('objection.reason')} hint={t('objection.reason_hint')} value={reason} onInput={setReason} error={errors.reason} maxlength={1900} required />
          <TextField label={t('objection.requested')} hint={t('objection.requested_hint', { max: formatMoney(claim.declared_principal) })} inputmode="decimal" value={amount} onInput={setAmount} error={errors.requested_amount} />
          <div class="actions">
            <Button type="submit" busy={busy}>
              {t('objection.submit')}
            </Button>
          </div>
        </form>
      ) : (
        <p class="hint">{t('objection.not_now')}</p>
      )}
    </div>
  );
}

export function Statement({ state }) {
  return (
    <Async state={state}>
      {(s) => (
        <div>
          <dl class="facts">
            <dt>{t('statement.recognised')}</dt>
            <dd><Money value={s.recognised} /></dd>
            <dt>{t('statement.cumulative_paid')}</dt>
            <dd><Money value={s.cumulative_paid} /></dd>
            <dt>{t('statement.pending')}</dt>
            <dd><Money value={s.pending} /></dd>
            <dt>{t('statement.reserved')}</dt>
            <dd><Money value={s.reserved} /></dd>
            <dt>{t('statement.ratio')}</dt>
            <dd>{ratioPercent(s.cumulative_ratio)}</dd>
            <dt>{t('statement.remaining')}</dt>
            <dd><Money value={s.remaining} /></dd>
          </dl>
          {s.rounds.length === 0 ? (
            <p>{t('statement.no_rounds')}</p>
          ) : (
            <table class="stack claimant-rounds">
              <caption>{t('statement.rounds')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('statement.round')}</th>
                  <th scope="col">{t('statement.date')}</th>
                  <th scope="col" class="num">{t('statement.amount')}</th>
                  <th scope="col">{t('statement.status')}</th>
                  <th scope="col">{t('statement.round_ratio')}</th>
                  <th scope="col">{t('statement.reference')}</th>
                </tr>
              </thead>
              <tbody>
                {s.rounds.map((r) => (
                  <tr key={r.run} data-testid="statement-round" data-status={r.status}>
                    <td data-label={t('statement.round')}>{t('statement.round_n', { n: r.round })}</td>
                    <td data-label={t('statement.date')}>{r.result_at ? formatDate(r.result_at) : formatDate(r.date)}</td>
                    <td data-label={t('statement.amount')} class="num"><Money value={r.amount} /></td>
                    <td data-label={t('statement.status')}>
                      <span class={`badge badge-${r.status}`}>{tOr(`statement.status.${r.status}`, r.status)}</span>
                    </td>
                    <td data-label={t('statement.round_ratio')}>{ratioPercent(r.round_ratio)}</td>
                    <td data-label={t('statement.reference')} class="mono">{r.reference || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {s.releases && s.releases.length ? (
            <div>
              <h3>{t('statement.releases')}</h3>
              <ul>
                {s.releases.map((r, i) => (
                  <li key={i}>
                    {formatDate(r.date)} · {t('statement.release_line', { payable: r.payable, back: r.returned_to_pool })}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      )}
    </Async>
  );
}
