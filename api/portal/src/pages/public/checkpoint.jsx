// The ledger's current signed checkpoint, read in plain words: how many records the ledger
// holds, the root hash that fixes all of them, and the key that signed it.
import { api } from '../../api.js';
import { t } from '../../i18n.js';
import { Async, useAsync } from '../../components/ui.jsx';

// C2SP tlog-checkpoint in a signed note: origin, size, base64 root hash, [extensions], blank
// line, then "— <name> <signature>" lines.
export function parseCheckpoint(text) {
  const [body, sigs = ''] = String(text).split('\n\n');
  const lines = body.split('\n');
  const signatures = sigs
    .split('\n')
    .filter((l) => l.startsWith('\u2014 '))
    .map((l) => {
      const parts = l.slice(2).split(' ');
      return { name: parts[0], signature: parts[1] || '' };
    });
  return { origin: lines[0] || '', size: lines[1] || '', root: lines[2] || '', signatures };
}

export function CheckpointCard() {
  const state = useAsync(
    () => Promise.all([api.get('/api/v1/ledger/checkpoint', { as: 'text' }), api.get('/api/v1/ledger/key', { as: 'text' }).catch(() => '')]),
    [],
  );
  return (
    <section class="card" aria-labelledby="public-checkpoint-h" data-testid="public-checkpoint">
      <h2 id="public-checkpoint-h">{t('public.checkpoint.title')}</h2>
      <p>{t('public.checkpoint.intro')}</p>
      <Async state={state}>
        {([text, key]) => {
          const cp = parseCheckpoint(text);
          return (
            <div>
              <dl class="facts">
                <dt>{t('public.checkpoint.size')}</dt>
                <dd data-testid="checkpoint-size">{cp.size}</dd>
                <dt>{t('public.checkpoint.root')}</dt>
                <dd><code data-testid="checkpoint-root">{cp.root}</code></dd>
                <dt>{t('public.checkpoint.origin')}</dt>
                <dd><code>{cp.origin}</code></dd>
                <dt>{t('public.checkpoint.signed_by')}</dt>
                <dd>{cp.signatures.map((s) => s.name).join('、') || '—'}</dd>
                <dt>{t('public.checkpoint.key')}</dt>
                <dd><code>{key ? key.trim() : t('footer.key_unavailable')}</code></dd>
              </dl>
              <p class="hint">{t('public.checkpoint.hint')}</p>
              <details>
                <summary>{t('public.checkpoint.raw')}</summary>
                <pre class="dist-pre">{text}</pre>
              </details>
            </div>
          );
        }}
      </Async>
    </section>
  );
}
