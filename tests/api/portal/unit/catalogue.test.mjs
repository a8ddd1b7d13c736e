// The two catalogues (api/portal/src/i18n/zh.js, en.js) hold the same keys, no empty text,
// and every key the portal's source names literally — t('…'), tOr('…') — exists.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import en from '../../../../api/portal/src/i18n/en.js';
import zh from '../../../../api/portal/src/i18n/zh.js';

const SRC = new URL('../../../../api/portal/src/', import.meta.url).pathname;

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sources(path);
    if (name === 'i18n.js') return []; // the mechanism itself; its comments show examples
    return /\.jsx?$/.test(name) ? [path] : [];
  });
}

test('zh and en have the same keys and no empty strings', () => {
  assert.deepEqual(Object.keys(en).sort(), Object.keys(zh).sort());
  for (const [lang, catalogue] of Object.entries({ zh, en })) {
    for (const [key, text] of Object.entries(catalogue)) {
      assert.equal(typeof text, 'string', `${lang} ${key}`);
      // A few keys are deliberately empty (nothing to add in that state); none other.
      if (text === '') assert.ok(zh[key] === '' && en[key] === '', `${lang} ${key} is empty in one language only`);
    }
  }
});

test('placeholders agree between the languages', () => {
  const names = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const key of Object.keys(zh)) assert.deepEqual(names(en[key]), names(zh[key]), key);
});

test('every key named literally in the source is in the catalogue', () => {
  const missing = [];
  let seen = 0;
  for (const file of sources(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt(?:Or)?\(\s*'([a-z0-9_.]+)'/g)) {
      seen++;
      if (!(m[1] in zh)) missing.push(`${file.slice(SRC.length)}: ${m[1]}`);
    }
  }
  assert.ok(seen > 500, `only ${seen} literal keys found: is the scan broken?`);
  assert.deepEqual(missing, []);
});
