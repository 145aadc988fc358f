import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, waitForEvent } from '../helpers/test-app.js';

let fake: FakeAnthropic;
let app: App;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  app = await startFakeApp(fake);
});
afterEach(async () => {
  await cleanup(app);
  await fake.close();
});

describe('interrupt', () => {
  it('stops a streaming answer, emits interrupted, and the next turn works', async () => {
    fake.enqueue({ text: 'x'.repeat(400), textChunkChars: 4, chunkDelayMs: 20 });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'write a lot' });
    await waitForEvent(app, sessionId, (e) => e.type === 'assistant_chunk');
    await app.submit(sessionId, { type: 'interrupt' });
    const { events, lastId } = await waitForEvent(app, sessionId, (e) => e.type === 'interrupted');
    const streamed = events.filter((e) => e.type === 'assistant_chunk').length;
    expect(streamed).toBeLessThan(100);
    expect(events.map((e) => e.type)).not.toContain('turn_complete');

    fake.enqueue({ text: 'fresh answer' });
    await app.submit(sessionId, { type: 'user_input', text: 'hello again' });
    const next = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete', { after: lastId });
    expect(next.events.map((e) => e.type)).not.toContain('interrupted');
    expect((await app.history.load(sessionId)).map((m) => m.role)).toEqual(['user', 'user', 'assistant']);
  });

  it('an interrupt while idle does not cancel the next turn', async () => {
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'interrupt' });
    await new Promise((r) => setTimeout(r, 5));
    fake.enqueue({ text: 'answer' });
    await app.submit(sessionId, { type: 'user_input', text: 'hi' });
    const { events } = await waitForEvent(
      app,
      sessionId,
      (e) => e.type === 'turn_complete' || e.type === 'interrupted',
    );
    expect(events.at(-1)?.type).toBe('turn_complete');
  });
});

describe('undo', () => {
  it('removes the last user turn and everything after it', async () => {
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    fake.enqueue({ text: 'one' }, { text: 'two' });
    await app.submit(sessionId, { type: 'user_input', text: 'first' });
    await app.submit(sessionId, { type: 'user_input', text: 'second' });
    await app.submit(sessionId, { type: 'undo' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'undo_complete');
    expect(events.at(-1)).toMatchObject({ type: 'undo_complete', removed: 2 });
    const history = await app.history.load(sessionId);
    expect(history).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'one' },
    ]);
  });
});
