import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { brotliDecompressSync, unzipSync } from 'node:zlib';
import { BufferedResponse, NULL_BODY_STATUSES, ResponseHeaders } from './buffered-response.js';

/** `fetch` as this module takes and gives it (URL inputs only: a `Request` goes to the fallback). */
export type Fetch = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface KeepAliveFetchOptions {
  /** How long an idle pooled socket is kept, ms; a server's `Keep-Alive: timeout=` hint shortens it. */
  idleSocketMs?: number;
  /** A request whose socket stays silent this long fails, ms (fetch's headers and body timeouts). */
  silenceMs?: number;
  /** Where the requests it does not handle go; `globalThis.fetch` (as it is at call time) by default. */
  fallback?: Fetch;
}

/** undici's defaults: idle sockets kept 4 s; 300 s without headers or body data fails a request. */
const IDLE_SOCKET_MS = 4_000;
const SILENCE_MS = 300_000;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Methods fetch upper-cases; any other is sent as written. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);

type HandledBody = string | Uint8Array | URLSearchParams | null | undefined;

/**
 * A `fetch` for the Slack Web API built on `node:http` / `node:https` with a keep-alive agent per
 * protocol. Node's own fetch (undici over web streams) spends ~0.24 ms more CPU per request (0.45 vs
 * 0.21 ms a chat.postMessage, 200 at once against the fake Slack), and the gateway renders answers
 * for hundreds of threads at once, where that CPU is what limits it.
 *
 * It behaves as `fetch` does for what it handles: requests with no body or a string, byte or
 * `URLSearchParams` body, and `redirect: 'error'` (a 3xx rejects) or `'manual'` (the 3xx is the
 * answer). Everything else — FormData, Blob and stream bodies, `Request` inputs, redirects to
 * follow (fetch's default), non-HTTP URLs — goes to the fallback (`globalThis.fetch`) unchanged.
 * Failures are fetch's: an abort rejects with the signal's reason, a network error with
 * `TypeError('fetch failed', { cause })`, which the WebClient retries as it retries fetch's.
 * The answer, read whole, is a {@link BufferedResponse}: a Response that builds nothing until asked.
 *
 * Each call of this function makes its own agents; their idle sockets do not keep the process alive.
 */
export function keepAliveFetch(options: KeepAliveFetchOptions = {}): Fetch {
  const agentOptions = { keepAlive: true, timeout: options.idleSocketMs ?? IDLE_SOCKET_MS };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const silenceMs = options.silenceMs ?? SILENCE_MS;
  const fallback = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  return (input, init = {}) => {
    const url = urlOf(input);
    const method = methodOf(init.method);
    if (url === null || !handles(url, method, init)) return fallback(input, init);
    const agent = url.protocol === 'https:' ? agents.https : agents.http;
    return send(url, method, init, agent, silenceMs);
  };
}

/** One request over `agent`, settled as fetch settles it. */
function send(
  url: URL,
  method: string,
  init: RequestInit,
  agent: HttpAgent,
  silenceMs: number,
): Promise<Response> {
  const signal = init.signal ?? undefined;
  if (signal?.aborted) return Promise.reject(signal.reason as Error);
  const body = init.body as HandledBody;
  const headers = headersOf(init.headers, body);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const fail = (cause: unknown) => {
      signal?.removeEventListener('abort', onAbort);
      reject(new TypeError('fetch failed', { cause }));
    };
    const succeed = (response: Response) => {
      signal?.removeEventListener('abort', onAbort);
      resolve(response);
    };
    let outgoing: ClientRequest;
    try {
      outgoing = request(url, { method, headers, agent });
    } catch (err) {
      fail(err); // a header node:http refuses, as fetch refuses it
      return;
    }
    // Registered after the request exists; rejecting first makes the destroy's error a no-op.
    function onAbort() {
      reject(signal?.reason as Error);
      outgoing.destroy();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    outgoing.setTimeout(silenceMs, () => outgoing.destroy(new Error(`no data for ${silenceMs} ms`)));
    outgoing.on('error', fail);
    outgoing.on('response', (answer) => {
      if (init.redirect === 'error' && REDIRECT_STATUSES.has(answer.statusCode ?? 0)) {
        fail(new Error('unexpected redirect'));
        answer.destroy();
        return;
      }
      const headers = new ResponseHeaders(answer.rawHeaders);
      readAll(answer, headers.get('content-encoding'))
        .then((bytes) => succeed(responseOf(answer, headers, method === 'HEAD' ? null : bytes, url.href)))
        .catch(fail);
    });
    outgoing.end(body instanceof URLSearchParams ? body.toString() : (body ?? undefined));
  });
}

/** The URL of a string or URL input; null for anything else (a `Request`) or a string fetch would refuse. */
function urlOf(input: unknown): URL | null {
  if (input instanceof URL) return input;
  if (typeof input !== 'string') return null;
  try {
    return new URL(input);
  } catch {
    return null;
  }
}

function methodOf(method: string | undefined): string {
  if (method === undefined) return 'GET';
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.has(upper) ? upper : method;
}

/** True for the requests this fetch sends itself; the rest go to the fallback. */
function handles(url: URL, method: string, init: RequestInit): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // fetch refuses credentials in a URL (node:http would send them as Basic auth).
  if (url.username !== '' || url.password !== '') return false;
  if (init.redirect !== 'error' && init.redirect !== 'manual') return false;
  // An undici dispatcher chosen by the caller is undici's business.
  if ('dispatcher' in init) return false;
  const body = init.body;
  if (body === undefined || body === null) return true;
  // fetch rejects a body on GET and HEAD: let it say so.
  if (method === 'GET' || method === 'HEAD') return false;
  return typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams;
}

/** The request headers as node:http takes them: names lower-cased, repeats joined as fetch's Headers does. */
function headersOf(init: RequestInit['headers'], body: HandledBody): OutgoingHttpHeaders {
  const headers: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    const trimmed = value.trim();
    headers[key] = headers[key] === undefined ? trimmed : `${headers[key]}, ${trimmed}`;
  };
  if (init instanceof Headers || Array.isArray(init))
    new Headers(init).forEach((value, name) => add(name, value));
  else if (init !== undefined)
    for (const [name, value] of Object.entries(init as Record<string, unknown>)) add(name, String(value));
  headers['accept'] ??= '*/*';
  if (typeof body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  if (body instanceof URLSearchParams)
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  return headers;
}

/** The whole body of an answer, decoded as fetch decodes it (gzip, deflate, br). */
function readAll(answer: IncomingMessage, encoding: string | null): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('error', reject);
    answer.on('close', () => {
      if (!answer.complete) reject(new Error('the connection closed before the answer was complete'));
    });
    answer.on('end', () => {
      try {
        resolve(decoded(Buffer.concat(chunks), encoding));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

function decoded(bytes: Buffer, encoding: string | null): Buffer {
  if (bytes.length === 0) return bytes;
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
    case 'deflate':
      return unzipSync(bytes);
    case 'br':
      return brotliDecompressSync(bytes);
    default:
      return bytes;
  }
}

/** The answer as fetch gives it (a status outside 200–599 throws, failing the call, as `new Response` did). */
function responseOf(
  answer: IncomingMessage,
  headers: ResponseHeaders,
  bytes: Buffer | null,
  url: string,
): Response {
  const status = answer.statusCode ?? 0;
  const body = bytes === null || NULL_BODY_STATUSES.has(status) ? null : bytes;
  return new BufferedResponse(body, { status, statusText: answer.statusMessage ?? '', headers, url });
}
