// The payment batch of an executed run (payments.csv) and the bank's results coming back.
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { errorText, t } from '../../i18n.js';
import { Button, ErrorMessage, FileField, Notice, ProgressBar } from '../../components/ui.jsx';
import { DIST_ERRORS, runPath } from './common.jsx';

export function PaymentsDownload({ run, officer }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const [file, setFile] = useState(null); // {url, name}
  const [rows, setRows] = useState(0);
  const download = async () => {
    setBusy(true);
    setError(null);
    setRows(0);
    try {
      const blob = await api.getPagedCsv(`${runPath(run.case_id, run.id)}/payments.csv`, { onRows: setRows });
      if (file) URL.revokeObjectURL(file.url);
      const next = { url: URL.createObjectURL(blob), name: `payments-case${run.case_id}-run${run.id}.csv` };
      setFile(next);
      const a = document.createElement('a');
      a.href = next.url;
      a.download = next.name;
      document.body.appendChild(a);
      a.click();
      a.remove();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p class="hint">{officer ? t('dist.pay.csv_hint_officer') : t('dist.pay.csv_hint_other')}</p>
      <ErrorMessage error={error} scopes={DIST_ERRORS} onRetry={download} />
      <div class="actions">
        <Button busy={busy} onClick={download}>{t('dist.pay.download')}</Button>
        {busy && rows > 0 ? <span role="status">{t('dist.pay.rows_so_far', { rows })}</span> : null}
        {file ? (
          <a href={file.url} download={file.name} class="dist-file-link">
            {t('dist.pay.saved', { name: file.name })}
          </a>
        ) : null}
      </div>
    </div>
  );
}

// CSV with a header naming reference and status (and reason) columns — the exported
// payments.csv with two columns added is accepted — or JSON ({"results":[...]} or [...]).
const STATUS_WORDS = { paid: 'paid', failed: 'failed', 成功: 'paid', 已付: 'paid', 已支付: 'paid', 失败: 'failed', 退回: 'failed' };

function splitCsvLine(line) {
  const out = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseResults(text) {
  const clean = text.replace(/^\uFEFF/, '').trim();
  if (!clean) return { lines: [], problem: t('dist.results.empty') };
  if (clean.startsWith('{') || clean.startsWith('[')) {
    let parsed;
    try {
      parsed = JSON.parse(clean);
    } catch {
      return { lines: [], problem: t('dist.results.bad_json') };
    }
    const list = Array.isArray(parsed) ? parsed : parsed.results;
    if (!Array.isArray(list)) return { lines: [], problem: t('dist.results.bad_json') };
    return {
      lines: list.map((r, i) => ({ line: i + 1, reference: String(r.reference || ''), status: STATUS_WORDS[String(r.status || '').trim()] || String(r.status || ''), reason: r.reason ? String(r.reason) : '' })),
    };
  }
  const rows = clean.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = splitCsvLine(rows[0]).map((h) => h.toLowerCase().replace(/^=|^'/, ''));
  const ref = header.indexOf('reference');
  const st = header.indexOf('status');
  const reason = header.indexOf('reason');
  if (ref < 0 || st < 0) return { lines: [], problem: t('dist.results.bad_header') };
  return {
    lines: rows.slice(1).map((row, i) => {
      const cells = splitCsvLine(row);
      const status = (cells[st] || '').toLowerCase();
      return { line: i + 2, reference: (cells[ref] || '').replace(/^'/, ''), status: STATUS_WORDS[status] || STATUS_WORDS[cells[st]] || status, reason: reason >= 0 ? cells[reason] || '' : '' };
    }),
  };
}

// The service's reason for refusing one line, in words.
function lineError(err) {
  const msg = err.message || '';
  if (err.code === 'result_recorded') return t('dist.results.err.recorded');
  if (/more than once/.test(msg)) return t('dist.results.err.duplicate');
  if (/not a payment line/.test(msg)) return t('dist.results.err.not_in_run');
  if (/must be paid or failed/.test(msg)) return t('dist.results.err.status');
  if (/required for a failed/.test(msg)) return t('dist.results.err.reason_required');
  if (/too long/.test(msg)) return t('dist.results.err.reason_long');
  return errorText(err);
}

export function PaymentResults({ run, onDone }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [report, setReport] = useState(null); // [{line, reference, status, outcome, error}]
  const [summary, setSummary] = useState(null);
  const [progress, setProgress] = useState(null);
  const [error, setError] = useState(null);
  const keys = useRef([]);
  const onFile = async (e) => {
    const f = e.currentTarget.files && e.currentTarget.files[0];
    setReport(null);
    setSummary(null);
    setError(null);
    if (!f) return;
    setFileName(f.name);
    setText(await f.text());
    keys.current = [];
  };
  const send = async () => {
    setError(null);
    setSummary(null);
    const { lines, problem } = parseResults(text);
    if (problem) {
      setError(problem);
      return;
    }
    const rows = lines.map((l) => ({ ...l, outcome: 'waiting' }));
    // Checked here first, so one bad line does not cost a round trip per batch.
    let bad = false;
    const seen = new Set();
    for (const l of rows) {
      let problem = null;
      if (!l.reference) problem = 'no_reference';
      else if (seen.has(l.reference)) problem = 'duplicate';
      else if (l.status !== 'paid' && l.status !== 'failed') problem = 'status';
      else if (l.status === 'failed' && !l.reason) problem = 'reason_required';
      seen.add(l.reference);
      if (problem) {
        l.outcome = 'error';
        l.error = t(`dist.results.err.${problem}`);
        bad = true;
      }
    }
    if (bad) {
      for (const l of rows) if (l.outcome === 'waiting') l.outcome = 'not_sent';
      setReport(rows);
      setSummary({ applied: 0, unchanged: 0, failedBatch: true });
      return;
    }
    setReport(rows);
    const batches = [];
    for (let i = 0; i < rows.length; i += 500) batches.push(rows.slice(i, i + 500));
    let applied = 0;
    let unchanged = 0;
    let last = null;
    setProgress({ done: 0, total: rows.length });
    for (let b = 0; b < batches.length; b++) {
      const batch = batches[b];
      keys.current[b] = keys.current[b] || newIdempotencyKey();
      const results = batch.map((l) => {
        const r = { reference: l.reference, status: l.status };
        if (l.reason && l.status === 'failed') r.reason = l.reason;
        return r;
      });
      try {
        last = await api.post(`${runPath(run.case_id, run.id)}/payment-results`, { results }, { idempotencyKey: keys.current[b], timeoutMs: 5 * 60 * 1000 });
        applied += last.applied || 0;
        unchanged += last.unchanged || 0;
        for (const l of batch) l.outcome = 'accepted';
      } catch (err) {
        const m = err.field ? /^results\[(\d+)\]/.exec(err.field) : null;
        const recorded = err.code === 'result_recorded' ? /payment (\S+) was/.exec(err.message || '') : null;
        const at = m ? Number(m[1]) : recorded ? batch.findIndex((l) => l.reference === recorded[1]) : -1;
        if (at >= 0 && batch[at]) {
          batch[at].outcome = 'error';
          batch[at].error = lineError(err);
          for (const l of batch) if (l.outcome === 'waiting') l.outcome = 'not_sent';
        } else {
          for (const l of batch) l.outcome = 'not_sent';
          setError(err);
        }
        for (const rest of batches.slice(b + 1)) for (const l of rest) l.outcome = 'not_sent';
        setReport([...rows]);
        setProgress(null);
        setSummary({ applied, unchanged, failedBatch: true });
        return;
      }
      setProgress({ done: Math.min(rows.length, (b + 1) * 500), total: rows.length });
      setReport([...rows]);
    }
    setProgress(null);
    setSummary({ applied, unchanged, open: last ? last.open_lines : null, reconciled: last ? last.reconciled : false });
    onDone && onDone();
  };
  return (
    <div class="dist-results">
      <h3>{t('dist.results.title')}</h3>
      <p class="hint">{t('dist.results.hint')}</p>
      <FileField label={t('dist.results.file')} hint={t('dist.results.file_hint')} accept=".csv,.json,text/csv,application/json" onChange={onFile} />
      {fileName ? <p class="hint">{t('dist.results.chosen', { name: fileName, lines: parseResults(text).lines.length })}</p> : null}
      <ErrorMessage error={error} scopes={DIST_ERRORS} />
      {progress ? <ProgressBar value={progress.done} max={progress.total} label={t('dist.results.progress')} /> : null}
      <div class="actions">
        <Button busy={!!progress} disabled={!text} onClick={send}>{t('dist.results.upload')}</Button>
      </div>
      {summary ? (
        <Notice kind={summary.failedBatch ? 'warning' : 'success'}>
          <p>
            {summary.failedBatch
              ? t('dist.results.stopped', { applied: summary.applied, unchanged: summary.unchanged })
              : t('dist.results.done', { applied: summary.applied, unchanged: summary.unchanged, open: summary.open ?? '—' })}
          </p>
          {summary.reconciled ? <p>{t('dist.pay.reconciled')}</p> : null}
        </Notice>
      ) : null}
      {report && report.length ? (
        <div class="table-wrap">
          <table class="stack" data-testid="results-report">
            <caption>{t('dist.results.report')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('dist.results.line')}</th>
                <th scope="col">{t('dist.results.reference')}</th>
                <th scope="col">{t('dist.results.status')}</th>
                <th scope="col">{t('dist.results.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {report.map((l) => (
                <tr key={l.line}>
                  <td data-label={t('dist.results.line')}>{l.line}</td>
                  <td data-label={t('dist.results.reference')}><code>{l.reference}</code></td>
                  <td data-label={t('dist.results.status')}>{t(`dist.results.st.${l.status}`) === `dist.results.st.${l.status}` ? l.status : t(`dist.results.st.${l.status}`)}{l.reason ? `（${l.reason}）` : ''}</td>
                  <td data-label={t('dist.results.outcome')} class={l.outcome === 'error' ? 'verify-bad' : l.outcome === 'accepted' ? 'verify-ok' : ''}>
                    {t(`dist.results.out.${l.outcome}`)}
                    {l.error ? `：${l.error}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
