// "Verify my record": fetch the signed checkpoint, the official key and an inclusion
// proof, check them in this browser (inclusion_proof.js) and say what it means.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { Button, Loading, PageTitle, TextField } from '../../components/ui.jsx';
import { t } from '../../i18n.js';
import { claimantErrorText } from './errors.js';
import {
  base64ToBytes,
  equalBytes,
  parseCheckpoint,
  parseVerifierKey,
  verifyCheckpointSignature,
  verifyInclusion,
} from './inclusion_proof.js';

// -> {verified, state, index, size, signature, error}
export async function verifyReceipt(given) {
  let receipt = given;
  if (receipt && receipt.leaf_hash && (receipt.ledger_index === null || receipt.ledger_index === undefined)) {
    // A receipt handed out while its entry waited in the queue: ask where it landed.
    try {
      receipt = await api.get('/api/v1/ledger/receipt', { query: { leaf_hash: receipt.leaf_hash } });
    } catch (err) {
      if (err.status === 404) return { verified: false, state: 'unknown_receipt' };
      if (err.status === 400) return { verified: false, state: 'bad_receipt' };
      throw err;
    }
  }
  if (!receipt || receipt.ledger_index === null || receipt.ledger_index === undefined) {
    return { verified: false, state: 'pending' };
  }
  const index = BigInt(receipt.ledger_index);
  let leaf;
  try {
    leaf = base64ToBytes(receipt.leaf_hash);
  } catch {
    leaf = null;
  }
  if (!leaf || leaf.length !== 32) return { verified: false, state: 'bad_receipt' };
  const [noteText, keyText] = await Promise.all([
    api.get('/api/v1/ledger/checkpoint', { as: 'text' }),
    api.get('/api/v1/ledger/key', { as: 'text' }).catch(() => null),
  ]);
  let cp;
  try {
    cp = parseCheckpoint(noteText);
  } catch {
    return { verified: false, state: 'bad_checkpoint' };
  }
  const size = cp.size;
  if (index >= size) return { verified: false, state: 'not_yet', index, size };
  let signature = 'unchecked';
  if (keyText) {
    try {
      const vkey = parseVerifierKey(keyText);
      if (vkey.name !== cp.origin) signature = 'invalid';
      else signature = await verifyCheckpointSignature(cp, vkey);
    } catch {
      signature = 'unchecked';
    }
  }
  const proof = await api.get('/api/v1/ledger/proof/inclusion', { query: { index: index.toString(), size: size.toString() } });
  let path;
  try {
    path = proof.hashes.map(base64ToBytes);
  } catch {
    return { verified: false, state: 'bad_proof', index, size, signature };
  }
  if (proof.leaf_hash && !equalBytes(base64ToBytes(proof.leaf_hash), leaf)) {
    return { verified: false, state: 'leaf_mismatch', index, size, signature };
  }
  const included = await verifyInclusion(index, size, leaf, path, cp.root);
  if (!included) return { verified: false, state: 'not_included', index, size, signature };
  if (signature === 'invalid' || signature === 'no_signature') return { verified: false, state: 'bad_signature', index, size, signature };
  return { verified: true, state: 'ok', index, size, signature };
}

export function VerifyResult({ result, onRetry }) {
  if (!result) return null;
  const { verified, state, index, size, signature } = result;
  const n = index !== undefined ? (index + 1n).toString() : '';
  const m = size !== undefined ? size.toString() : '';
  return (
    <div
      class={`alert ${verified ? 'alert-success' : state === 'pending' || state === 'not_yet' ? 'alert-warning' : 'alert-error'} claimant-verify`}
      role="status"
      data-testid="verify-result"
      data-verified={verified ? 'true' : 'false'}
      data-state={state}
    >
      <p class={verified ? 'verify-ok' : state === 'pending' || state === 'not_yet' ? undefined : 'verify-bad'}>
        <strong>{t(`verify.result.${state}`, { n, m, index: index !== undefined ? index.toString() : '' })}</strong>
      </p>
      {verified ? <p>{t('verify.explain_ok')}</p> : null}
      {signature && state !== 'pending' ? <p>{t(`verify.signature.${signature}`)}</p> : null}
      {(state === 'pending' || state === 'not_yet' || state === 'error') && onRetry ? (
        <Button variant="secondary" onClick={onRetry}>
          {t('verify.retry')}
        </Button>
      ) : null}
    </div>
  );
}

