// Load driver of the fault tests (tests/faults/*.sh): claimants declaring claims, officers
// moving money through the pool, rounds of distribution — over HTTPS through nginx, with
// keep-alive connections spread over many loopback source addresses (nginx limits requests
// per address; a rush comes from many). Every write carries an Idempotency-Key and is retried
// with the same key after a network error, 5xx or 429 until it gets an answer, so a request
// in flight when a process is killed is either replayed or done exactly once. Each 2xx is
// appended to a client-side log that `check` compares with the database afterwards.
//
//   node driver.mjs setup STATE CLAIMANTS CASES
//   node driver.mjs declare STATE LOG CONCURRENCY [STOP]   (until the file STOP exists)
//   node driver.mjs money STATE LOG OPS CONCURRENCY [STOP]
//   node driver.mjs prepare STATE CLAIM_LOG          (confirm the last case's claims, fund it)
//   node driver.mjs distribute STATE LOG ROUNDS [STOP]
//   node driver.mjs probe STATE SECONDS MAX_MS       (ordinary requests; slow-client test)
//   node driver.mjs slow STATE CONNECTIONS SECONDS   (clients sending one byte a second)
//   node driver.mjs check STATE LOG...               (client logs against the database)
//   node driver.mjs declaration N...                 (claimant N's ID number, principal, body)
// Environment: BASE_URL, SMS_LOG, ADMIN_PASSWORD, SQL_SOCKET, DB_NAME, NODE_EXTRA_CA_CERTS;
// SOURCE_ADDRESSES (default 64, at most 4096): how many loopback addresses the load comes from.
// bench/rush.sh uses `setup` and `check` around its load generator (bench/rush_load).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { residentId } from '../support/resident_id.mjs';

const BASE = new URL(process.env.BASE_URL);
const SOURCE_ADDRESSES = Math.min(Math.max(Number(process.env.SOURCE_ADDRESSES) || 64, 1), 4096);
// 127.0.1.1, 127.0.1.2, …, 127.0.1.254, 127.0.2.1, …: all loopback.
const agents = Array.from(
  { length: SOURCE_ADDRESSES },
  (_, i) =>
    new https.Agent({
      keepAlive: true,
      maxSockets: 8,
      localAddress: `127.0.${1 + Math.floor(i / 254)}.${(i % 254) + 1}`,
    }),
);
let nextAgent = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const newKey = () => randomBytes(16).toString('hex');

// Every answer seen, by status, and the bodies of 5xx answers that were not JSON errors.
const statusCounts = {};
const garbage = [];

