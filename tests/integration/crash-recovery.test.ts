import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { killHard, spawnWorker } from '../helpers/child-worker.js';
import { requestMessages } from '../helpers/fake-app.js';
import { cleanup, REDIS_URL, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

const children: ChildProcess[] = [];
let fake: FakeAnthropic | undefined;
let app: App | undefined;
let redis: Redis | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) await killHard(child);
  if (app) await cleanup(app);
  await fake?.close();
  redis?.disconnect();
});

describe('a worker killed mid-turn', () => {
  it('is replaced by another worker: no operation lost, no side-effect tool run twice', async () => {
    fake = await startFakeAnthropic();
    redis = new Redis(REDIS_URL);
    const counterKey = `test-counter:${randomUUID()}`;
    const config = testConfig({ worker: { concurrency: 5, lockMs: 1_000, stalledIntervalMs: 500 } });
    app = testApp({ config }); // submits and reads only; the workers are child processes
    const env = {
      CHILD_CONFIG: JSON.stringify(config),
      FAKE_ANTHROPIC_URL: fake.url,
      COUNTER_KEY: counterKey,
      REDIS_URL,
    };
    children.push(await spawnWorker(env));

    fake.enqueue(
      {
        text: 'Launching.',
        toolCalls: [{ id: 'toolu_gpu', name: 'launch_job', input: { name: 'gpu', hold: 60_000 } }],
      },
      { text: 'The job state is unknown; I will check before relaunching.' },
      { text: 'Second question answered.' },
    );
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'launch the job' });
    await app.submit(sessionId, { type: 'user_input', text: 'and then this' });
    await waitForEvent(app, sessionId, (e) => e.type === 'tool_log');
    expect(await redis.get(counterKey)).toBe('1');

    await killHard(children[0]!);
    children.push(await spawnWorker(env));
    let completed = 0;
    const { events } = await waitForEvent(
      app,
      sessionId,
      (e) => e.type === 'turn_complete' && ++completed === 2,
      {
        timeoutMs: 20_000,
      },
    );

    expect(await redis.get(counterKey)).toBe('1');
    expect(events).toContainEqual(expect.objectContaining({ type: 'tool_state_change', state: 'unknown' }));
    expect(JSON.stringify(requestMessages(fake, 1).at(-1)?.content)).toContain('Outcome unknown');
    const history = await app.history.load(sessionId);
    expect(history.map((m) => (m.role === 'tool' ? 'tool' : `${m.role}:${m.content}`))).toEqual([
      'user:launch the job',
      'assistant:Launching.',
      'tool',
      'assistant:The job state is unknown; I will check before relaunching.',
      'user:and then this',
      'assistant:Second question answered.',
    ]);
    expect(await redis.llen(app.keys.session(sessionId).mailbox)).toBe(0);
    await redis.del(counterKey);
  });
});
