import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { killHard, spawnWorker } from '../helpers/child-worker.js';
import { cleanup, REDIS_URL, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

const children: ChildProcess[] = [];
let fake: FakeAnthropic;
let app: App;
let redis: Redis;
afterEach(async () => {
  for (const child of children.splice(0)) await killHard(child);
  await cleanup(app);
  await fake.close();
  redis.disconnect();
});

async function setup(graceMs: number) {
  fake = await startFakeAnthropic();
  redis = new Redis(REDIS_URL);
  const config = testConfig({ worker: { concurrency: 5, lockMs: 1_000, stalledIntervalMs: 500 } });
  app = testApp({ config });
  const counterKey = `test-counter:${randomUUID()}`;
  const env = {
    CHILD_CONFIG: JSON.stringify(config),
    FAKE_ANTHROPIC_URL: fake.url,
    COUNTER_KEY: counterKey,
    CHILD_GRACE_MS: String(graceMs),
    REDIS_URL,
  };
  return { env, counterKey };
}

describe('SIGTERM', () => {
  it('lets the running turn finish, then exits 0', async () => {
    const { env } = await setup(10_000);
    const worker = await spawnWorker(env);
    children.push(worker);
    fake.enqueue({ text: 'y'.repeat(120), textChunkChars: 4, chunkDelayMs: 20 });
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'talk' });
    await waitForEvent(app, sessionId, (e) => e.type === 'assistant_chunk');
    const exited = once(worker, 'exit');
    worker.kill('SIGTERM');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete');
    const text = events.flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : [])).join('');
    expect(text).toBe('y'.repeat(120));
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
  });

  it('hands a turn that outlives the grace period to another worker', async () => {
    const { env, counterKey } = await setup(300);
    const first = await spawnWorker(env);
    children.push(first);
    fake.enqueue(
      { toolCalls: [{ id: 'toolu_long', name: 'launch_job', input: { name: 'long', hold: 60_000 } }] },
      { text: 'Picked up after the restart.' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'run the long job' });
    await waitForEvent(app, sessionId, (e) => e.type === 'tool_log');
    const exited = once(first, 'exit');
    first.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);

    children.push(await spawnWorker(env));
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete', {
      timeoutMs: 15_000,
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'tool_output', toolCallId: 'toolu_long', ok: false }),
    );
    const history = await app.history.load(sessionId);
    expect(history.at(-1)).toEqual({ role: 'assistant', content: 'Picked up after the restart.' });
    expect(await redis.get(counterKey)).toBe('1');
    await redis.del(counterKey);
  });
});
