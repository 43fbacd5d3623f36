// Calls to the HTTP API (docs/api.md) for every screen: JSON in and out, the session's CSRF token
// on every write, an Idempotency-Key on postings, and errors as ApiError carrying the server's
// {"error":{"code","message","field"}}.

const CSRF_KEY = 'powercis.csrf';

export class ApiError extends Error {
  constructor(status, error) {
    super((error && error.message) || `HTTP ${status}`);
    this.status = status;
    this.code = (error && error.code) || 'http_error';
    this.field = (error && error.field) || null;
    this.error = error || {}; // the whole error object (a refused file's lines: error.errors)
  }
}

export function setCsrf(token) {
  try {
    sessionStorage.setItem(CSRF_KEY, token || '');
  } catch {
    /* storage blocked: kept in memory below */
  }
  memoryToken = token || '';
}
let memoryToken = '';
function csrf() {
  try {
    return sessionStorage.getItem(CSRF_KEY) || memoryToken;
  } catch {
    return memoryToken;
  }
}

// A new Idempotency-Key: one per user action, reused when the same action is retried.
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function answer(res) {
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  if (type.startsWith('application/json')) {
    const body = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, body && body.error);
    return body;
  }
  if (!res.ok) throw new ApiError(res.status, null);
  return res.blob();
}

// GET path (with query as an object of parameters; empty values left out).
export async function get(path, query = {}) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') qs.set(k, v);
  const url = qs.toString() ? `${path}?${qs}` : path;
  return answer(await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' }));
}

// A write: body is an object (sent as JSON), or a Blob/File/string sent as is with
// options.contentType. options.key: the Idempotency-Key (newKey() for a new action).
export async function send(method, path, body, options = {}) {
  const headers = { Accept: 'application/json', 'X-CSRF-Token': csrf() };
  if (options.key) headers['Idempotency-Key'] = options.key;
  let payload = body;
  if (body instanceof Blob || typeof body === 'string') {
    headers['Content-Type'] = options.contentType || (body.type || 'application/octet-stream');
  } else if (body !== undefined && body !== null) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  return answer(await fetch(path, { method, headers, body: payload, credentials: 'same-origin' }));
}

export const post = (path, body, options) => send('POST', path, body, options);
