// The registration-rush report (bench/rush.sh): reads the run's JSON files from the work dir
// named on the command line and the run's description on stdin, prints Markdown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const read = (name) => JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
const meta = JSON.parse(readFileSync(0, 'utf8'));
const refBefore = read('reference_before');
const refGroup = read('reference_group');
const refAfter = read('reference_after');
const check = read('check');
const levels = Array.from({ length: meta.levels }, (_, i) => ({
  rush: read(`declare.${i + 1}`),
  before: read(`before.${i + 1}`),
  after: read(`after.${i + 1}`),
}));

const GOAL_RATIO = 0.5;
const GOAL_P99_MS = 100;
const GOAL_MILLION_HOURS = 1;

const rate = (v) => (v >= 1e4 ? `${(v / 1e3).toFixed(1)} k/s` : `${v.toFixed(0)}/s`);
const ms = (v) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(1)} ms`);
const yes = (ok) => (ok ? 'yes' : '**no**');
const hm = (s) => `${Math.floor(s / 3600)} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
const retried = (rush) =>
  Object.entries(rush.statuses)
    .filter(([status]) => status !== '201')
    .map(([status, n]) => `${n} × ${status === '0' ? 'network error' : status}`)
    .join(', ') || 'none';

// The goal is throughput at a latency bound: the best level whose p99 is under it.
const withinBound = levels.filter((l) => l.rush.p99_ms < GOAL_P99_MS);
const best = withinBound.length
  ? withinBound.reduce((a, b) => (b.rush.per_second > a.rush.per_second ? b : a))
  : null;
const peak = levels.reduce((a, b) => (b.rush.per_second > a.rush.per_second ? b : a));
const ratioOf = (l) => l.rush.per_second / refBefore.per_second;
const millionSeconds = 1e6 / (best ?? peak).rush.per_second;
const refused = levels.reduce((n, l) => n + l.rush.refused_count, 0);

const rows = [
  [
    '**A**: single-row durable commits, 1 client (INSERT + COMMIT), before the rush',
    `${rate(refBefore.per_second)}; p50 ${ms(refBefore.p50_ms)}, p99 ${ms(refBefore.p99_ms)}`,
    'physical reference', '', '', '',
  ],
  [
    'A after the rush (larger tables)',
    `${rate(refAfter.per_second)}; p50 ${ms(refAfter.p50_ms)}, p99 ${ms(refAfter.p99_ms)}`,
    `${rate(refBefore.per_second)} (A)`, (refAfter.per_second / refBefore.per_second).toFixed(2), '', '',
  ],
  [
    `A×${refGroup.clients}: single-row durable commits, ${refGroup.clients} clients`,
    `${rate(refGroup.per_second)}; p50 ${ms(refGroup.p50_ms)}, p99 ${ms(refGroup.p99_ms)}`,
    'physical reference (group commit)', '', '', '',
  ],
];
for (const l of levels) {
  const r = l.rush;
  rows.push([
    `declarations, ${r.concurrency} in flight: rate; latency p50 / p99 / p999 / max`,
    `${rate(r.per_second)} (${r.declarations} in ${r.seconds} s); ${ms(r.p50_ms)} / ${ms(r.p99_ms)} / ${ms(r.p999_ms)} / ${ms(r.max_ms)}`,
    `${rate(refBefore.per_second)} (A)`,
    ratioOf(l).toFixed(2),
    '',
    '',
  ]);
}
rows.push(
  [
    `**the goal**: best rate with p99 < ${GOAL_P99_MS} ms`,
    best ? `${rate(best.rush.per_second)} at ${best.rush.concurrency} in flight (p99 ${ms(best.rush.p99_ms)})` : `no level had p99 < ${GOAL_P99_MS} ms`,
    `${rate(refBefore.per_second)} (A)`,
    best ? `**${ratioOf(best).toFixed(2)}**` : '—',
    `≥ ${GOAL_RATIO.toFixed(2)} of A, p99 < ${GOAL_P99_MS} ms`,
    yes(best && ratioOf(best) >= GOAL_RATIO),
  ],
  [
    'peak rate (any latency)',
    `${rate(peak.rush.per_second)} at ${peak.rush.concurrency} in flight (p99 ${ms(peak.rush.p99_ms)})`,
    `${rate(refBefore.per_second)} (A); A×${refGroup.clients} ${rate(refGroup.per_second)}`,
    `${ratioOf(peak).toFixed(2)}; ${(peak.rush.per_second / refGroup.per_second).toFixed(2)}`,
    '',
    '',
  ],
  [
    `10^6 declarations at the ${best ? 'goal' : 'peak'} rate`,
    hm(millionSeconds), '', '', `≤ ${GOAL_MILLION_HOURS} h`, yes(millionSeconds <= GOAL_MILLION_HOURS * 3600),
  ],
  [
    'errors: declarations without a 201 in the end (all levels)',
    `${refused}; retried on the way: ${levels.map((l) => retried(l.rush)).join('; ')}`, '', '', '0', yes(refused === 0),
  ],
  ['receipts: the sequencer caught up after the rush ended', ms(meta.catch_up_ms), '', '', '', ''],
  [
    `afterwards: \`restitutionctl ledger verify --replay\` over ${meta.ledger_size} entries`,
    `${(meta.verify_ms / 1000).toFixed(1)} s, passed`, '', '', '', '',
  ],
);

