// /office/cases/:case/pool: the refund pool's double-entry accounts. Their balances add up
// to zero (recoveries is minus everything recovered); the page checks that and says so.
import { api } from '../../api.js';
import { Money, PageTitle, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t, tOr } from '../../i18n.js';
import { fenToDecimal, parseAmount } from '../../money.js';
import { Link } from '../../router.jsx';
import { CaseNav, Loaded, apiCase, caseBase } from './common.jsx';

const ACCOUNTS = ['recoveries', 'pool', 'reserve', 'payable', 'paid', 'disposal_costs'];

export function PoolPage({ params }) {
  const caseId = params.case;
  const state = useAsync(() => api.get(`${apiCase(caseId)}/pool`, { query: { recent: 50 } }), [caseId]);
  return (
    <section>
      <CaseNav caseId={caseId} current="pool" />
      <PageTitle>{t('pool.title')}</PageTitle>
      <Loaded state={state}>
        {(p) => {
          const balances = p.balances || {};
          const names = [...ACCOUNTS, ...Object.keys(balances).filter((k) => !ACCOUNTS.includes(k))];
          let sum = 0n;
          for (const k of names) sum += parseAmount(balances[k] || '0') ?? 0n;
          return (
            <div>
              <div class="grid">
                <div class="card office-kpi">
                  <h2>{t('pool.recovered')}</h2>
                  <p data-testid="pool-recovered">
                    <Money value={p.recovered} />
                  </p>
                </div>
                <div class="card office-kpi">
                  <h2>{t('pool.reserved')}</h2>
                  <p data-testid="pool-reserved">
                    <Money value={p.reserved} />
                  </p>
                </div>
                <div class="card office-kpi">
                  <h2>{t('pool.available')}</h2>
                  <p data-testid="pool-available">
                    <Money value={p.available} />
                  </p>
                </div>
              </div>
              <section class="card" aria-labelledby="balances-h">
                <h2 id="balances-h">{t('pool.balances')}</h2>
                <p class="hint">{t('pool.balances_hint')}</p>
                <div class="table-wrap">
                  <table class="stack">
                    <thead>
                      <tr>
                        <th scope="col">{t('pool.account')}</th>
                        <th scope="col" class="num">{t('pool.balance')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {names.map((k) => (
                        <tr key={k}>
                          <th scope="row">
                            {tOr(`pool.account.${k}`, k)}
                            <span class="hint"> {tOr(`pool.account_hint.${k}`, '')}</span>
                          </th>
                          <td class="num" data-label={t('pool.balance')} data-testid={`pool-balance-${k}`}>
                            <Money value={balances[k] || '0.00'} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row">{t('pool.sum')}</th>
                        <td class="num" data-label={t('pool.sum')} data-testid="pool-sum">
                          <Money value={fenToDecimal(sum)} />
                        </td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
                <p class={sum === 0n ? 'verify-ok' : 'verify-bad'} role="status" data-testid="pool-zero-sum">
                  {sum === 0n ? t('pool.zero_ok') : t('pool.zero_bad')}
                </p>
              </section>
              <section class="card" aria-labelledby="transfers-h">
                <h2 id="transfers-h">{t('pool.transfers')}</h2>
                {(p.recent_transfers || []).length === 0 ? (
                  <p>{t('pool.no_transfers')}</p>
                ) : (
                  <div class="table-wrap">
                    <table class="stack">
                      <thead>
                        <tr>
                          <th scope="col">{t('pool.col.at')}</th>
                          <th scope="col">{t('pool.col.kind')}</th>
                          <th scope="col">{t('pool.col.from_to')}</th>
                          <th scope="col" class="num">{t('pool.col.amount')}</th>
                          <th scope="col">{t('pool.col.subject')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {p.recent_transfers.map((x) => (
                          <tr key={x.id} data-testid="pool-transfer">
                            <td data-label={t('pool.col.at')}>{formatDateTime(x.at)}</td>
                            <td data-label={t('pool.col.kind')}>{tOr(`pool.kind.${x.kind}`, x.kind)}</td>
                            <td data-label={t('pool.col.from_to')}>
                              {tOr(`pool.account.${x.from}`, x.from)} → {tOr(`pool.account.${x.to}`, x.to)}
                            </td>
                            <td class="num" data-label={t('pool.col.amount')}>
                              <Money value={x.amount} />
                            </td>
                            <td data-label={t('pool.col.subject')}>
                              {x.asset_id ? (
                                <Link href={`${caseBase(caseId)}/assets/${x.asset_id}`}>{t('pool.asset', { id: x.asset_id })}</Link>
                              ) : x.claim_id ? (
                                <Link href={`${caseBase(caseId)}/claims/${x.claim_id}`}>{t('pool.claim', { id: x.claim_id })}</Link>
                              ) : x.run_id ? (
                                <Link href={`${caseBase(caseId)}/distributions/${x.run_id}`}>{t('pool.run', { id: x.run_id })}</Link>
                              ) : (
                                '—'
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </section>
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