function once(method, path, { token, body, key, agent }) {
  return new Promise((resolve) => {
    const headers = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    if (key) headers['Idempotency-Key'] = key;
    const started = performance.now();
    const req = https.request(
      {
        host: BASE.hostname,
        port: BASE.port,
        method,
        path,
        headers,
        agent: agent || agents[nextAgent++ % agents.length],
        timeout: 30000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json = null;
          try {
            json = text ? JSON.parse(text) : null;
          } catch {
            json = null;
          }
          const ms = performance.now() - started;
          resolve({ status: res.statusCode, json, text, headers: res.headers, ms });
        });
        res.on('error', (e) => resolve({ status: 0, error: e.message, ms: 0 }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, error: e.message, ms: performance.now() - started }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function count(r) {
  statusCounts[r.status] = (statusCounts[r.status] || 0) + 1;
  if (r.status >= 500 && !(r.json && r.json.error && r.json.error.code)) {
    if (garbage.length < 20) garbage.push({ status: r.status, body: (r.text || '').slice(0, 200) });
  }
}

// A request retried (same Idempotency-Key) until it gets a definite answer: not a network
// error, not a 5xx (killed server, database down), not a 429. Gives up after 120 s.
async function call(method, path, opts = {}) {
  const deadline = Date.now() + 120000;
  for (let attempt = 0; ; attempt++) {
    const r = await once(method, path, opts);
    count(r);
    if (r.status !== 0 && r.status < 500 && r.status !== 429) return r;
    if (Date.now() > deadline) return r;
    await sleep(Math.min(50 * 2 ** Math.min(attempt, 3), 300));
  }
}

async function must(method, path, opts, expect) {
  const r = await call(method, path, { key: method === 'GET' ? undefined : newKey(), ...opts });
  assert.equal(r.status, expect, `${method} ${path}: ${r.status} ${r.error || r.text?.slice(0, 300)}`);
  return r.json;
}

// Runs worker over items, concurrency at a time; stops taking new items once stopFile exists.
async function pool(concurrency, items, worker, stopFile) {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async (_, runner) => {
    while (next < items.length && !(stopFile && existsSync(stopFile))) {
      const i = next++;
      await worker(items[i], i, runner);
    }
  });
  await Promise.all(runners);
}

const fen = (s) => {
  const neg = s.startsWith('-');
  const [yuan, cents = '0'] = (neg ? s.slice(1) : s).split('.');
  const v = BigInt(yuan) * 100n + BigInt(cents.padEnd(2, '0'));
  return neg ? -v : v;
};
const yuan = (f) => `${f / 100n}.${String(f % 100n).padStart(2, '0')}`;

// Sequence n (0..99999) → a valid ID number, a different one for each n: 1000 sequence numbers
// a birth day, 28 days a month, a new month every 28000.
function idNumber(n) {
  const month = 1 + Math.floor(n / 28000);
  const day = 1 + (Math.floor(n / 1000) % 28);
  return residentId(`31010419800${month}${String(day).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`);
}

// Claimant n's declared principal: "1000.00" .. "9999.99".
function principalOf(n) {
  return `${1000 + ((n * 37) % 9000)}.${String(n % 100).padStart(2, '0')}`;
}

function declaration(n, principal) {
  return {
    identity: {
      name: '王五',
      id_number: idNumber(n),
      phone: '13800138000',
      bank_name: '中国工商银行',
      bank_account: '6222020200112233446',
    },
    region: '310104',
    accounts: [{ platform_account: `u${n}`, channel: 'app' }],
    contributions: [{ date: '2024-03-01', amount: principal }],
    returns: [],
  };
}

function smsCode(phone) {
  let lines = [];
  try {
    lines = readFileSync(process.env.SMS_LOG, 'utf8').trim().split('\n');
  } catch {
    return null;
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]) continue;
    let m;
    try {
      m = JSON.parse(lines[i]);
    } catch {
      continue; // the last line may be half-written while the server appends it
    }
    if (String(m.to).endsWith(phone.slice(-8))) return /(?<!\d)\d{6}(?!\d)/.exec(m.text)?.[0];
  }
  return null;
}

const loginToken = async (username, password) =>
  (await must('POST', '/api/v1/auth/login', { body: { username, password } }, 200)).token;

function summary(extra = {}) {
  return { statuses: statusCounts, garbage, ...extra };
}

// ------------------------------------------------------------------ setup
async function setup(stateFile, claimants, cases) {
  const admin = await loginToken('admin', process.env.ADMIN_PASSWORD);
  const state = { cases: [], staff: {}, claimants: [] };
  const staffIds = {};
  for (const [name, role] of [
    ['officer_a', 'officer'],
    ['officer_b', 'officer'],
    ['judge', 'court'],
  ]) {
    const password = `Pw-${newKey()}`;
    const user = await must('POST', '/api/v1/users', { token: admin, body: { username: name.replace('_', '.'), password, role } }, 201);
    staffIds[name] = { id: user.id, role };
    state.staff[name] = await loginToken(name.replace('_', '.'), password);
  }
  for (let c = 0; c < cases; c++) {
    const created = await must(
      'POST',
      '/api/v1/cases',
      {
        token: admin,
        body: {
          case_number: `（2026）沪朝公经字第${1000 + c}号`,
          name: `某理财平台非法集资案${c}`,
          lead_region: '310104',
          regions: ['310104'],
          registration_opens: '2020-01-01',
          registration_closes: '2099-12-31',
          objection_window_days: 30,
          countersign_threshold: '100000000.00',
        },
      },
      201,
    );
    for (const { id, role } of Object.values(staffIds)) {
      await must('POST', `/api/v1/cases/${created.id}/members`, { token: admin, body: { user_id: id, role } }, 201);
    }
    state.cases.push(created.id);
  }
  const password = `claimant-${newKey()}`;
  const indexes = Array.from({ length: claimants }, (_, i) => i);
  await pool(16, indexes, async (i) => {
    const phone = `139${String(10000000 + i).slice(-8)}`;
    await must('POST', '/api/v1/claimants/register', { body: { phone, password } }, 202);
    let code = null;
    for (let t = 0; t < 100 && !code; t++) {
      code = smsCode(phone);
      if (!code) await sleep(100);
    }
    assert.ok(code, `no SMS code for ${phone}`);
    await must('POST', '/api/v1/claimants/verify', { body: { phone, code } }, 200);
    state.claimants[i] = { phone, token: await loginToken(phone, password) };
  });
  writeFileSync(stateFile, JSON.stringify(state));
  console.log(JSON.stringify(summary({ cases: state.cases.length, claimants })));
}

// ------------------------------------------------------------------ declare
// Every claimant declares once in every case (one person, one claim per case), case after
// case, until all have or stopFile appears.
async function declare(stateFile, logFile, concurrency, stopFile) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const jobs = [];
  for (const caseId of state.cases) {
    state.claimants.forEach((c, i) => jobs.push({ caseId, i, token: c.token, key: newKey() }));
  }
  const started = performance.now();
  const latencies = [];
  const refused = [];
  let replayed = 0;
  let done = 0;
  // Each runner keeps to agents of its own, taken in turn: its keep-alive connections stay warm
  // (a TLS handshake per request would be the load generator measuring itself) while each
  // source address stays under nginx's per-address rate.
  const perRunner = Math.max(1, Math.floor(SOURCE_ADDRESSES / concurrency));
  const turns = new Array(concurrency).fill(0);
  await pool(concurrency, jobs, async (job, _, runner) => {
    done++;
    const principal = principalOf(job.i);
    const agent = agents[(runner + concurrency * (turns[runner]++ % perRunner)) % SOURCE_ADDRESSES];
    // What the claimant waits for: from the first attempt to the definite answer, retries included.
    const asked = performance.now();
    const r = await call('POST', `/api/v1/cases/${job.caseId}/claims`, {
      agent,
      token: job.token,
      key: job.key,
      body: declaration(job.i, principal),
    });
    latencies.push(performance.now() - asked);
    if (r.status === 201) {
      if (r.headers['idempotent-replayed']) replayed++;
      appendFileSync(
        logFile,
        `${JSON.stringify({ op: 'claim', case: job.caseId, i: job.i, claim: r.json.id, net: principal, key: job.key })}\n`,
      );
    } else {
      refused.push({ case: job.caseId, i: job.i, status: r.status, body: r.text?.slice(0, 300) || r.error });
    }
  }, stopFile);
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (p) => +(latencies.length ? latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * p) - 1)] : 0).toFixed(1);
  console.log(
    JSON.stringify(
      summary({
        declarations: done,
        refused: refused.slice(0, 20),
        refused_count: refused.length,
        replayed,
        concurrency,
        source_addresses: SOURCE_ADDRESSES,
        seconds: +seconds.toFixed(1),
        per_second: +(done / seconds).toFixed(1),
        p50_ms: at(0.5),
        p99_ms: at(0.99),
        p999_ms: at(0.999),
        max_ms: at(1),
        driver_cpu_seconds: +((process.cpuUsage().user + process.cpuUsage().system) / 1e6).toFixed(2),
      }),
    ),
  );
  if (refused.length) process.exitCode = 1;
}

