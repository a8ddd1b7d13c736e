// Bad input that is not a JSON body: evidence uploads (multipart or raw bytes), seized-books
// CSV files, and malformed HTTP that no ordinary client would send.
import { randomBytes } from 'node:crypto';
import { sendRaw } from './client.mjs';
import { BAD_IDS, SQL_STRINGS, fillPath } from './spec.mjs';

function multipart(parts, { boundary = `b${randomBytes(6).toString('hex')}`, close = true } = {}) {
  const chunks = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    chunks.push(Buffer.isBuffer(p.head) ? p.head : Buffer.from(p.head, 'latin1'));
    chunks.push(Buffer.from('\r\n\r\n'));
    chunks.push(Buffer.isBuffer(p.body) ? p.body : Buffer.from(p.body));
    chunks.push(Buffer.from('\r\n'));
  }
  if (close) chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), type: `multipart/form-data; boundary=${boundary}` };
}

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n';
const PNG_MAGIC = Buffer.from('89504e470d0a1a0a', 'hex');

function evidenceCases(op, fx) {
  const path = fillPath(op, fx.ids);
  const cases = [];
  const add = (label, query, contentType, body) =>
    cases.push({
      label,
      role: 'claimant',
      path: `${path}${query}`,
      headers: { 'Content-Type': contentType },
      body,
    });
  const file = (name, content, type = 'text/plain') => ({
    head: Buffer.concat([
      Buffer.from('Content-Disposition: form-data; name="file"; filename="'),
      Buffer.from(name, 'latin1'),
      Buffer.from(`"\r\nContent-Type: ${type}`),
    ]),
    body: content,
  });
  add(
    'raw: ?filename=../../etc/passwd, text content',
    '?filename=..%2F..%2Fetc%2Fpasswd',
    'application/octet-stream',
    PASSWD,
  );
  add(
    'raw: ?filename=/etc/passwd, text content',
    '?filename=%2Fetc%2Fpasswd',
    'application/octet-stream',
    PASSWD,
  );
  add('raw: no filename', '', 'application/octet-stream', PASSWD);
  add('raw: filename with %ff', '?filename=%ff%fe.pdf', 'application/octet-stream', PASSWD);
  add('raw: filename with NUL', '?filename=a%00.png', 'application/octet-stream', PASSWD);
  add(
    'raw: filename of 5000 characters',
    `?filename=${'a'.repeat(5000)}.png`,
    'application/octet-stream',
    PASSWD,
  );
  add(
    'raw: purpose SQL',
    `?filename=a.png&purpose=${encodeURIComponent(SQL_STRINGS[0])}`,
    'application/octet-stream',
    PASSWD,
  );
  add('raw: empty body', '?filename=a.png', 'application/octet-stream', '');
  add(
    'raw: the PNG magic alone, then text',
    '?filename=a.png',
    'application/octet-stream',
    Buffer.concat([PNG_MAGIC.subarray(0, 4), Buffer.from(PASSWD)]),
  );
  add(
    'raw: 11 MiB (over the 10 MiB evidence limit)',
    '?filename=a.pdf',
    'application/octet-stream',
    Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 0x20)]),
  );
  add('Content-Type image/png, text content', '?filename=a.png', 'image/png', PASSWD);
  let m = multipart([file('../../etc/passwd', PASSWD)]);
  add('multipart: filename ../../etc/passwd, text content', '', m.type, m.body);
  m = multipart([file('..\\..\\windows\\win.ini', PASSWD)]);
  add('multipart: filename ..\\..\\windows\\win.ini', '', m.type, m.body);
  m = multipart([file('\xff\xfe\xc3(.png', PASSWD, 'image/png')]);
  add('multipart: filename of invalid UTF-8', '', m.type, m.body);
  m = multipart([file('a.png', PASSWD, 'image/png')], { close: false });
  add('multipart: no closing boundary', '', m.type, m.body);
  m = multipart([file('a.png', PASSWD), file('b.png', PASSWD)]);
  add('multipart: two files', '', m.type, m.body);
  m = multipart([{ head: 'Content-Disposition: form-data; name="other"', body: 'x' }]);
  add('multipart: no file part', '', m.type, m.body);
  add('multipart: no boundary parameter', '', 'multipart/form-data', m.body);
  add('multipart: boundary not in the body', '', 'multipart/form-data; boundary=zzz', m.body);
  add('multipart: empty body', '', 'multipart/form-data; boundary=zzz', '');
  m = multipart([
    { head: `Content-Disposition: form-data; name="file"; filename="${'a'.repeat(9000)}"`, body: PASSWD },
  ]);
  add('multipart: 9000-byte part header', '', m.type, m.body);
  add('Content-Type text/csv', '?filename=a.pdf', 'text/csv', PASSWD);
  return cases;
}

