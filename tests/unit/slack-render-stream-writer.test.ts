import { WebAPIPlatformError, WebAPIRequestError, type WebClient } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { CountedChatCalls } from '../../adapters/slack/render/chat-calls.js';
import { EditDelivery } from '../../adapters/slack/render/edit-delivery.js';
import { StreamWriter, type WriterClock } from '../../adapters/slack/render/stream-writer.js';

/**
 * StreamWriter against an in-memory chat API and a manual clock: coalescing is checked in
 * virtual time, and failures are injected exactly where they matter (including "applied, but
 * the client saw an error", the case that must not lead to text being sent twice).
 */

/** The `markdown_text` of a streaming call ('' when absent). */
const markdownOf = (args: Record<string, unknown>): string =>
  typeof args.markdown_text === 'string' ? args.markdown_text : '';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

class ManualClock implements WriterClock {
  private time = 0;
  private seq = 0;
  private timers: Array<{ id: number; at: number; callback: () => void }> = [];

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.seq += 1;
    this.timers.push({ id: this.seq, at: this.time + ms, callback });
    return this.seq;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Moves time forward, running due timers in order and letting their calls complete. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
      if (next === undefined || next.at > end) break;
      this.timers = this.timers.filter((t) => t !== next);
      this.time = next.at;
      next.callback();
    }
    this.time = end;
    await settle();
  }
}

interface Failure {
  error: Error;
  /** The call took effect even though the client got an error (a response lost on the way back). */
  applied?: boolean;
}

interface FakeMessage {
  ts: string;
  text: string;
  streaming?: boolean;
}

/** Just enough of the chat API: messages, edits, streams, and scripted failures. */
class FakeChat {
  readonly calls: Array<{ method: string; at: number; args: Record<string, unknown> }> = [];
  readonly messages: FakeMessage[] = [];
  private readonly failures = new Map<string, Failure[]>();

  constructor(private readonly clock: ManualClock) {}

  failNext(method: string, failure: Failure): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), failure]);
  }

  /** Ends every open stream, as Slack does about five minutes after a stream started. */
  expireStreams(): void {
    for (const m of this.messages) m.streaming = false;
  }

  get client(): WebClient {
    const method =
      (name: string, apply: (args: Record<string, unknown>) => Record<string, unknown>) =>
      async (args: Record<string, unknown>) => {
        this.calls.push({ method: name, at: this.clock.now(), args });
        await Promise.resolve();
        const failure = this.failures.get(name)?.shift();
        if (failure?.applied) apply(args);
        if (failure) throw failure.error;
        return { ok: true, ...apply(args) };
      };
    const chat = {
      postMessage: method('chat.postMessage', (a) => this.add(String(a.text), false)),
      update: method('chat.update', (a) => {
        this.find(a.ts).text = String(a.text);
        return {};
      }),
      startStream: method('chat.startStream', (a) => this.add(markdownOf(a), true)),
      appendStream: method('chat.appendStream', (a) => {
        this.streaming(a.ts).text += markdownOf(a);
        return {};
      }),
      stopStream: method('chat.stopStream', (a) => {
        const message = this.streaming(a.ts);
        message.text += markdownOf(a);
        message.streaming = false;
        return {};
      }),
    };
    return { chat } as unknown as WebClient;
  }

  callsOf(method: string): Array<{ at: number; args: Record<string, unknown> }> {
    return this.calls.filter((c) => c.method === method);
  }

  private add(text: string, streaming: boolean): { ts: string } {
    const ts = `1.${String(this.messages.length + 1).padStart(6, '0')}`;
    this.messages.push({ ts, text, streaming });
    return { ts };
  }

  private find(ts: unknown): FakeMessage {
    const message = this.messages.find((m) => m.ts === ts);
    if (!message) throw new WebAPIPlatformError({ ok: false, error: 'message_not_found' });
    return message;
  }

  private streaming(ts: unknown): FakeMessage {
    const message = this.find(ts);
    if (!message.streaming)
      throw new WebAPIPlatformError({ ok: false, error: 'message_not_in_streaming_state' });
    return message;
  }
}

