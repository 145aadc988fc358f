import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { cleanup, REDIS_URL, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';
import { effectTool } from '../helpers/test-tools.js';

let fake: FakeAnthropic;
let redis: Redis;
const apps: App[] = [];
let counterKey: string;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  redis = new Redis(REDIS_URL);
  counterKey = `test-counter:${randomUUID()}`;
});
afterEach(async () => {
  for (const app of apps.splice(0)) await cleanup(app);
  await redis.del(counterKey);
  redis.disconnect();
  await fake.close();
});

function appWith(config = testConfig()) {
  const app = testApp({
    config,
    anthropic: { apiKey: 'test-key', baseURL: fake.url },
    extraTools: [effectTool(counterKey)],
  });
  apps.push(app);
  return app;
}

/** The text of the tool_result blocks of the latest request the fake received. */
function lastToolResults(): string {
  const body = fake.requests.at(-1)?.body as { messages: Array<{ content: unknown }> };
  return JSON.stringify(body.messages.at(-1)?.content);
}

describe('approval', () => {
  it('pauses, survives a worker restart, and resumes on approve', async () => {
    const config = testConfig();
    const first = appWith(config);
    await first.startWorkers();
    fake.enqueue({
      text: 'Launching.',
      toolCalls: [{ id: 'toolu_1', name: 'launch_job', input: { name: 'train' } }],
    });
    const sessionId = await first.startSession({ owner: 'alice', platform: 'terminal' });
    await first.submit(sessionId, { type: 'user_input', text: 'train it' }, 'alice');
    const paused = await waitForEvent(first, sessionId, (e) => e.type === 'approval_required');
    const approval = paused.events.at(-1);
    expect(approval).toMatchObject({
      type: 'approval_required',
      calls: [{ toolCallId: 'toolu_1', tool: 'launch_job' }],
    });
    expect(await redis.get(counterKey)).toBeNull();
    expect((await first.session(sessionId))?.status).toBe('awaiting_approval');

    // The worker that paused goes away; a different process-worth of objects resumes.
    await first.close();
    apps.splice(apps.indexOf(first), 1);
    const second = appWith(config);
    await second.startWorkers();
    fake.enqueue({ text: 'Job launched and finished.' });
    await second.submit(
      sessionId,
      { type: 'exec_approval', decisions: [{ toolCallId: 'toolu_1', approved: true }] },
      'alice',
    );
    const done = await waitForEvent(second, sessionId, (e) => e.type === 'turn_complete', {
      after: paused.lastId,
    });
    expect(done.events.map((e) => e.type)).toContain('tool_output');
    expect(await redis.get(counterKey)).toBe('1');
    expect(lastToolResults()).toContain('job train finished');
  });

  it('records a rejection with the user feedback for the model', async () => {
    const app = appWith();
    await app.startWorkers();
    fake.enqueue({ toolCalls: [{ id: 'toolu_2', name: 'launch_job', input: { name: 'big' } }] });
    const sessionId = await app.startSession({ owner: 'alice', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'go' });
    const paused = await waitForEvent(app, sessionId, (e) => e.type === 'approval_required');
    fake.enqueue({ text: 'OK, using a smaller GPU.' });
    await app.submit(sessionId, {
      type: 'exec_approval',
      decisions: [{ toolCallId: 'toolu_2', approved: false, feedback: 'use a t4 instead' }],
    });
    await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete', { after: paused.lastId });
    expect(await redis.get(counterKey)).toBeNull();
    expect(lastToolResults()).toContain('use a t4 instead');
    expect(lastToolResults()).toContain('rejected');
  });

  it('closes pending calls as abandoned when a new message arrives, and ignores stale approvals', async () => {
    const app = appWith();
    await app.startWorkers();
    fake.enqueue({ toolCalls: [{ id: 'toolu_3', name: 'launch_job', input: { name: 'x' } }] });
    const sessionId = await app.startSession({ owner: 'alice', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'go' });
    const paused = await waitForEvent(app, sessionId, (e) => e.type === 'approval_required');
    fake.enqueue({ text: 'Never mind then.' });
    await app.submit(sessionId, { type: 'user_input', text: 'actually, wait' });
    const done = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete', {
      after: paused.lastId,
    });
    expect(done.events).toContainEqual(
      expect.objectContaining({ type: 'tool_state_change', state: 'abandoned' }),
    );
    const history = await app.history.load(sessionId);
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant']);

    // A late click on the old card must not run anything.
    await app.submit(sessionId, {
      type: 'exec_approval',
      decisions: [{ toolCallId: 'toolu_3', approved: true }],
    });
    await waitForEvent(app, sessionId, (e) => e.type === 'error' && e.code === 'nothing_pending', {
      after: done.lastId,
    });
    expect(await redis.get(counterKey)).toBeNull();
  });
});