const BOOKS_HEADER = 'platform_account,holder_name,id_number,total_deposits,total_withdrawals\n';
const BOOKS_GOOD_ROW = 'corpus-acct-1,张三,11010519491231002X,100.00,0.00\n';

function booksCases(op, fx) {
  const path = fillPath(op, fx.ids);
  const cases = [];
  const add = (label, body, contentType = 'text/csv') =>
    cases.push({ label, role: 'officer', path, headers: { 'Content-Type': contentType }, body });
  // A good row then a bad one: all or nothing, so the good row must not be written either.
  const withBad = (label, row) => add(`good row then ${label}`, BOOKS_HEADER + BOOKS_GOOD_ROW + row);
  withBad('deposits 1e400', 'corpus-acct-2,李四,11010519491231002X,1e400,0.00\n');
  withBad(
    'deposits 99999999999999999999.99',
    'corpus-acct-2,李四,11010519491231002X,99999999999999999999.99,0.00\n',
  );
  withBad(
    'deposits 92233720368547758.08',
    'corpus-acct-2,李四,11010519491231002X,92233720368547758.08,0.00\n',
  );
  withBad('a negative amount', 'corpus-acct-2,李四,11010519491231002X,-1.00,0.00\n');
  withBad(
    'an invalid ID number and SQL',
    `corpus-acct-2,"${SQL_STRINGS[1]}",${SQL_STRINGS[0].replace(/'/g, '')},1.00,0.00\n`,
  );
  withBad('the same account twice', BOOKS_GOOD_ROW);
  withBad('an unterminated quote', '"corpus-acct-2,李四,11010519491231002X,1.00,0.00\n');
  withBad('a row of 100000 columns', `${'x,'.repeat(100000)}x\n`);
  withBad('a 2 MiB cell', `${'a'.repeat(2 * 1024 * 1024)},李四,11010519491231002X,1.00,0.00\n`);
  add(
    'invalid UTF-8 and GBK',
    Buffer.concat([Buffer.from(BOOKS_HEADER), Buffer.from('\xff\xff\xfe,\x80\x80,1,1,1\n', 'latin1')]),
  );
  add('UTF-16', Buffer.from(`\ufeff${BOOKS_HEADER}${BOOKS_GOOD_ROW}`, 'utf16le'));
  add('header only', BOOKS_HEADER);
  add('empty file', '');
  add('a wrong header', 'a,b,c\n1,2,3\n');
  add('64 KiB of random bytes', randomBytes(64 * 1024));
  add('NUL bytes', Buffer.concat([Buffer.from(BOOKS_HEADER), Buffer.alloc(100, 0)]));
  add('as application/json', BOOKS_HEADER + BOOKS_GOOD_ROW.replace('100.00', '-1'), 'application/json');
  add('as image/png', BOOKS_HEADER + BOOKS_GOOD_ROW, 'image/png');
  return cases;
}

export function nonJsonBodyCases(op, fx) {
  if (op.path.endsWith('/evidence')) return evidenceCases(op, fx);
  if (op.path.endsWith('/books')) return booksCases(op, fx);
  throw new Error(`no non-JSON cases for ${op.name}: add them to special_cases.mjs`);
}

