// api/portal/src/regions.js: region codes shown with the names the service sends.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseRegionName, regionLabel, regionWithCode } from '../../../../api/portal/src/regions.js';

const c = { regions: ['310104', '310108'], region_names: { 310104: '上海市徐汇区' } };

test('a claimant sees the place, or the code when it has no name', () => {
  assert.equal(regionLabel('310104', caseRegionName(c, '310104')), '上海市徐汇区');
  assert.equal(regionLabel('310108', caseRegionName(c, '310108')), '310108');
  assert.equal(regionLabel('310104', null), '310104');
});

test('staff see the code and the name', () => {
  assert.equal(regionWithCode('310104', caseRegionName(c, '310104')), '310104 上海市徐汇区');
  assert.equal(regionWithCode('310108', caseRegionName(c, '310108')), '310108');
});

test('a case without names, or no case yet, names nothing', () => {
  assert.equal(caseRegionName(null, '310104'), '');
  assert.equal(caseRegionName({ regions: ['310104'] }, '310104'), '');
  assert.equal(caseRegionName(c, '440106'), '');
});