const out = [];
out.push('### Registration rush', '');
out.push(
  `- machine: ${meta.cpu}, ${meta.cores} cores; load average before the rush ${meta.load_before}, after ${levels[levels.length - 1].after.load}`,
  `- MariaDB ${meta.mariadb}; restitutiond, restitutionctl and the load generator rush_load Release builds; nginx with the deployed configuration (TLS, per-address limits); the load comes from ${levels[0].rush.source_addresses} loopback addresses on the same machine, as ${meta.claimants} registered claimants, each declaring once in each of ${meta.cases_per_level} cases per level`,
  `- every 2xx checked against the database afterwards: ${check.claims.logged} declarations answered 201, ${check.claims.in_database} claims in the database, ${check.claims.declared_on_ledger} on the ledger, each exactly once; ${check.problem_count} problems`,
  '',
);
out.push('| measurement | value | reference (same run) | ratio | goal | met? |', '|---|---|---|---|---|---|');
for (const r of rows) out.push(`| ${r.join(' | ')} |`);
out.push('', '#### Where the time goes', '');
out.push(
  'Per declaration, at each level. CPU is user + system time of each process; busy is the four together against the cores. MariaDB counters are server-wide (the sequencer\'s batches included).',
  '',
);
out.push(`| what | ${levels.map((l) => `${l.rush.concurrency} in flight`).join(' | ')} |`, `|---|${levels.map(() => '---|').join('')}`);
const perLevel = (label, f) => out.push(`| ${label} | ${levels.map(f).join(' | ')} |`);
const micros = (l, seconds) => `${((seconds / l.rush.declarations) * 1e6).toFixed(0)} µs`;
const delta = (l, key) => l.after.status[key] - l.before.status[key];
const per = (l, key) => (delta(l, key) / l.rush.declarations).toFixed(2);
const cpuOf = (l) => ({
  restitutiond: l.after.server - l.before.server,
  mariadbd: l.after.database - l.before.database,
  nginx: l.after.nginx - l.before.nginx,
  'load generator (rush_load)': l.rush.driver_cpu_seconds,
});
for (const name of Object.keys(cpuOf(levels[0]))) perLevel(`CPU: ${name}`, (l) => micros(l, cpuOf(l)[name]));
perLevel('CPU: the four together; busy', (l) => {
  const total = Object.values(cpuOf(l)).reduce((a, b) => a + b, 0);
  return `${micros(l, total)}; ${((total / (l.rush.seconds * meta.cores)) * 100).toFixed(0)} %`;
});
perLevel('MariaDB: statements (Questions)', (l) => per(l, 'Questions'));
perLevel('MariaDB: … prepared executions / prepares', (l) => `${per(l, 'Com_stmt_execute')} / ${per(l, 'Com_stmt_prepare')}`);
perLevel('MariaDB: … SELECT / INSERT / UPDATE', (l) => `${per(l, 'Com_select')} / ${per(l, 'Com_insert')} / ${per(l, 'Com_update')}`);
perLevel('MariaDB: commits', (l) => per(l, 'Com_commit'));
perLevel('MariaDB: InnoDB fsyncs', (l) => per(l, 'Innodb_data_fsyncs'));
perLevel('MariaDB: rows written', (l) => per(l, 'Handler_write'));
perLevel('MariaDB: index lookups / next / table-scan rows', (l) => `${per(l, 'Handler_read_key')} / ${per(l, 'Handler_read_next')} / ${per(l, 'Handler_read_rnd_next')}`);
perLevel('MariaDB: row lock waits (time)', (l) => `${delta(l, 'Innodb_row_lock_waits')} (${delta(l, 'Innodb_row_lock_time')} ms)`);
out.push(
  '',
  `At the end the claims table holds ${(meta.claims_bytes / 1048576).toFixed(1)} MiB (data + indexes) for ${check.claims.in_database} claims.`,
);
console.log(out.join('\n'));
