// The portal's money helpers: integer fen as BigInt, never a float.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fenToDecimal, formatMoney, parseAmount, parseYuan, sumFen } from '../../../../api/portal/src/money.js';

test('parseYuan takes what people type and refuses what is not an amount', () => {
  assert.equal(parseYuan('1234.5'), 123450n);
  assert.equal(parseYuan(' 1,234.56 '), 123456n);
  assert.equal(parseYuan('１２３．４'), 12340n);
  assert.equal(parseYuan('0.01'), 1n);
  assert.equal(parseYuan('9999999999999999.99'), 999999999999999999n);
  for (const bad of ['', '-1', '1.234', 'abc', '1e5', '.5', '1..2', '12345678901234567']) {
    assert.equal(parseYuan(bad), null, bad);
  }
});

test('sums are exact where floating point is not', () => {
  assert.equal(sumFen(['0.10', '0.20']), 30n);
  assert.equal(fenToDecimal(sumFen(['0.10', '0.20'])), '0.30');
  // 2^53 + 1 fen: a JavaScript number would lose the last fen.
  assert.equal(fenToDecimal(sumFen(['90071992547409.92', '0.01'])), '90071992547409.93');
  assert.equal(sumFen(['100.00', '-30.50']), 6950n);
});

test('formatting for people and for the API', () => {
  assert.equal(fenToDecimal(5n), '0.05');
  assert.equal(fenToDecimal(-12345n), '-123.45');
  assert.equal(formatMoney('1234567.8'), '¥1,234,567.80');
  assert.equal(formatMoney(-5n), '−¥0.05');
  assert.equal(formatMoney(null), '—');
  assert.equal(parseAmount('-0.50'), -50n);
});
