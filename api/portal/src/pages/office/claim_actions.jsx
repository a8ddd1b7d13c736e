// The officer's decisions on a claim: confirm, request information, reject, countersign.
// Each opens a panel with a check step; only one panel is open at a time.
import { useState } from 'preact/hooks';
import { Button, Notice, SelectField, TextArea, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { fenToDecimal, formatMoney, parseYuan } from '../../money.js';
import { AllowedAmountField, allowedAmountError } from './allowed_amount.jsx';
import { ActionPanel, chinaDate, choiceOptions, claimAction } from './common.jsx';

export const REJECT_REASONS = ['duplicate', 'not_a_participant', 'excluded_person', 'no_evidence', 'late', 'net_winner', 'other'];

function ConfirmClaimPanel({ caseId, claim, books, threshold: thresholdText, onDone, onCancel }) {
  const hasBooks = !!(books && books.books);
  const [mode, setMode] = useState('amount');
  const [amount, setAmount] = useState(claim.declared_net);
  const [reason, setReason] = useState('');
  const declaredNet = parseYuan(claim.declared_net);
  const bookNet = hasBooks ? parseYuan(books.books.net) : null;
  const chosen = () => (mode === 'book' ? bookNet : parseYuan(amount));
  const threshold = thresholdText ? parseYuan(thresholdText) : null;
  const validate = () => {
    const errs = {};
    const amountError = mode === 'amount' ? allowedAmountError(amount, claim) : null;
    if (amountError) errs.allowed_amount = amountError;
    const v = chosen();
    if (v !== null && v !== declaredNet && !reason.trim()) errs.reason = t('review.confirm.reason_needed');
    return errs;
  };
  const summary = () => {
    const v = chosen();
    let s = t('review.confirm.summary', { id: claim.id, amount: formatMoney(v) });
    if (threshold !== null && v !== null && v > threshold) s += ` ${t('review.confirm.needs_countersign')}`;
    return s;
  };
  const submit = (key) => {
    const body = mode === 'book' ? { at_book_figure: true } : { allowed_amount: fenToDecimal(parseYuan(amount)) };
    if (reason.trim()) body.reason = reason.trim();
    return claimAction(caseId, claim.id, 'confirm', body)(key);
  };
  return (
    <ActionPanel
      title={t('review.action.confirm')}
      testid="confirm-panel"
      submitLabel={t('review.confirm.submit')}
      shownFields={['allowed_amount', 'reason']}
      validate={validate}
      summary={summary}
      submit={submit}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <>
          {hasBooks ? (
            <fieldset class="office-choice">
              <legend>{t('review.confirm.basis')}</legend>
              <label>
                <input type="radio" name="basis" checked={mode === 'amount'} onChange={() => setMode('amount')} />{' '}
                {t('review.confirm.basis_amount')}
              </label>
              <label>
                <input type="radio" name="basis" checked={mode === 'book'} onChange={() => setMode('book')} />{' '}
                {t('review.confirm.basis_book', { amount: formatMoney(books.books.net) })}
              </label>
            </fieldset>
          ) : null}
          {mode === 'amount' ? (
            <AllowedAmountField claim={claim} value={amount} onInput={setAmount} error={errors.allowed_amount} />
          ) : null}
          <TextArea
            label={t('review.confirm.reason')}
            hint={t('review.confirm.reason_hint')}
            value={reason}
            maxLength={500}
            onInput={setReason}
            error={errors.reason}
          />
        </>
      )}
    />
  );
}

function RequestInfoPanel({ caseId, claim, onDone, onCancel }) {
  const [message, setMessage] = useState('');
  const [cureBy, setCureBy] = useState(chinaDate(15));
  const validate = () => {
    const errs = {};
    if (!message.trim()) errs.message = t('review.info.message_needed');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(cureBy) || cureBy <= chinaDate(0)) errs.cure_by = t('review.info.cure_by_future');
    return errs;
  };
  return (
    <ActionPanel
      title={t('review.action.request_info')}
      testid="request-info-panel"
      submitLabel={t('review.info.submit')}
      shownFields={['message', 'cure_by']}
      validate={validate}
      summary={() => t('review.info.summary', { id: claim.id, date: cureBy })}
      submit={claimAction(caseId, claim.id, 'request-info', { message: message.trim(), cure_by: cureBy })}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <>
          <TextArea
            label={t('review.info.message')}
            hint={t('review.info.message_hint')}
            required
            maxLength={2000}
            rows={5}
            value={message}
            onInput={setMessage}
            error={errors.message}
          />
          <TextField
            type="date"
            label={t('review.info.cure_by')}
            hint={t('review.info.cure_by_hint')}
            required
            min={chinaDate(1)}
            value={cureBy}
            onInput={setCureBy}
            error={errors.cure_by}
          />
        </>
      )}
    />
  );
}

