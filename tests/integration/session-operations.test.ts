import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';
import { echoTool, effectTool } from '../helpers/test-tools.js';
import { createRedactor } from '../../src/core/redact.js';

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

  it('aborts a running tool; every call keeps a result', async () => {
    await cleanup(app);
    const config = testConfig();
    // Under the app's prefix, so cleanup removes it.
    const counter = `${config.redis.prefix}:counter`;
    app = await startFakeApp(fake, { config, tools: [effectTool(counter, { approve: false })] });
    fake.enqueue({
      toolCalls: [
        { id: 'toolu_a', name: 'launch_job', input: { name: 'slow', hold: 60_000 } },
        { id: 'toolu_b', name: 'launch_job', input: { name: 'slow2', hold: 60_000 } },
      ],
    });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'run both' });
    await waitForEvent(app, sessionId, (e) => e.type === 'tool_log');
    await app.submit(sessionId, { type: 'interrupt' });
    await waitForEvent(app, sessionId, (e) => e.type === 'interrupted');
    const history = await app.history.load(sessionId);
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'tool']);
    expect(history.slice(2).every((m) => m.role === 'tool' && m.isError)).toBe(true);
    expect((await app.session(sessionId))?.status).toBe('idle');
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
    expect(history.map((m) => ({ role: m.role, content: m.content }))).toEqual([
      { role: 'user', content: 'first' },
      { role: 'assistant', content: 'one' },
    ]);
  });
});

describe('new', () => {
  it('starts a fresh session in the same thread and ends the old one', async () => {
    const thread = { platform: 'slack', channel: 'C1', thread: '123.456' };
    const old = await app.startSession({ owner: 'u', ...thread, maxIterations: 7, stream: false });
    await app.threads.set(thread, old);
    fake.enqueue({ text: 'remember me' });
    await app.submit(old, { type: 'user_input', text: 'hi' });
    await app.submit(old, { type: 'new' });
    const { events } = await waitForEvent(app, old, (e) => e.type === 'shutdown');
    const shutdown = events.at(-1);
    if (shutdown?.type !== 'shutdown' || !shutdown.replacedBy)
      throw new Error('expected shutdown with replacedBy');
    const fresh = shutdown.replacedBy;
    expect(await app.threads.get(thread)).toBe(fresh);
    expect((await app.session(old))?.status).toBe('ended');
    expect(await app.session(fresh)).toMatchObject({ owner: 'u', status: 'idle', thread });
    expect(await app.history.load(fresh)).toEqual([]);
    expect(await app.sessions.get(fresh)).toMatchObject({ maxIterations: 7, stream: '0' });
    await waitForEvent(app, fresh, (e) => e.type === 'ready');
  });
});

describe('usage and cost', () => {
  it('records tokens and the priced cost of each call in the session', async () => {
    fake.enqueue({
      text: 'a',
      usage: { input_tokens: 1_000, output_tokens: 100, cache_read_input_tokens: 500 },
    });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'hi' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const summary = await app.session(sessionId);
    expect(summary).toMatchObject({ inputTokens: 1_000, outputTokens: 100, cacheReadTokens: 500 });
    expect(summary?.costUsd).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'turn_complete', costUsd: summary?.costUsd });
  });
});

describe('secrets', () => {
  it('are redacted from every event the thread sees', async () => {
    await cleanup(app);
    const secret = 'hf_abcdefghijklmnopqrstuvwxyz0123';
    app = testApp({
      anthropic: { apiKey: 'test-key', baseURL: fake.url },
      extraTools: [echoTool],
      redact: createRedactor([secret]),
    });
    await app.startWorkers();
    fake.enqueue(
      { text: `token is ${secret}`, toolCalls: [{ name: 'echo', input: { text: `my token ${secret}` } }] },
      { text: 'done' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'leak it' });
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const visible = JSON.stringify(events);
    expect(visible).not.toContain(secret);
    expect(visible).toContain('[redacted]');
  });
});