// A button that verifies one receipt and shows the result under it.
export function VerifyReceipt({ receipt, label, onRefresh }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const run = async () => {
    setBusy(true);
    try {
      let r = receipt;
      if ((r.pending || r.ledger_index === null) && onRefresh) r = (await onRefresh()) || r;
      setResult(await verifyReceipt(r));
    } catch (err) {
      setResult({ verified: false, state: 'error', error: err });
    }
    setBusy(false);
  };
  return (
    <div class="claimant-verify-one">
      <Button variant="secondary" busy={busy} onClick={run}>
        {label || t('verify.button')}
      </Button>
      {busy ? <Loading label={t('verify.checking')} /> : null}
      {result && result.state === 'error' ? <p class="field-error">{claimantErrorText(result.error)}</p> : null}
      <VerifyResult result={result} onRetry={run} />
    </div>
  );
}

// Accepts the two numbers, or a pasted receipt ({"ledger_index":…,"leaf_hash":…}).
function parsePasted(text) {
  try {
    const o = JSON.parse(text);
    const r = o && o.receipt ? o.receipt : o;
    if (r && 'leaf_hash' in r) return r;
  } catch {
    // Not JSON: the plain hash.
  }
  return null;
}

export function VerifyForm({ initialIndex = '', initialHash = '' }) {
  const [index, setIndex] = useState(initialIndex);
  const [hash, setHash] = useState(initialHash);
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const run = async (e) => {
    if (e) e.preventDefault();
    const pasted = parsePasted(hash) || parsePasted(index);
    const receipt = pasted || { ledger_index: index.trim() === '' ? null : index.trim(), leaf_hash: hash.trim() };
    const fe = {};
    if (!pasted) {
      if (receipt.ledger_index !== null && !/^\d+$/.test(receipt.ledger_index)) fe.index = t('verify.index_bad');
      let ok = false;
      try {
        ok = base64ToBytes(receipt.leaf_hash).length === 32;
      } catch {
        ok = false;
      }
      if (!ok) fe.hash = t('verify.hash_bad');
    }
    setErrors(fe);
    setError(null);
    if (Object.keys(fe).length) return;
    setBusy(true);
    setResult(null);
    try {
      setResult(await verifyReceipt(receipt));
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };
  return (
    <form onSubmit={run} noValidate>
      <TextField label={t('verify.index')} hint={t('verify.index_hint')} inputmode="numeric" autocomplete="off" value={index} onInput={setIndex} error={errors.index} />
      <TextField label={t('verify.hash')} hint={t('verify.hash_hint')} autocomplete="off" spellcheck={false} value={hash} onInput={setHash} error={errors.hash} required />
      <div class="actions">
        <Button type="submit" busy={busy}>
          {t('verify.button')}
        </Button>
      </div>
      {busy ? <Loading label={t('verify.checking')} /> : null}
      {error ? (
        <div class="alert alert-error" role="alert">
          <p>{claimantErrorText(error)}</p>
          <Button variant="secondary" onClick={run}>
            {t('common.retry')}
          </Button>
        </div>
      ) : null}
      <VerifyResult result={result} onRetry={run} />
    </form>
  );
}

export function VerifyPage() {
  return (
    <section class="claimant-narrow">
      <PageTitle>{t('verify.title')}</PageTitle>
      <p>{t('verify.intro')}</p>
      <VerifyForm />
      <h2>{t('verify.how_title')}</h2>
      <p>{t('verify.how')}</p>
    </section>
  );
}
