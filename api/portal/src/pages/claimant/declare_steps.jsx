// The steps of the declaration wizard. Each gets the declaration, a setter by field path
// and the errors by field path ("contributions[2].amount").
import { Button, SelectField, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { formatMoney, parseYuan } from '../../money.js';
import { emptyAccount, emptyContribution, emptyReturn, netFen, RETURN_KINDS, sumRows } from './declaration.js';
import { regionLabel } from '../../regions.js';

const todayText = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);

function ListError({ errors, path }) {
  return errors[path] ? (
    <p class="field-error" role="alert">
      {errors[path]}
    </p>
  ) : null;
}

export function IdentityStep({ d, set, errors, regions, regionNames }) {
  const f = (path) => ({ value: path.split('.').reduce((o, k) => o[k], d), onInput: (v) => set(path, v), error: errors[path] });
  return (
    <div>
      <p>{t('declare.identity.intro')}</p>
      <TextField label={t('field.identity.name')} hint={t('declare.identity.name_hint')} autocomplete="name" required {...f('identity.name')} />
      <TextField label={t('field.identity.id_number')} hint={t('declare.identity.id_hint')} autocomplete="off" autocapitalize="characters" spellcheck={false} maxlength={18} required {...f('identity.id_number')} />
      <TextField label={t('field.identity.phone')} type="tel" inputmode="numeric" autocomplete="tel-national" maxlength={13} required {...f('identity.phone')} />
      <SelectField
        label={t('field.region')}
        hint={t('declare.identity.region_hint')}
        required
        options={[{ value: '', label: t('declare.choose') }, ...regions.map((r) => ({ value: r, label: regionLabel(r, regionNames[r]) }))]}
        {...f('region')}
      />
      <SelectField
        label={t('field.filed_as')}
        options={['self', 'agent', 'heir'].map((v) => ({ value: v, label: t(`declare.filed_as.${v}`) }))}
        {...f('filed_as')}
      />
      {d.filed_as !== 'self' ? (
        <fieldset class="claimant-fieldset">
          <legend>{t('declare.filer.legend')}</legend>
          <p class="hint">{t(`declare.filer.hint_${d.filed_as}`)}</p>
          <TextField label={t('field.filer.name')} required {...f('filer.name')} />
          <TextField label={t('field.filer.id_number')} autocomplete="off" spellcheck={false} maxlength={18} required {...f('filer.id_number')} />
          <TextField label={t('field.filer.phone')} type="tel" inputmode="numeric" maxlength={13} required {...f('filer.phone')} />
          <TextField label={t('field.filer.relationship')} hint={t('declare.filer.relationship_hint')} required {...f('filer.relationship')} />
        </fieldset>
      ) : null}
    </div>
  );
}

export function BankStep({ d, set, errors }) {
  const f = (path) => ({ value: path.split('.').reduce((o, k) => o[k], d), onInput: (v) => set(path, v), error: errors[path] });
  const holder = d.filed_as === 'heir' ? d.filer.name : d.identity.name;
  return (
    <div>
      <p>{t('declare.bank.intro')}</p>
      <TextField label={t('field.identity.bank_name')} hint={t('declare.bank.name_hint')} required {...f('identity.bank_name')} />
      <TextField label={t('field.identity.bank_account')} hint={t('declare.bank.account_hint')} inputmode="numeric" autocomplete="off" maxlength={40} required {...f('identity.bank_account')} />
      <TextField
        label={t('field.identity.bank_account_holder')}
        hint={t('declare.bank.holder_hint', { name: holder || '—' })}
        placeholder={holder}
        {...f('identity.bank_account_holder')}
      />
    </div>
  );
}

