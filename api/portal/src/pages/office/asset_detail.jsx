// /office/cases/:case/assets/:id: one asset with its valuations and sales, and the next
// steps its status allows.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, Money, Notice, PageTitle, StatusBadge, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t } from '../../i18n.js';
import { formatMoney } from '../../money.js';
import { Link } from '../../router.jsx';
import { LiquidatePanel, ReasonPanel, TransferPanel, ValuePanel } from './asset_actions.jsx';
import { CaseNav, Loaded, apiCase, caseBase } from './common.jsx';

function actionsFor(asset) {
  if (asset.status !== 'seized' && asset.status !== 'valued') return [];
  const list = ['value'];
  if (asset.kind === 'frozen_deposit') list.push('transfer');
  else list.push('liquidate');
  list.push('release');
  return list;
}

export function AssetDetail({ params, session }) {
  const caseId = params.case;
  const assetId = params.id;
  const state = useAsync(() => api.get(`${apiCase(caseId)}/assets/${encodeURIComponent(assetId)}`), [caseId, assetId]);
  const [open, setOpen] = useState(null);
  const [done, setDone] = useState(null);
  const isOfficer = session && session.user.role === 'officer';
  const finish = (what) => () => {
    setOpen(null);
    setDone(what);
    state.reload();
  };
  return (
    <section>
      <CaseNav caseId={caseId} current="assets" />
      <p>
        <Link href={`${caseBase(caseId)}/assets`}>← {t('assets.back')}</Link>
      </p>
      <Loaded state={state}>
        {(a) => {
          const actions = isOfficer ? actionsFor(a) : [];
          const panel = { caseId, asset: a, onCancel: () => setOpen(null) };
          return (
            <div>
              <PageTitle>{t('assets.detail.title', { id: a.id, kind: t(`assets.kind.${a.kind}`) })}</PageTitle>
              <p>
                {t('assets.col.status')}{' '}
                <span data-testid="asset-status" data-status={a.status}>
                  <StatusBadge status={a.status} kind="assets" />
                </span>
              </p>
              {done ? (
                <Notice kind="success">
                  <p>{t(`assets.done.${done}`)}</p>
                </Notice>
              ) : null}
              <div class="card">
                <dl class="facts">
                  <dt>{t('assets.field.description')}</dt>
                  <dd class="office-text">{a.description}</dd>
                  <dt>{t('assets.field.source')}</dt>
                  <dd>{t(`assets.source.${a.source}`)}</dd>
                  {a.holder ? (
                    <>
                      <dt>{t('assets.field.holder')}</dt>
                      <dd>{a.holder}</dd>
                    </>
                  ) : null}
                  {a.reference ? (
                    <>
                      <dt>{t('assets.field.reference')}</dt>
                      <dd class="mono">{a.reference}</dd>
                    </>
                  ) : null}
                  <dt>{t('assets.col.valuation')}</dt>
                  <dd>{a.latest_valuation ? <Money value={a.latest_valuation} /> : '—'}</dd>
                  <dt>{t('assets.detail.created')}</dt>
                  <dd>{formatDateTime(a.created_at)}</dd>
                  {a.released_at ? (
                    <>
                      <dt>{t('assets.detail.released')}</dt>
                      <dd>
                        {formatDateTime(a.released_at)}
                        {a.release_reason ? ` · ${a.release_reason}` : ''}
                      </dd>
                    </>
                  ) : null}
                </dl>
              </div>
              {isOfficer ? (
                <section class="card" aria-labelledby="asset-actions-h">
                  <h2 id="asset-actions-h">{t('assets.actions.title')}</h2>
                  {actions.length === 0 ? <p>{t('assets.actions.none')}</p> : null}
                  <div class="actions">
                    {actions.map((x) => (
                      <Button
                        key={x}
                        variant={x === 'release' ? 'danger' : open === x ? 'primary' : 'secondary'}
                        aria-expanded={open === x ? 'true' : 'false'}
                        onClick={() => {
                          setDone(null);
                          setOpen(open === x ? null : x);
                        }}
                      >
                        {t(`assets.action.${x}`)}
                      </Button>
                    ))}
                  </div>
                  {open === 'value' ? <ValuePanel {...panel} onDone={finish('value')} /> : null}
                  {open === 'liquidate' ? <LiquidatePanel {...panel} onDone={finish('liquidate')} /> : null}
                  {open === 'transfer' ? <TransferPanel {...panel} onDone={finish('transfer')} /> : null}
                  {open === 'release' ? (
                    <ReasonPanel
                      title={t('assets.release.title')}
                      testid="release-panel"
                      submitLabel={t('assets.release.submit')}
                      summary={t('assets.release.summary')}
                      path={`/assets/${a.id}/release`}
                      caseId={caseId}
                      onCancel={() => setOpen(null)}
                      onDone={finish('release')}
                    />
                  ) : null}
                </section>
              ) : null}
              <section class="card" aria-labelledby="valuations-h">
                <h2 id="valuations-h">{t('assets.valuations.title')}</h2>
                {(a.valuations || []).length === 0 ? (
                  <p>{t('assets.valuations.none')}</p>
                ) : (
                  <div class="table-wrap">
                    <table class="stack">
                      <thead>
                        <tr>
                          <th scope="col">{t('assets.value.date')}</th>
                          <th scope="col" class="num">{t('assets.value.amount')}</th>
                          <th scope="col">{t('assets.value.appraiser')}</th>
                          <th scope="col">{t('assets.detail.recorded')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {a.valuations.map((v) => (
                          <tr key={v.id} data-testid="valuation-row">
                            <td data-label={t('assets.value.date')}>{v.date}</td>
                            <td class="num" data-label={t('assets.value.amount')}>
                              <Money value={v.amount} />
                            </td>
                            <td data-label={t('assets.value.appraiser')}>{v.appraiser}</td>
                            <td data-label={t('assets.detail.recorded')}>{formatDateTime(v.recorded_at)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
              <section class="card" aria-labelledby="liquidations-h">
                <h2 id="liquidations-h">{t('assets.liquidations.title')}</h2>
                {(a.liquidations || []).length === 0 ? (
                  <p>{t('assets.liquidations.none')}</p>
                ) : (
                  <ul class="office-liquidations">
                    {a.liquidations.map((l) => (
                      <li key={l.id} class={l.reversed ? 'office-reversed' : undefined} data-testid="liquidation">
                        <dl class="facts">
                          <dt>{t('assets.liquidations.method')}</dt>
                          <dd>
                            {t(`assets.method.${l.method}`)}
                            {l.reversed ? ` · ${t('assets.liquidations.reversed')}` : ''}
                          </dd>
                          <dt>{t('assets.liquidate.date')}</dt>
                          <dd>{l.date}</dd>
                          <dt>{t('assets.liquidate.proceeds')}</dt>
                          <dd>
                            <Money value={l.proceeds} />
                          </dd>
                          <dt>{t('assets.liquidate.costs')}</dt>
                          <dd>
                            <Money value={l.costs} />
                          </dd>
                          <dt>{t('assets.liquidate.net')}</dt>
                          <dd>
                            <Money value={l.net} />
                          </dd>
                          {l.early_sale ? (
                            <>
                              <dt>{t('assets.liquidate.early')}</dt>
                              <dd>{t(`assets.early.${l.early_sale_reason}`)}</dd>
                            </>
                          ) : null}
                          {l.reversed ? (
                            <>
                              <dt>{t('assets.liquidations.reversed_at')}</dt>
                              <dd>
                                {formatDateTime(l.reversed_at)}
                                {l.reversal_reason ? ` · ${l.reversal_reason}` : ''}
                              </dd>
                            </>
                          ) : null}
                        </dl>
                        {isOfficer && !l.reversed ? (
                          open === `reverse-${l.id}` ? (
                            <ReasonPanel
                              title={t('assets.reverse.title')}
                              testid="reverse-panel"
                              submitLabel={t('assets.reverse.submit')}
                              summary={t('assets.reverse.summary', { net: formatMoney(l.net) })}
                              path={`/assets/${a.id}/liquidations/${l.id}/reversal`}
                              caseId={caseId}
                              onCancel={() => setOpen(null)}
                              onDone={finish('reverse')}
                            />
                          ) : (
                            <div class="actions">
                              <Button variant="danger" onClick={() => setOpen(`reverse-${l.id}`)}>
                                {t('assets.action.reverse')}
                              </Button>
                            </div>
                          )
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
