import { gzipSync } from 'node:zlib';
import webApi, { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../../src/http/keep-alive-fetch.js';
import { RedactingWebClient } from '../../adapters/slack/redacting-web-client.js';
import { noopMetrics } from '../../src/core/metrics.js';
import { closedPort, recordingFallback, TestServer } from '../helpers/http-test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = new TestServer();
  await server.start();
});
afterEach(async () => {
  await server.close();
});

const post = { method: 'POST', redirect: 'error' } as const;

describe('keepAliveFetch', () => {
  it('sends method, headers and body, and answers with status, headers, body and url', async () => {
    server.handler = (_req, res) => {
      res.statusMessage = 'Made It';
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.setHeader('set-cookie', ['a=1', 'b=2']);
      res.setHeader('x-oauth-scopes', 'chat:write, users:read');
      res.writeHead(201);
      res.end('{"ok":true,"ts":"1.2","text":"héllo"}');
    };
    const fetch = keepAliveFetch();
    const response = await fetch(server.url('/api/chat.postMessage'), {
      ...post,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: 'Bearer xoxb-1' },
      body: 'channel=C1&text=h%C3%A9llo',
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.statusText).toBe('Made It');
    expect(response.ok).toBe(true);
    expect(response.url).toBe(server.url('/api/chat.postMessage'));
    expect(response.headers.get('x-oauth-scopes')).toBe('chat:write, users:read');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    expect(Object.fromEntries(response.headers.entries())).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
    });
    expect(await response.json()).toEqual({ ok: true, ts: '1.2', text: 'héllo' });
    const [seen] = server.seen;
    expect(seen).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      body: 'channel=C1&text=h%C3%A9llo',
    });
    expect(seen?.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Bearer xoxb-1',
      'content-length': String(Buffer.byteLength('channel=C1&text=h%C3%A9llo')),
    });
  });

  it('sends byte, URLSearchParams and empty bodies as fetch does', async () => {
    const fetch = keepAliveFetch();
    await fetch(server.url(), { ...post, body: Buffer.from('bytes ✓') });
    await fetch(server.url(), { ...post, body: new TextEncoder().encode('uint8') });
    await fetch(server.url(), { ...post, body: new URLSearchParams({ text: 'a b&c' }) });
    await fetch(server.url(), { ...post, body: 'plain' });
    await fetch(server.url(), post);
    await fetch(server.url(), { method: 'get', redirect: 'error' });
    expect(server.seen.map((s) => [s.method, s.body, s.headers['content-length']])).toEqual([
      ['POST', 'bytes ✓', String(Buffer.byteLength('bytes ✓'))],
      ['POST', 'uint8', '5'],
      ['POST', 'text=a+b%26c', '12'],
      ['POST', 'plain', '5'],
      ['POST', '', '0'],
      ['GET', '', undefined],
    ]);
    expect(server.seen[2]?.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(server.seen[3]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
  });

  it('keeps one connection for sequential calls', async () => {
    const fetch = keepAliveFetch();
    for (let i = 0; i < 5; i++) {
      const response = await fetch(server.url(`/call/${i}`), { ...post, body: `n=${i}` });
      await response.text();
    }
    expect(server.seen.map((s) => s.url)).toEqual(['/call/0', '/call/1', '/call/2', '/call/3', '/call/4']);
    expect(server.connections).toBe(1);
    expect(new Set(server.seen.map((s) => s.socket))).toEqual(new Set([0]));
  });

  it('lets a slow answer outlive the idle-socket timeout', async () => {
    server.handler = (_req, res) => setTimeout(() => res.end('late'), 150);
    const fetch = keepAliveFetch({ idleSocketMs: 30 });
    expect(await (await fetch(server.url(), post)).text()).toBe('late');
    expect(await (await fetch(server.url(), post)).text()).toBe('late');
  });

  it('closes idle sockets after the idle-socket timeout', async () => {
    const fetch = keepAliveFetch({ idleSocketMs: 30 });
    await (await fetch(server.url(), post)).text();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await (await fetch(server.url(), post)).text();
    expect(server.connections).toBe(2);
  });

  it('rejects with the signal reason when aborted before or during the call', async () => {
    server.handler = () => undefined; // never answers
    const fetch = keepAliveFetch();
    const early = new AbortController();
    early.abort();
    await expect(fetch(server.url(), { ...post, signal: early.signal })).rejects.toBe(early.signal.reason);

    const late = new AbortController();
    const call = fetch(server.url(), { ...post, signal: late.signal });
    setTimeout(() => late.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });

    await expect(fetch(server.url(), { ...post, signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(server.seen).toHaveLength(2);
  });

  it('fails a refused connection with TypeError("fetch failed") and its cause', async () => {
    const fetch = keepAliveFetch();
    const port = await closedPort();
    const failure = await fetch(`http://127.0.0.1:${port}/api/auth.test`, post).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('fails an answer cut off mid-body, and a silent server, with TypeError', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const fetch = keepAliveFetch({ silenceMs: 100 });
    await expect(fetch(server.url(), post)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
    server.handler = () => undefined;
    await expect(fetch(server.url(), post)).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
    });
  });

  it('rejects a redirect with redirect: "error", returns it with "manual", and follows nothing itself', async () => {
    server.handler = (req, res) => {
      if (req.url === '/moved') res.writeHead(302, { location: '/target' }).end();
      else res.end('target');
    };
    const fallback = recordingFallback();
    const fetch = keepAliveFetch({ fallback: fallback.fetch });
    const failure = await fetch(server.url('/moved'), post).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: 'fetch failed', cause: { message: 'unexpected redirect' } });
    const manual = await fetch(server.url('/moved'), { method: 'POST', redirect: 'manual' });
    expect([manual.status, manual.headers.get('location')]).toEqual([302, '/target']);
    expect(fallback.calls).toHaveLength(0);
    // Following a redirect is fetch's default: that request is the global fetch's.
    const followed = await fetch(server.url('/moved'));
    expect(await followed.text()).toBe('target');
    expect(fallback.calls).toHaveLength(1);
  });

  it('answers 204 with a null body, and decodes a gzip body', async () => {
    server.handler = (req, res) => {
      if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('{"ok":true}'));
    };
    const fetch = keepAliveFetch();
    const empty = await fetch(server.url('/empty'), post);
    expect([empty.status, empty.body]).toEqual([204, null]);
    expect(await (await fetch(server.url('/zipped'), post)).json()).toEqual({ ok: true });
  });

  it('hands FormData bodies to the global fetch unchanged', async () => {
    const fallback = recordingFallback();
    const fetch = keepAliveFetch({ fallback: fallback.fetch });
    const form = new FormData();
    form.append('channel', 'C1');
    form.append('file', new Blob([new Uint8Array([1, 2, 3])]), 'data.bin');
    const response = await fetch(server.url('/upload'), { ...post, body: form });
    expect(response.status).toBe(200);
    expect(fallback.calls).toHaveLength(1);
    expect(fallback.calls[0]?.init?.body).toBe(form);
    expect(server.seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(server.seen[0]?.body).toContain('filename="data.bin"');
  });
});