export function AccountsStep({ d, set, errors }) {
  const rows = d.accounts;
  return (
    <div>
      <p>{t('declare.accounts.intro')}</p>
      <ListError errors={errors} path="accounts" />
      {rows.map((a, i) => (
        <fieldset key={i} class="claimant-row">
          <legend>{t('declare.accounts.row', { n: i + 1 })}</legend>
          <TextField
            label={t('field.accounts.platform_account')}
            hint={t('declare.accounts.account_hint')}
            autocomplete="off"
            required
            value={a.platform_account}
            onInput={(v) => set(`accounts[${i}].platform_account`, v)}
            error={errors[`accounts[${i}].platform_account`]}
          />
          <TextField
            label={t('field.accounts.channel')}
            hint={t('declare.accounts.channel_hint')}
            required
            value={a.channel}
            onInput={(v) => set(`accounts[${i}].channel`, v)}
            error={errors[`accounts[${i}].channel`]}
          />
          {rows.length > 1 ? (
            <Button variant="secondary" onClick={() => set('accounts', rows.filter((_, j) => j !== i))}>
              {t('declare.accounts.remove', { n: i + 1 })}
            </Button>
          ) : null}
        </fieldset>
      ))}
      <Button variant="secondary" onClick={() => set('accounts', [...rows, emptyAccount()])}>
        {t('declare.accounts.add')}
      </Button>
    </div>
  );
}

// Contributions and returns: the same rows of date and amount (returns also a kind).
export function MoneyRowsStep({ d, set, errors, list }) {
  const rows = d[list];
  const isReturns = list === 'returns';
  const empty = isReturns ? emptyReturn : emptyContribution;
  const total = sumRows(rows);
  return (
    <div>
      <p>{t(`declare.${list}.intro`)}</p>
      <ListError errors={errors} path={list} />
      {rows.length === 0 ? <p class="hint">{t(`declare.${list}.none`)}</p> : null}
      {rows.map((r, i) => (
        <fieldset key={i} class="claimant-row" data-row={`${list}[${i}]`}>
          <legend>{t(`declare.${list}.row`, { n: i + 1 })}</legend>
          <div class="claimant-row-fields">
            <TextField
              label={t(`field.${list}.date`)}
              hint={t('declare.date_hint')}
              type="date"
              max={todayText()}
              min="1990-01-01"
              required
              value={r.date}
              onInput={(v) => set(`${list}[${i}].date`, v)}
              error={errors[`${list}[${i}].date`]}
            />
            <TextField
              label={t(`field.${list}.amount`)}
              hint={t('declare.amount_hint')}
              inputmode="decimal"
              autocomplete="off"
              required
              value={r.amount}
              onInput={(v) => set(`${list}[${i}].amount`, v)}
              error={errors[`${list}[${i}].amount`]}
            />
            {isReturns ? (
              <SelectField
                label={t('field.returns.kind')}
                hint={t('declare.kind_hint')}
                options={RETURN_KINDS.map((k) => ({ value: k, label: t(`declare.return_kind.${k}`) }))}
                value={r.kind}
                onInput={(v) => set(`${list}[${i}].kind`, v)}
                error={errors[`${list}[${i}].kind`]}
              />
            ) : (
              <TextField
                label={t('field.contributions.ref')}
                hint={t('declare.contributions.ref_hint')}
                value={r.ref}
                onInput={(v) => set(`${list}[${i}].ref`, v)}
                error={errors[`${list}[${i}].ref`]}
              />
            )}
          </div>
          {!isReturns && rows.length === 1 ? null : (
            <Button variant="secondary" onClick={() => set(list, rows.filter((_, j) => j !== i))}>
              {t(`declare.${list}.remove`, { n: i + 1 })}
            </Button>
          )}
        </fieldset>
      ))}
      <div class="actions">
        <Button variant="secondary" onClick={() => set(list, [...rows, empty()])}>
          {t(`declare.${list}.add`)}
        </Button>
      </div>
      <p class="claimant-total">
        {t(`declare.${list}.total`)} <span class="money">{formatMoney(total)}</span>
      </p>
    </div>
  );
}

function Figure({ value }) {
  const fen = parseYuan(value);
  return <span class="money">{fen === null ? value : formatMoney(fen)}</span>;
}

