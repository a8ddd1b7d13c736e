// The claim's objections (异议) and, for the open one, its resolution: uphold the decision
// objected to, or adjust the allowed amount.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, ErrorMessage, Loading, Money, SelectField, TextArea, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t, tOr } from '../../i18n.js';
import { fenToDecimal, formatMoney, parseYuan } from '../../money.js';
import { AllowedAmountField, allowedAmountError } from './allowed_amount.jsx';
import { ActionPanel, apiCase, choiceOptions, claimAction } from './common.jsx';

function ResolvePanel({ caseId, claim, objection, onDone, onCancel }) {
  const [outcome, setOutcome] = useState('');
  const [amount, setAmount] = useState(objection.requested_amount || '');
  const [note, setNote] = useState('');
  const validate = () => {
    const errs = {};
    if (!outcome) errs.outcome = t('review.objection.outcome_needed');
    const amountError = outcome === 'adjusted' ? allowedAmountError(amount, claim) : null;
    if (amountError) errs.allowed_amount = amountError;
    if (!note.trim()) errs.note = t('review.objection.note_needed');
    return errs;
  };
  return (
    <ActionPanel
      title={t('review.objection.resolve')}
      testid="resolve-panel"
      submitLabel={t('review.objection.submit')}
      shownFields={['outcome', 'allowed_amount', 'note']}
      validate={validate}
      summary={() =>
        outcome === 'adjusted'
          ? t('review.objection.summary_adjusted', { amount: formatMoney(parseYuan(amount)) })
          : t('review.objection.summary_upheld', { decision: t(`review.objection.decision.${objection.disputed_decision}`) })
      }
      submit={(key) => {
        const body = { outcome, note: note.trim() };
        if (outcome === 'adjusted') body.allowed_amount = fenToDecimal(parseYuan(amount));
        return claimAction(caseId, claim.id, `objections/${objection.id}/resolve`, body)(key);
      }}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <>
          <SelectField
            label={t('review.objection.outcome')}
            required
            value={outcome}
            onInput={setOutcome}
            error={errors.outcome}
            options={choiceOptions(['upheld', 'adjusted'], 'review.objection.outcome')}
          />
          {outcome === 'adjusted' ? (
            <AllowedAmountField claim={claim} value={amount} onInput={setAmount} error={errors.allowed_amount} />
          ) : null}
          <TextArea
            label={t('review.objection.note')}
            required
            maxLength={2000}
            rows={4}
            value={note}
            onInput={setNote}
            error={errors.note}
          />
        </>
      )}
    />
  );
}

export function Objections({ caseId, claim, canAct, onChanged }) {
  const state = useAsync(() => api.get(`${apiCase(caseId)}/claims/${claim.id}/objections`), [caseId, claim.id, claim.status, claim.updated_at]);
  const [open, setOpen] = useState(null);
  if (state.error) return <ErrorMessage error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Loading />;
  const list = state.data.objections || [];
  if (list.length === 0 && claim.status !== 'disputed') return null;
  return (
    <section class="card" aria-labelledby="objections-h">
      <h2 id="objections-h">{t('review.objection.title')}</h2>
      {list.length === 0 ? <p>{t('review.objection.none')}</p> : null}
      <ul class="office-objections">
        {list.map((o) => (
          <li key={o.id} data-testid="objection">
            <dl class="facts">
              <dt>{t('review.objection.status')}</dt>
              <dd>{t(`review.objection.state.${o.status}`)}</dd>
              <dt>{t('review.objection.against')}</dt>
              <dd>{t(`review.objection.decision.${o.disputed_decision}`)}</dd>
              <dt>{t('objection.kind_label')}</dt>
              <dd data-testid="objection-reason-code" data-code={o.reason_code}>
                {tOr(`objection.kind.${o.reason_code}`, o.reason_code)}
              </dd>
              <dt>{t('review.objection.lodged')}</dt>
              <dd>{formatDateTime(o.lodged_at)}</dd>
              {o.requested_amount ? (
                <>
                  <dt>{t('review.objection.requested')}</dt>
                  <dd>
                    <Money value={o.requested_amount} />
                  </dd>
                </>
              ) : null}
              {o.reason ? (
                <>
                  <dt>{t('review.objection.reason')}</dt>
                  <dd class="office-text">{o.reason}</dd>
                </>
              ) : null}
              {o.outcome ? (
                <>
                  <dt>{t('review.objection.outcome')}</dt>
                  <dd>
                    {t(`review.objection.outcome.${o.outcome}`)} · {formatDateTime(o.resolved_at)}
                  </dd>
                </>
              ) : null}
              {o.resolution_note ? (
                <>
                  <dt>{t('review.objection.note')}</dt>
                  <dd class="office-text">{o.resolution_note}</dd>
                </>
              ) : null}
            </dl>
            {o.status === 'open' && canAct && claim.status === 'disputed' ? (
              open === o.id ? (
                <ResolvePanel
                  caseId={caseId}
                  claim={claim}
                  objection={o}
                  onCancel={() => setOpen(null)}
                  onDone={() => {
                    setOpen(null);
                    onChanged();
                  }}
                />
              ) : (
                <div class="actions">
                  <Button onClick={() => setOpen(o.id)}>{t('review.objection.resolve')}</Button>
                </div>
              )
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
