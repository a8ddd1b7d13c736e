// /office/cases/:case/books: import the seized books (CSV) with upload progress; a bad file
// is refused whole and its error report (line, column, reason) shown as a table; below,
// the book holders who have not declared a claim.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, ErrorMessage, FileField, Money, Notice, PageTitle, ProgressBar, useAsync } from '../../components/ui.jsx';
import { Pager } from '../../components/pager.jsx';
import { errorText, t, tOr } from '../../i18n.js';
import { CaseNav, Loaded, apiCase } from './common.jsx';

// The service words each bad line in English; the common fixed messages have catalogue
// words (books.msg.*), any other is shown as the service wrote it.
const ROW_MESSAGES = {
  'must not be empty': 'books.msg.empty',
  'has a wrong check character: please check the number for a typing mistake': 'books.msg.check_char',
  'must be a decimal number such as 1234.56': 'books.msg.decimal',
  'must be an 18-character resident ID number': 'books.msg.id_length',
  'must be 17 digits followed by a digit or X': 'books.msg.id_digits',
  'does not start with a valid region code': 'books.msg.id_region',
  'contains a birth date that does not exist': 'books.msg.id_birth',
  'contains a birth date in the future': 'books.msg.id_birth',
  'contains a birth date before 1900': 'books.msg.id_birth',
  'must be a plain number without the unit 元': 'books.msg.unit',
};
const rowMessage = (m) => (ROW_MESSAGES[m] ? t(ROW_MESSAGES[m]) : m);

