import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/free-port.js';
import { callServiceJson } from '../../src/tools/shared/service-client.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';

const SERVICE = { label: 'the test service', notFoundHint: 'Check the id.', authHint: 'Set TEST_TOKEN.' };
let attempts = 0;
let server: Loopback;
beforeAll(async () => {
  server = await startLoopback([
    {
      method: 'GET',
      path: '/flaky',
      handle: () =>
        ++attempts === 1
          ? { status: 429, headers: { 'retry-after': '1' }, body: {} }
          : { body: { ok: true } },
    },
    {
      method: 'GET',
      path: '/slow-down',
      handle: () => ({ status: 429, headers: { 'retry-after': '60' }, body: {} }),
    },
    {
      method: 'GET',
      path: '/missing',
      handle: () => ({ status: 404, body: { error: 'Repository not found' } }),
    },
    {
      method: 'GET',
      path: '/private',
      handle: () => ({ status: 401, body: { error: 'Invalid credentials' } }),
    },
    { method: 'GET', path: '/hang', handle: () => ({ hang: true }) },
    { method: 'GET', path: '/html', handle: () => ({ body: '<html>oops</html>' }) },
  ]);
});
afterAll(() => server.close());

describe('the tools’ service client', () => {
  it('waits out a short Retry-After and succeeds', async () => {
    await expect(callServiceJson(SERVICE, `${server.url}/flaky`)).resolves.toEqual({ ok: true });
    expect(server.requests.filter((r) => r.path === '/flaky')).toHaveLength(2);
  });

  it('does not sit out a long Retry-After: one request, and the wait in the message', async () => {
    const started = Date.now();
    await expect(callServiceJson(SERVICE, `${server.url}/slow-down`)).rejects.toThrow(
      /rate limiting these requests \(429\); it asks to wait 60 s/,
    );
    expect(server.requests.filter((r) => r.path === '/slow-down')).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says what to do on 404 and 401, quoting the server, never the token', async () => {
    await expect(
      callServiceJson(SERVICE, `${server.url}/missing`, { token: 'tok_secret_123' }),
    ).rejects.toThrow('Not found on the test service (404): Repository not found. Check the id.');
    const err: Error = await callServiceJson(SERVICE, `${server.url}/private`, {
      token: 'tok_secret_123',
    }).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toBe(
      'the test service refused the request (401, not authenticated): Invalid credentials. Set TEST_TOKEN.',
    );
    expect(server.requests.find((r) => r.path === '/private')?.token).toBe('tok_secret_123');
  });

  it('a hung service, a closed port and a body that is not JSON each get a short message', async () => {
    await expect(callServiceJson(SERVICE, `${server.url}/hang`, { timeoutMs: 300 })).rejects.toThrow(
      'the test service did not answer within 0.3 s; try again, or ask for less.',
    );
    const closed = `http://127.0.0.1:${await freePort()}/x`;
    await expect(callServiceJson(SERVICE, closed)).rejects.toThrow(
      /Could not reach the test service \(ECONNREFUSED\)/,
    );
    await expect(callServiceJson(SERVICE, `${server.url}/html`)).rejects.toThrow(
      /sent an answer that is not JSON/,
    );
  });
});
