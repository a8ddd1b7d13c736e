// The operations of api/openapi.json and the bad requests generated for each, so that an
// endpoint added to the document is in the corpus without a line changed here.
import { readFileSync } from 'node:fs';

export function loadOperations(openapiPath) {
  const doc = JSON.parse(readFileSync(openapiPath, 'utf8'));
  const resolve = (node, depth = 0) => {
    if (depth > 20 || node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map((n) => resolve(n, depth + 1));
    if (typeof node.$ref === 'string') {
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((o, k) => o[k], doc);
      return resolve(target, depth + 1);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, resolve(v, depth + 1)]));
  };
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'delete', 'patch'].includes(method)) continue;
      const op = resolve(raw);
      const params = [...(item.parameters || []).map((p) => resolve(p)), ...(op.parameters || [])];
      const content = op.requestBody?.content || {};
      ops.push({
        method: method.toUpperCase(),
        path,
        name: `${method.toUpperCase()} ${path}`,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query'),
        contentTypes: Object.keys(content),
        jsonSchema: content['application/json']?.schema,
        secured: Array.isArray(op.security) && op.security.length > 0,
        mutating: method !== 'get',
      });
    }
  }
  return ops;
}

// Which fixture id a path parameter names: {id} after "claims" is a claim, and so on.
export function idKind(path, param) {
  if (param !== 'id') {
    return (
      { case: 'case', user: 'user', eid: 'evidence', oid: 'objection', lid: 'liquidation' }[param] || param
    );
  }
  const before = path.split('/{id}')[0].split('/').pop();
  return { claims: 'claim', assets: 'asset', distributions: 'run' }[before] || before;
}

export function fillPath(op, ids, overrides = {}) {
  return op.path.replace(/\{(\w+)\}/g, (_, name) => {
    if (name in overrides) return overrides[name];
    const v = ids[idKind(op.path, name)];
    if (v === undefined) throw new Error(`no fixture id for {${name}} of ${op.name}`);
    return String(v);
  });
}

const MONEY = /\\\.\[0-9\]\{1,2\}/;
export const isMoney = (schema) => schema?.type === 'string' && MONEY.test(schema.pattern || '');

// Values that satisfy each field's syntax (the rules behind them may still refuse).
const FIELD_VALUES = {
  id_number: '11010519491231002X',
  phone: '13900000000',
  bank_account: '6222020200001234562',
  region: '110105',
  lead_region: '110105',
  code: '123456',
  username: 'corpus.nobody',
};

export function sample(schema, name = '') {
  if (!schema) return null;
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  if (name in FIELD_VALUES && schema.type === 'string') return FIELD_VALUES[name];
  switch (schema.type) {
    case 'object': {
      const out = {};
      for (const [k, v] of Object.entries(schema.properties || {})) {
        if ((schema.required || []).includes(k)) out[k] = sample(v, k);
      }
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems || 0) }, () => sample(schema.items, name));
    case 'integer':
      return Math.max(1, schema.minimum ?? 1);
    case 'number':
      return 1;
    case 'boolean':
      return false;
    case 'string':
      if (isMoney(schema)) return '1.00';
      if (schema.format === 'date' || /date|opens|closes|cure_by/.test(name)) return '2026-01-05';
      if (schema.pattern === '^[0-9]{6}$') return '110105';
      return 'x'.repeat(Math.max(1, schema.minLength || 1));
    default:
      return 'x';
  }
}

// Every field reachable through objects and the first item of arrays, as
// [jsonPath (the server's error.field spelling), schema, setter(body, value)].
function fields(schema, path = '', get = (b) => b, depth = 0) {
  const out = [];
  if (!schema || depth > 4) return out;
  if (schema.type === 'object') {
    for (const [k, v] of Object.entries(schema.properties || {})) {
      const p = path ? `${path}.${k}` : k;
      out.push([
        p,
        v,
        (body, value) => {
          get(body)[k] = value;
        },
        (schema.required || []).includes(k),
        get,
      ]);
      out.push(...fields(v, p, (b) => get(b)[k], depth + 1));
    }
  } else if (schema.type === 'array') {
    const p = `${path}[0]`;
    out.push(...fields(schema.items, p, (b) => get(b)[0], depth + 1));
  }
  return out;
}