// Requests written byte for byte on a TLS connection to nginx.
export function rawCases(fx) {
  const cases = [];
  // finding: who answers this one against the rules today ('nginx' or 'restitutiond'); such a
  // case runs as its own failing FINDING test until the product is fixed.
  const add = (label, bytes, { mustRefuse = true, finding, status505 = false } = {}) =>
    cases.push({
      label,
      mustRefuse,
      finding,
      status505,
      run: () => sendRaw(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1')),
    });
  const get = (target, extra = '') =>
    `GET ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}Connection: close\r\n\r\n`;
  const post = (target, body, extra = '') =>
    Buffer.concat([
      Buffer.from(
        `POST ${target} HTTP/1.1\r\nHost: localhost\r\n${extra}Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\nConnection: close\r\n\r\n`,
        'latin1',
      ),
      Buffer.from(body, 'latin1'),
    ]);
  const c = fx.ids.case;
  add('a 20 KiB header', get(`/api/v1/cases/${c}`, `X-Big: ${'a'.repeat(20000)}\r\n`), { finding: 'nginx' });
  add('200 headers of 1 KiB', get(`/api/v1/cases/${c}`, `X-Many: ${'a'.repeat(1000)}\r\n`.repeat(200)), {
    finding: 'nginx',
  });
  add('a 64 KiB Authorization header', get('/api/v1/me', `Authorization: Bearer ${'a'.repeat(65536)}\r\n`), {
    finding: 'nginx',
  });
  add('a 100 KiB URL', get(`/api/v1/cases?${'a'.repeat(100000)}=1`), { finding: 'nginx' });
  add('bytes that are not UTF-8 in the path', get('/api/v1/cases/\xff\xfe'));
  add(
    'bytes that are not UTF-8 in a header value',
    get('/api/v1/me', 'Authorization: Bearer \xff\xfe\xfd\r\n'),
  );
  add('NUL in the path', get('/api/v1/cases/1\x00'), { finding: 'nginx' });
  add('an encoded NUL in the path (%00)', get(`/api/v1/cases/${c}%00`), { finding: 'nginx' });
  add('an encoded NUL as the id (%00)', get('/api/v1/cases/%00'), { finding: 'nginx' });
  add('path traversal in the URL', get('/api/v1/../../../../etc/passwd'), {
    mustRefuse: false,
    finding: 'nginx',
  });
  // nginx resolves the dots first: /etc/passwd is a page of the portal (its index.html).
  add('encoded path traversal in the URL', get('/api/v1/cases/%2e%2e/%2e%2e/%2e%2e/etc/passwd'), {
    mustRefuse: false,
  });
  add('an unknown method', 'FOO /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', {
    finding: 'restitutiond',
  });
  add('HTTP/1.0 without Host', 'GET /api/v1/cases/1 HTTP/1.0\r\n\r\n', { mustRefuse: false });
  // RFC 9110 §15.6.6: 505 is the answer to a major version the server does not speak (nginx
  // sends it itself); what matters is that it is not a fault, and that it is JSON.
  add('HTTP/9.9', 'GET /api/v1/cases HTTP/9.9\r\nHost: localhost\r\n\r\n', {
    finding: 'nginx',
    status505: true,
  });
  add('garbage request line', '\x16\x03\x01 hello\r\n\r\n', { finding: 'nginx' });
  add(
    'Content-Length and Transfer-Encoding both',
    post('/api/v1/auth/login', '0\r\n\r\n', 'Transfer-Encoding: chunked\r\n'),
    { finding: 'nginx' },
  );
  add(
    'a malformed chunk size',
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    { finding: 'nginx' },
  );
  add(
    'a chunk size of 2^64',
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n10000000000000000\r\n{}\r\n0\r\n\r\n`,
    { finding: 'nginx' },
  );
  add(
    'Content-Length of 2^63',
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9223372036854775808\r\nConnection: close\r\n\r\n{}`,
    { finding: 'nginx' },
  );
  add(
    'Content-Length -1',
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}`,
    { finding: 'nginx' },
  );
  add(
    'two different Content-Lengths',
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}x`,
    { finding: 'nginx' },
  );
  add(
    "a declared 70 MiB body (over nginx's 65m)",
    `POST /api/v1/cases HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${70 * 1024 * 1024}\r\nConnection: close\r\n\r\n{`,
  );
  add(
    'a JSON body of invalid UTF-8',
    post(
      '/api/v1/auth/login',
      '{"username":"\xff\xfe\xc0\xaf","password":"\xed\xa0\x80"}',
      'Content-Type: application/json\r\n',
    ),
  );
  add(
    'an overlong-encoded "/" in a JSON body',
    post(
      '/api/v1/auth/login',
      '{"username":"\xc0\xaf..\xc0\xafetc","password":"x"}',
      'Content-Type: application/json\r\n',
    ),
  );
  // nginx drops header lines it cannot parse (ignore_invalid_headers).
  add('a header without a colon', get('/api/v1/cases', 'NoColonHere\r\n'), { mustRefuse: false });
  add('a header name with a space', get('/api/v1/cases', 'Bad Name: x\r\n'), { finding: 'nginx' });
  for (const id of BAD_IDS.slice(0, 6)) add(`GET /api/v1/cases/${id} raw`, get(`/api/v1/cases/${id}`));
  return cases;
}
