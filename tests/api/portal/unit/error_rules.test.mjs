// The service names the rule a bad value broke (service/input_rules.h, sent as error.rule);
// the portal shows error.msg.<rule>. Every rule the service can name must have words in both
// languages, and the words must be what a claimant sees.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import en from '../../../../api/portal/src/i18n/en.js';
import zh from '../../../../api/portal/src/i18n/zh.js';

const HEADER = new URL('../../../../service/input_rules.h', import.meta.url).pathname;
const rules = [...readFileSync(HEADER, 'utf8').matchAll(/inline constexpr char k\w+\[\] = "([a-z_]+)";/g)].map((m) => m[1]);

test('input_rules.h names the rules', () => {
  assert.ok(rules.length >= 20, `only ${rules.length} rules found in ${HEADER}`);
  assert.equal(new Set(rules).size, rules.length, 'a rule name is used twice');
});

test('the OpenAPI document lists every rule, and no other', () => {
  const doc = JSON.parse(readFileSync(new URL('../../../../api/openapi.json', import.meta.url), 'utf8'));
  const text = doc.components.schemas.Error.properties.error.properties.rule.description;
  const listed = text.slice(text.indexOf(':') + 1, text.indexOf('(')).split(',').map((r) => r.trim());
  assert.deepEqual([...listed].sort(), [...rules].sort());
});

test('every rule has words in both languages', () => {
  for (const rule of rules) {
    assert.ok(zh[`error.msg.${rule}`], `zh lacks error.msg.${rule}`);
    assert.ok(en[`error.msg.${rule}`], `en lacks error.msg.${rule}`);
  }
});

test("a claimant sees the rule's words, not the service's English", async () => {
  // errors.js reads the language from localStorage (the browser's): give it one.
  globalThis.localStorage = { getItem: () => 'zh', setItem: () => {} };
  const { claimantErrorText } = await import('../../../../api/portal/src/pages/claimant/errors.js');
  const error = { code: 'validation_failed', field: 'identity.id_number', rule: 'id_check', message: 'has a wrong check character' };
  assert.equal(claimantErrorText(error), zh['error.msg.id_check']);
  // A rule the catalogue does not know falls back to the code's words.
  assert.equal(claimantErrorText({ ...error, rule: 'no_such_rule' }), zh['error.validation_failed']);
  // A specific code keeps its own words.
  assert.equal(claimantErrorText({ code: 'objection_window_closed', message: 'closed' }), zh['error.objection_window_closed']);
});