const clone = (v) => JSON.parse(JSON.stringify(v));

export const SQL_STRINGS = [
  "' OR '1'='1",
  "1'; DROP TABLE claims; --",
  '" OR ""="',
  "\\'; SELECT SLEEP(5); --",
  '%; SELECT * FROM users WHERE username LIKE %',
  '0x27 UNION SELECT password_hash FROM users --',
];

export const BAD_IDS = [
  '0',
  '-1',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775809',
  '99999999999999999999',
  '18446744073709551616',
  '1e3',
  '1.5',
  '0x10',
  'abc',
  '%20',
  '1%20',
  '%ff%fe',
  '%27%20OR%201%3D1',
  '1%3B%20DROP%20TABLE%20cases',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e',
  '1' + '0'.repeat(400),
];

const MONEY_VALUES = [
  '1e400',
  '99999999999999999999.99',
  '92233720368547758.08',
  '92233720368547758.07',
  '-1.00',
  '-0.01',
  '1.001',
  ' 1.00',
  '1,000.00',
  '１.００',
  'NaN',
  'Infinity',
  '0x10',
  '',
  '.5',
  '1.',
  '+1.00',
];

// Integer values no int64 field can take.
const HUGE_INTEGERS = [
  '9223372036854775808',
  '-9223372036854775809',
  '1e400',
  '99999999999999999999',
  '1.5',
  '-1',
];

