// Checking a ledger receipt in the browser, with nothing but WebCrypto: the signed
// checkpoint (C2SP tlog-checkpoint in a C2SP signed note), the RFC 9162 inclusion proof
// (§2.1.3.2) and, where the browser has Ed25519, the checkpoint's signature against the
// official verifier key. Pure functions: they fetch nothing and touch no page.

export function base64ToBytes(text) {
  const bin = atob(String(text).trim());
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function equalBytes(a, b) {
  if (!a || !b || a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function concat(...parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

// RFC 9162 §2.1.1: SHA-256(0x00 || entry) and SHA-256(0x01 || left || right).
export function leafHash(entryBytes) {
  return sha256(concat(new Uint8Array([0]), entryBytes));
}

export function nodeHash(left, right) {
  return sha256(concat(new Uint8Array([1]), left, right));
}

// RFC 9162 §2.1.3.2, step by step. index and size are BigInt-able (indices may exceed
// 2^53). Returns the computed root, or null when the proof cannot be valid.
export async function rootFromInclusionProof(index, size, leaf, path) {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (BigInt(index) >= BigInt(size)) return null;
  let r = leaf;
  for (const p of path) {
    if (p.length !== 32) return null;
    if (sn === 0n) return null;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) return null;
  return r;
}

export async function verifyInclusion(index, size, leaf, path, root) {
  const computed = await rootFromInclusionProof(index, size, leaf, path);
  return computed !== null && equalBytes(computed, root);
}

// A signed note: body lines, one empty line, signature lines "— name base64".
// Returns {body, origin, size (BigInt), root (bytes), signatures: [{name, keyId, sig}]}
// or throws Error('checkpoint_malformed').
export function parseCheckpoint(text) {
  const bad = () => new Error('checkpoint_malformed');
  const split = text.indexOf('\n\n');
  if (split < 0) throw bad();
  const body = text.slice(0, split + 1);
  const lines = body.split('\n');
  lines.pop();
  if (lines.length < 3) throw bad();
  const [origin, sizeText, rootText] = lines;
  if (!origin || !/^(0|[1-9][0-9]*)$/.test(sizeText)) throw bad();
  let root;
  try {
    root = base64ToBytes(rootText);
  } catch {
    throw bad();
  }
  if (root.length !== 32) throw bad();
  const signatures = [];
  for (const line of text.slice(split + 2).split('\n')) {
    if (!line) continue;
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    if (!m) throw bad();
    let raw;
    try {
      raw = base64ToBytes(m[2]);
    } catch {
      throw bad();
    }
    if (raw.length < 5) continue;
    signatures.push({ name: m[1], keyId: raw.slice(0, 4), sig: raw.slice(4) });
  }
  return { body, origin, size: BigInt(sizeText), root, signatures };
}

// "name+hexid+base64(0x01 || pubkey)" -> {name, keyId (4 bytes), publicKey (32 bytes)}.
export function parseVerifierKey(text) {
  const parts = String(text).trim().split('+');
  if (parts.length < 3) throw new Error('key_malformed');
  const b64 = parts.slice(2).join('+');
  const [name, hexId] = parts;
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new Error('key_malformed');
  const raw = base64ToBytes(b64);
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('key_malformed');
  const keyId = new Uint8Array(hexId.match(/../g).map((h) => parseInt(h, 16)));
  return { name, keyId, publicKey: raw.slice(1) };
}

// key id = first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key).
export async function computeKeyId(name, publicKey) {
  const digest = await sha256(concat(new TextEncoder().encode(name), new Uint8Array([0x0a, 0x01]), publicKey));
  return digest.slice(0, 4);
}

// 'valid' | 'invalid' | 'unsupported' (the browser has no Ed25519) | 'no_signature'.
export async function verifyCheckpointSignature(checkpoint, vkey) {
  const expectedId = await computeKeyId(vkey.name, vkey.publicKey);
  if (!equalBytes(expectedId, vkey.keyId)) return 'invalid';
  const lines = checkpoint.signatures.filter((s) => s.name === vkey.name && equalBytes(s.keyId, vkey.keyId));
  if (lines.length === 0) return 'no_signature';
  let key;
  try {
    key = await crypto.subtle.importKey('raw', vkey.publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unsupported';
  }
  const message = new TextEncoder().encode(checkpoint.body);
  for (const line of lines) {
    let ok = false;
    try {
      ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, line.sig, message);
    } catch {
      return 'unsupported';
    }
    if (!ok) return 'invalid';
  }
  return 'valid';
}
