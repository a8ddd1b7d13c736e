// HTTPS through the stack's nginx, as a client on the internet would reach it.
//
// nginx limits each client address to 20 requests/s (burst 40); the corpus sends thousands of
// requests, so they leave from many loopback source addresses (127.0.0.0/8 is all local on
// Linux) — what the corpus checks is input handling, not the rate limit. A 429 from nginx's
// limiter is retried from another address; restitutiond's own 429s are answers like any other.
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

export const BASE = new URL(process.env.CORPUS_BASE_URL);
const CA = readFileSync(process.env.CORPUS_CA_FILE);
const SOURCE_COUNT = 48;
const agents = Array.from({ length: SOURCE_COUNT }, (_, i) => ({
  localAddress: `127.0.${1 + Math.floor(i / 200)}.${10 + (i % 200)}`,
  agent: new https.Agent({ keepAlive: true, maxSockets: 2, ca: CA }),
}));
let nextSource = 0;

function pickSource() {
  nextSource = (nextSource + 1) % agents.length;
  return agents[nextSource];
}

function isNginxRateLimit(status, text) {
  return status === 429 && text.includes('Too many requests from this address');
}

// One request. body: Buffer | string | undefined. Returns {status, headers, text, json}.
// json is undefined when the body is not JSON.
export async function send(method, path, { headers = {}, body, timeoutMs = 60000 } = {}) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const response = await sendOnce(method, path, headers, body, timeoutMs);
    if (!isNginxRateLimit(response.status, response.text)) return response;
    await new Promise((r) => setTimeout(r, 100 + attempt * 50));
  }
  throw new Error(`${method} ${path}: nginx rate limit on every retry`);
}

function sendOnce(method, path, headers, body, timeoutMs) {
  const source = pickSource();
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: BASE.hostname,
        port: BASE.port,
        method,
        path,
        headers: body === undefined ? headers : { ...headers, 'Content-Length': Buffer.byteLength(body) },
        agent: source.agent,
        localAddress: source.localAddress,
        timeout: timeoutMs,
      },
      (response) => {
        const chunks = [];
        response.on('data', (c) => chunks.push(c));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode, headers: response.headers, text, json: parseJson(text) });
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)),
    );
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Bytes written as they are on a fresh TLS connection (for requests no HTTP client would
// send: oversized headers, bytes that are not UTF-8 on the request line). Reads until the
// server closes or the first complete response (by Content-Length) arrives.
export function sendRaw(bytes, { timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const source = pickSource();
    const socket = tls.connect({
      host: BASE.hostname,
      port: Number(BASE.port),
      ca: CA,
      servername: 'localhost',
      localAddress: source.localAddress,
    });
    const chunks = [];
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseRawResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(() => {
      if (!done) {
        done = true;
        socket.destroy();
        reject(new Error(`raw request: no complete answer in ${timeoutMs} ms`));
      }
    }, timeoutMs);
    socket.on('secureConnect', () => socket.write(bytes));
    socket.on('data', (c) => {
      chunks.push(c);
      const parsed = parseRawResponse(Buffer.concat(chunks));
      if (parsed.complete) finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e) => {
      // A reset after the answer is normal for a refused request.
      if (chunks.length) finish();
      else if (!done) {
        done = true;
        clearTimeout(timer);
        reject(e);
      }
    });
  });
}

function parseRawResponse(buffer) {
  const text = buffer.toString('latin1');
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return { status: 0, headers: {}, text: '', json: undefined, complete: false };
  const lines = text.slice(0, headEnd).split('\r\n');
  const status = Number((/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]) || [])[1] || 0);
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const bodyBytes = buffer.subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1'));
  const length = headers['content-length'] === undefined ? -1 : Number(headers['content-length']);
  const complete = length >= 0 && bodyBytes.length >= length;
  const body = bodyBytes.toString('utf8');
  return { status, headers, text: body, json: parseJson(body), complete };
}

// Runs tasks (functions returning promises) with at most `limit` at a time, in order of start.
export async function runLimited(tasks, limit) {
  const results = new Array(tasks.length);
  let next = 0;
  async function worker() {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

export function closeAll() {
  for (const a of agents) a.agent.destroy();
}
