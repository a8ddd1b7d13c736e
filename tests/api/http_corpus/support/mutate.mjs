// Seeded random mutations of well-formed request bodies, for the corpus's random phase: a
// value swapped for a hostile one, a key dropped or added, a list blown up, or the JSON text
// itself cut, corrupted or nested. The same seed gives the same sequence, so a failure found
// in hours of running is replayed by its seed and step.
import { SQL_STRINGS } from './spec.mjs';

// mulberry32: small, fast, good enough to pick mutations.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const HOSTILE = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -9223372036854775808,
  9223372036854775807,
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999.99',
  '92233720368547758.08',
  '-0.01',
  '0.001',
  '1e5',
  '１２３４.５６',
  'NaN',
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\u202e\u0661\u0662',
  '💥'.repeat(300),
  'x'.repeat(70000),
  '../../../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '<script>alert(1)</script>',
  '=HYPERLINK("http://x")',
  '2026-02-30',
  '9999-99-99',
  '11010519491231002X',
  ...SQL_STRINGS,
  [],
  {},
  [[[[[[]]]]]],
  { $gt: '' },
];

// Every path in a JSON value: [] is the value itself, then keys and indexes.
function paths(value, prefix = [], out = [], budget = { left: 2000 }) {
  if (budget.left-- <= 0) return out;
  out.push(prefix);
  if (value && typeof value === 'object') {
    for (const k of Object.keys(value)) paths(value[k], [...prefix, k], out, budget);
  }
  return out;
}

function getAt(root, path) {
  return path.reduce((v, k) => (v == null ? undefined : v[k]), root);
}

// One structural mutation of a JSON value (a deep copy is changed and returned).
function mutateValue(root, rnd) {
  const copy = structuredClone(root);
  const all = paths(copy).filter((p) => p.length > 0);
  if (!all.length) return rnd.pick(HOSTILE);
  const path = rnd.pick(all);
  const parent = getAt(copy, path.slice(0, -1));
  const key = path[path.length - 1];
  switch (rnd.int(6)) {
    case 0:
    case 1:
      parent[key] = structuredClone(rnd.pick(HOSTILE));
      break;
    case 2:
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 3:
      if (!Array.isArray(parent)) parent[rnd.pick(['zz_unknown', '__proto__', 'id', 'status', key.toUpperCase()])] = rnd.pick(HOSTILE);
      else parent.push(rnd.pick(HOSTILE));
      break;
    case 4: {
      // A list (or a value made one) repeated up to 5,000 times, within about 1 MB.
      const item = Array.isArray(parent[key]) ? parent[key][0] ?? 1 : parent[key];
      const size = (JSON.stringify(item) ?? 'null').length + 1;
      const length = Math.min(1 + rnd.int(5000), Math.max(1, Math.floor(1e6 / size)));
      parent[key] = Array.from({ length }, () => structuredClone(item));
      break;
    }
    default:
      parent[key] = typeof parent[key] === 'string' ? Number(parent[key]) || [parent[key]] : String(parent[key]);
  }
  return copy;
}

// One mutation of the body's text: cut, a byte corrupted, deep nesting spliced in, or a
// value-level mutation (most of the time, to get past the JSON parser).
export function mutateBody(value, rnd) {
  let v = value;
  for (let n = 1 + rnd.int(3); n > 0; n--) v = mutateValue(v, rnd);
  const text = JSON.stringify(v) ?? 'null';
  const at = rnd.int(text.length + 1);
  switch (rnd.int(10)) {
    case 0:
      return { body: text.slice(0, at), how: `cut at ${at}` };
    case 1: {
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length) bytes[rnd.int(bytes.length)] = rnd.pick([0x00, 0x80, 0xc0, 0xff, 0x22, 0x5c]);
      return { body: bytes, how: 'a byte corrupted' };
    }
    case 2:
      return { body: `${text.slice(0, at)}${'['.repeat(3000)}${text.slice(at)}`, how: `nesting at ${at}` };
    default:
      return { body: text, how: 'value mutations' };
  }
}
