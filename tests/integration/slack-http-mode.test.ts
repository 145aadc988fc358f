import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { HttpService } from '../../src/http/http-service.js';
import { appMention, eventCallback, signedRequest, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { capturedLogger } from '../helpers/captured-logger.js';
import {
  eventually,
  SIGNING_SECRET,
  startSlackHarness,
  type SlackHarness,
} from '../helpers/slack-harness.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
let shared: HttpService | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  await shared?.close();
  shared = undefined;
});

describe('slack: HTTP mode', () => {
  it('accepts signed events, refuses a bad signature, and takes a retry once', async () => {
    const log = capturedLogger();
    h = await startSlackHarness({ mode: 'http', adapter: { logger: log.logger } });
    const harness = h;
    const url = `http://127.0.0.1:${h.adapter.port}/slack/events`;
    h.llm.setDefault(() => ({ text: 'over http' }));
    const forgedMention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> forged hello` });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hello` });
    const body = eventCallback(mention);

    const forged = await signedRequest(url, eventCallback(forgedMention), {
      signingSecret: SIGNING_SECRET,
      badSignature: true,
    });
    expect(forged.status).toBe(401);
    // The refusal's log line, then a sentinel: the signed mention is the only one the model sees.
    const refusal = await log.waitFor((l) => l.msg === 'slack delivery refused' && l.status === 401);
    expect(String(refusal.reason)).toContain('signature mismatch');

    const ok = await signedRequest(url, body, { signingSecret: SIGNING_SECRET });
    expect(ok.status).toBe(200);
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('over http')));
    const retry = await signedRequest(url, body, {
      signingSecret: SIGNING_SECRET,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.status).toBe(200);
    // The retry reached the inbound handler and was recognised as a duplicate.
    await log.waitFor((l) => l.msg === 'duplicate slack message ignored' && l.ts === mention.ts);
    expect(h.llm.requests).toHaveLength(1);
    expect(JSON.stringify(h.llm.requests[0]?.body)).not.toContain('forged');
    expect(h.slack.thread('C1', mention.ts).filter((m) => m.text.includes('over http'))).toHaveLength(1);
  });

  it("mounts /slack/events on the process's shared HTTP server instead of opening its own", async () => {
    shared = new HttpService(pino({ level: 'silent' }));
    shared.mount('/healthz', (_req, res) => res.writeHead(200).end('ok\n'));
    const port = await shared.listen(0, '127.0.0.1');
    h = await startSlackHarness({ mode: 'http', adapter: { http: shared } });
    const harness = h;
    expect(h.adapter.port).toBe(port);
    h.llm.setDefault(() => ({ text: 'on the shared port' }));
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hello` });
    const ok = await signedRequest(`http://127.0.0.1:${port}/slack/events`, eventCallback(mention), {
      signingSecret: SIGNING_SECRET,
    });
    expect(ok.status).toBe(200);
    await eventually(() =>
      harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('on the shared port')),
    );
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});

describe('slack: connected() for /readyz', () => {
  it('HTTP mode: connected once started, not after stop', async () => {
    h = await startSlackHarness({ mode: 'http' });
    expect(h.adapter.connected()).toBe(true);
    await h.adapter.stop();
    expect(h.adapter.connected()).toBe(false);
  });

  it('Socket Mode: false while the socket reconnects, true again once Slack greets the new one', async () => {
    h = await startSlackHarness();
    const harness = h;
    expect(h.adapter.connected()).toBe(true);
    const greeted = h.slack.socket.connectionCount;
    await h.slack.socket.disconnectAll();
    await eventually(() => !harness.adapter.connected());
    await h.slack.socket.connected({ count: greeted + 1, timeoutMs: 20_000 });
    await eventually(() => harness.adapter.connected());
  }, 30_000);
});

describe('slack: rate limits', () => {
  it('honours Retry-After on a 429 and posts the answer exactly once', async () => {
    h = await startSlackHarness();
    const harness = h;
    h.llm.enqueue({ text: 'after the wait' });
    h.slack.failNext('chat.postMessage', { status: 429, retryAfterSec: 1 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hi` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    await eventually(
      () => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('after the wait')),
      15_000,
    );
    const posts = h.slack.callsOf('chat.postMessage');
    const limited = posts.find((c) => c.status === 429)!;
    const retried = posts[posts.indexOf(limited) + 1]!;
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(1_000);
    expect(h.slack.thread('C1', mention.ts).filter((m) => m.text.includes('after the wait'))).toHaveLength(1);
  });
});
