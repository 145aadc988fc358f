import { afterEach, describe, expect, it } from 'vitest';
import { appMention, eventCallback, signedRequest, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import {
  eventually,
  SIGNING_SECRET,
  startSlackHarness,
  type SlackHarness,
} from '../helpers/slack-harness.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('slack: HTTP mode', () => {
  it('accepts signed events, refuses a bad signature, and takes a retry once', async () => {
    h = await startSlackHarness({ mode: 'http' });
    const harness = h;
    const url = `http://127.0.0.1:${h.adapter.port}/slack/events`;
    h.llm.setDefault(() => ({ text: 'over http' }));
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hello` });
    const body = eventCallback(mention);

    const forged = await signedRequest(url, body, { signingSecret: SIGNING_SECRET, badSignature: true });
    expect(forged.status).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.llm.requests).toHaveLength(0);

    const ok = await signedRequest(url, body, { signingSecret: SIGNING_SECRET });
    expect(ok.status).toBe(200);
    const retry = await signedRequest(url, body, {
      signingSecret: SIGNING_SECRET,
      retryNum: 1,
      retryReason: 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('over http')));
    await new Promise((r) => setTimeout(r, 200));
    expect(h.llm.requests).toHaveLength(1);
  });
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