// ------------------------------------------------------------------ money
// Bank-style: officers move money into and inside the pool of the first case concurrently
// (deposits taken in, sales, reversals of sales). Each 2xx is logged with its effect on the
// accounts; `check` compares the sum of the effects with the balances.
async function money(stateFile, logFile, ops, concurrency, stopFile) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const caseId = state.cases[0];
  const base = `/api/v1/cases/${caseId}`;
  const officers = [state.staff.officer_a, state.staff.officer_b];
  const sales = []; // liquidations that may be reversed
  const outcome = { deposits: 0, sales: 0, reversals: 0, refused_reversals: 0, failed: [] };
  const step = async (token, method, path, body, expect) => {
    const r = await call(method, path, { token, body, key: newKey() });
    if (!expect.includes(r.status)) {
      outcome.failed.push({ path, status: r.status, body: r.text?.slice(0, 300) || r.error });
      return null;
    }
    return r;
  };
  const log = (entry) => appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  await pool(concurrency, Array.from({ length: ops }, (_, i) => i), async (n) => {
    const token = officers[n % 2];
    const kind = sales.length > 2 && n % 5 === 4 ? 'reversal' : n % 2 ? 'sale' : 'deposit';
    if (kind === 'reversal') {
      const sale = sales.splice(Math.floor(Math.random() * sales.length), 1)[0];
      const r = await step(token, 'POST', `${base}/assets/${sale.asset}/liquidations/${sale.liquidation}/reversal`, {
        reason: '成交价有误',
      }, [201, 200, 422]);
      if (r && r.status !== 422) {
        outcome.reversals++;
        log({ op: 'reversal', liquidation: sale.liquidation, pool: `-${sale.net}`, disposal_costs: `-${sale.costs}`, recoveries: sale.proceeds });
      } else if (r) outcome.refused_reversals++;
      return;
    }
    const amount = yuan(BigInt(100000 + ((n * 7919) % 900000)));
    const deposit = kind === 'deposit';
    const asset = await step(token, 'POST', `${base}/assets`, {
      kind: deposit ? 'frozen_deposit' : 'vehicle',
      description: deposit ? '冻结账户余额' : '轿车一辆',
      source: deposit ? 'remaining_funds' : 'proceeds_of_funds',
      holder: '某公司',
    }, [201]);
    if (!asset) return;
    const path = `${base}/assets/${asset.json.id}`;
    if (deposit) {
      if (await step(token, 'POST', `${path}/pool-transfer`, { amount, date: '2026-01-05' }, [201])) {
        outcome.deposits++;
        log({ op: 'deposit', asset: asset.json.id, pool: amount, recoveries: `-${amount}` });
      }
      return;
    }
    if (!(await step(token, 'POST', `${path}/valuations`, { amount, appraiser: '某评估公司', date: '2026-01-10' }, [201]))) return;
    const costs = yuan(fen(amount) / 10n);
    const sold = await step(token, 'POST', `${path}/liquidations`, { proceeds: amount, costs, date: '2026-01-20' }, [201]);
    if (!sold) return;
    const net = yuan(fen(amount) - fen(costs));
    const liquidation = sold.json.liquidation.id;
    outcome.sales++;
    log({ op: 'sale', asset: asset.json.id, liquidation, pool: net, disposal_costs: costs, recoveries: `-${amount}` });
    sales.push({ asset: asset.json.id, liquidation, net, costs, proceeds: amount });
  }, stopFile);
  console.log(JSON.stringify(summary(outcome)));
  if (outcome.failed.length) process.exitCode = 1;
}

