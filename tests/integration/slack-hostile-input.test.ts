import { afterEach, describe, expect, it } from 'vitest';
import { appMention, eventCallback, signedRequest, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { capturedLogger, type CapturedLogger } from '../helpers/captured-logger.js';
import { hostileDeliveries, type HostileDelivery } from '../helpers/hostile-slack-deliveries.js';
import {
  eventually,
  SIGNING_SECRET,
  startSlackHarness,
  type SlackHarness,
} from '../helpers/slack-harness.js';

const BOT = DEFAULT_IDENTITY.botUserId;
const WARN = 40;
let h: SlackHarness | undefined;
let log: CapturedLogger;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(): Promise<{ harness: SlackHarness; url: string }> {
  log = capturedLogger();
  h = await startSlackHarness({ mode: 'http', adapter: { logger: log.logger } });
  return { harness: h, url: `http://127.0.0.1:${h.adapter.port}/slack/events` };
}

/** Sends one correctly signed delivery; a request left unanswered fails the test instead of hanging it. */
function send(url: string, d: Pick<HostileDelivery, 'body' | 'contentType'>) {
  return signedRequest(url, d.body, {
    signingSecret: SIGNING_SECRET,
    timeoutMs: 10_000,
    ...(d.contentType ? { contentType: d.contentType } : {}),
  });
}

/** After hostile input, a normal mention still gets its answer in its thread. */
async function stillAnswers(harness: SlackHarness, url: string): Promise<void> {
  harness.llm.setDefault(() => ({ text: 'still here' }));
  const sentinel = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> are you there?` });
  expect((await send(url, { body: eventCallback(sentinel) })).status).toBe(200);
  await eventually(() => harness.slack.thread('C1', sentinel.ts).some((m) => m.text.includes('still here')));
}

const byName = (name: string): HostileDelivery => {
  const found = hostileDeliveries().find((d) => d.name === name);
  if (!found) throw new Error(`no hostile case ${name}`);
  return found;
};

describe('slack HTTP mode: hostile and unlucky input', () => {
  it('refuses a JSON null body and a form payload=null with 400 and the reason logged; the bot lives on', async () => {
    const { harness, url } = await start();
    for (const name of ['JSON null', 'form payload=null']) {
      const answer = await send(url, byName(name));
      expect(answer.status, name).toBe(400);
    }
    const refusals = log.lines.filter(
      (l) => l.msg === 'slack delivery refused' && l.reason === 'body is null, not an object',
    );
    expect(refusals).toHaveLength(2);
    await stillAnswers(harness, url);
  });

  it('refuses an event that is a string, null, a number or a boolean with 400, never a 500', async () => {
    const { harness, url } = await start();
    for (const name of ['event is a string', 'event is null', 'event is a number', 'event is a boolean']) {
      const mark = log.lines.length;
      const answer = await send(url, byName(name));
      expect(answer.status, name).toBe(400);
      await log.waitFor((l) => l.msg === 'slack delivery refused' && String(l.reason).includes(name), {
        after: mark,
      });
    }
    expect(harness.llm.requests).toHaveLength(0);
    await stillAnswers(harness, url);
  });

  it('answers what Bolt cannot route at once: 200 for what Slack may send, 400 for what it never sends', async () => {
    const { harness, url } = await start();
    const cases = hostileDeliveries();
    for (const d of cases) {
      const mark = log.lines.length;
      const answer = await send(url, d);
      expect(answer.status, d.name).toBe(d.status);
      if (d.reason !== undefined) {
        const reason = d.reason;
        const line = await log.waitFor((l) => String(l.reason).includes(reason), { after: mark });
        expect(line.msg, d.name).toBe(d.status === 200 ? 'slack delivery ignored' : 'slack delivery refused');
      }
      if (d.name === 'url_verification') expect(answer.json).toEqual({ challenge: 'c-123' });
    }
    // Slack really sends app_rate_limited: an operator must see it.
    const limited = await log.waitFor((l) => String(l.reason).includes('app_rate_limited'));
    expect(limited.level).toBe(WARN);
    // One log line per refusal, each with its reason.
    const refusals = log.lines.filter((l) => l.msg === 'slack delivery refused');
    expect(refusals).toHaveLength(cases.filter((d) => d.status !== 200).length);
    expect(refusals.every((l) => typeof l.reason === 'string' && l.reason !== '')).toBe(true);
    expect(harness.llm.requests).toHaveLength(0);
    await stillAnswers(harness, url);
  });

  it('still refuses unsigned, badly signed and stale requests with 401', async () => {
    const { harness, url } = await start();
    const body = eventCallback(appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hi` }));
    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(unsigned.status).toBe(401);
    const forged = await signedRequest(url, body, { signingSecret: SIGNING_SECRET, badSignature: true });
    expect(forged.status).toBe(401);
    const stale = await signedRequest(url, body, {
      signingSecret: SIGNING_SECRET,
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    expect(stale.status).toBe(401);
    const nulls = await signedRequest(url, 'null', { signingSecret: SIGNING_SECRET, badSignature: true });
    expect(nulls.status).toBe(401);
    await eventually(
      () => log.lines.filter((l) => l.msg === 'slack delivery refused' && l.status === 401).length === 4,
    );
    expect(harness.llm.requests).toHaveLength(0);
    await stillAnswers(harness, url);
  });
});
