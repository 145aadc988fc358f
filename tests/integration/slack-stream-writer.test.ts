import { LogLevel, WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toMrkdwn } from '../../adapters/slack/render/mrkdwn.js';
import { StreamWriter } from '../../adapters/slack/render/stream-writer.js';
import { slackLinksToMarkdown } from '../../adapters/slack/render/slack-tokens.js';
import { startFakeSlack, type FakeCall, type FakeMessage, type FakeSlack } from '../fakes/fake-slack.js';

/**
 * StreamWriter through a real WebClient against the loopback fake Slack, which refuses what Slack
 * refuses (text over 40,000 characters, `markdown_text` over 12,000, streams after they expire).
 */

const CHANNEL = 'C0GENERAL';
const USER = 'U0ALICE';
const INTERVAL_MS = 200;
/** Calls are timed on arrival at the fake; a call can arrive a little early relative to the last. */
const JITTER_MS = 15;

let fake: FakeSlack;
let client: WebClient;
let threadTs: string;

beforeEach(async () => {
  fake = await startFakeSlack();
  client = new WebClient(fake.botToken, {
    slackApiUrl: fake.apiUrl,
    logLevel: LogLevel.ERROR,
    retryConfig: { retries: 2, minTimeout: 10, maxTimeout: 50 },
  });
  threadTs = fake.addUserMessage({ channel: CHANNEL, user: USER, text: 'explain LoRA' }).ts;
});

