// What an officer can do with one asset: value it, sell it (an early sale with its reason
// before valuation), take a frozen deposit into the pool, release it, reverse a sale.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Field, SelectField, TextArea, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { fenToDecimal, formatMoney, parseYuan } from '../../money.js';
import { ActionPanel, apiCase, chinaDate, choiceOptions } from './common.jsx';

export const EARLY_SALE_REASONS = ['perishable', 'depreciating', 'costly_to_keep'];

const amountError = (text) => (parseYuan(text) === null ? t('assets.bad_amount') : null);
const dateError = (d) =>
  !/^\d{4}-\d{2}-\d{2}$/.test(d) ? t('assets.bad_date') : d > chinaDate(0) ? t('assets.date_future') : null;

function clean(errs) {
  for (const k of Object.keys(errs)) if (!errs[k]) delete errs[k];
  return errs;
}

export function ValuePanel({ caseId, asset, onDone, onCancel }) {
  const [amount, setAmount] = useState('');
  const [appraiser, setAppraiser] = useState('');
  const [date, setDate] = useState(chinaDate(0));
  return (
    <ActionPanel
      title={t('assets.value.title')}
      testid="value-panel"
      submitLabel={t('assets.value.submit')}
      shownFields={['amount', 'appraiser', 'date']}
      validate={() =>
        clean({
          amount: amountError(amount),
          appraiser: appraiser.trim() ? null : t('assets.value.appraiser_needed'),
          date: dateError(date),
        })
      }
      summary={() => t('assets.value.summary', { amount: formatMoney(parseYuan(amount)), appraiser: appraiser.trim(), date })}
      submit={(key) =>
        api.post(
          `${apiCase(caseId)}/assets/${asset.id}/valuations`,
          { amount: fenToDecimal(parseYuan(amount)), appraiser: appraiser.trim(), date },
          { idempotencyKey: key },
        )
      }
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <div class="office-form-grid">
          <TextField label={t('assets.value.amount')} required inputMode="decimal" value={amount} onInput={setAmount} error={errors.amount} />
          <TextField label={t('assets.value.appraiser')} required maxLength={200} value={appraiser} onInput={setAppraiser} error={errors.appraiser} />
          <TextField type="date" label={t('assets.value.date')} required max={chinaDate(0)} value={date} onInput={setDate} error={errors.date} />
        </div>
      )}
    />
  );
}