function setup(mode: 'edit' | 'stream', extra: { maxFinalAttempts?: number } = {}) {
  const clock = new ManualClock();
  const fake = new FakeChat(clock);
  const errors: unknown[] = [];
  const writer = new StreamWriter(fake.client, {
    channel: 'C1',
    threadTs: '1.000000',
    mode,
    minEditIntervalMs: 1_000,
    recipient: { userId: 'U1', teamId: 'T1' },
    clock,
    onError: (err) => errors.push(err),
    ...extra,
  });
  return { clock, fake, writer, errors };
}

const platform = (error: string): Error => new WebAPIPlatformError({ ok: false, error });
const lostResponse = (): Error => new WebAPIRequestError(new Error('socket hang up'));

describe('StreamWriter, edit mode', () => {
  it('posts the first text at once, then edits at most once per interval, and flushes on finish', async () => {
    const { clock, fake, writer } = setup('edit');
    await writer.append('Hello');
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    for (let i = 0; i < 50; i += 1) {
      await writer.append(` w${i}`);
      await clock.advance(100);
    }
    const updates = fake.callsOf('chat.update');
    expect(updates.length).toBeGreaterThanOrEqual(4);
    expect(updates.length).toBeLessThanOrEqual(5);
    for (const [i, u] of updates.entries())
      if (i > 0) expect(u.at - updates[i - 1]!.at).toBeGreaterThanOrEqual(1_000);
    await writer.append(' end');
    await writer.finish();
    const expected = `Hello${Array.from({ length: 50 }, (_, i) => ` w${i}`).join('')} end`;
    expect(fake.messages).toEqual([{ ts: '1.000001', text: expected, streaming: false }]);
    expect(writer.apiCalls).toBe(fake.calls.length);
    expect(writer.messageTs).toEqual(['1.000001']);
  });

  it('does not post again after a post whose outcome is unknown', async () => {
    const { fake, writer, errors } = setup('edit');
    fake.failNext('chat.postMessage', { error: lostResponse(), applied: true });
    await writer.append('First part.\n\n');
    await writer.append('Second part.');
    await writer.finish();
    expect(errors).toHaveLength(1);
    expect(fake.messages.map((m) => m.text)).toEqual(['First part.', 'Second part.']);
  });

  it('posts again after a post Slack refused', async () => {
    const { clock, fake, writer } = setup('edit');
    fake.failNext('chat.postMessage', { error: platform('internal_error') });
    await writer.append('Only once.');
    await clock.advance(5_000);
    await writer.finish();
    expect(fake.messages.map((m) => m.text)).toEqual(['Only once.']);
    expect(fake.callsOf('chat.postMessage')).toHaveLength(2);
  });

  it('sends a failed edit again with the whole text', async () => {
    const { clock, fake, writer } = setup('edit');
    await writer.append('a');
    fake.failNext('chat.update', { error: lostResponse() });
    await writer.append('b');
    await clock.advance(1_000);
    await writer.append('c');
    await writer.finish();
    expect(fake.messages.map((m) => m.text)).toEqual(['abc']);
  });

  it('rejects finish when the final flush keeps failing, and refuses appends after finish', async () => {
    const { clock, fake, writer } = setup('edit', { maxFinalAttempts: 2 });
    await writer.append('a');
    fake.failNext('chat.update', { error: platform('internal_error') });
    fake.failNext('chat.update', { error: platform('internal_error') });
    await writer.append('b');
    const outcome = writer.finish().then(
      () => 'resolved',
      (err: unknown) => err,
    );
    await clock.advance(5_000);
    expect(await outcome).toMatchObject({ data: { error: 'internal_error' } });
    await expect(writer.append('c')).rejects.toThrow(/after finish/);
  });

  it('continues in a new message at the size limit, with fences closed and reopened', async () => {
    const clock = new ManualClock();
    const fake = new FakeChat(clock);
    const delivery = new EditDelivery(
      new CountedChatCalls(fake.client),
      { channel: 'C1', threadTs: '1.0' },
      500,
    );
    const code = Array.from({ length: 200 }, (_, i) => `step_${i}()`).join('\n');
    delivery.add(`Intro paragraph.\n\n\`\`\`python\n${code}\n\`\`\`\n\nOutro.`);
    await delivery.flush(true);
    expect(fake.messages.length).toBeGreaterThan(2);
    for (const m of fake.messages) {
      expect(m.text.length).toBeLessThanOrEqual(500);
      expect((m.text.match(/^```/gm) ?? []).length % 2).toBe(0);
    }
    const lines = fake.messages.flatMap((m) => m.text.split('\n')).filter((l) => l.startsWith('step_'));
    expect(lines).toEqual(code.split('\n'));
    expect(delivery.messageTs).toEqual(fake.messages.map((m) => m.ts));
  });
});

describe('StreamWriter, stream mode', () => {
  it('starts a stream at once, appends at most once per interval, stops on finish', async () => {
    const { clock, fake, writer } = setup('stream');
    await writer.append('Hel');
    expect(fake.callsOf('chat.startStream')[0]?.args).toMatchObject({
      channel: 'C1',
      thread_ts: '1.000000',
      markdown_text: 'Hel',
      recipient_user_id: 'U1',
      recipient_team_id: 'T1',
    });
    for (const part of ['lo', ' wor', 'ld']) {
      await writer.append(part);
      await clock.advance(400);
    }
    await writer.finish();
    expect(fake.callsOf('chat.appendStream')).toHaveLength(1);
    expect(fake.callsOf('chat.stopStream')).toHaveLength(1);
    expect(fake.messages).toEqual([{ ts: '1.000001', text: 'Hello world', streaming: false }]);
  });

  it('continues in a new stream when Slack expired the old one, without losing or repeating text', async () => {
    const { clock, fake, writer } = setup('stream');
    await writer.append('one ');
    await writer.append('two ');
    await clock.advance(1_000);
    fake.expireStreams();
    await writer.append('three ');
    await clock.advance(1_000);
    await writer.append('four');
    await writer.finish();
    expect(fake.messages.map((m) => m.text)).toEqual(['one two ', 'three four']);
    expect(fake.messages.every((m) => m.streaming === false || m.ts === '1.000001')).toBe(true);
    expect(fake.callsOf('chat.startStream')).toHaveLength(2);
  });

  it('reopens a code fence in the new stream when the old one expired inside it', async () => {
    const { clock, fake, writer } = setup('stream');
    await writer.append('```python\nx = 1\n');
    fake.expireStreams();
    await writer.append('y = 2\n```\nafter');
    await clock.advance(1_000);
    await writer.finish();
    expect(fake.messages.map((m) => m.text)).toEqual(['```python\nx = 1\n', '```python\ny = 2\n```\nafter']);
  });

  it('does not resend an append whose outcome is unknown', async () => {
    const { clock, fake, writer } = setup('stream');
    await writer.append('a');
    fake.failNext('chat.appendStream', { error: lostResponse(), applied: true });
    await writer.append('b');
    await clock.advance(1_000);
    await writer.append('c');
    await writer.finish();
    expect(fake.messages.map((m) => m.text)).toEqual(['abc']);
  });

  it('falls back to post-then-edit when Slack will not start a stream', async () => {
    const { fake, writer } = setup('stream');
    fake.failNext('chat.startStream', { error: platform('not_allowed_token_type') });
    await writer.append('Hello');
    await writer.append(' there');
    await writer.finish();
    expect(fake.callsOf('chat.postMessage')).toHaveLength(1);
    expect(fake.messages.map((m) => m.text)).toEqual(['Hello there']);
    expect(writer.stats.byMethod).toMatchObject({ 'chat.startStream': 1, 'chat.postMessage': 1 });
  });

  it('sends nothing for an answer that is only whitespace', async () => {
    const { fake, writer } = setup('stream');
    await writer.append('\n\n  ');
    await writer.finish();
    expect(fake.calls).toEqual([]);
  });
});
