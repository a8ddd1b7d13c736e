// Declared figures beside the seized books' figures, with the difference highlighted.
import { Money } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { fenToDecimal, parseAmount } from '../../money.js';

function Row({ label, declared, book, testid }) {
  const d = parseAmount(declared);
  const b = book === null || book === undefined ? null : parseAmount(book);
  const diff = d !== null && b !== null ? b - d : null;
  const differs = diff !== null && diff !== 0n;
  return (
    <tr class={differs ? 'office-diff-row' : undefined} data-testid={testid}>
      <th scope="row">{label}</th>
      <td class="num" data-label={t('review.figures.declared')}>
        <Money value={declared} />
      </td>
      <td class="num" data-label={t('review.figures.books')}>
        {b === null ? '—' : <Money value={book} />}
      </td>
      <td class={`num${differs ? ' office-diff' : ''}`} data-label={t('review.figures.difference')}>
        {diff === null ? '—' : differs ? (
          <>
            <strong>{diff > 0n ? '+' : ''}<Money value={fenToDecimal(diff)} /></strong>
            <span class="sr-only"> {t('review.differs')}</span>
          </>
        ) : (
          t('review.figures.same')
        )}
      </td>
    </tr>
  );
}

export function FiguresCompare({ books }) {
  const declared = books.declared || {};
  const b = books.books;
  return (
    <section class="card" aria-labelledby="figures-h">
      <h2 id="figures-h">{t('review.figures.title')}</h2>
      {!b ? <p class="hint">{t('review.figures.no_books')}</p> : null}
      {books.discrepancy ? (
        <p class="alert alert-warning" data-testid="books-discrepancy">
          {t('review.figures.discrepancy')}
        </p>
      ) : null}
      <div class="table-wrap">
        <table class="stack office-figures">
          <thead>
            <tr>
              <th scope="col">{t('review.figures.item')}</th>
              <th scope="col" class="num">{t('review.figures.declared')}</th>
              <th scope="col" class="num">{t('review.figures.books')}</th>
              <th scope="col" class="num">{t('review.figures.difference')}</th>
            </tr>
          </thead>
          <tbody>
            <Row label={t('review.figures.principal')} declared={declared.principal} book={b ? b.deposits : null} testid="fig-principal" />
            <Row label={t('review.figures.returns')} declared={declared.returns} book={b ? b.withdrawals : null} testid="fig-returns" />
            <Row label={t('review.figures.net')} declared={declared.net} book={b ? b.net : null} testid="fig-net" />
          </tbody>
        </table>
      </div>
      {b && b.accounts && b.accounts.length ? (
        <details class="office-details">
          <summary>{t('review.figures.accounts', { n: b.accounts.length })}</summary>
          <div class="table-wrap">
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">{t('books.col.account')}</th>
                  <th scope="col" class="num">{t('books.col.deposits')}</th>
                  <th scope="col" class="num">{t('books.col.withdrawals')}</th>
                </tr>
              </thead>
              <tbody>
                {b.accounts.map((a) => (
                  <tr key={a.platform_account}>
                    <td data-label={t('books.col.account')} class="mono">
                      {a.platform_account}
                    </td>
                    <td class="num" data-label={t('books.col.deposits')}>
                      <Money value={a.deposits} />
                    </td>
                    <td class="num" data-label={t('books.col.withdrawals')}>
                      <Money value={a.withdrawals} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </section>
  );
}
