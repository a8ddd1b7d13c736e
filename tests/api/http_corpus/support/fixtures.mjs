// Set-up through the service's own API so that every path id of the corpus names a real
// row: a case with staff of every role, two claimants (one with a claim, evidence and an
// objection), assets (one sold, one frozen deposit taken into the pool) and a distribution run.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { send } from './client.mjs';
import { residentId } from '../../../support/resident_id.mjs';

export async function call(method, path, { token, body, expect, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
  if (method !== 'GET') h['Idempotency-Key'] = randomBytes(16).toString('hex');
  const payload = body === undefined || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const response = await send(method, path, { headers: h, body: payload });
  if (expect !== undefined) {
    assert.equal(response.status, expect, `set-up ${method} ${path}: ${response.text.slice(0, 400)}`);
  }
  return response;
}

async function login(username, password) {
  const r = await call('POST', '/api/v1/auth/login', { body: { username, password }, expect: 200 });
  return r.json.token;
}

async function smsCode(smsLog, phone) {
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    let lines = [];
    try {
      lines = readFileSync(smsLog, 'utf8').trim().split('\n').filter(Boolean);
    } catch {
      // Not written yet.
    }
    for (const line of lines.reverse()) {
      const message = JSON.parse(line);
      if (String(message.to || message.recipient || '').endsWith(phone.slice(-4))) {
        const m = /(?<!\d)\d{6}(?!\d)/.exec(message.text);
        if (m) return m[0];
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no SMS code for ${phone} in ${smsLog}`);
}

async function claimant(smsLog, phone) {
  const password = `Claimant-${randomBytes(6).toString('hex')}`;
  await call('POST', '/api/v1/claimants/register', { body: { phone, password }, expect: 202 });
  const code = await smsCode(smsLog, phone);
  const verified = await call('POST', '/api/v1/claimants/verify', { body: { phone, code } });
  assert.ok(verified.status < 300, `verify: ${verified.text}`);
  return login(phone, password);
}

// A bank card number with a valid Luhn check digit.
function bankCard(first18) {
  let sum = 0;
  [...first18].reverse().forEach((d, i) => {
    let v = Number(d) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  });
  return first18 + String((10 - (sum % 10)) % 10);
}

export function declaration(idFirst17, name, amount) {
  return {
    identity: {
      name,
      id_number: residentId(idFirst17),
      phone: '13900000000',
      bank_name: '中国工商银行',
      bank_account: bankCard('622202020000123456'),
    },
    region: '110105',
    accounts: [{ platform_account: `acct-${randomBytes(3).toString('hex')}`, channel: 'app' }],
    contributions: [{ date: '2019-05-01', amount }],
    returns: [],
  };
}

// Everything the corpus needs; ids and tokens by name.
export async function setUp({ adminPassword, smsLog, evidenceFile }) {
  const suffix = `${Date.now() % 100000}${randomBytes(1)[0]}`;
  const s = { tokens: {}, ids: {} };
  s.tokens.admin = await login('admin', adminPassword);
  const admin = s.tokens.admin;
  const created = await call('POST', '/api/v1/cases', {
    token: admin,
    expect: 201,
    body: {
      case_number: `（2026）京朝公经字第${suffix}号`,
      name: '语料测试案',
      lead_region: '110105',
      regions: ['110105', '310101'],
      registration_opens: '2020-01-01',
      registration_closes: '2099-12-31',
      objection_window_days: 30,
      countersign_threshold: '1000000.00',
    },
  });
  s.ids.case = created.json.id;
  const users = {};
  for (const [name, role, member] of [
    ['officer', 'officer', true],
    ['officer2', 'officer', true],
    ['outsider', 'officer', false],
    ['court', 'court', true],
    ['auditor', 'auditor', false],
  ]) {
    const username = `corpus.${name}.${suffix}`;
    const password = `Pw-${randomBytes(8).toString('hex')}`;
    const user = await call('POST', '/api/v1/users', {
      token: admin,
      expect: 201,
      body: { username, password, role },
    });
    users[name] = user.json.id;
    if (member) {
      await call('POST', `/api/v1/cases/${s.ids.case}/members`, {
        token: admin,
        expect: 201,
        body: { user_id: user.json.id, role },
      });
    }
    s.tokens[name] = await login(username, password);
  }
  s.ids.user = users.officer2;
  const c = s.ids.case;
  const officer = s.tokens.officer;

  // Claimants: one with a confirmed claim, one without any.
  const phoneBase = `13${String(Date.now()).slice(-8)}`;
  s.tokens.claimant = await claimant(smsLog, `${phoneBase}1`);
  s.tokens.claimant2 = await claimant(smsLog, `${phoneBase}2`);
  const claim = await call('POST', `/api/v1/cases/${c}/claims`, {
    token: s.tokens.claimant,
    expect: 201,
    body: declaration('11010519800101123', '张三', '50000.00'),
  });
  s.ids.claim = claim.json.id;
  const evidence = await call(
    'POST',
    `/api/v1/cases/${c}/claims/${s.ids.claim}/evidence?filename=statement.png`,
    {
      token: s.tokens.claimant,
      headers: { 'Content-Type': 'application/octet-stream' },
      body: readFileSync(evidenceFile),
      expect: 201,
    },
  );
  s.ids.evidence = evidence.json.id;
  await call('POST', `/api/v1/cases/${c}/claims/${s.ids.claim}/confirm`, {
    token: officer,
    body: { allowed_amount: '50000.00' },
    expect: 200,
  });
  const objection = await call('POST', `/api/v1/cases/${c}/claims/${s.ids.claim}/objections`, {
    token: s.tokens.claimant,
    body: { reason: '金额有误' },
    expect: 201,
  });
  s.ids.objection = objection.json.objection?.id ?? objection.json.id;

  // Assets: a deposit into the pool, a vehicle sold (its sale has a liquidation id).
  const deposit = await call('POST', `/api/v1/cases/${c}/assets`, {
    token: officer,
    expect: 201,
    body: {
      kind: 'frozen_deposit',
      description: '冻结账户余额',
      source: 'remaining_funds',
      holder: '某银行',
    },
  });
  await call('POST', `/api/v1/cases/${c}/assets/${deposit.json.id}/pool-transfer`, {
    token: officer,
    expect: 201,
    body: { amount: '100000.00', date: '2026-01-05' },
  });
  const vehicle = await call('POST', `/api/v1/cases/${c}/assets`, {
    token: officer,
    expect: 201,
    body: { kind: 'vehicle', description: '轿车一辆', source: 'remaining_funds', holder: '某车管所' },
  });
  s.ids.asset = vehicle.json.id;
  await call('POST', `/api/v1/cases/${c}/assets/${s.ids.asset}/valuations`, {
    token: officer,
    expect: 201,
    body: { amount: '21000.00', appraiser: '某评估公司', date: '2026-01-05' },
  });
  const sale = await call('POST', `/api/v1/cases/${c}/assets/${s.ids.asset}/liquidations`, {
    token: officer,
    body: { proceeds: '20000.00', costs: '500.00', date: '2026-01-06' },
  });
  assert.ok(sale.status < 300, `liquidation: ${sale.text}`);
  s.ids.liquidation = sale.json.liquidation?.id ?? sale.json.id;

  const run = await call('POST', `/api/v1/cases/${c}/distributions`, {
    token: officer,
    body: { amount: '10000.00', min_payment: '0.00' },
  });
  assert.ok(run.status < 300, `distribution draft: ${run.text}`);
  s.ids.run = run.json.id;
  s.raw = { claim: claim.json, objection: objection.json, sale: sale.json, run: run.json };
  return s;
}
