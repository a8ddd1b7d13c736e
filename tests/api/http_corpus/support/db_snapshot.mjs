// The business state of the stack's database, to prove a refused request wrote nothing:
// row count and CHECKSUM TABLE of every table, except the ones a refused request changes by
// design. Read as root through the private MariaDB's unix socket.
import { execFileSync } from 'node:child_process';

// Tables a refused request legitimately writes or that change on their own, and why.
export const EXCLUDED_TABLES = new Map([
  // Every authorization denial, failed login and throttling is recorded for the auditors.
  ['security_events', 'authorization denials and failed logins are recorded (README: Logs)'],
  // An Idempotency-Key's first response is stored, a handler's 4xx included, so a retry
  // replays it (seen: POST …/books/lookup's 400s).
  ['idempotency_keys', 'the first response to a key is stored, a 4xx included'],
  // Failed logins count towards the per-user and per-address throttle.
  ['login_throttle', 'failed logins are counted'],
  // Every staff read of personal data is logged; the role matrix's staff reads succeed.
  ['pii_access_log', 'staff reads of personal data are logged'],
  // The sequencer signs checkpoints on its own thread, on its own schedule.
  ['ledger_checkpoints', 'the sequencer signs checkpoints on its own schedule'],
]);

export function snapshotter({ socket, database }) {
  const sql = (query) =>
    execFileSync(
      'mariadb',
      [
        '--no-defaults',
        `--socket=${socket}`,
        '--user=root',
        '--batch',
        '--skip-column-names',
        database,
        '-e',
        query,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  const tables = sql('SHOW TABLES')
    .trim()
    .split('\n')
    .filter((t) => t && !EXCLUDED_TABLES.has(t));
  if (tables.length < 10) throw new Error(`only ${tables.length} tables in ${database}`);
  const quoted = tables.map((t) => `\`${t}\``);
  const excluded = [...EXCLUDED_TABLES.keys()].map((t) => `\`${t}\``);
  return {
    tables,
    // Waits (bounded) until the sequencer has taken every queued ledger entry, so that a
    // successful request's entry is not sequenced during a later comparison.
    async quiesce(timeoutMs = 10000) {
      const deadline = Date.now() + timeoutMs;
      while (sql('SELECT COUNT(*) FROM ledger_queue').trim() !== '0') {
        if (Date.now() > deadline) throw new Error(`ledger_queue not drained in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    // The excluded tables' row counts, to show (not assert) what a batch changed there.
    takeExcluded() {
      const counts = sql(`SELECT ${excluded.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ')}`)
        .trim()
        .split('\t');
      return Object.fromEntries([...EXCLUDED_TABLES.keys()].map((t, i) => [`rows ${t}`, counts[i]]));
    },
    take() {
      const state = {};
      for (const line of sql(`CHECKSUM TABLE ${quoted.join(', ')}`)
        .trim()
        .split('\n')) {
        const [name, sum] = line.split('\t');
        state[`checksum ${name.split('.').pop()}`] = sum;
      }
      const counts = sql(`SELECT ${quoted.map((t) => `(SELECT COUNT(*) FROM ${t})`).join(', ')}`)
        .trim()
        .split('\t');
      tables.forEach((t, i) => {
        state[`rows ${t}`] = counts[i];
      });
      state['ledger size'] = sql('SELECT COUNT(*) FROM ledger_entries').trim();
      return state;
    },
  };
}

// The keys whose values differ, "key: before -> after".
export function diff(before, after) {
  return Object.keys({ ...before, ...after })
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k}: ${before[k]} -> ${after[k]}`);
}