// ------------------------------------------------------------------ distribute
// Confirms every claim of the last case, funds its pool, then runs rounds: draft, endorse,
// approve, execute, bank results (all paid). A killed step is retried with its key; a run
// whose step could not complete is cancelled and the next round starts.
async function distribute(stateFile, logFile, rounds, stopFile) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const caseId = state.cases[state.cases.length - 1];
  const base = `/api/v1/cases/${caseId}`;
  const { officer_a: a, officer_b: b, judge } = state.staff;
  const outcome = { executed: 0, cancelled: 0, already_executed: 0, failed: [] };
  const log = (entry) => appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  const step = async (token, path, body, expect) => {
    const r = await call('POST', `${base}${path}`, { token, body, key: newKey() });
    if (!expect.includes(r.status)) outcome.failed.push({ path, status: r.status, body: r.text?.slice(0, 300) || r.error });
    return r;
  };
  for (let round = 0; round < rounds && !(stopFile && existsSync(stopFile)); round++) {
    const drafted = await step(a, '/distributions', { amount: '1000.00', min_payment: '1.00' }, [201]);
    if (drafted.status !== 201) break;
    const run = drafted.json.id;
    const path = `/distributions/${run}`;
    if ((await step(b, `${path}/endorse`, {}, [200])).status !== 200) break;
    if ((await step(judge, `${path}/approve`, { order_reference: '(2026)沪0104执7号' }, [200])).status !== 200) break;
    const executed = await step(a, `${path}/execute`, {}, [200, 409]);
    if (executed.status === 409) {
      // Only acceptable as "it was executed by the attempt that was cut off".
      if (executed.json?.error?.code !== 'already_executed') break;
      outcome.already_executed++;
    } else if (executed.status !== 200) break;
    outcome.executed++;
    log({ op: 'executed', run });
    const csv = await call('GET', `${base}${path}/payments.csv`, { token: a });
    const refs = csv.text
      .split(/\r?\n/)
      .slice(1)
      .filter(Boolean)
      .map((line) => line.split(',').pop());
    for (let i = 0; i < refs.length; i += 500) {
      const results = refs.slice(i, i + 500).map((reference) => ({ reference, status: 'paid' }));
      if ((await step(a, `${path}/payment-results`, { results }, [200])).status !== 200) break;
    }
    log({ op: 'paid', run, lines: refs.length });
  }
  console.log(JSON.stringify(summary(outcome)));
  if (outcome.failed.length) process.exitCode = 1;
}