export function LiquidatePanel({ caseId, asset, onDone, onCancel }) {
  const mustBeEarly = asset.status === 'seized';
  const [proceeds, setProceeds] = useState(asset.latest_valuation || '');
  const [costs, setCosts] = useState('0');
  const [date, setDate] = useState(chinaDate(0));
  const [early, setEarly] = useState(mustBeEarly);
  const [reason, setReason] = useState('');
  const isEarly = mustBeEarly || early;
  const p = parseYuan(proceeds);
  const c = parseYuan(costs);
  const net = p !== null && c !== null ? p - c : null;
  return (
    <ActionPanel
      title={t('assets.liquidate.title')}
      testid="liquidate-panel"
      submitLabel={t('assets.liquidate.submit')}
      shownFields={['proceeds', 'costs', 'date', 'early_sale', 'early_sale_reason']}
      validate={() =>
        clean({
          proceeds: amountError(proceeds),
          costs: amountError(costs) || (net !== null && net < 0n ? t('assets.liquidate.costs_too_high') : null),
          date: dateError(date),
          early_sale_reason: isEarly && !reason ? t('assets.liquidate.reason_needed') : null,
        })
      }
      summary={() =>
        t('assets.liquidate.summary', {
          proceeds: formatMoney(p),
          costs: formatMoney(c),
          net: formatMoney(net),
        }) + (isEarly ? ` ${t('assets.liquidate.summary_early', { reason: t(`assets.early.${reason}`) })}` : '')
      }
      submit={(key) => {
        const body = { proceeds: fenToDecimal(p), costs: fenToDecimal(c), date };
        if (isEarly) {
          body.early_sale = true;
          body.early_sale_reason = reason;
        }
        return api.post(`${apiCase(caseId)}/assets/${asset.id}/liquidations`, body, { idempotencyKey: key });
      }}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <div class="office-form-grid">
          <TextField label={t('assets.liquidate.proceeds')} required inputMode="decimal" value={proceeds} onInput={setProceeds} error={errors.proceeds} />
          <TextField
            label={t('assets.liquidate.costs')}
            hint={t('assets.liquidate.costs_hint')}
            required
            inputMode="decimal"
            value={costs}
            onInput={setCosts}
            error={errors.costs}
          />
          <TextField type="date" label={t('assets.liquidate.date')} required max={chinaDate(0)} value={date} onInput={setDate} error={errors.date} />
          <p class="office-net" aria-live="polite">
            {t('assets.liquidate.net')} <strong>{net === null ? '—' : formatMoney(net)}</strong>
          </p>
          <Field
            label={t('assets.liquidate.early')}
            hint={mustBeEarly ? t('assets.liquidate.early_forced') : t('assets.liquidate.early_hint')}
            error={errors.early_sale}
          >
            {({ id, describedBy }) => (
              <input
                id={id}
                type="checkbox"
                checked={isEarly}
                disabled={mustBeEarly}
                aria-describedby={describedBy}
                onChange={(e) => setEarly(e.currentTarget.checked)}
              />
            )}
          </Field>
          {isEarly ? (
            <SelectField
              label={t('assets.liquidate.early_reason')}
              required
              value={reason}
              onInput={setReason}
              error={errors.early_sale_reason}
              options={choiceOptions(EARLY_SALE_REASONS, 'assets.early')}
            />
          ) : null}
        </div>
      )}
    />
  );
}

export function TransferPanel({ caseId, asset, onDone, onCancel }) {
  const [amount, setAmount] = useState(asset.latest_valuation || '');
  const [date, setDate] = useState(chinaDate(0));
  return (
    <ActionPanel
      title={t('assets.transfer.title')}
      testid="transfer-panel"
      submitLabel={t('assets.transfer.submit')}
      shownFields={['amount', 'date']}
      validate={() => clean({ amount: amountError(amount), date: dateError(date) })}
      summary={() => t('assets.transfer.summary', { amount: formatMoney(parseYuan(amount)) })}
      submit={(key) =>
        api.post(
          `${apiCase(caseId)}/assets/${asset.id}/pool-transfer`,
          { amount: fenToDecimal(parseYuan(amount)), date },
          { idempotencyKey: key },
        )
      }
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <div class="office-form-grid">
          <TextField
            label={t('assets.transfer.amount')}
            hint={t('assets.transfer.amount_hint')}
            required
            inputMode="decimal"
            value={amount}
            onInput={setAmount}
            error={errors.amount}
          />
          <TextField type="date" label={t('assets.transfer.date')} required max={chinaDate(0)} value={date} onInput={setDate} error={errors.date} />
        </div>
      )}
    />
  );
}

// Release (asset) and reversal (one liquidation) both take only a sealed reason.
export function ReasonPanel({ title, testid, submitLabel, summary, path, caseId, onDone, onCancel, variant = 'danger' }) {
  const [reason, setReason] = useState('');
  return (
    <ActionPanel
      title={title}
      testid={testid}
      variant={variant}
      submitLabel={submitLabel}
      shownFields={['reason']}
      validate={() => clean({ reason: reason.trim() ? null : t('assets.reason_needed') })}
      summary={() => summary}
      submit={(key) => api.post(`${apiCase(caseId)}${path}`, { reason: reason.trim() }, { idempotencyKey: key })}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <TextArea
          label={t('assets.reason')}
          hint={t('assets.reason_hint')}
          required
          maxLength={2000}
          rows={3}
          value={reason}
          onInput={setReason}
          error={errors.reason}
        />
      )}
    />
  );
}
