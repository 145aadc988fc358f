import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { PUBLIC_ENDPOINTS } from '../../src/tools/tool-services.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { addJobsAccount, createHubJobsWorld, hubJobsRoutes } from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { killHard, spawnWorker } from '../helpers/child-worker.js';
import { toolResults, messageRequests } from '../helpers/fake-app.js';
import { eventually } from '../helpers/slack-harness.js';
import { cleanup, REDIS_URL, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

// "Never launched twice": a worker killed while `POST /api/jobs/{namespace}` is in flight. The job
// exists on the Hub; the next worker must not launch a second one.
const HF_TOKEN = 'hf_jobsCrashTestToken0000000000000000';
const children: ChildProcess[] = [];
let fake: FakeAnthropic | undefined;
let hub: Loopback | undefined;
let app: App | undefined;
afterEach(async () => {
  for (const child of children.splice(0)) await killHard(child);
  if (app) await cleanup(app);
  await fake?.close();
  await hub?.close();
});

describe('hf_jobs and a worker crash', () => {
  it('a kill during the launch POST leaves one job, and the model hears the outcome is unknown', async () => {
    const world = createHubJobsWorld();
    addJobsAccount(world, HF_TOKEN, { user: 'intern' });
    world.holdRun = { hang: true };
    hub = await startLoopback(hubJobsRoutes(world));
    fake = await startFakeAnthropic();
    fake.enqueue(
      {
        toolCalls: [
          {
            id: 'toolu_launch',
            name: 'hf_jobs',
            input: { operation: 'run', command: ['echo', 'hi'], hardware_flavor: 'cpu-basic' },
          },
        ],
      },
      { text: 'The launch may have gone through; I will check with ps before anything else.' },
    );
    const config = testConfig({
      worker: { concurrency: 5, lockMs: 1_000, stalledIntervalMs: 500 },
      jobs: { confirmCpuJobs: false },
    });
    app = testApp({ config });
    const services = { ...PUBLIC_ENDPOINTS, hub: { url: hub.url, token: HF_TOKEN } };
    const env = {
      CHILD_CONFIG: JSON.stringify(config),
      FAKE_ANTHROPIC_URL: fake.url,
      CHILD_SERVICES: JSON.stringify(services),
      REDIS_URL,
    };
    children.push(await spawnWorker(env));
    const sessionId = await app.startSession({ owner: 'u', platform: 'terminal' });
    await app.submit(sessionId, { type: 'user_input', text: 'launch it' });

    // The POST arrived and the Hub created the job; its answer never comes. Kill the worker now.
    await eventually(() => (world.runRequests.length === 1 ? true : undefined), 15_000);
    expect(world.jobs).toHaveLength(1);
    await killHard(children[0]!);
    world.holdRun = undefined;
    children.push(await spawnWorker(env));

    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'turn_complete', {
      timeoutMs: 20_000,
    });
    expect(world.runRequests).toHaveLength(1);
    expect(world.jobs).toHaveLength(1);
    expect(world.jobs[0]?.labels['mlib-call']).toBeDefined();
    expect(world.jobs[0]?.secretValues).toEqual({ HF_TOKEN });
    const result = toolResults(messageRequests(fake).at(-1))[0];
    expect(result).toMatch(/^Outcome unknown/);
    expect(JSON.stringify(events)).not.toContain(HF_TOKEN);
  });
});