// Confirms every claim of the last case (allowed = declared) and funds its pool.
async function prepareDistribution(stateFile, claimLog) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const caseId = state.cases[state.cases.length - 1];
  const claims = readFileSync(claimLog, 'utf8').trim().split('\n').map(JSON.parse).filter((e) => e.op === 'claim' && e.case === caseId);
  await pool(8, claims, async (c) => {
    await must('POST', `/api/v1/cases/${caseId}/claims/${c.claim}/confirm`, { token: state.staff.officer_a, body: { allowed_amount: c.net } }, 200);
  });
  const asset = await must('POST', `/api/v1/cases/${caseId}/assets`, {
    token: state.staff.officer_a,
    body: { kind: 'frozen_deposit', description: '冻结账户余额', source: 'remaining_funds', holder: '某银行' },
  }, 201);
  await must('POST', `/api/v1/cases/${caseId}/assets/${asset.id}/pool-transfer`, {
    token: state.staff.officer_a,
    body: { amount: '100000000.00', date: '2026-01-05' },
  }, 201);
  console.log(JSON.stringify(summary({ confirmed: claims.length })));
}

// ------------------------------------------------------------------ slow clients
// CONNECTIONS connections that each send one byte a second: a third crawl through the TLS
// handshake, a third through a request's headers, a third through a declared body. A
// connection nginx closes is opened again, so the number stays up for SECONDS.
async function slow(connections, seconds) {
  const end = Date.now() + seconds * 1000;
  let open = 0;
  let reopened = 0;
  const one = async (n) => {
    while (Date.now() < end) {
      await new Promise((resolve) => {
        const kind = n % 3;
        const done = () => {
          open--;
          reopened++;
          clearInterval(timer);
          resolve();
        };
        // Ten per source address: under nginx's per-address connection limit, so all stay.
        const localAddress = `127.0.3.${1 + (n % 20)}`;
        let socket;
        let bytes;
        let sent = 0;
        if (kind === 0) {
          // A raw TCP client dribbling a TLS ClientHello-sized stream of bytes.
          socket = new net.Socket();
          socket.connect({ port: Number(BASE.port), host: BASE.hostname, localAddress });
          bytes = Buffer.alloc(4096, 0x16);
        } else {
          socket = tls.connect({ host: BASE.hostname, port: Number(BASE.port), localAddress, rejectUnauthorized: false });
          bytes = Buffer.from(
            kind === 1
              ? `GET /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nX-Slow: ${'a'.repeat(4000)}\r\n\r\n`
              : `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 4000\r\n\r\n${'{'.repeat(4000)}`,
          );
        }
        open++;
        socket.on('error', () => {});
        socket.on('close', done);
        socket.setNoDelay?.(true);
        const timer = setInterval(() => {
          if (Date.now() >= end || sent >= bytes.length) {
            socket.destroy();
            return;
          }
          socket.write(bytes.subarray(sent, sent + 1));
          sent++;
        }, 1000);
      });
    }
  };
  const stats = setInterval(() => process.stderr.write(`slow clients open: ${open}\n`), 5000);
  await Promise.all(Array.from({ length: connections }, (_, n) => one(n)));
  clearInterval(stats);
  console.log(JSON.stringify({ connections, reopened }));
}