function RejectPanel({ caseId, claim, onDone, onCancel }) {
  const [code, setCode] = useState('');
  const [note, setNote] = useState('');
  const validate = () => {
    const errs = {};
    if (!code) errs.reason_code = t('review.reject.code_needed');
    if (!note.trim()) errs.note = t('review.reject.note_needed');
    return errs;
  };
  return (
    <ActionPanel
      title={t('review.action.reject')}
      testid="reject-panel"
      variant="danger"
      submitLabel={t('review.reject.submit')}
      shownFields={['reason_code', 'note']}
      validate={validate}
      summary={() => t('review.reject.summary', { id: claim.id, reason: t(`review.reason.${code}`) })}
      submit={claimAction(caseId, claim.id, 'reject', { reason_code: code, note: note.trim() })}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <>
          <SelectField
            label={t('review.reject.code')}
            required
            value={code}
            onInput={setCode}
            error={errors.reason_code}
            options={choiceOptions(REJECT_REASONS, 'review.reason')}
          />
          <TextArea
            label={t('review.reject.note')}
            hint={t('review.reject.note_hint')}
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

function CountersignPanel({ caseId, claim, onDone, onCancel }) {
  return (
    <ActionPanel
      title={t('review.action.countersign')}
      testid="countersign-panel"
      errorScope="review.countersign.code"
      submitLabel={t('review.countersign.submit')}
      summary={() => t('review.countersign.summary', { id: claim.id, amount: formatMoney(claim.allowed_amount) })}
      fields={() => <p>{t('review.countersign.explain', { amount: formatMoney(claim.allowed_amount) })}</p>}
      submit={claimAction(caseId, claim.id, 'countersign', undefined)}
      onDone={onDone}
      onCancel={onCancel}
    />
  );
}

const ACTIONS_BY_STATUS = {
  submitted: ['confirm', 'request_info', 'reject'],
  deficient: ['reject'],
  pending_countersign: ['countersign', 'reject'],
};

export function ClaimActions({ caseId, claim, books, threshold, onChanged, canAct }) {
  const [open, setOpen] = useState(null);
  const [done, setDone] = useState(null);
  const actions = ACTIONS_BY_STATUS[claim.status] || [];
  if (!canAct) return null;
  const finish = (what) => () => {
    setOpen(null);
    setDone(what);
    onChanged();
  };
  const panelProps = { caseId, claim, books, threshold, onCancel: () => setOpen(null) };
  return (
    <section class="card" aria-labelledby="actions-h">
      <h2 id="actions-h">{t('review.actions.title')}</h2>
      {done ? (
        <Notice kind="success">
          <p>{t(`review.done.${done}`)}</p>
        </Notice>
      ) : null}
      {claim.status === 'pending_countersign' ? (
        <Notice kind="info">
          <p>{t('review.countersign.waiting', { amount: formatMoney(claim.allowed_amount) })}</p>
        </Notice>
      ) : null}
      {actions.length === 0 ? (
        <p>{t('review.actions.none')}</p>
      ) : (
        <div class="actions">
          {actions.map((a) => (
            <Button
              key={a}
              variant={a === 'reject' ? 'danger' : open === a ? 'primary' : 'secondary'}
              aria-expanded={open === a ? 'true' : 'false'}
              onClick={() => {
                setDone(null);
                setOpen(open === a ? null : a);
              }}
            >
              {t(`review.action.${a}`)}
            </Button>
          ))}
        </div>
      )}
      {open === 'confirm' ? <ConfirmClaimPanel {...panelProps} onDone={finish('confirm')} /> : null}
      {open === 'request_info' ? <RequestInfoPanel {...panelProps} onDone={finish('request_info')} /> : null}
      {open === 'reject' ? <RejectPanel {...panelProps} onDone={finish('reject')} /> : null}
      {open === 'countersign' ? <CountersignPanel {...panelProps} onDone={finish('countersign')} /> : null}
    </section>
  );
}