describe('the WebClient over keepAliveFetch', () => {
  it('calls a method, and a refused connection is the request error fetch would give', async () => {
    server.handler = (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"ok":true,"ts":"1.2"}');
    const client = new WebClient('xoxb-1', { slackApiUrl: server.url('/api/'), fetch: keepAliveFetch() });
    expect(await client.chat.postMessage({ channel: 'C1', text: 'hi' })).toMatchObject({
      ok: true,
      ts: '1.2',
    });
    expect(server.seen[0]?.body).toBe('channel=C1&text=hi');

    const port = await closedPort();
    const down = new WebClient('xoxb-1', {
      slackApiUrl: `http://127.0.0.1:${port}/api/`,
      fetch: keepAliveFetch(),
      retryConfig: { retries: 0 },
      logLevel: webApi.LogLevel.ERROR,
    });
    await expect(down.auth.test()).rejects.toMatchObject({ code: webApi.ErrorCode.RequestError });
  });

  it('is what the RedactingWebClient sends with, unless given a fetch', async () => {
    server.handler = (_req, res) => res.end('{"ok":true}');
    const globalFetch = globalThis.fetch;
    let globalCalls = 0;
    globalThis.fetch = (...args) => {
      globalCalls += 1;
      return globalFetch(...args);
    };
    try {
      const options = { slackApiUrl: server.url('/api/'), redact: (t: string) => t, metrics: noopMetrics };
      await new RedactingWebClient('xoxb-1', options).auth.test();
      expect(globalCalls).toBe(0);
      const own = recordingFallback();
      await new RedactingWebClient('xoxb-1', { ...options, fetch: own.fetch }).auth.test();
      expect(own.calls).toHaveLength(1);
    } finally {
      globalThis.fetch = globalFetch;
    }
    expect(server.seen).toHaveLength(2);
  });
});
