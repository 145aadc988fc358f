import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, createGzip, deflateSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keepAliveStreamingFetch } from '../../src/http/keep-alive-streaming-fetch.js';
import { StreamedResponse } from '../../src/http/streamed-response.js';
import { closedPort, recordingFallback, TestServer } from '../helpers/http-test-server.js';

let server: TestServer;
beforeEach(async () => {
  server = new TestServer();
  await server.start();
});
afterEach(async () => {
  await server.close();
});

/** A call as the LLM SDKs make it: POST, a Headers, a JSON string body, a signal, no `redirect`. */
function sdkInit(signal: AbortSignal = new AbortController().signal): RequestInit {
  const headers = new Headers({ 'content-type': 'application/json', 'x-api-key': 'sk-test' });
  return { method: 'POST', headers, body: '{"stream":true}', signal };
}

const SSE = (n: number) => `event: delta\ndata: {"n":${n}}\n\n`;
const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('utf8');
/** A reader of the body (fetch's types leave its chunks untyped; they are bytes). */
const readerOf = (response: Response) => (response.body as ReadableStream<Uint8Array>).getReader();

/** A promise and the function that fulfils it: what a server handler waits on. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** `promise`, or a rejection after `ms`: a buffering fetch would wait for a body the server holds. */
function within<T>(promise: Promise<T>, ms = 2_000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms} ms`)), ms)),
  ]);
}

/** The rest of a stream, as text. */
async function rest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  let all = '';
  for (let read = await reader.read(); !read.done; read = await reader.read()) all += text(read.value);
  return all;
}

describe('keepAliveStreamingFetch', () => {
  it('resolves at the headers, and gives the first SSE event while the server still holds the rest', async () => {
    const held = gate();
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': 'req_1' });
      res.write(SSE(1));
      void held.opened.then(() => res.end(SSE(2) + SSE(3)));
    };
    const fetch = keepAliveStreamingFetch();
    const response = await within(fetch(server.url('/v1/messages'), sdkInit()));
    expect(response).toBeInstanceOf(Response);
    expect([response.status, response.ok, response.url]).toEqual([200, true, server.url('/v1/messages')]);
    expect(response.headers.get('Request-Id')).toBe('req_1');
    const reader = readerOf(response);
    expect(text((await within(reader.read())).value)).toBe(SSE(1));
    held.open();
    expect(await rest(reader)).toBe(SSE(2) + SSE(3));
    // What the SDK sent: its headers and body as they were, with fetch's defaults.
    expect(server.seen[0]).toMatchObject({ method: 'POST', url: '/v1/messages', body: '{"stream":true}' });
    expect(server.seen[0]?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-api-key': 'sk-test',
      accept: '*/*',
      'content-length': '15',
      connection: 'keep-alive',
    });
  });

  it('errors the body with the signal reason when aborted mid-stream, and drops the connection', async () => {
    const closed = gate();
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(SSE(1)); // and nothing more
      res.on('close', closed.open);
    };
    const fetch = keepAliveStreamingFetch();
    const controller = new AbortController();
    const reader = readerOf(await fetch(server.url(), sdkInit(controller.signal)));
    expect(text((await reader.read()).value)).toBe(SSE(1));
    const pending = reader.read();
    controller.abort();
    await expect(pending).rejects.toBe(controller.signal.reason);
    await expect(reader.read()).rejects.toMatchObject({ name: 'AbortError' });
    await within(closed.opened);

    // A timeout signal (the SDK's own is an AbortController it aborts on a timer) the same.
    const timed = readerOf(await fetch(server.url(), sdkInit(AbortSignal.timeout(100))));
    await timed.read();
    await expect(timed.read()).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('rejects with the signal reason when aborted before the headers, or before the call', async () => {
    server.handler = () => undefined; // never answers
    const fetch = keepAliveStreamingFetch();
    const early = new AbortController();
    early.abort(new Error('interrupted'));
    await expect(fetch(server.url(), sdkInit(early.signal))).rejects.toBe(early.signal.reason);
    const late = new AbortController();
    const call = fetch(server.url(), sdkInit(late.signal));
    setTimeout(() => late.abort(), 50);
    await expect(call).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.seen).toHaveLength(1);
  });

  it('errors the body with TypeError("terminated") when the server resets or closes mid-body', async () => {
    server.handler = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(SSE(1), () => {
        if (req.url === '/reset') res.socket?.resetAndDestroy();
        else res.socket?.destroySoon(); // a FIN before the chunked body's end
      });
    };
    const fetch = keepAliveStreamingFetch();
    for (const [path, code] of [
      ['/reset', 'ECONNRESET'],
      ['/closed', 'ECONNRESET'],
    ] as const) {
      const reader = readerOf(await fetch(server.url(path), sdkInit()));
      expect(text((await reader.read()).value)).toBe(SSE(1));
      const failure = await reader.read().catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(TypeError);
      expect(failure).toMatchObject({ message: 'terminated', cause: { code } });
    }
    // And a body cut short of its content-length, read by text().
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('partial', () => res.socket?.destroy());
    };
    const cut = await fetch(server.url(), sdkInit());
    await expect(cut.text()).rejects.toMatchObject({ name: 'TypeError', message: 'terminated' });
  });

  it('errors a body whose socket goes silent past silenceMs', async () => {
    server.handler = (_req, res) => res.writeHead(200).write(SSE(1));
    const reader = readerOf(await keepAliveStreamingFetch({ silenceMs: 100 })(server.url(), sdkInit()));
    await reader.read();
    await expect(reader.read()).rejects.toMatchObject({
      message: 'terminated',
      cause: { message: 'no data for 100 ms' },
    });
  });

  it('decodes a gzip body as it streams, and deflate and br bodies', async () => {
    const held = gate();
    server.handler = (req, res) => {
      if (req.url === '/deflate')
        return res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(SSE(1)));
      if (req.url === '/br')
        return res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(SSE(2)));
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      // Each event flushed, as a compressing server streams them.
      const gzip = createGzip({ flush: constants.Z_SYNC_FLUSH });
      gzip.pipe(res);
      gzip.write(SSE(1));
      void held.opened.then(() => gzip.end(SSE(2)));
    };
    const fetch = keepAliveStreamingFetch();
    const response = await fetch(server.url('/gzip'), sdkInit());
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const reader = readerOf(response);
    expect(text((await within(reader.read())).value)).toBe(SSE(1));
    held.open();
    expect(await rest(reader)).toBe(SSE(2));
    expect(await (await fetch(server.url('/deflate'), sdkInit())).text()).toBe(SSE(1));
    expect(await (await fetch(server.url('/br'), sdkInit())).text()).toBe(SSE(2));
  });

  it('reads an error status body with text() or json(), once, as the SDKs read it', async () => {
    server.handler = (req, res) => {
      if (req.url === '/limited')
        res
          .writeHead(429, { 'content-type': 'application/json', 'retry-after': '2' })
          .end('{"type":"error","error":{"type":"rate_limit_error"}}');
      else res.writeHead(500, 'Oops').end('upstream died');
    };
    const fetch = keepAliveStreamingFetch();
    const limited = await fetch(server.url('/limited'), sdkInit());
    expect([limited.status, limited.ok, limited.headers.get('retry-after')]).toEqual([429, false, '2']);
    expect(limited.bodyUsed).toBe(false);
    expect(await limited.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(limited.bodyUsed).toBe(true);
    await expect(limited.text()).rejects.toThrow(
      new TypeError('Body is unusable: Body has already been read'),
    );

    const failed = await fetch(server.url('/failed'), sdkInit());
    expect([failed.status, failed.statusText]).toEqual([500, 'Oops']);
    const [first, second] = await Promise.allSettled([failed.text(), failed.arrayBuffer()]);
    expect(first).toEqual({ status: 'fulfilled', value: 'upstream died' });
    expect(second.status).toBe('rejected');
    expect(server.connections).toBe(1);
  });

  it('hands a redirect to follow to the fallback, returns it with "manual", rejects it with "error"', async () => {
    server.handler = (req, res) => {
      if (req.url === '/moved') res.writeHead(307, { location: '/target' }).end('moved');
      else if (req.url === '/no-location') res.writeHead(302).end('here');
      else res.end(`target got ${req.method}`);
    };
    const fallback = recordingFallback();
    const fetch = keepAliveStreamingFetch({ fallback: fallback.fetch });
    const init = sdkInit();
    const followed = await fetch(server.url('/moved'), init);
    expect(await followed.text()).toBe('target got POST');
    expect(followed.redirected).toBe(true); // the fallback's answer
    expect(fallback.calls).toEqual([{ input: server.url('/moved'), init }]);
    // Sent here, then again by the fallback, which followed it.
    expect(server.seen.map((s) => [s.url, s.body])).toEqual([
      ['/moved', '{"stream":true}'],
      ['/moved', '{"stream":true}'],
      ['/target', '{"stream":true}'],
    ]);

    const manual = await fetch(server.url('/moved'), { ...sdkInit(), redirect: 'manual' });
    expect([manual.status, manual.headers.get('location'), await manual.text()]).toEqual([
      307,
      '/target',
      'moved',
    ]);
    await expect(fetch(server.url('/moved'), { ...sdkInit(), redirect: 'error' })).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { message: 'unexpected redirect' },
    });
    // A 3xx without a Location is no redirect: it is the answer.
    const here = await fetch(server.url('/no-location'), sdkInit());
    expect([here.status, await here.text()]).toEqual([302, 'here']);
    expect(fallback.calls).toHaveLength(1);
  });

  it('keeps one connection for sequential calls, and for a cancelled body already complete', async () => {
    server.handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/event-stream' }).end(SSE(1));
    const fetch = keepAliveStreamingFetch();
    for (let i = 0; i < 3; i++)
      expect(await (await fetch(server.url(`/call/${i}`), sdkInit())).text()).toBe(SSE(1));
    const read = await fetch(server.url(), sdkInit());
    await rest(readerOf(read));
    const unread = await fetch(server.url(), sdkInit());
    await new Promise((resolve) => setTimeout(resolve, 20)); // the whole body is in
    await unread.body!.cancel();
    await (await fetch(server.url(), sdkInit())).text();
    expect(server.seen).toHaveLength(6);
    expect(server.connections).toBe(1);
  });

  it('destroys a cancelled body still coming, with its connection', async () => {
    const closed = gate();
    server.handler = (_req, res) => {
      res.writeHead(200).write(SSE(1));
      res.on('close', closed.open);
    };
    const fetch = keepAliveStreamingFetch();
    const response = await fetch(server.url(), sdkInit());
    await response.body!.cancel();
    expect(response.bodyUsed).toBe(true);
    await within(closed.opened);
    server.handler = (_req, res) => res.end('next');
    expect(await (await fetch(server.url(), sdkInit())).text()).toBe('next');
    expect(server.connections).toBe(2);
  });

  it('pauses the socket while the body is not read (backpressure), and loses nothing', async () => {
    const total = 32 * 1024 * 1024;
    const piece = Buffer.alloc(64 * 1024, 'x');
    let finished = false;
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      let sent = 0;
      const write = () => {
        while (sent < total) {
          sent += piece.length;
          if (!res.write(piece)) return void res.once('drain', write);
        }
        res.end(() => (finished = true));
      };
      write();
    };
    const response = await keepAliveStreamingFetch()(server.url(), sdkInit());
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(finished).toBe(false); // the client took only what its buffers hold
    let received = 0;
    for await (const chunk of response.body as ReadableStream<Uint8Array>) received += chunk.byteLength;
    expect(received).toBe(total);
    expect(finished).toBe(true);
  });

  it('is a Response to instanceof, with every member of the real one its own, and clones by teeing', async () => {
    server.handler = (_req, res) => res.writeHead(200, 'Fine').end('{"ok":true}');
    const response = await keepAliveStreamingFetch()(server.url(), sdkInit());
    expect(response).toBeInstanceOf(StreamedResponse);
    expect(Object.prototype.toString.call(response)).toBe('[object Response]');
    expect(response.headers).toBeInstanceOf(Headers);
    const inherited = Reflect.ownKeys(Response.prototype).filter((key) => {
      if (typeof key !== 'string') return false;
      for (
        let p: object | null = StreamedResponse.prototype;
        p !== Response.prototype && p !== null;
        p = Object.getPrototypeOf(p) as object | null
      )
        if (Object.hasOwn(p, key)) return false;
      return true;
    });
    expect(inherited).toEqual([]);
    const clone = response.clone();
    expect([clone.status, clone.statusText, clone.url]).toEqual([200, 'Fine', server.url()]);
    expect(await response.json()).toEqual({ ok: true });
    expect(await clone.text()).toBe('{"ok":true}');
    expect(() => response.clone()).toThrow(new TypeError('Response.clone: Body has already been consumed.'));

    // A reader holds the body: no other reading, no clone.
    const held = await keepAliveStreamingFetch()(server.url(), sdkInit());
    const reader = readerOf(held);
    expect(held.bodyUsed).toBe(false);
    await expect(held.text()).rejects.toBeInstanceOf(TypeError);
    expect(() => held.clone()).toThrow(TypeError);
    expect(await rest(reader)).toBe('{"ok":true}');
  });

  it('has a null body for 204 and HEAD, read as empty, and the connection kept', async () => {
    // With its length: node's client keeps no connection after a HEAD answered without one.
    server.handler = (req, res) =>
      req.url === '/empty'
        ? res.writeHead(204).end()
        : res.writeHead(200, { 'content-length': 4 }).end('body');
    const fetch = keepAliveStreamingFetch();
    const empty = await fetch(server.url('/empty'), sdkInit());
    const head = await fetch(server.url('/'), { method: 'HEAD' });
    for (const response of [empty, head]) {
      expect(response.body).toBeNull();
      expect(await response.text()).toBe('');
      expect(await response.text()).toBe('');
      expect(response.bodyUsed).toBe(false);
    }
    expect(await (await fetch(server.url('/'), sdkInit())).text()).toBe('body');
    expect(server.connections).toBe(1);
  });

  it('hands what it does not send itself to the fallback unchanged', async () => {
    const fallback = recordingFallback();
    const fetch = keepAliveStreamingFetch({ fallback: fallback.fetch });
    const form = new FormData();
    form.append('a', '1');
    const stream = new ReadableStream({
      start: (c) => (c.enqueue(new TextEncoder().encode('streamed')), c.close()),
    });
    const inits: RequestInit[] = [
      { method: 'POST', body: form },
      { method: 'POST', body: stream, duplex: 'half' },
      { ...sdkInit(), cache: 'no-store' } as RequestInit,
      { ...sdkInit(), keepalive: true },
      { ...sdkInit(), credentials: 'omit' },
    ];
    for (const init of inits) expect((await fetch(server.url('/x'), init)).status).toBe(200);
    await fetch(new Request(server.url('/request')));
    expect(fallback.calls.map((c) => c.init)).toEqual([...inits, undefined]);
    expect(server.seen[1]?.body).toBe('streamed');
    // What the SDKs send is its own.
    await fetch(server.url('/sdk'), { ...sdkInit(), duplex: 'half', dispatcher: undefined });
    expect(fallback.calls).toHaveLength(inits.length + 1);
  });

  it('fails a refused connection with TypeError("fetch failed") and its cause', async () => {
    const port = await closedPort();
    const failure = await keepAliveStreamingFetch()(`http://127.0.0.1:${port}/v1/messages`, sdkInit()).catch(
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(TypeError);
    expect(failure).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('lets the process exit with idle keep-alive sockets in its pool', async () => {
    server.keepAliveTimeout = 60_000; // the server would not close them either
    server.handler = (_req, res) => res.writeHead(200).end(SSE(1));
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CHILD, server.url()], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await within(once(child, 'exit'), 15_000)) as [number];
    expect([code, output.trim()]).toEqual([0, SSE(1).trim()]);
    expect(server.connections).toBe(1);
  });
});

