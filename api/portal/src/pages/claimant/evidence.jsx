// Evidence files of a claim: the list, and an uploader with a progress bar per file
// (PDF, JPEG or PNG, at most 10 MiB each, 20 per claim).
import { useRef, useState } from 'preact/hooks';
import { api, newIdempotencyKey } from '../../api.js';
import { Button, ProgressBar } from '../../components/ui.jsx';
import { formatDateTime, t } from '../../i18n.js';
import { claimantErrorText } from './errors.js';

const MAX_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png';

export function fileSize(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

export function EvidenceList({ items, caseId, claimId }) {
  if (!items || items.length === 0) return <p>{t('evidence.none')}</p>;
  return (
    <ul class="claimant-evidence">
      {items.map((e) => (
        <li key={e.id} data-testid="evidence-item">
          <a href={`/api/v1/cases/${caseId}/claims/${claimId}/evidence/${e.id}`} onClick={(ev) => download(ev, caseId, claimId, e)}>
            {e.filename}
          </a>{' '}
          <span class="hint">
            {t(`evidence.purpose.${e.purpose}`)} · {fileSize(e.size)} · {formatDateTime(e.uploaded_at)}
          </span>
        </li>
      ))}
    </ul>
  );
}

// The file needs the bearer token, so it is fetched and handed to the browser as a blob.
async function download(ev, caseId, claimId, e) {
  ev.preventDefault();
  try {
    const blob = await api.get(`/api/v1/cases/${caseId}/claims/${claimId}/evidence/${e.id}`, { as: 'blob' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = e.filename;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch {
    // The list stays; the claimant can try again.
  }
}

// One row per chosen file: name, progress, result. onUploaded(evidence) after each success.
export function EvidenceUploader({ caseId, claimId, onUploaded, allowAuthority }) {
  const [rows, setRows] = useState([]);
  const [purpose, setPurpose] = useState('evidence');
  const input = useRef(null);
  const update = (id, patch) => setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  const uploadOne = async (row) => {
    update(row.id, { state: 'sending', sent: 0, total: row.file.size, error: null });
    const form = new FormData();
    form.append('file', row.file, row.file.name);
    form.append('purpose', row.purpose);
    try {
      const res = await api.upload(`/api/v1/cases/${caseId}/claims/${claimId}/evidence`, form, {
        idempotencyKey: row.key,
        onProgress: (sent, total) => update(row.id, { sent, total: total || row.file.size }),
      });
      update(row.id, { state: 'done', sent: row.file.size });
      if (onUploaded) onUploaded(res);
    } catch (err) {
      // A definite refusal will not change on retry with the same key: use a new one.
      const refused = err.status >= 400 && err.status < 500 && err.status !== 429;
      update(row.id, { state: 'error', error: err, key: refused ? newIdempotencyKey() : row.key });
    }
  };

  const choose = (e) => {
    const files = Array.from(e.currentTarget.files || []);
    e.currentTarget.value = '';
    const added = files.map((file, i) => ({
      id: `${Date.now()}-${i}-${Math.random()}`,
      file,
      purpose,
      key: newIdempotencyKey(),
      state: file.size > MAX_BYTES ? 'too_big' : 'queued',
      sent: 0,
      total: file.size,
      error: null,
    }));
    setRows((rs) => [...rs, ...added]);
    (async () => {
      for (const row of added) if (row.state === 'queued') await uploadOne(row);
    })();
  };

  const inputId = `evidence-file-${claimId}`;
  return (
    <div class="claimant-uploader">
      {allowAuthority ? (
        <fieldset class="claimant-fieldset">
          <legend>{t('evidence.purpose_label')}</legend>
          {['evidence', 'authority'].map((p) => (
            <label key={p} class="claimant-radio">
              <input type="radio" name={`purpose-${claimId}`} value={p} checked={purpose === p} onChange={() => setPurpose(p)} />
              {t(`evidence.purpose.${p}`)}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div class="field">
        <label for={inputId}>{t('evidence.choose')}</label>
        <p class="hint" id={`${inputId}-hint`}>
          {t('evidence.hint')}
        </p>
        <input id={inputId} ref={input} type="file" accept={ACCEPT} multiple onChange={choose} aria-describedby={`${inputId}-hint`} />
      </div>
      {rows.length ? (
        <ul class="claimant-uploads" aria-live="polite">
          {rows.map((r) => (
            <li key={r.id} class={`claimant-upload claimant-upload-${r.state}`}>
              <strong>{r.file.name}</strong> <span class="hint">{fileSize(r.file.size)}</span>
              {r.state === 'sending' || r.state === 'queued' ? <ProgressBar value={r.sent} max={r.total} label={t('evidence.uploading')} /> : null}
              {r.state === 'done' ? <p class="verify-ok">✓ {t('evidence.uploaded')}</p> : null}
              {r.state === 'too_big' ? <p class="field-error">{t('error.msg.file_too_big')}</p> : null}
              {r.state === 'error' ? (
                <div class="field-error" role="alert">
                  <p>{claimantErrorText(r.error)}</p>
                  <Button variant="secondary" onClick={() => uploadOne(r)}>
                    {t('evidence.retry')}
                  </Button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
