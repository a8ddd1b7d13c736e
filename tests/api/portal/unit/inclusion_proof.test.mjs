// The browser's receipt check (api/portal/src/pages/claimant/inclusion_proof.js) against an
// independent Merkle tree built here with node:crypto, the known answers of ledger/FORMAT.md,
// and its worked example of a signed checkpoint.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  leafHash,
  parseCheckpoint,
  parseVerifierKey,
  verifyCheckpointSignature,
  verifyInclusion,
} from '../../../../api/portal/src/pages/claimant/inclusion_proof.js';

const sha = (...parts) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts.map((p) => Buffer.from(p)))).digest());
const leaf = (data) => sha([0], data);
const node = (l, r) => sha([1], l, r);
const hex = (b) => Buffer.from(b).toString('hex');
const split = (n) => 2 ** Math.floor(Math.log2(n - 1)); // largest power of two < n

function mth(leaves) {
  if (leaves.length === 1) return leaves[0];
  const k = split(leaves.length);
  return node(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

// RFC 9162 §2.1.3.1 PATH(m, D[n]).
function path(m, leaves) {
  if (leaves.length === 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...path(m, leaves.slice(0, k)), mth(leaves.slice(k))]
    : [...path(m - k, leaves.slice(k)), mth(leaves.slice(0, k))];
}

test('leaf and tree hashes match the known answers of ledger/FORMAT.md', async () => {
  assert.equal(hex(await leafHash(new Uint8Array())), '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
  const abc = ['a', 'b', 'c'].map((s) => leaf(Buffer.from(s)));
  assert.equal(hex(mth(abc.slice(0, 2))), 'b137985ff484fb600db93107c77b0365c80d78f5b429ded0fd97361d077999eb');
  assert.equal(hex(mth(abc)), '36642e73c2540ab121e3a6bf9545b0a24982cd830eb13d3cd19de3ce6c021ec1');
});

test('every proof of every tree up to 17 leaves verifies, and no altered one does', async () => {
  const leaves = Array.from({ length: 17 }, (_, i) => leaf(Buffer.from(`entry ${i}`)));
  for (let size = 1; size <= leaves.length; size++) {
    const tree = leaves.slice(0, size);
    const root = mth(tree);
    for (let index = 0; index < size; index++) {
      const p = path(index, tree);
      assert.equal(await verifyInclusion(index, size, tree[index], p, root), true, `${index}/${size}`);
      // The wrong leaf, the wrong index, a flipped bit in the path, a path cut short.
      const other = tree[(index + 1) % size];
      if (size > 1) assert.equal(await verifyInclusion(index, size, other, p, root), false);
      if (size > 1) assert.equal(await verifyInclusion((index + 1) % size, size, tree[index], p, root), false);
      if (p.length > 0) {
        const flipped = p.map((h) => h.slice());
        flipped[p.length - 1][0] ^= 1;
        assert.equal(await verifyInclusion(index, size, tree[index], flipped, root), false);
        assert.equal(await verifyInclusion(index, size, tree[index], p.slice(1), root), false);
      }
    }
    assert.equal(await verifyInclusion(size, size, tree[0], [], root), false, 'index past the tree');
  }
});

const EXAMPLE_KEY = 'example.org/ledger+c50c040d+AXm1Vi6P5lT5QHixEuipi6eQH4U65pW+1+DjkQutBJZk';
const EXAMPLE_NOTE =
  'example.org/ledger\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n\n' +
  '\u2014 example.org/ledger xQwEDWJFiONkaJXXSUS8n10RqrFWdIsaFYNY14ImlIel0CO+LSEqMzJOEW2dzXomtYJice6D9icaUo7JyiNCz9VGVg0=\n';

test('the worked example of a signed checkpoint parses and its signature verifies', async () => {
  const checkpoint = parseCheckpoint(EXAMPLE_NOTE);
  assert.equal(checkpoint.origin, 'example.org/ledger');
  assert.equal(checkpoint.size, 0n);
  assert.equal(hex(checkpoint.root), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  const vkey = parseVerifierKey(EXAMPLE_KEY);
  assert.equal(await verifyCheckpointSignature(checkpoint, vkey), 'valid');

  // One character of the body changed: the same signature no longer fits.
  const forged = parseCheckpoint(EXAMPLE_NOTE.replace('\n0\n', '\n1\n'));
  assert.equal(await verifyCheckpointSignature(forged, vkey), 'invalid');
});
