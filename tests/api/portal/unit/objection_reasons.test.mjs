// api/portal/src/objection_reasons.js: the reasons offered against each decision match the
// service's rule (ObjectionReasonFits), and timeline events find their catalogue key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OBJECTION_REASONS, eventReasonKey, objectionReasonsFor } from '../../../../api/portal/src/objection_reasons.js';
import zh from '../../../../api/portal/src/i18n/zh.js';

test('a confirmation can be called wrong in amount, a rejection wrong to reject', () => {
  assert.deepEqual(objectionReasonsFor('confirmed'), ['amount_wrong', 'records_missing', 'returns_overcounted', 'other']);
  assert.deepEqual(objectionReasonsFor('rejected'), ['wrongly_rejected', 'records_missing', 'returns_overcounted', 'other']);
});

test('every reason has a label', () => {
  for (const code of OBJECTION_REASONS) assert.ok(zh[`objection.kind.${code}`], code);
});

test("an objection's event is labelled as an objection, a rejection's as a rejection", () => {
  assert.equal(eventReasonKey('objection_lodged', 'records_missing', 'claim.reject_reason'), 'objection.kind.records_missing');
  assert.equal(eventReasonKey('rejected', 'net_winner', 'claim.reject_reason'), 'claim.reject_reason.net_winner');
  assert.ok(zh[eventReasonKey('rejected', 'net_winner', 'claim.reject_reason')]);
});
