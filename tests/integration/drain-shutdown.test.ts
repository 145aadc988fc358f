import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, REDIS_URL, testConfig } from '../helpers/test-app.js';

const TURNS = 12; // past the 10 listeners at which Node warns about one signal

let fake: FakeAnthropic;
let app: App | undefined;
const warnings: Error[] = [];
const onWarning = (warning: Error) => warnings.push(warning);

beforeEach(async () => {
  fake = await startFakeAnthropic();
  warnings.length = 0;
  process.on('warning', onWarning);
});
afterEach(async () => {
  process.off('warning', onWarning);
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

describe('a worker with many turns running', () => {
  it('stops them all at shutdown and hands their operations back, with no listener pile-up', async () => {
    fake.setDefault(() => ({ text: 'slow', delayMs: 30_000 }));
    const config = testConfig();
    app = await startFakeApp(fake, {
      config: { ...config, worker: { ...config.worker, concurrency: TURNS } },
    });
    const sessions = await Promise.all(
      Array.from({ length: TURNS }, () => app!.startSession({ owner: 'u1', platform: 'terminal' })),
    );
    await Promise.all(sessions.map((id) => app!.submit(id, { type: 'user_input', text: 'hi' })));
    await expect.poll(() => fake.requests.length, { timeout: 10_000 }).toBe(TURNS);

    await app.close(100);
    const redis = new Redis(REDIS_URL);
    const left = await Promise.all(sessions.map((id) => redis.llen(app!.keys.session(id).mailbox)));
    redis.disconnect();
    expect(left).toEqual(sessions.map(() => 1)); // each operation is still there for the next worker
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
  });
});
