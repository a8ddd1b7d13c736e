// The one way the portal talks to the service: JSON in and out, the bearer token of the
// session, a timeout on every call, and the service's error shape
// ({"error":{"code","message","field"}}) turned into an ApiError the pages can place next
// to the field it names. Writes carry an Idempotency-Key, so the retry a claimant makes
// after a timeout on a slow connection can never declare or pay twice.
import { clearSession, getSession } from './session.js';

const DEFAULT_TIMEOUT_MS = 30000;

export class ApiError extends Error {
  constructor(status, code, message, field, retryAfterSeconds, errors) {
    super(message || code);
    this.status = status; // 0 when the request never got an answer
    this.code = code; // the service's error.code, or 'network' / 'timeout' / 'bad_response'
    this.field = field || null; // e.g. "contributions[2].amount"
    this.retryAfterSeconds = retryAfterSeconds || 0;
    // Per-line problems of a file the service refused (error.errors, e.g. a books import).
    this.errors = Array.isArray(errors) ? errors : [];
  }
}

// The service's error body (or whatever answered instead) as an ApiError.
function toApiError(status, body, retryAfterHeader, statusText) {
  const e = body && body.error ? body.error : {};
  const retry = Number(retryAfterHeader) || e.retry_after_seconds || 0;
  if (status === 401 && getSession()) clearSession('expired');
  return new ApiError(status, e.code || `http_${status}`, e.message || statusText, e.field, retry, e.errors);
}

// A fresh key per logical action; keep it while retrying that action.
export function newIdempotencyKey() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function buildUrl(path, query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

function authHeaders(extra) {
  const headers = { Accept: 'application/json', ...extra };
  const session = getSession();
  if (session) headers.Authorization = `Bearer ${session.token}`;
  return headers;
}

async function errorFromResponse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // nginx or a proxy answered with something that is not ours.
  }
  return toApiError(response.status, body, response.headers.get('Retry-After'), response.statusText);
}

// Returns the parsed JSON body (or a Blob when as === 'blob', text when as === 'text', and
// {text, headers} when as === 'text+headers', for paged downloads).
export async function request(method, path, options = {}) {
  const { body, query, idempotencyKey, timeoutMs = DEFAULT_TIMEOUT_MS, as = 'json' } = options;
  const headers = authHeaders(options.headers);
  let payload;
  if (body !== undefined) {
    if (typeof body === 'string' || body instanceof Blob || body instanceof FormData) {
      payload = body;
    } else {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  if (method !== 'GET' && idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(buildUrl(path, query), {
      method,
      headers,
      body: payload,
      signal: controller.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (err) {
    throw controller.signal.aborted
      ? new ApiError(0, 'timeout', 'timeout')
      : new ApiError(0, 'network', String(err));
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) throw await errorFromResponse(response);
  if (as === 'blob') return response.blob();
  if (as === 'text') return response.text();
  if (as === 'text+headers') return { text: await response.text(), headers: response.headers };
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    throw new ApiError(response.status, 'bad_response', 'the answer was not JSON');
  }
}

// Upload through XMLHttpRequest, the only browser API that reports upload progress.
// body is FormData (multipart) or a File/Blob sent raw with contentType (e.g. 'text/csv').
// onProgress(sent, total) is called as bytes leave the phone.
export function upload(path, body, { idempotencyKey, onProgress, contentType, timeoutMs = 300000 } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    const extra = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
    if (contentType) extra['Content-Type'] = contentType;
    const headers = authHeaders(extra);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.timeout = timeoutMs;
    xhr.responseType = 'text';
    if (onProgress) {
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    }
    xhr.onerror = () => reject(new ApiError(0, 'network', 'network error'));
    xhr.ontimeout = () => reject(new ApiError(0, 'timeout', 'timeout'));
    xhr.onload = () => {
      let body = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(body);
        return;
      }
      reject(toApiError(xhr.status, body, xhr.getResponseHeader('Retry-After'), xhr.statusText));
    };
    xhr.send(body);
  });
}

// A CSV export the service hands out in pages (X-Next-After names the next page, X-Rows the
// lines in this one; payments.csv and claims.csv): every page fetched in turn and joined into
// one file. Each page is a whole CSV, so later pages lose their BOM and header line.
// onRows(linesSoFar) reports progress.
async function getPagedCsv(path, { onRows, timeoutMs = 300000, maxPages = 1000 } = {}) {
  const parts = [];
  let after = 0;
  let rows = 0;
  for (let page = 0; page < maxPages; page++) {
    const { text, headers } = await request('GET', path, {
      as: 'text+headers',
      query: after ? { after } : undefined,
      timeoutMs,
    });
    parts.push(page === 0 ? text : text.replace(/^\uFEFF?[^\n]*\n/, ''));
    rows += Number(headers.get('X-Rows')) || 0;
    if (onRows) onRows(rows);
    after = Number(headers.get('X-Next-After')) || 0;
    if (!after) return new Blob(parts, { type: 'text/csv;charset=utf-8' });
  }
  throw new ApiError(0, 'bad_response', `more than ${maxPages} pages`);
}

export const api = {
  getPagedCsv,
  get: (path, options) => request('GET', path, options),
  post: (path, body, options = {}) => request('POST', path, { ...options, body }),
  put: (path, body, options = {}) => request('PUT', path, { ...options, body }),
  del: (path, options) => request('DELETE', path, options),
  upload,
};