afterEach(async () => {
  await fake.close();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer of `chars` characters: paragraphs of plain words, so mrkdwn equals the Markdown. */
function answer(chars: number): string {
  const words = 'low rank adapters train a small update to each weight matrix'.split(' ');
  let text = '';
  for (let i = 0; text.length < chars; i += 1) {
    text += words[i % words.length]!;
    text += i % 97 === 96 ? '\n\n' : i % 13 === 12 ? '\n' : ' ';
  }
  return text.slice(0, chars).trimEnd();
}

/** Delivers `text` in `parts` deltas spread over `overMs`. */
async function streamInto(writer: StreamWriter, text: string, parts: number, overMs: number): Promise<void> {
  const size = Math.ceil(text.length / parts);
  for (let i = 0; i < text.length; i += size) {
    await writer.append(text.slice(i, i + size));
    await sleep(overMs / parts);
  }
}

function replies(): FakeMessage[] {
  return fake.thread(CHANNEL, threadTs).filter((m) => m.ts !== threadTs);
}

/** Gaps between consecutive calls to one message, the last (finish's immediate flush) excluded. */
function gapsBeforeFinish(calls: readonly FakeCall[]): number[] {
  const times = calls.map((c) => c.at);
  return times.slice(1, -1).map((t, i) => t - times[i]!);
}

const words = (text: string): string[] => text.split(/\s+/).filter(Boolean);

describe('StreamWriter against the fake Slack', () => {
  it('edit mode: 5,000 characters over ~3 s, at most one edit per interval, final text exact', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'edit',
      minEditIntervalMs: INTERVAL_MS,
    });
    const text = answer(5_000);
    const started = Date.now();
    await streamInto(writer, text, 150, 3_000);
    await writer.finish();
    const elapsed = Date.now() - started;

    const [reply, ...more] = replies();
    expect(more).toEqual([]);
    expect(reply!.text).toBe(toMrkdwn(text));
    expect(words(reply!.text)).toEqual(words(text));
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    const updates = fake.callsOf('chat.update');
    expect(updates.length).toBeGreaterThan(3);
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    for (const gap of gapsBeforeFinish(updates)) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - JITTER_MS);
    expect(writer.apiCalls).toBe(fake.calls.length);
  });

  it('edit mode: an answer over 40,000 characters continues in new messages, nothing lost or repeated', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'edit',
      minEditIntervalMs: 50,
    });
    const text = answer(95_000);
    await streamInto(writer, text, 40, 400);
    await writer.finish();

    const messages = replies();
    expect(messages.length).toBe(3);
    for (const m of messages) expect(m.text.length).toBeLessThanOrEqual(40_000);
    expect(words(messages.map((m) => m.text).join('\n'))).toEqual(words(text));
    expect(writer.messageTs).toEqual(messages.map((m) => m.ts));
  });

  it('edit mode: a 429 on an edit is waited out and the message is not posted twice', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'edit',
      minEditIntervalMs: 50,
    });
    await writer.append('Rate limits are ');
    fake.failNext('chat.update', { status: 429, retryAfterSec: 1 });
    await writer.append('honoured.');
    await sleep(100);
    await writer.finish();
    expect(replies().map((m) => m.text)).toEqual(['Rate limits are honoured.']);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.callsOf('chat.update').map((c) => c.status)).toContain(429);
  });

  it('stream mode: a stream that expires midway continues in a new one, text complete and not repeated', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'stream',
      minEditIntervalMs: INTERVAL_MS,
      recipient: { userId: USER, teamId: fake.identity.teamId },
    });
    const text = `${answer(3_000)}\n\n\`\`\`python\n${'print("step")\n'.repeat(100)}\`\`\`\n\n${answer(2_000)}`;
    const half = Math.floor(text.length / 2);
    await streamInto(writer, text.slice(0, half), 20, 1_000);
    await sleep(INTERVAL_MS * 2); // the first half all in the stream, the cut inside the code block
    fake.expireStreams();
    await streamInto(writer, text.slice(half), 20, 1_000);
    await writer.finish();

    const messages = replies();
    expect(messages.map((m) => m.stream?.state)).toEqual(['expired', 'completed']);
    const [first, second] = messages.map((m) => m.text);
    expect(first).toBe(text.slice(0, half));
    // The first stream ended inside the code block: the second reopens it, then goes on exactly.
    expect(second).toBe(`\`\`\`python\n${text.slice(half)}`);
    expect(fake.callsOf('chat.startStream')[0]?.args).toMatchObject({
      recipient_user_id: USER,
      recipient_team_id: fake.identity.teamId,
    });
    const appends = fake.callsOf('chat.appendStream').filter((c) => c.status === 200);
    for (const gap of gapsBeforeFinish(appends)) expect(gap).toBeGreaterThanOrEqual(INTERVAL_MS - JITTER_MS);
  });

  it('stream mode: more than 12,000 characters at once go out in several appends', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'stream',
      recipient: { userId: USER, teamId: fake.identity.teamId },
    });
    const text = answer(30_000);
    await writer.append(text.slice(0, 10));
    await writer.append(text.slice(10));
    await writer.finish();
    expect(replies().map((m) => m.text)).toEqual([text]);
    expect(fake.calls.every((c) => c.status === 200 && c.response.ok === true)).toBe(true);
  });

  it('stream mode: where Slack will not stream (no recipient outside a DM) the answer is posted and edited', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'stream',
      minEditIntervalMs: 50,
    });
    await writer.append('Posted ');
    await writer.append('instead.');
    await writer.finish();
    expect(fake.callsOf('chat.startStream').map((c) => c.response.error)).toEqual([
      'missing_recipient_team_id',
    ]);
    expect(replies().map((m) => m.text)).toEqual(['Posted instead.']);
    expect(replies()[0]?.stream).toBeUndefined();
  });

  it('stream mode: no call cuts a Slack token or link in two, even with 40,000 characters at once', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'stream',
      recipient: { userId: USER, teamId: fake.identity.teamId },
      mentions: { allowedUsers: new Set([USER]), maxMentions: 5 },
    });
    const text = Array.from(
      { length: 700 },
      (_, i) => `<https://example.com/page/${i}|link number ${i}> in <#C0GENERAL> for <@${USER}>`,
    ).join(' ');
    await writer.append(text.slice(0, 10)); // inside the first token: held back until it is whole
    await writer.append(text.slice(10));
    await writer.finish();
    const pieces = fake.calls
      .filter((c) => c.method.endsWith('Stream') && c.status === 200)
      .map((c) => (typeof c.args.markdown_text === 'string' ? c.args.markdown_text : ''));
    expect(pieces.length).toBeGreaterThan(4); // 12,000-character appends, and a second message
    for (const piece of pieces) {
      expect(piece).not.toMatch(/<[^>]*$|\[[^\]]*$|\]\([^)]*$/); // ends inside nothing
      expect(piece).not.toMatch(/^[^<[]*[>\])]/); // starts inside nothing
    }
    const shown = replies()
      .map((m) => m.text)
      .join('');
    const mentions = (shown.match(/<@U0ALICE>/g) ?? []).length;
    expect(mentions).toBe(5); // a handful, the rest shown as names
    expect(shown).toContain('[link number 699](https://example.com/page/699)');
    expect(shown.replace(/<@U0ALICE>/g, '@\u200DU0ALICE')).toBe(
      slackLinksToMarkdown(text).replace(/<@U0ALICE>/g, '@\u200DU0ALICE'),
    );
  });

  it('edit mode: a token arriving in 3-character deltas is never shown in halves', async () => {
    const writer = new StreamWriter(client, {
      channel: CHANNEL,
      threadTs,
      mode: 'edit',
      minEditIntervalMs: 30,
    });
    const text = 'See <https://hf.co/docs/peft|the PEFT docs> and <#C0GENERAL|general>, not <!channel>. ';
    for (let i = 0; i < text.length; i += 3) {
      await writer.append(text.slice(i, i + 3));
      await sleep(10);
    }
    await writer.finish();
    const texts = fake.calls
      .filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update')
      .map((c) => String(c.args.text));
    expect(texts.length).toBeGreaterThan(3);
    for (const t of texts) expect(t).not.toMatch(/&lt;|<[^>]*$/);
    expect(replies().map((m) => m.text)).toEqual([
      toMrkdwn('See <https://hf.co/docs/peft|the PEFT docs> and <#C0GENERAL|general>, not @\u200Dchannel.'),
    ]);
  });
});
