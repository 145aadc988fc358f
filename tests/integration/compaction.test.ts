import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { requestMessages, startFakeApp } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

let fake: FakeAnthropic;
let app: App;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await cleanup(app);
  await fake.close();
});

/**
 * A small window so a few messages cross the 90% threshold (20,000 tokens: the session's tool
 * definitions alone take about a quarter of it).
 */
const smallWindow = () => testConfig({ contextWindowTokens: 20_000, compactionKeepRecent: 2 });

describe('compaction', () => {
  it('summarises the middle when the prompt reaches the threshold, keeping the first message and the tail', async () => {
    app = await startFakeApp(fake, { config: smallWindow() });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    // The last answer reports a 19,500-token prompt: over 90% of 20,000.
    fake.enqueue({ text: 'a', usage: { input_tokens: 500 } }, { text: 'b', usage: { input_tokens: 1_000 } });
    fake.enqueue({ text: 'c', usage: { input_tokens: 19_500 } });
    for (const q of ['first question', 'second', 'third'])
      await app.submit(sessionId, { type: 'user_input', text: q });
    fake.enqueue({ text: 'SUMMARY: user asked three things.' }, { text: 'final answer' });
    await app.submit(sessionId, { type: 'user_input', text: 'fourth' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'compacted');
    const compacted = events.at(-1);
    if (compacted?.type !== 'compacted') throw new Error('expected a compacted event');
    expect(compacted.oldTokens).toBeGreaterThanOrEqual(19_500);
    expect(compacted.newTokens).toBeLessThan(compacted.oldTokens);
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete' && e.seq > compacted.seq);

    // The summariser saw the middle as a transcript; the next call sees first message + summary + tail.
    const summariser = fake.requests.at(-2)?.body as { system: unknown; tools?: unknown[] };
    expect(JSON.stringify(summariser.system)).toContain('summarise');
    const history = await app.history.load(sessionId);
    expect(history[0]).toMatchObject({ role: 'user', content: 'first question' });
    expect(history[1]).toMatchObject({ role: 'user', synthetic: 'summary' });
    expect(history[1]?.content).toContain('SUMMARY: user asked three things.');
    expect(history.slice(-2)).toMatchObject([
      { role: 'user', content: 'fourth' },
      { role: 'assistant', content: 'final answer' },
    ]);
    expect(JSON.stringify(requestMessages(fake, -1))).not.toContain('second');
  });

  it('compacts on request', async () => {
    app = await startFakeApp(fake, { config: smallWindow() });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    fake.enqueue({ text: 'a' }, { text: 'b' }, { text: 'c' }, { text: 'short summary' });
    for (const q of ['one', 'two', 'three']) await app.submit(sessionId, { type: 'user_input', text: q });
    await app.submit(sessionId, { type: 'compact' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'compacted');
    expect(events.filter((e) => e.type === 'turn_complete')).toHaveLength(3);
    expect(
      (await app.history.load(sessionId)).some((m) => m.role === 'user' && m.synthetic === 'summary'),
    ).toBe(true);
    expect((await app.session(sessionId))?.status).toBe('idle');
  });

  it('ends the session with a clear error when even the compacted history is too large', async () => {
    app = await startFakeApp(fake, { config: smallWindow() });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    fake.enqueue({ text: 'ok', usage: { input_tokens: 19_750 } }, { text: 'summary' });
    await app.submit(sessionId, { type: 'user_input', text: 'hi' });
    // A single message bigger than the whole window stays in the verbatim tail.
    await app.submit(sessionId, { type: 'user_input', text: 'x'.repeat(100_000) });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'error');
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'context_too_large' });
    expect(events.map((e) => e.type)).toContain('compacted');
    expect((await app.session(sessionId))?.status).toBe('ended');
    await app.submit(sessionId, { type: 'user_input', text: 'still there?' });
    await waitForEvent(app, sessionId, (e) => e.type === 'error' && e.code === 'session_ended');
  });
});
