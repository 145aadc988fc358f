import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import webApi, { WebClient, WebClientEvent } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BufferedResponse } from '../../src/http/buffered-response.js';
import { ResponseHeaders } from '../../src/http/response-headers.js';
import { keepAliveFetch } from '../../src/http/keep-alive-fetch.js';
import { RedactingWebClient } from '../../adapters/slack/redacting-web-client.js';
import type { ApiCallOutcome, Metrics } from '../../src/core/metrics.js';
import { noopMetrics } from '../../src/core/metrics.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';

/** A Slack-like JSON answer: a BOM, non-ASCII text, repeated headers in mixed case, two cookies. */
const JSON_TEXT = '{"ok":true,"text":"héllo"}';
const JSON_BYTES = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON_TEXT)]);
const JSON_HEADERS: Array<[string, string]> = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Content-Length', String(JSON_BYTES.length)],
  ['X-Scope', 'a'],
  ['Set-Cookie', 'a=1; Path=/'],
  ['x-scope', 'b'],
  ['set-cookie', 'b=2'],
  ['X-Empty', ''],
];
/** How fetch's Headers iterates JSON_HEADERS (plus node's own): sorted, lower-case, cookies apart. */
const JSON_PAIRS = [
  ['connection', 'keep-alive'],
  ['content-length', String(JSON_BYTES.length)],
  ['content-type', 'application/json; charset=utf-8'],
  ['keep-alive', 'timeout=5'],
  ['set-cookie', 'a=1; Path=/'],
  ['set-cookie', 'b=2'],
  ['x-empty', ''],
  ['x-scope', 'a, b'],
];

/** Answers by path: /json, /status/N, /bytes (not UTF-8, nor JSON), /form; no Date, so two answers match. */
function answer(req: IncomingMessage, res: ServerResponse): void {
  res.sendDate = false;
  const url = new URL(req.url ?? '/', 'http://x');
  const status = /^\/status\/(\d+)$/.exec(url.pathname)?.[1];
  if (url.pathname === '/json') res.writeHead(200, 'Fine', JSON_HEADERS).end(JSON_BYTES);
  else if (status !== undefined)
    res.writeHead(Number(status), 'Made It').end(Number(status) < 300 ? 'x' : '');
  else if (url.pathname === '/bytes')
    res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from([0x61, 0xff, 0x62, 0xc3]));
  else if (url.pathname === '/form')
    res.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end('a=1&b=%C3%A9');
  else res.writeHead(404).end('no');
}