export function ReviewStep({ d, goTo, regionNames }) {
  const principal = sumRows(d.contributions);
  const returns = sumRows(d.returns);
  const net = netFen(d);
  const holder = d.identity.bank_account_holder.trim() || (d.filed_as === 'heir' ? d.filer.name : d.identity.name);
  const edit = (step) => (
    <button type="button" class="link-button claimant-edit" onClick={() => goTo(step)}>
      {t('declare.review.edit', { step: t(`declare.step.${step}`) })}
    </button>
  );
  return (
    <div>
      <p>{t('declare.review.intro')}</p>
      <div class="card">
        <h3>{t('declare.step.identity')}</h3>
        <dl class="facts">
          <dt>{t('field.identity.name')}</dt>
          <dd>{d.identity.name}</dd>
          <dt>{t('field.identity.id_number')}</dt>
          <dd class="mono">{d.identity.id_number.toUpperCase()}</dd>
          <dt>{t('field.identity.phone')}</dt>
          <dd>{d.identity.phone}</dd>
          <dt>{t('field.region')}</dt>
          <dd>{regionLabel(d.region, regionNames[d.region])}</dd>
          <dt>{t('field.filed_as')}</dt>
          <dd>{t(`declare.filed_as.${d.filed_as}`)}</dd>
          {d.filed_as !== 'self' ? (
            <>
              <dt>{t('field.filer.name')}</dt>
              <dd>{d.filer.name}</dd>
              <dt>{t('field.filer.relationship')}</dt>
              <dd>{d.filer.relationship}</dd>
            </>
          ) : null}
        </dl>
        {edit('identity')}
      </div>
      <div class="card">
        <h3>{t('declare.step.bank')}</h3>
        <dl class="facts">
          <dt>{t('field.identity.bank_name')}</dt>
          <dd>{d.identity.bank_name}</dd>
          <dt>{t('field.identity.bank_account')}</dt>
          <dd class="mono">{d.identity.bank_account}</dd>
          <dt>{t('field.identity.bank_account_holder')}</dt>
          <dd>{holder}</dd>
        </dl>
        {edit('bank')}
      </div>
      <div class="card">
        <h3>{t('declare.step.accounts')}</h3>
        <ul>
          {d.accounts.map((a, i) => (
            <li key={i}>
              {a.platform_account} <span class="hint">（{a.channel}）</span>
            </li>
          ))}
        </ul>
        {edit('accounts')}
      </div>
      {['contributions', 'returns'].map((list) => (
        <div class="card" key={list}>
          <h3>{t(`declare.step.${list}`)}</h3>
          {d[list].length === 0 ? (
            <p>{t(`declare.${list}.none`)}</p>
          ) : (
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t(`field.${list}.date`)}</th>
                  <th scope="col" class="num">
                    {t(`field.${list}.amount`)}
                  </th>
                  <th scope="col">{list === 'returns' ? t('field.returns.kind') : t('field.contributions.ref')}</th>
                </tr>
              </thead>
              <tbody>
                {d[list].map((r, i) => (
                  <tr key={i}>
                    <td data-label={t(`field.${list}.date`)}>{r.date}</td>
                    <td data-label={t(`field.${list}.amount`)} class="num">
                      <Figure value={r.amount} />
                    </td>
                    <td data-label={list === 'returns' ? t('field.returns.kind') : t('field.contributions.ref')}>
                      {list === 'returns' ? t(`declare.return_kind.${r.kind}`) : r.ref || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {edit(list)}
        </div>
      ))}
      <div class="card claimant-net">
        <h3>{t('declare.review.sum_title')}</h3>
        <dl class="facts">
          <dt>{t('declare.review.principal')}</dt>
          <dd>
            <span class="money">{formatMoney(principal)}</span>
          </dd>
          <dt>{t('declare.review.returns')}</dt>
          <dd>
            <span class="money">− {formatMoney(returns)}</span>
          </dd>
          <dt>{t('declare.review.net')}</dt>
          <dd>
            <strong class="money claimant-net-amount" data-testid="claim-net-amount">
              {formatMoney(net)}
            </strong>
          </dd>
        </dl>
        <p class="hint">{t('declare.review.net_hint')}</p>
        {principal - returns < 0n ? <p class="claimant-attention">{t('declare.review.net_winner')}</p> : null}
      </div>
    </div>
  );
}
