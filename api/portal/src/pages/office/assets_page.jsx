// /office/cases/:case/assets: the case's recovered assets and recording a new seizure.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, Money, Notice, PageTitle, SelectField, StatusBadge, TextArea, TextField, useAsync } from '../../components/ui.jsx';
import { Pager } from '../../components/pager.jsx';
import { formatDateTime, t } from '../../i18n.js';
import { Link } from '../../router.jsx';
import { ActionPanel, CaseNav, Loaded, apiCase, caseBase, choiceOptions } from './common.jsx';

export const ASSET_KINDS = ['frozen_deposit', 'real_estate', 'vehicle', 'equity', 'securities', 'crypto', 'goods', 'other'];
export const ASSET_SOURCES = ['remaining_funds', 'proceeds_of_funds', 'insider_gains', 'hidden_funds', 'fees_and_commissions', 'other'];

function SeizePanel({ caseId, onDone, onCancel }) {
  const [v, setV] = useState({ kind: '', source: '', description: '', holder: '', reference: '' });
  const set = (k) => (x) => setV({ ...v, [k]: x });
  const validate = () => {
    const errs = {};
    if (!v.kind) errs.kind = t('assets.seize.kind_needed');
    if (!v.source) errs.source = t('assets.seize.source_needed');
    if (!v.description.trim()) errs.description = t('assets.seize.description_needed');
    if (!v.holder.trim()) errs.holder = t('assets.seize.holder_needed');
    return errs;
  };
  return (
    <ActionPanel
      title={t('assets.seize.title')}
      testid="seize-panel"
      submitLabel={t('assets.seize.submit')}
      shownFields={['kind', 'source', 'description', 'holder', 'reference']}
      validate={validate}
      summary={() => t('assets.seize.summary', { kind: t(`assets.kind.${v.kind}`), description: v.description.trim() })}
      submit={(key) => {
        const body = { kind: v.kind, source: v.source, description: v.description.trim(), holder: v.holder.trim() };
        if (v.reference.trim()) body.reference = v.reference.trim();
        return api.post(`${apiCase(caseId)}/assets`, body, { idempotencyKey: key });
      }}
      onDone={onDone}
      onCancel={onCancel}
      fields={({ errors }) => (
        <div class="office-form-grid">
          <SelectField
            label={t('assets.field.kind')}
            required
            value={v.kind}
            onInput={set('kind')}
            error={errors.kind}
            options={choiceOptions(ASSET_KINDS, 'assets.kind')}
          />
          <SelectField
            label={t('assets.field.source')}
            hint={t('assets.field.source_hint')}
            required
            value={v.source}
            onInput={set('source')}
            error={errors.source}
            options={choiceOptions(ASSET_SOURCES, 'assets.source')}
          />
          <TextArea
            label={t('assets.field.description')}
            required
            maxLength={1000}
            rows={3}
            value={v.description}
            onInput={set('description')}
            error={errors.description}
          />
          <TextField
            label={t('assets.field.holder')}
            hint={t('assets.field.holder_hint')}
            required
            maxLength={200}
            value={v.holder}
            onInput={set('holder')}
            error={errors.holder}
          />
          <TextField
            label={t('assets.field.reference')}
            hint={t('assets.field.reference_hint')}
            maxLength={100}
            value={v.reference}
            onInput={set('reference')}
            error={errors.reference}
          />
        </div>
      )}
    />
  );
}

export function AssetsPage({ params, session }) {
  const caseId = params.case;
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState(null);
  const state = useAsync(() => api.get(`${apiCase(caseId)}/assets`, { query: { page } }), [caseId, page]);
  const isOfficer = session && session.user.role === 'officer';
  return (
    <section>
      <CaseNav caseId={caseId} current="assets" />
      <PageTitle>{t('assets.title')}</PageTitle>
      {created ? (
        <Notice kind="success">
          <p>
            {t('assets.seize.done', { id: created.id })}{' '}
            <Link href={`${caseBase(caseId)}/assets/${created.id}`}>{t('assets.open', { id: created.id })}</Link>
          </p>
        </Notice>
      ) : null}
      {isOfficer ? (
        open ? (
          <SeizePanel
            caseId={caseId}
            onCancel={() => setOpen(false)}
            onDone={(a) => {
              setOpen(false);
              setCreated(a);
              state.reload();
            }}
          />
        ) : (
          <div class="actions">
            <Button
              onClick={() => {
                setCreated(null);
                setOpen(true);
              }}
            >
              {t('assets.seize.open')}
            </Button>
          </div>
        )
      ) : null}
      <Loaded state={state}>
        {(data) => {
          const assets = data.assets || [];
          const pages = Math.max(1, Math.ceil((data.total || 0) / (data.page_size || 100)));
          return (
            <div>
              <p role="status">{t('assets.count', { n: data.total || 0 })}</p>
              {assets.length === 0 ? (
                <p>{t('assets.none')}</p>
              ) : (
                <div class="table-wrap">
                  <table class="stack">
                    <thead>
                      <tr>
                        <th scope="col">{t('assets.col.id')}</th>
                        <th scope="col">{t('assets.field.kind')}</th>
                        <th scope="col">{t('assets.field.description')}</th>
                        <th scope="col">{t('assets.col.status')}</th>
                        <th scope="col" class="num">{t('assets.col.valuation')}</th>
                        <th scope="col">{t('assets.field.source')}</th>
                        <th scope="col">{t('assets.col.updated')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {assets.map((a) => (
                        <tr key={a.id} data-testid="asset-row" data-asset-id={a.id}>
                          <td data-label={t('assets.col.id')}>
                            <Link href={`${caseBase(caseId)}/assets/${a.id}`} aria-label={t('assets.open', { id: a.id })}>
                              #{a.id}
                            </Link>
                          </td>
                          <td data-label={t('assets.field.kind')}>{t(`assets.kind.${a.kind}`)}</td>
                          <td data-label={t('assets.field.description')} class="office-text">
                            {a.description}
                          </td>
                          <td data-label={t('assets.col.status')}>
                            <StatusBadge status={a.status} kind="assets" />
                          </td>
                          <td class="num" data-label={t('assets.col.valuation')}>
                            {a.latest_valuation ? <Money value={a.latest_valuation} /> : '—'}
                          </td>
                          <td data-label={t('assets.field.source')}>{t(`assets.source.${a.source}`)}</td>
                          <td data-label={t('assets.col.updated')}>{formatDateTime(a.updated_at)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              <Pager page={page} pages={pages} onPage={setPage} />
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
