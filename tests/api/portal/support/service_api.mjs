// Set-up the browser tests do through the service's own API (as an administrator or a
// clerk would), so that each browser step starts from a known state. Node's fetch trusts
// the stack's self-signed certificate through NODE_EXTRA_CA_CERTS.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const BASE = process.env.PORTAL_BASE_URL;

export async function call(method, path, { token, body, expect } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET') headers['Idempotency-Key'] = randomBytes(16).toString('hex');
  for (let attempt = 0; ; attempt++) {
    const response = await fetch(BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    // nginx's per-address limit: the set-up is a burst of requests from one address.
    if (response.status === 429 && attempt < 20) {
      await new Promise((r) => setTimeout(r, 500));
      continue;
    }
    const json = text ? JSON.parse(text) : null;
    if (expect !== undefined) {
      assert.equal(response.status, expect, `${method} ${path}: ${text.slice(0, 400)}`);
    }
    return { status: response.status, json, text };
  }
}

export async function login(username, password) {
  const r = await call('POST', '/api/v1/auth/login', { body: { username, password }, expect: 200 });
  return r.json.token;
}

export { residentId } from '../../../support/resident_id.mjs';

// The six-digit code of the latest SMS sent to phone, from the stack's file outbox.
export async function waitForSmsCode(smsLog, phone, after = 0, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let lines = [];
    try {
      lines = readFileSync(smsLog, 'utf8').trim().split('\n').slice(after);
    } catch {
      // Not written yet.
    }
    for (const line of lines.reverse()) {
      if (!line) continue;
      const message = JSON.parse(line);
      if (String(message.to || message.recipient || '').endsWith(phone.slice(-4))) {
        const m = /(?<!\d)\d{6}(?!\d)/.exec(message.text);
        if (m) return m[0];
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no SMS code for ${phone} in ${smsLog}`);
}

export function smsLineCount(smsLog) {
  try {
    return readFileSync(smsLog, 'utf8').trim().split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

// A case open for registration with two officers and a court user bound to it.
export async function caseWithStaff(adminToken, suffix) {
  const region = '110105';
  const created = await call('POST', '/api/v1/cases', {
    token: adminToken,
    expect: 201,
    body: {
      case_number: `（2026）京朝公经字第${suffix}号`,
      name: '某理财平台非法集资案',
      lead_region: region,
      regions: [region, '310101'],
      registration_opens: '2020-01-01',
      registration_closes: '2099-12-31',
      objection_window_days: 30,
      countersign_threshold: '1000000.00',
    },
  });
  const caseId = created.json.id;
  const staff = {};
  for (const [name, role] of [
    ['officer_a', 'officer'],
    ['officer_b', 'officer'],
    ['judge', 'court'],
  ]) {
    const username = `${name.replace('_', '.')}.${suffix}`;
    const password = `Pw-${randomBytes(8).toString('hex')}`;
    const user = await call('POST', '/api/v1/users', {
      token: adminToken,
      expect: 201,
      body: { username, password, role },
    });
    await call('POST', `/api/v1/cases/${caseId}/members`, {
      token: adminToken,
      expect: 201,
      body: { user_id: user.json.id, role },
    });
    staff[name] = { username, password, id: user.json.id };
  }
  return { caseId, region, staff };
}

// Money into the case's pool the way a task force takes in a frozen bank deposit.
export async function fundPool(officerToken, caseId, amount) {
  const asset = await call('POST', `/api/v1/cases/${caseId}/assets`, {
    token: officerToken,
    expect: 201,
    body: { kind: 'frozen_deposit', description: '冻结账户余额', source: 'remaining_funds', holder: '某银行' },
  });
  await call('POST', `/api/v1/cases/${caseId}/assets/${asset.json.id}/pool-transfer`, {
    token: officerToken,
    expect: 201,
    body: { amount, date: '2026-01-05' },
  });
}
