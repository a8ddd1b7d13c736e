// The claim's evidence files, fetched with the officer's token (never a bare link) and
// shown inline: images as <img>, PDFs in an <iframe>, both from blob: URLs revoked when
// the page goes away.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, ErrorMessage, Loading, useAsync } from '../../components/ui.jsx';
import { formatDateTime, t } from '../../i18n.js';
import { apiCase } from './common.jsx';

function formatSize(bytes) {
  if (bytes >= 1048576) return `${(bytes / 1048576).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}

function EvidenceFile({ caseId, claimId, file }) {
  const [state, setState] = useState({ url: null, error: null, loading: false });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let url = null;
    let alive = true;
    setState({ url: null, error: null, loading: true });
    api
      .get(`${apiCase(caseId)}/claims/${claimId}/evidence/${file.id}`, { as: 'blob', timeoutMs: 120000 })
      .then((blob) => {
        url = URL.createObjectURL(blob);
        if (alive) setState({ url, error: null, loading: false });
        else URL.revokeObjectURL(url);
      })
      .catch((error) => alive && setState({ url: null, error, loading: false }));
    return () => {
      alive = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [caseId, claimId, file.id, tick]);
  const isPdf = file.media_type === 'application/pdf';
  const name = file.filename || `evidence-${file.id}`;
  return (
    <figure class="office-evidence" data-testid="evidence-file">
      <figcaption>
        <strong>{name}</strong>{' '}
        <span class="hint">
          {t(`review.evidence.purpose.${file.purpose || 'evidence'}`)} · {formatSize(file.size)} ·{' '}
          {formatDateTime(file.uploaded_at)}
        </span>
      </figcaption>
      {state.loading ? <Loading label={t('review.evidence.loading')} /> : null}
      {state.error ? <ErrorMessage error={state.error} onRetry={() => setTick((n) => n + 1)} /> : null}
      {state.url ? (
        isPdf ? (
          <iframe class="office-evidence-pdf" src={state.url} title={t('review.evidence.pdf_title', { name })} />
        ) : (
          <img class="office-evidence-img" src={state.url} alt={t('review.evidence.img_alt', { name })} />
        )
      ) : null}
      {state.url ? (
        <p>
          <a href={state.url} download={name} class="btn btn-secondary">
            {t('review.evidence.download', { name })}
          </a>
        </p>
      ) : null}
      <p class="hint mono office-hash">SHA-256 {file.sha256}</p>
    </figure>
  );
}

export function EvidenceViewer({ caseId, claimId }) {
  const state = useAsync(() => api.get(`${apiCase(caseId)}/claims/${claimId}/evidence`), [caseId, claimId]);
  const [open, setOpen] = useState(true);
  return (
    <section class="card" aria-labelledby="evidence-h">
      <h2 id="evidence-h">{t('review.evidence.title')}</h2>
      {state.error ? (
        state.error.status === 404 ? (
          <p>{t('review.evidence.not_allowed')}</p>
        ) : (
          <ErrorMessage error={state.error} onRetry={state.reload} />
        )
      ) : state.loading && !state.data ? (
        <Loading />
      ) : state.data.evidence.length === 0 ? (
        <p>{t('review.evidence.none')}</p>
      ) : (
        <>
          <Button variant="secondary" aria-expanded={open ? 'true' : 'false'} onClick={() => setOpen(!open)}>
            {open ? t('review.evidence.hide') : t('review.evidence.show', { n: state.data.evidence.length })}
          </Button>
          {open ? (
            <div class="office-evidence-list">
              {state.data.evidence.map((f) => (
                <EvidenceFile key={f.id} caseId={caseId} claimId={claimId} file={f} />
              ))}
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}
