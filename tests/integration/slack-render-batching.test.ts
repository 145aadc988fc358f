import { afterEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/event-store.js';
import { appMention, eventCallback, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('slack: an answer that arrives in one batch', () => {
  it('is posted once, whole, and never edited; one that streams in is posted and then edited', async () => {
    h = await startSlackHarness();
    const harness = h;
    h.llm.enqueue({ text: 'First answer.' });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> hi` });
    await h.slack.socket.sendEventsApi(eventCallback(mention));
    const thread = () => harness.slack.thread('C1', mention.ts).filter((m) => m.user === BOT);
    await eventually(() => thread().some((m) => m.text.includes('Done')));
    const sessionId = await h.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts });
    expect(sessionId).toBeDefined();

    // Written in one script (as a worker writes the deltas of one network read), read in one batch.
    const k = h.app.keys.session(sessionId!);
    await h.app.redis.set(k.lock, 'test-run', 'PX', 10_000);
    const events = new EventStore(h.app.redis, h.app.keys, 1_000).withFence({
      key: k.lock,
      token: 'test-run',
      lost: () => undefined,
    });
    await Promise.all([
      events.emit(sessionId!, { type: 'assistant_chunk', text: 'Whole ' }),
      events.emit(sessionId!, { type: 'assistant_chunk', text: 'answer, ' }),
      events.emit(sessionId!, { type: 'assistant_chunk', text: 'at once.' }),
      events.emit(sessionId!, { type: 'assistant_stream_end' }),
    ]);
    await eventually(() => thread().find((m) => m.text === 'Whole answer, at once.'));
    const whole = thread().find((m) => m.text === 'Whole answer, at once.')!;
    expect(whole.editCount).toBe(0);

    // Across batches, the first text is shown at once and the rest is an edit of that message.
    await events.emit(sessionId!, { type: 'assistant_chunk', text: 'Streamed ' });
    await eventually(() => thread().find((m) => m.text.startsWith('Streamed')));
    await events.emit(sessionId!, { type: 'assistant_chunk', text: 'in.' });
    await events.emit(sessionId!, { type: 'assistant_stream_end' });
    await eventually(() => thread().find((m) => m.text === 'Streamed in.'));
    expect(thread().find((m) => m.text === 'Streamed in.')!.editCount).toBe(1);
  });
});