// The bad JSON bodies of one operation. Each: { label, body (string | Buffer), field? } where
// field is the server's name of the one faulty field when there is one.
export function jsonBodyCases(schema) {
  const cases = [];
  const add = (label, body, field) => cases.push({ label, body, field });
  for (const text of [
    '',
    '{',
    '{"a":',
    '[1,2',
    'nul',
    '"unterminated',
    "{'a':1}",
    '{}x',
    '{"a":1}}',
    '{"a" 1}',
    '{,}',
    '{"a":01}',
    '{"a":1,}',
    '{"a":"\\ud800"}',
    '{"a":"\\x41"}',
    '{"a":NaN}',
    '{"a":Infinity}',
    'null',
    '[]',
    '1',
    '"a string"',
    'true',
    '\u0000',
  ]) {
    add(`malformed JSON ${JSON.stringify(text)}`, text);
  }
  add('100000 nested arrays', '['.repeat(100000));
  add('100000 nested arrays, closed', '['.repeat(100000) + ']'.repeat(100000));
  add('50000 nested objects', '{"a":'.repeat(50000) + '1' + '}'.repeat(50000));
  add('a number of 400 digits', `{"a":1${'0'.repeat(400)}}`);
  add('a number 1e400', '{"a":1e400}');
  add('invalid UTF-8 in a key', Buffer.from('{"\xff\xfe":1}', 'latin1'));
  add('UTF-16 body', Buffer.from('\ufeff{"a":1}', 'utf16le'));
  add('BOM before the object', '\ufeff{}');
  add('2 MiB of spaces then {}', ' '.repeat(2 * 1024 * 1024) + '{}');
  if (!schema || schema.type !== 'object') return cases;

  const base = sample(schema);
  const required = schema.required || [];
  if (required.length) add('all fields missing', '{}');
  for (const k of required) {
    const body = clone(base);
    delete body[k];
    add(`missing ${k}`, JSON.stringify(body), k);
  }
  if (schema.additionalProperties === false) {
    add('unknown field', JSON.stringify({ ...base, zz_unknown: 1 }), 'zz_unknown');
    add('unknown field __proto__', JSON.stringify(base).replace(/^\{/, '{"__proto__":{"admin":true},'));
  }
  const firstKey = Object.keys(base)[0];
  if (firstKey) {
    const text = JSON.stringify(base);
    const dup = `{${JSON.stringify(firstKey)}:${JSON.stringify(base[firstKey])},${text.slice(1)}`;
    add(`duplicate key ${firstKey}`, dup, firstKey);
  }
  for (const [path, fieldSchema, set, isRequired, parentOf] of fields(schema)) {
    const present = (b) => {
      try {
        return parentOf(b) !== undefined;
      } catch {
        return false;
      }
    };
    const mutate = (label, value) => {
      const body = clone(base);
      if (!present(body)) return;
      set(body, value);
      add(`${path}: ${label}`, JSON.stringify(body), path);
    };
    const bad = [];
    const t = fieldSchema.type;
    if (t !== 'string') bad.push(['a string', 'x']);
    if (t !== 'integer' && t !== 'number') bad.push(['a number', 1]);
    if (t !== 'boolean') bad.push(['true', true]);
    if (t !== 'array') bad.push(['an array', []]);
    if (t !== 'object') bad.push(['an object', {}]);
    if (isRequired) bad.push(['null', null]);
    for (const [label, value] of bad) mutate(`wrong type (${label})`, value);
    if (t === 'integer') {
      for (const v of HUGE_INTEGERS) {
        const body = clone(base);
        if (!present(body)) continue;
        const marker = '"__N__"';
        set(body, '__N__');
        // 1e400 is beyond any double: the parser refuses the document, not a field.
        add(
          `${path}: number ${v}`,
          JSON.stringify(body).replace(marker, v),
          v === '1e400' ? undefined : path,
        );
      }
      if ((fieldSchema.minimum ?? 0) >= 1) mutate('zero', 0);
    }
    if (isMoney(fieldSchema)) {
      for (const v of MONEY_VALUES) mutate(`money ${JSON.stringify(v)}`, v);
      const body = clone(base);
      if (present(body)) {
        set(body, '__M__');
        add(`${path}: money as a JSON number 1e400`, JSON.stringify(body).replace('"__M__"', '1e400'));
        add(`${path}: money as a JSON number 12.34`, JSON.stringify(body).replace('"__M__"', '12.34'), path);
      }
    }
    if (t === 'string' && (fieldSchema.enum || fieldSchema.pattern || fieldSchema.format)) {
      for (const v of SQL_STRINGS.slice(0, 3)) mutate(`SQL ${JSON.stringify(v)}`, v);
      if (fieldSchema.format === 'date' || /date|opens|closes|cure_by/.test(path)) {
        for (const v of [
          '2026-02-30',
          '2026-13-01',
          '99999-01-01',
          '0000-00-00',
          '2026-1-5',
          '2026-01-05T00:00:00Z',
        ]) {
          mutate(`date ${v}`, v);
        }
      }
    }
    if (t === 'string') {
      const body = clone(base);
      if (present(body)) {
        set(body, '__U__');
        const [a, b] = JSON.stringify(body).split('"__U__"');
        const bytes = Buffer.from('"\xc3\x28\xff"', 'latin1');
        // Not JSON text at all (RFC 8259 §8.1): refused as a document, no field to name.
        add(`${path}: invalid UTF-8 bytes`, Buffer.concat([Buffer.from(a), bytes, Buffer.from(b)]));
        add(`${path}: lone surrogate escape`, `${a}"\\udc00"${b}`);
      }
      if (fieldSchema.maxLength !== undefined)
        mutate(`longer than ${fieldSchema.maxLength}`, 'x'.repeat(fieldSchema.maxLength + 1));
      if ((fieldSchema.minLength ?? 0) >= 1) mutate('empty', '');
    }
    if (t === 'array' && fieldSchema.minItems) mutate('empty array', []);
    if (t === 'array' && fieldSchema.maxItems) {
      mutate(
        `${fieldSchema.maxItems + 1} items`,
        Array.from({ length: fieldSchema.maxItems + 1 }, () => sample(fieldSchema.items)),
      );
    }
  }
  // Zero and negative amounts where a positive amount is the only sense.
  for (const [path, fieldSchema, set, , parentOf] of fields(schema)) {
    if (!isMoney(fieldSchema) || !/^(amount|proceeds)$/.test(path)) continue;
    const body = clone(base);
    if (parentOf(body) === undefined) continue;
    set(body, '0.00');
    add(`${path}: zero amount`, JSON.stringify(body), path);
  }
  return cases;
}