// Ordinary requests, one after another on fresh connections (a new visitor each time) and
// on a kept-alive one: each must be answered (2xx) within MAX_MS.
async function probe(stateFile, seconds, maxMs) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const end = Date.now() + seconds * 1000;
  const latencies = [];
  const bad = [];
  const kept = new https.Agent({ keepAlive: true, maxSockets: 1, localAddress: '127.0.2.1' });
  let n = 0;
  while (Date.now() < end) {
    const fresh = new https.Agent({ keepAlive: false, localAddress: `127.0.2.${2 + (n % 200)}` });
    const agent = n % 2 ? kept : fresh;
    const r =
      n % 4 < 2
        ? await once('GET', '/api/v1/cases', { agent })
        : await once('GET', `/api/v1/cases/${state.cases[0]}/pool`, { agent, token: state.staff.officer_a });
    n++;
    latencies.push(r.ms);
    if (r.status !== 200 || r.ms > maxMs) bad.push({ status: r.status, ms: Math.round(r.ms), error: r.error });
    await sleep(100);
  }
  latencies.sort((a, b) => a - b);
  const result = {
    requests: latencies.length,
    p50_ms: +latencies[Math.floor(latencies.length / 2)].toFixed(1),
    p99_ms: +latencies[Math.floor(latencies.length * 0.99)].toFixed(1),
    max_ms: +latencies[latencies.length - 1].toFixed(1),
    bad,
  };
  console.log(JSON.stringify(result));
  if (bad.length) process.exitCode = 1;
}

// ------------------------------------------------------------------ check
function sql(query) {
  const out = execFileSync(
    'mariadb',
    ['--no-defaults', `--socket=${process.env.SQL_SOCKET}`, '--user=root', '--batch', '--skip-column-names', process.env.DB_NAME, '-e', query],
    { encoding: 'utf8' },
  );
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t'));
}