let server: Server;
let base: string;
beforeEach(async () => {
  server = createServer(answer);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const fetchBuffered = keepAliveFetch();
/** The answer at `path` through keepAliveFetch: a BufferedResponse (not the fallback's answer). */
async function get(path: string, init: RequestInit = {}): Promise<BufferedResponse> {
  const response = await fetchBuffered(`${base}${path}`, { redirect: 'error', ...init });
  expect(response).toBeInstanceOf(BufferedResponse);
  return response as BufferedResponse;
}
/** The answer at `path` through node's own fetch, to compare with. */
const getReal = (path: string, init: RequestInit = {}) => globalThis.fetch(`${base}${path}`, init);

/** Everything a body stream gives, as one buffer. */
async function drain(stream: ReadableStream<Uint8Array> | null): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream ?? []) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The members of a prototype anyone may call: named, or keyed by a well-known or registered symbol. */
const publicKeys = (prototype: object) =>
  Reflect.ownKeys(prototype).filter(
    (key) => typeof key === 'string' || key === Symbol.iterator || Symbol.keyFor(key) !== undefined,
  );

describe('the BufferedResponse keepAliveFetch answers with', () => {
  it('is a Response and its headers a Headers to instanceof, with every member of theirs its own', async () => {
    const response = await get('/json');
    expect(response).toBeInstanceOf(Response);
    expect(response.headers).toBeInstanceOf(Headers);
    expect(response.headers).toBeInstanceOf(ResponseHeaders);
    expect(Object.prototype.toString.call(response)).toBe('[object Response]');
    expect(Object.prototype.toString.call(response.headers)).toBe('[object Headers]');
    // An inherited member would be undici's, which throws on an object that is not its own: each is
    // defined by the class or one between it and the real prototype (the Responses share a base).
    const inherited = (mine: object, real: object) =>
      publicKeys(real).filter((key) => {
        for (
          let proto: object | null = mine;
          proto !== null && proto !== real;
          proto = Object.getPrototypeOf(proto) as object | null
        )
          if (Object.hasOwn(proto, key)) return false;
        return true;
      });
    expect(publicKeys(Response.prototype)).toEqual(expect.arrayContaining(['text', 'body', 'clone']));
    expect(inherited(BufferedResponse.prototype, Response.prototype)).toEqual([]);
    expect(inherited(ResponseHeaders.prototype, Headers.prototype)).toEqual([]);
    // What console.log shows, without reaching undici's internals.
    expect(inspect(response)).toMatch(/^Response {\s+status: 200,\s+statusText: 'Fine',/);
    expect(inspect(response.headers)).toContain("'x-scope': 'a, b'");
  });

  it('has the status, statusText, ok, url, type and redirected of the answer, as fetch has them', async () => {
    for (const [path, status, ok] of [
      ['/status/201', 201, true],
      ['/status/299', 299, true],
      ['/status/300', 300, false],
      ['/status/404', 404, false],
      ['/status/503', 503, false],
    ] as const) {
      const response = await get(path);
      expect([response.status, response.statusText, response.ok]).toEqual([status, 'Made It', ok]);
      expect([response.url, response.type, response.redirected]).toEqual([`${base}${path}`, 'basic', false]);
      const real = await getReal(path);
      expect([real.status, real.statusText, real.ok, real.url, real.type, real.redirected]).toEqual([
        response.status,
        response.statusText,
        response.ok,
        response.url,
        response.type,
        response.redirected,
      ]);
    }
  });

  it('has headers as fetch has them: any case, repeats joined, cookies apart, sorted iteration', async () => {
    const { headers } = await get('/json');
    expect(headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(headers.get('CONTENT-TYPE')).toBe('application/json; charset=utf-8');
    expect(headers.get('X-Scope')).toBe('a, b');
    expect(headers.get('set-cookie')).toBe('a=1; Path=/, b=2');
    expect(headers.get('x-empty')).toBe('');
    expect(headers.get('retry-after')).toBeNull();
    expect([headers.has('x-SCOPE'), headers.has('x-empty'), headers.has('retry-after')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect([...headers]).toEqual(JSON_PAIRS);
    expect([...headers.entries()]).toEqual(JSON_PAIRS);
    expect([...headers.keys()]).toEqual(JSON_PAIRS.map(([key]) => key));
    expect([...headers.values()]).toEqual(JSON_PAIRS.map(([, value]) => value));
    const seen: unknown[] = [];
    const self = {};
    headers.forEach(function (this: unknown, value, key, parent) {
      seen.push([key, value, parent === headers, this === self]);
    }, self);
    expect(seen).toEqual(JSON_PAIRS.map(([key, value]) => [key, value, true, true]));
    // What the WebClient makes of them for an HTTP error.
    expect(Object.fromEntries(headers.entries())).toMatchObject({ 'x-scope': 'a, b', 'set-cookie': 'b=2' });
    // A real Headers takes them in, as it takes another Headers.
    expect([...new Headers(headers)]).toEqual(JSON_PAIRS);

    // Node's fetch answers the same.
    const real = (await getReal('/json')).headers;
    expect([...real]).toEqual([...headers]);
    expect(real.getSetCookie()).toEqual(headers.getSetCookie());
    for (const name of ['Content-Type', 'x-scope', 'set-cookie', 'x-empty', 'retry-after'])
      expect(real.get(name)).toBe(headers.get(name));
  });

  it('has immutable headers, and refuses a name that is no header name, as fetch does', async () => {
    const { headers } = await get('/json');
    expect(() => headers.append('x-scope', 'c')).toThrow(new TypeError('immutable'));
    expect(() => headers.set('x-scope', 'c')).toThrow(new TypeError('immutable'));
    expect(() => headers.delete('x-scope')).toThrow(new TypeError('immutable'));
    expect(headers.get('x-scope')).toBe('a, b');
    expect(() => headers.get('bad name')).toThrow(TypeError);
    expect(() => headers.has('x-scopé')).toThrow(TypeError);
    // The Kelvin sign lower-cases to "k": a name fetch refuses must not match a header.
    expect(() => headers.get('\u212Aeep-alive')).toThrow(TypeError);
    expect(() => headers.forEach('x' as never)).toThrow(TypeError);
  });

  it('reads the body as text, json, arrayBuffer, bytes, blob and formData, each a copy of its own', async () => {
    expect(await (await get('/json')).text()).toBe(JSON_TEXT); // the BOM dropped, the é decoded
    expect(await (await get('/json')).json()).toEqual({ ok: true, text: 'héllo' });
    expect(await (await get('/bytes')).text()).toBe('a\uFFFDb\uFFFD');
    await expect((await get('/bytes')).json()).rejects.toBeInstanceOf(SyntaxError);

    const response = await get('/json');
    const clone = response.clone();
    // Exactly the body's bytes, though node's small buffers are slices of a shared pool.
    const buffer = await response.arrayBuffer();
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(new Uint8Array(buffer)).toEqual(new Uint8Array(JSON_BYTES));
    new Uint8Array(buffer).fill(0);
    const bytes = await clone.bytes();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes).toEqual(new Uint8Array(JSON_BYTES));
    expect(bytes.buffer.byteLength).toBe(JSON_BYTES.length);

    const blob = await (await get('/json')).blob();
    expect(blob.type).toBe('application/json;charset=utf-8'); // the MIME type as fetch serializes it
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array(JSON_BYTES));
    expect([...(await (await get('/form')).formData())]).toEqual([
      ['a', '1'],
      ['b', 'é'],
    ]);
    await expect((await get('/json')).formData()).rejects.toBeInstanceOf(TypeError);
  });

  it('streams the body, which marks it used on the first read', async () => {
    const response = await get('/json');
    const body = response.body;
    expect(body).not.toBeNull();
    expect(response.body).toBe(body);
    expect(response.bodyUsed).toBe(false);
    const reader = body!.getReader();
    const first = reader.read();
    expect(response.bodyUsed).toBe(true);
    const chunks: Uint8Array[] = [];
    for (let read = await first; !read.done; read = await reader.read()) chunks.push(read.value);
    expect(Buffer.concat(chunks)).toEqual(JSON_BYTES);
    await expect(response.text()).rejects.toThrow(
      new TypeError('Body is unusable: Body has already been read'),
    );

    // A byte stream, as fetch's: a BYOB reader reads it in pieces of its own size.
    const byob = (await get('/json')).body!.getReader({ mode: 'byob' });
    const pieces: number[] = [];
    for (;;) {
      const { value, done } = await byob.read(new Uint8Array(10));
      if (done) break;
      pieces.push(value.length);
    }
    expect(pieces).toEqual([10, 10, JSON_BYTES.length - 20]);
    expect(await drain((await get('/json')).body)).toEqual(JSON_BYTES);
  });

  it('reads the body once: any second reading rejects, as fetch rejects it', async () => {
    const unusable = new TypeError('Body is unusable: Body has already been read');
    for (const [first, second] of [
      ['text', 'json'],
      ['json', 'text'],
      ['arrayBuffer', 'bytes'],
      ['bytes', 'blob'],
      ['blob', 'arrayBuffer'],
      ['text', 'formData'],
    ] as const) {
      const response = await get('/json');
      await response[first]();
      expect(response.bodyUsed).toBe(true);
      await expect(response[second]()).rejects.toThrow(unusable);
    }
    // Called twice at once, the second rejects too.
    const twice = await get('/json');
    const [a, b] = await Promise.allSettled([twice.text(), twice.text()]);
    expect([a.status, b.status]).toEqual(['fulfilled', 'rejected']);

    // Read by text(): the stream is what fetch leaves, closed and locked.
    const read = await get('/json');
    await read.text();
    expect(read.body?.locked).toBe(true);
    expect(() => read.body?.getReader()).toThrow(TypeError);

    // A stream taken by a reader and not read: not used yet, but no longer readable another way.
    const taken = await get('/json');
    const reader = taken.body!.getReader();
    expect(taken.bodyUsed).toBe(false);
    await expect(taken.text()).rejects.toThrow(unusable);
    expect(() => taken.clone()).toThrow(TypeError);
    expect(Buffer.from((await reader.read()).value ?? [])).toEqual(JSON_BYTES);

    // A stream taken, then the body read through text(): the stream is left closed.
    const left = await get('/json');
    const stream = left.body!;
    expect(await left.text()).toBe(JSON_TEXT);
    expect(stream.locked).toBe(true);

    const cancelled = await get('/json');
    await cancelled.body?.cancel();
    expect(cancelled.bodyUsed).toBe(true);
    await expect(cancelled.text()).rejects.toThrow(unusable);
  });

  it('clones before the body is read, with its own body, not after', async () => {
    const response = await get('/json');
    const clone = response.clone();
    expect(clone).toBeInstanceOf(BufferedResponse);
    expect([clone.status, clone.statusText, clone.url, [...clone.headers]]).toEqual([
      200,
      'Fine',
      `${base}/json`,
      JSON_PAIRS,
    ]);
    expect(await drain(response.body)).toEqual(JSON_BYTES);
    expect(response.bodyUsed).toBe(true);
    expect(clone.bodyUsed).toBe(false);
    expect(await clone.json()).toEqual({ ok: true, text: 'héllo' });
    expect(() => response.clone()).toThrow(new TypeError('Response.clone: Body has already been consumed.'));
    expect(() => clone.clone()).toThrow(TypeError);
  });

  it('has a null body for 204, 205, 304 and HEAD, read as empty any number of times', async () => {
    for (const [path, init] of [
      ['/status/204', {}],
      ['/status/205', {}],
      ['/status/304', {}],
      ['/json', { method: 'HEAD' }],
    ] as const) {
      const response = await get(path, init);
      expect(response.body).toBeNull();
      expect(await response.text()).toBe('');
      expect(await response.text()).toBe('');
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(0));
      expect(response.bodyUsed).toBe(false);
      expect(await response.clone().text()).toBe('');
      expect((await getReal(path, init)).body).toBeNull();
    }
    // HEAD has the headers a GET would have.
    const head = await get('/json', { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(JSON_BYTES.length));
    expect(await head.bytes()).toEqual(new Uint8Array(0));
  });
});

describe('the WebClient over keepAliveFetch', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await slack.close();
  });

  /** The adapter's WebClient (over keepAliveFetch) against the fake, counting its calls. */
  function adapterClient(options: { retries?: number } = {}) {
    const outcomes: ApiCallOutcome[] = [];
    const metrics: Metrics = {
      ...noopMetrics,
      apiCall: (_service, _method, outcome) => outcomes.push(outcome),
    };
    const client = new RedactingWebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      redact: (text) => text,
      metrics,
      logLevel: webApi.LogLevel.ERROR,
      retryConfig: { retries: options.retries ?? 2, minTimeout: 0, maxTimeout: 0 },
    });
    return { client, outcomes };
  }

  it('gets the result of a call', async () => {
    const { client, outcomes } = adapterClient();
    const result = await client.chat.postMessage({ channel: 'C1', text: 'hello' });
    expect(result).toMatchObject({ ok: true, channel: 'C1', message: { text: 'hello' } });
    expect(slack.message('C1', result.ts ?? '')?.text).toBe('hello');
    expect(outcomes).toEqual(['ok']);
  });

  it("waits out a 429's Retry-After, then retries", async () => {
    const { client, outcomes } = adapterClient();
    const waits: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (retrySec: number) => waits.push(retrySec));
    slack.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const started = Date.now();
    const result = await client.chat.postMessage({ channel: 'C1', text: 'patient' });
    expect(result.ok).toBe(true);
    expect(waits).toEqual([1]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(slack.callsOf('chat.postMessage').map((call) => call.status)).toEqual([429, 200]);
    expect(outcomes).toEqual(['rate_limited', 'ok']);
  });

  it('fails a non-200 answer with its status, headers and body', async () => {
    const { client, outcomes } = adapterClient({ retries: 0 });
    slack.failNext('chat.postMessage', { status: 500, error: 'internal_error' });
    const failure = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((err: unknown) => err);
    expect(failure).toMatchObject({
      code: webApi.ErrorCode.HTTPError,
      statusCode: 500,
      statusMessage: 'Internal Server Error',
      headers: { 'content-type': 'application/json; charset=utf-8', connection: 'keep-alive' },
      body: { ok: false, error: 'internal_error' }, // the text the WebClient read, parsed by it
    });
    expect(outcomes).toEqual(['error']);
  });

  it('reads the scopes headers, and a gzip file through arrayBuffer()', async () => {
    server.removeAllListeners('request');
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.url === '/api/admin.analytics.getFile')
        res
          .writeHead(200, { 'content-type': 'application/gzip' })
          .end(gzipSync('{"team_id":"T1"}\n{"team_id":"T2"}\n'));
      else
        res
          .writeHead(200, {
            'content-type': 'application/json; charset=utf-8',
            'x-oauth-scopes': 'chat:write, users:read',
            'x-accepted-oauth-scopes': 'chat:write',
          })
          .end('{"ok":true}');
    });
    const client = new WebClient('xoxb-1', { slackApiUrl: `${base}/api/`, fetch: keepAliveFetch() });
    expect((await client.auth.test()).response_metadata).toEqual({
      scopes: ['chat:write', 'users:read'],
      acceptedScopes: ['chat:write'],
    });
    expect(await client.admin.analytics.getFile({ type: 'member', date: '2024-01-01' })).toMatchObject({
      file_data: [{ team_id: 'T1' }, { team_id: 'T2' }],
    });
  });
});
