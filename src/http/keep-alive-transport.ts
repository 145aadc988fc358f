import {
  Agent as HttpAgent,
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from 'node:https';

/** `fetch` as the keep-alive fetches take and give it (a `Request` input goes to the fallback). */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface KeepAliveFetchOptions {
  /** How long an idle pooled socket is kept, ms; a server's `Keep-Alive: timeout=` hint shortens it. */
  idleSocketMs?: number;
  /** A request whose socket stays silent this long fails, ms (fetch's headers and body timeouts). */
  silenceMs?: number;
  /** Where the requests it does not handle go; `globalThis.fetch` (as it is at call time) by default. */
  fallback?: Fetch;
  /** The CAs trusted for https in place of Node's own, as `https.Agent` takes them (a private CA, a test's). */
  ca?: AgentOptions['ca'];
}

/** One fetch call this transport sends itself. */
export interface Call {
  input: string | URL;
  init: RequestInit;
  url: URL;
  method: string;
}

/** How a fetch call ends: with a Response (or the promise of one, taken as it settles), or failed. */
export interface Settle {
  resolve: (response: Response | Promise<Response>) => void;
  /** Rejects with fetch's `TypeError('fetch failed', { cause })`. */
  fail: (cause: unknown) => void;
}

/** What a fetch does with an answer once its headers are in: settle the call (later, if it reads on). */
export type Answered = (answer: IncomingMessage, request: ClientRequest, settle: Settle, call: Call) => void;

/** undici's defaults: idle sockets kept 4 s; 300 s without headers or body data fails a request. */
const IDLE_SOCKET_MS = 4_000;
const SILENCE_MS = 300_000;
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Methods fetch upper-cases; any other is sent as written. */
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
/** The `RequestInit` members these fetches honour; a call with any other set goes to the fallback. */
const HANDLED_INIT = new Set(['method', 'headers', 'body', 'signal', 'redirect', 'duplex']);

type HandledBody = string | Uint8Array | URLSearchParams | null | undefined;

/**
 * The request side of the keep-alive fetches ({@link keepAliveFetch}, {@link keepAliveStreamingFetch}),
 * on `node:http` / `node:https` with a keep-alive agent per protocol: which calls they send
 * themselves, the request as fetch would send it, and fetch's failures — an abort before the call
 * settles rejects with the signal's reason, a network error with `TypeError('fetch failed', { cause })`
 * (what the WebClient and the LLM SDKs retry as they retry fetch's), a 3xx with `redirect: 'error'`
 * that TypeError too.
 *
 * Sent here: http(s) URLs without credentials, no body or a string, byte or `URLSearchParams` one,
 * `redirect: 'error'` or `'manual'` (and `'follow'` for a fetch that says it follows), and no
 * `RequestInit` member beyond method, headers, body, signal, redirect and duplex. The rest —
 * FormData, Blob and stream bodies, `Request` inputs, an undici `dispatcher`, `cache`,
 * `integrity`… — goes to the fallback (`globalThis.fetch`) unchanged.
 *
 * Idle pooled sockets do not keep the process alive (node's agent unrefs them).
 */
export class KeepAliveTransport {
  readonly fallback: Fetch;
  readonly #http: HttpAgent;
  readonly #https: HttpsAgent;
  readonly #silenceMs: number;

  constructor(options: KeepAliveFetchOptions = {}) {
    const agentOptions = { keepAlive: true, timeout: options.idleSocketMs ?? IDLE_SOCKET_MS };
    this.#http = new HttpAgent(agentOptions);
    this.#https = new HttpsAgent(
      options.ca === undefined ? agentOptions : { ...agentOptions, ca: options.ca },
    );
    this.#silenceMs = options.silenceMs ?? SILENCE_MS;
    this.fallback = options.fallback ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * A fetch over this transport whose answers `answered` settles. `followsRedirects`: whether it
   * takes `redirect: 'follow'` (fetch's default) calls itself, or leaves them to the fallback.
   */
  fetch(followsRedirects: boolean, answered: Answered): Fetch {
    return (input, given) => {
      const init = given ?? {};
      const url = urlOf(input);
      const method = methodOf(init.method);
      if (url === null || !handles(url, method, init, followsRedirects)) return this.fallback(input, given);
      return this.#send({ input: input as string | URL, init, url, method }, answered);
    };
  }

  /** One request over the agent of its protocol, settled by `answered` from its headers on. */
  #send(call: Call, answered: Answered): Promise<Response> {
    const { init, url, method } = call;
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const body = init.body as HandledBody;
    const headers = headersOf(init.headers, body);
    const https = url.protocol === 'https:';
    const agent = https ? this.#https : this.#http;
    const silenceMs = this.#silenceMs;
    return new Promise<Response>((resolve, reject) => {
      const settle: Settle = {
        resolve: (response) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(response);
        },
        fail: (cause) => {
          signal?.removeEventListener('abort', onAbort);
          reject(new TypeError('fetch failed', { cause }));
        },
      };
      let outgoing: ClientRequest;
      try {
        outgoing = (https ? httpsRequest : httpRequest)(url, { method, headers, agent });
      } catch (err) {
        settle.fail(err); // a header node:http refuses, as fetch refuses it
        return;
      }
      // Registered after the request exists; rejecting first makes the destroy's error a no-op.
      function onAbort() {
        reject(signal?.reason as Error);
        outgoing.destroy();
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      outgoing.setTimeout(silenceMs, () => outgoing.destroy(new Error(`no data for ${silenceMs} ms`)));
      // After the call settles, an error is a no-op here (a streamed body listens for its own).
      outgoing.on('error', settle.fail);
      outgoing.on('response', (answer) => {
        if (init.redirect === 'error' && REDIRECT_STATUSES.has(answer.statusCode ?? 0)) {
          settle.fail(new Error('unexpected redirect'));
          answer.destroy();
          return;
        }
        answered(answer, outgoing, settle, call);
      });
      outgoing.end(body instanceof URLSearchParams ? body.toString() : (body ?? undefined));
    });
  }
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

/** True for the calls this transport sends itself; the rest go to the fallback. */
function handles(url: URL, method: string, init: RequestInit, followsRedirects: boolean): boolean {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  // fetch refuses credentials in a URL (node:http would send them as Basic auth).
  if (url.username !== '' || url.password !== '') return false;
  const redirect = init.redirect ?? 'follow';
  if (redirect !== 'error' && redirect !== 'manual' && !(followsRedirects && redirect === 'follow'))
    return false;
  // Any other member (an undici dispatcher, cache, integrity, keepalive…) is fetch's business.
  for (const key of Object.keys(init))
    if (!HANDLED_INIT.has(key) && init[key as keyof RequestInit] !== undefined) return false;
  const duplex = (init as { duplex?: unknown }).duplex;
  if (duplex !== undefined && duplex !== 'half') return false;
  const body = init.body;
  if (body === undefined || body === null) return true;
  // fetch rejects a body on GET and HEAD: let it say so.
  if (method === 'GET' || method === 'HEAD') return false;
  return typeof body === 'string' || body instanceof Uint8Array || body instanceof URLSearchParams;
}

/** The request headers as node:http takes them: names lower-cased, repeats joined as fetch's Headers does. */
function headersOf(init: RequestInit['headers'], body: HandledBody): OutgoingHttpHeaders {
  const headers: Record<string, string> = {};
  const add = (value: string, name: string) => {
    const key = name.toLowerCase();
    const trimmed = value.trim();
    headers[key] = headers[key] === undefined ? trimmed : `${headers[key]}, ${trimmed}`;
  };
  // A Headers (what the LLM SDKs pass) is read as it is; pairs are checked by a Headers first.
  if (init instanceof Headers) init.forEach(add);
  else if (Array.isArray(init)) new Headers(init).forEach(add);
  else if (init !== undefined)
    for (const [name, value] of Object.entries(init as Record<string, unknown>)) add(String(value), name);
  headers['accept'] ??= '*/*';
  if (typeof body === 'string') headers['content-type'] ??= 'text/plain;charset=UTF-8';
  if (body instanceof URLSearchParams)
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
  return headers;
}