const CHILD = fileURLToPath(new URL('../fixtures/streaming-fetch-child.ts', import.meta.url));

/** A self-signed certificate for 127.0.0.1, if openssl is there to make one (no network needed). */
function selfSigned(): { key: string; cert: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'mlib-tls-'));
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
      ].concat([
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
      { stdio: 'ignore' },
    );
  } catch {
    return undefined;
  }
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
}

const tls = selfSigned();

describe.skipIf(tls === undefined)('keepAliveStreamingFetch over https', () => {
  let secure: TestServer;
  beforeEach(async () => {
    secure = new TestServer(tls);
    await secure.start();
  });
  afterEach(async () => {
    await secure.close();
  });

  it('streams over TLS with the https agent, one connection for two calls, and checks the certificate', async () => {
    const held = gate();
    secure.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' }).write(SSE(1));
      void held.opened.then(() => res.end(SSE(2)));
    };
    const fetch = keepAliveStreamingFetch({ ca: tls!.cert });
    const reader = readerOf(await within(fetch(secure.url('/v1/messages'), sdkInit())));
    expect(text((await within(reader.read())).value)).toBe(SSE(1));
    held.open();
    expect(await rest(reader)).toBe(SSE(2));
    expect(await (await fetch(secure.url('/v1/messages'), sdkInit())).text()).toBe(SSE(1) + SSE(2));
    expect(secure.connections).toBe(1);
    // Without the CA the certificate is refused, as fetch refuses it.
    await expect(keepAliveStreamingFetch()(secure.url(), sdkInit())).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
    });
  });
});