function ImportForm({ caseId, onImported }) {
  const [file, setFile] = useState(null);
  const [fileError, setFileError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [progress, setProgress] = useState({ sent: 0, total: 0 });
  const [result, setResult] = useState(null);
  const [failure, setFailure] = useState(null);
  const key = useRef(null);
  const pick = (e) => {
    const f = e.currentTarget.files && e.currentTarget.files[0];
    setFile(f || null);
    setFileError(null);
    setFailure(null);
    setResult(null);
    setConfirming(false);
    key.current = null;
  };
  const next = (e) => {
    e.preventDefault();
    if (!file) {
      setFileError(t('books.import.choose_file'));
      return;
    }
    if (file.size > 64 * 1024 * 1024) {
      setFileError(t('books.import.too_big'));
      return;
    }
    setConfirming(true);
  };
  const go = async () => {
    if (!key.current) key.current = newIdempotencyKey();
    setBusy(true);
    setFailure(null);
    setResult(null);
    setProgress({ sent: 0, total: file.size });
    try {
      const r = await api.upload(`${apiCase(caseId)}/books`, file, {
        contentType: 'text/csv',
        timeoutMs: 600000,
        idempotencyKey: key.current,
        onProgress: (sent, total) => setProgress({ sent, total }),
      });
      key.current = null;
      setResult(r);
      setConfirming(false);
      onImported();
    } catch (err) {
      if (err.status && err.status < 500) key.current = null;
      setFailure(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };
  const rowErrors = failure && failure.errors ? failure.errors : [];
  return (
    <section class="card" aria-labelledby="import-h">
      <h2 id="import-h">{t('books.import.title')}</h2>
      <p class="hint">{t('books.import.format')}</p>
      <p class="hint">{t('books.import.replaces')}</p>
      <form onSubmit={next} noValidate>
        <FileField
          label={t('books.import.file')}
          hint={t('books.import.file_hint')}
          error={fileError}
          required
          accept=".csv,text/csv"
          onChange={pick}
          disabled={busy}
        />
        {!confirming ? (
          <div class="actions">
            <Button type="submit" disabled={busy}>
              {t('books.import.next')}
            </Button>
          </div>
        ) : null}
      </form>
      {confirming ? (
        <div>
          <Notice kind="warning">
            <p>{t('books.import.confirm', { name: file.name })}</p>
          </Notice>
          <div class="actions">
            <Button busy={busy} onClick={go}>
              {t('books.import.submit')}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setConfirming(false)}>
              {t('office.action.back')}
            </Button>
          </div>
        </div>
      ) : null}
      {busy ? <ProgressBar value={progress.sent} max={progress.total} label={t('books.import.uploading')} /> : null}
      {busy && progress.total > 0 && progress.sent >= progress.total ? (
        <p class="hint" role="status">
          {t('books.import.checking')}
        </p>
      ) : null}
      {result ? (
        <div class="alert alert-success" role="status" data-testid="books-import-result">
          <p>
            <strong>{t('books.import.done', { rows: result.rows })}</strong>
          </p>
          <dl class="facts">
            <dt>{t('books.result.deposits')}</dt>
            <dd>
              <Money value={result.total_deposits} />
            </dd>
            <dt>{t('books.result.withdrawals')}</dt>
            <dd>
              <Money value={result.total_withdrawals} />
            </dd>
            <dt>{t('books.result.matched')}</dt>
            <dd>{result.matched_claims}</dd>
            <dt>{t('books.result.unmatched')}</dt>
            <dd>{result.unmatched_holders}</dd>
            <dt>{t('books.result.encoding')}</dt>
            <dd>{result.source_encoding}</dd>
            {result.ignored_columns && result.ignored_columns.length ? (
              <>
                <dt>{t('books.result.ignored')}</dt>
                <dd>{result.ignored_columns.join('、')}</dd>
              </>
            ) : null}
          </dl>
        </div>
      ) : null}
      {failure ? (
        rowErrors.length ? (
          <div data-testid="books-error-report">
            <div class="alert alert-error" role="alert">
              <p>
                <strong>{t('books.errors.title')}</strong> {t('books.errors.nothing_imported', { n: rowErrors.filter((e) => e.line !== null).length })}
              </p>
            </div>
            <div class="table-wrap">
              <table class="stack">
                <caption>{t('books.errors.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('books.errors.line')}</th>
                    <th scope="col">{t('books.errors.column')}</th>
                    <th scope="col">{t('books.errors.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rowErrors.map((e, i) => (
                    <tr key={i} data-testid="books-error-row">
                      <td data-label={t('books.errors.line')}>{e.line === null || e.line === undefined ? '—' : e.line}</td>
                      <td data-label={t('books.errors.column')}>
                        {e.column ? tOr(`books.column.${e.column}`, e.column) : t('books.errors.whole_row')}
                      </td>
                      <td data-label={t('books.errors.reason')}>{rowMessage(e.message)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : (
          <ErrorMessage error={failure.field === 'file' ? errorText(failure) : failure} onRetry={file ? go : undefined} />
        )
      ) : null}
    </section>
  );
}

function Unclaimed({ caseId, tick }) {
  const [page, setPage] = useState(1);
  const state = useAsync(() => api.get(`${apiCase(caseId)}/books/unclaimed`, { query: { page } }), [caseId, page, tick]);
  return (
    <section class="card" aria-labelledby="unclaimed-h">
      <h2 id="unclaimed-h">{t('books.unclaimed.title')}</h2>
      <p class="hint">{t('books.unclaimed.hint')}</p>
      <Loaded state={state}>
        {(data) => {
          const totals = data.totals || {};
          const pages = Math.max(1, Math.ceil((totals.holders || 0) / (data.page_size || 50)));
          return (
            <div>
              <p role="status">
                {t('books.unclaimed.totals', { holders: totals.holders || 0, accounts: totals.accounts || 0 })}{' '}
                {t('books.unclaimed.net')} <Money value={totals.net || '0.00'} />
              </p>
              {data.holders && data.holders.length ? (
                <div class="table-wrap">
                  <table class="stack">
                    <thead>
                      <tr>
                        <th scope="col">{t('books.col.holder')}</th>
                        <th scope="col">{t('books.col.id_number')}</th>
                        <th scope="col">{t('books.col.account')}</th>
                        <th scope="col" class="num">{t('books.col.deposits')}</th>
                        <th scope="col" class="num">{t('books.col.withdrawals')}</th>
                        <th scope="col" class="num">{t('books.col.net')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.holders.map((h, i) => (
                        <tr key={i} data-testid="unclaimed-row">
                          <td data-label={t('books.col.holder')}>{h.holder_name}</td>
                          <td data-label={t('books.col.id_number')} class="mono">
                            {h.id_number_masked}
                          </td>
                          <td data-label={t('books.col.account')} class="mono">
                            {(h.accounts || []).map((a) => a.platform_account).join(', ')}
                          </td>
                          <td class="num" data-label={t('books.col.deposits')}>
                            <Money value={h.deposits} />
                          </td>
                          <td class="num" data-label={t('books.col.withdrawals')}>
                            <Money value={h.withdrawals} />
                          </td>
                          <td class="num" data-label={t('books.col.net')}>
                            <Money value={h.net} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              ) : (
                <p>{t('books.unclaimed.none')}</p>
              )}
              <Pager page={page} pages={pages} onPage={setPage} />
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}

export function BooksPage({ params, session }) {
  const caseId = params.case;
  const [tick, setTick] = useState(0);
  const isOfficer = session && session.user.role === 'officer';
  return (
    <section>
      <CaseNav caseId={caseId} current="books" />
      <PageTitle>{t('books.title')}</PageTitle>
      {isOfficer ? (
        <>
          <ImportForm caseId={caseId} onImported={() => setTick((n) => n + 1)} />
          <Unclaimed caseId={caseId} tick={tick} />
        </>
      ) : (
        <Notice kind="info">
          <p>{t('books.officers_only')}</p>
        </Notice>
      )}
    </section>
  );
}