// Every 2xx in the logs is in the database exactly once, nothing is there that no 2xx
// announced (beyond requests cut off by a kill, which the retry then got as a replay), every
// pool's accounts add up to zero and match the logged effects, no payment twice.
async function check(stateFile, logFiles) {
  const state = JSON.parse(readFileSync(stateFile, 'utf8'));
  const entries = logFiles.flatMap((f) => {
    try {
      return readFileSync(f, 'utf8').trim().split('\n').filter(Boolean).map(JSON.parse);
    } catch {
      return [];
    }
  });
  const problems = [];
  const report = {};
  // Claims: one per logged 2xx, one per (case, person), none unannounced.
  const logged = entries.filter((e) => e.op === 'claim');
  const loggedIds = new Set(logged.map((e) => String(e.claim)));
  if (loggedIds.size !== logged.length) problems.push(`a claim id was answered to two declarations`);
  const perPerson = new Map();
  for (const e of logged) {
    const k = `${e.case}/${e.i}`;
    if (perPerson.has(k)) problems.push(`claimant ${e.i} got two 201s in case ${e.case}`);
    perPerson.set(k, e.claim);
  }
  const rows = sql('SELECT id, case_id FROM claims');
  const dbIds = new Set(rows.map((r) => r[0]));
  for (const id of loggedIds) if (!dbIds.has(id)) problems.push(`claim ${id} got a 201 but is not in the database`);
  for (const id of dbIds) if (!loggedIds.has(id)) problems.push(`claim ${id} is in the database but no 201 announced it`);
  // Each claim's declaration is on the ledger exactly once.
  const onLedger = sql(
    `SELECT REPLACE(REGEXP_SUBSTR(CONVERT(entry USING utf8mb4), '"claim":[0-9]+'), '"claim":', '') c, COUNT(*) FROM ledger_entries ` +
      `WHERE CONVERT(entry USING utf8mb4) LIKE '%"type":"claim_declared"%' GROUP BY c`,
  );
  const ledgerClaims = new Map(onLedger.map(([c, n]) => [c, Number(n)]));
  for (const id of dbIds) if (ledgerClaims.get(id) !== 1) problems.push(`claim ${id}: ${ledgerClaims.get(id) || 0} claim_declared ledger entries`);
  if (ledgerClaims.size !== dbIds.size) problems.push(`${ledgerClaims.size} claims declared on the ledger, ${dbIds.size} in the database`);
  report.claims = { logged: logged.length, in_database: dbIds.size, declared_on_ledger: ledgerClaims.size };
  // Pools: every case's accounts add up to zero; transfers add up to the balances.
  for (const [caseId, total] of sql('SELECT case_id, SUM(balance_fen) FROM pool_balances GROUP BY case_id')) {
    if (total !== '0') problems.push(`case ${caseId}: pool accounts add up to ${total}, not 0`);
  }
  const balances = Object.fromEntries(
    sql(`SELECT account, balance_fen FROM pool_balances WHERE case_id = ${state.cases[0]}`).map(([a, b]) => [a, BigInt(b)]),
  );
  const moved = {};
  for (const [account, sign, sum] of sql(
    `SELECT to_account, 1, SUM(amount_fen) FROM pool_transfers WHERE case_id = ${state.cases[0]} GROUP BY to_account ` +
      `UNION ALL SELECT from_account, -1, SUM(amount_fen) FROM pool_transfers WHERE case_id = ${state.cases[0]} GROUP BY from_account`,
  )) {
    moved[account] = (moved[account] || 0n) + BigInt(sign) * BigInt(sum);
  }
  for (const account of new Set([...Object.keys(balances), ...Object.keys(moved)])) {
    if ((balances[account] || 0n) !== (moved[account] || 0n)) {
      problems.push(`case ${state.cases[0]} ${account}: balance ${balances[account]} but transfers sum to ${moved[account]}`);
    }
  }
  // The money test's logged effects against the first case's balances.
  const moneyOps = entries.filter((e) => ['deposit', 'sale', 'reversal'].includes(e.op));
  if (moneyOps.length) {
    const expected = { pool: 0n, recoveries: 0n, disposal_costs: 0n };
    for (const e of moneyOps) for (const a of Object.keys(expected)) if (e[a]) expected[a] += fen(e[a]);
    for (const [a, v] of Object.entries(expected)) {
      if ((balances[a] || 0n) !== v) problems.push(`${a}: the 2xx answers add up to ${v} fen, the database holds ${balances[a] || 0n}`);
    }
    const counts = Object.fromEntries(sql(`SELECT kind, COUNT(*) FROM pool_transfers WHERE case_id = ${state.cases[0]} GROUP BY kind`));
    report.money = { ops: moneyOps.length, expected: Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, String(v)])), transfer_rows: counts };
    const byOp = (op) => moneyOps.filter((e) => e.op === op).length;
    const deposits = Number(sql(`SELECT COUNT(*) FROM pool_transfers WHERE case_id = ${state.cases[0]} AND kind LIKE '%deposit%'`)[0][0]);
    if (deposits !== byOp('deposit')) problems.push(`${byOp('deposit')} deposits answered 201, ${deposits} in the database`);
    const [sales, reversed] = sql(
      `SELECT COUNT(*), COUNT(l.reversed_at_ms) FROM asset_liquidations l JOIN assets a ON a.id = l.asset_id WHERE a.case_id = ${state.cases[0]} AND l.method = 'sale'`,
    )[0].map(Number);
    if (sales !== byOp('sale')) problems.push(`${byOp('sale')} sales answered 201, ${sales} in the database`);
    if (reversed !== byOp('reversal')) problems.push(`${byOp('reversal')} reversals answered 2xx, ${reversed} in the database`);
  }
  // Distribution: the executed runs are the logged ones, each paid once.
  const executed = entries.filter((e) => e.op === 'executed').map((e) => String(e.run));
  if (executed.length || entries.some((e) => e.op === 'paid')) {
    const dbRuns = sql("SELECT id FROM distribution_runs WHERE status IN ('executed','reconciled')").map((r) => r[0]);
    report.distribution = { executed_logged: executed.length, executed_in_database: dbRuns.length };
    if (new Set(executed).size !== executed.length) problems.push('a run was reported executed twice');
    for (const r of dbRuns) if (!executed.includes(r)) problems.push(`run ${r} is executed in the database but no 2xx announced it`);
    for (const r of executed) if (!dbRuns.includes(r)) problems.push(`run ${r} answered executed but is not`);
    const executedTwice = sql("SELECT run_id, COUNT(*) FROM pool_transfers WHERE run_id IS NOT NULL AND from_account = 'pool' AND to_account = 'payable' GROUP BY run_id HAVING COUNT(*) > 1");
    if (executedTwice.length) problems.push(`runs whose execution moved pool -> payable twice: ${JSON.stringify(executedTwice)}`);
    const twice = sql('SELECT run_id, claim_id, COUNT(*) FROM distribution_payments GROUP BY run_id, claim_id, kind, release_id HAVING COUNT(*) > 1');
    if (twice.length) problems.push(`payments twice: ${JSON.stringify(twice.slice(0, 5))}`);
    const mismatch = sql(
      "SELECT r.id FROM distribution_runs r LEFT JOIN (SELECT run_id, SUM(amount_fen) s FROM distribution_payments WHERE kind = 'round' GROUP BY run_id) p ON p.run_id = r.id " +
        "WHERE r.status IN ('executed','reconciled') AND COALESCE(p.s, 0) <> (SELECT COALESCE(SUM(pay_fen), 0) FROM distribution_allocations a WHERE a.run_id = r.id)",
    );
    if (mismatch.length) problems.push(`runs whose payment lines differ from their allocations: ${mismatch.map((r) => r[0]).join(',')}`);
    const paid = sql(`SELECT COALESCE(SUM(amount_fen), 0) FROM distribution_payments WHERE status = 'paid' AND case_id = ${state.cases[state.cases.length - 1]}`)[0][0];
    const paidAccount = sql(`SELECT COALESCE(MAX(balance_fen), 0) FROM pool_balances WHERE account = 'paid' AND case_id = ${state.cases[state.cases.length - 1]}`)[0][0];
    report.distribution.paid_fen = paid;
    if (paid !== paidAccount) problems.push(`paid lines add up to ${paid}, the paid account holds ${paidAccount}`);
  }
  // Ledger: gapless, every queued entry sequenced.
  const [size, maxIdx, count, queued] = sql(
    'SELECT (SELECT size FROM ledger_head), (SELECT COALESCE(MAX(idx), -1) FROM ledger_entries), (SELECT COUNT(*) FROM ledger_entries), ' +
      '(SELECT COUNT(*) FROM ledger_queue q WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.queue_id = q.id))',
  )[0].map(Number);
  report.ledger = { size, entries: count, unsequenced: queued };
  if (count !== size || maxIdx !== size - 1) problems.push(`ledger has gaps: size ${size}, ${count} entries, max index ${maxIdx}`);
  console.log(JSON.stringify({ ...report, problem_count: problems.length, problems: problems.slice(0, 40) }));
  if (problems.length) process.exitCode = 1;
}

// ------------------------------------------------------------------ main
const [command, ...args] = process.argv.slice(2);
const commands = {
  setup: () => setup(args[0], Number(args[1]), Number(args[2])),
  declare: () => declare(args[0], args[1], Number(args[2]), args[3]),
  money: () => money(args[0], args[1], Number(args[2]), Number(args[3]), args[4]),
  prepare: () => prepareDistribution(args[0], args[1]),
  distribute: () => distribute(args[0], args[1], Number(args[2]), args[3]),
  slow: () => slow(Number(args[1]), Number(args[2])),
  probe: () => probe(args[0], Number(args[1]), Number(args[2])),
  check: () => check(args[0], args.slice(1)),
  // What bench/rush_load --declaration prints, to show the two send the same bytes.
  declaration: () => {
    for (const n of args.map(Number)) {
      console.log(`${idNumber(n)}\n${principalOf(n)}\n${JSON.stringify(declaration(n, principalOf(n)))}`);
    }
  },
};
if (!commands[command]) {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
try {
  await commands[command]();
} catch (e) {
  console.error(e.stack || String(e));
  console.log(JSON.stringify(summary({ error: String(e.message || e) })));
  process.exitCode = 1;
}
process.exit();
