import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { PUBLIC_ENDPOINTS } from '../../src/tools/tool-services.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { addJobsAccount, createHubJobsWorld, hubJobsRoutes } from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { cleanup, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

// hf_jobs through the agent: the card carries price × timeout from the Hub's hardware list, yolo
// runs a job that fits its cap, and the token never reaches an event.
const HF_TOKEN = 'hf_jobsApprovalTestToken00000000000000';
let app: App | undefined;
let fake: FakeAnthropic | undefined;
let hub: Loopback | undefined;
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake?.close();
  await hub?.close();
});

async function start(config = testConfig()) {
  const world = createHubJobsWorld();
  addJobsAccount(world, HF_TOKEN, { user: 'intern' });
  hub = await startLoopback(hubJobsRoutes(world));
  fake = await startFakeAnthropic();
  app = testApp({
    config,
    anthropic: { apiKey: 'test-key', baseURL: fake.url },
    services: { ...PUBLIC_ENDPOINTS, hub: { url: hub.url, token: HF_TOKEN } },
  });
  await app.startWorkers();
  const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
  return { world, sessionId };
}

const gpuRun = {
  operation: 'run',
  command: ['python', 'train.py'],
  hardware_flavor: 'a10g-small',
  timeout: '2h',
};

describe('hf_jobs approvals', () => {
  it('a GPU run waits with price × timeout on its card', async () => {
    const { world, sessionId } = await start();
    fake!.enqueue({ toolCalls: [{ name: 'hf_jobs', input: gpuRun }] });
    await app!.operations.submit(sessionId, { type: 'user_input', text: 'train' }, 'u1');
    const { events } = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete');
    const card = events.find((e) => e.type === 'approval_required');
    // a10g-small: $1.00/h in the fake's list (per minute on the wire), for 2 h.
    expect(card).toMatchObject({
      calls: [
        {
          tool: 'hf_jobs',
          estimate: { usd: expect.closeTo(2, 1) as unknown, spentUsd: expect.any(Number) as unknown },
        },
      ],
    });
    const estimate = (card as { calls: Array<{ estimate: { basis: string } }> }).calls[0]!.estimate;
    expect(estimate.basis).toMatch(/a10g-small.*A10G.*24 GB.*2h/);
    expect(world.runRequests).toHaveLength(0);
  });

  it('in yolo a job that fits the cap launches at once, its estimate joins the thread’s cost, and no event carries the token', async () => {
    const { world, sessionId } = await start(
      testConfig({ approval: { yolo: true }, budget: { yoloCapUsd: 5 } }),
    );
    fake!.enqueue({ toolCalls: [{ name: 'hf_jobs', input: gpuRun }] }, { text: 'Launched.' });
    await app!.operations.submit(sessionId, { type: 'user_input', text: 'train' }, 'u1');
    const { events } = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete');
    expect(events.some((e) => e.type === 'approval_required')).toBe(false);
    expect(world.runRequests).toHaveLength(1);
    expect(world.jobs[0]?.environment).not.toHaveProperty('HF_TOKEN');
    expect((await app!.session(sessionId))!.costUsd).toBeGreaterThanOrEqual(1.99);
    expect(JSON.stringify(events)).not.toContain(HF_TOKEN);
  });

  it('in yolo a job over what is left of the cap asks, saying so', async () => {
    const { world, sessionId } = await start(
      testConfig({ approval: { yolo: true }, budget: { yoloCapUsd: 1 } }),
    );
    fake!.enqueue({ toolCalls: [{ name: 'hf_jobs', input: gpuRun }] });
    await app!.operations.submit(sessionId, { type: 'user_input', text: 'train' }, 'u1');
    const { events } = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete');
    const card = events.find((e) => e.type === 'approval_required') as { calls: Array<{ reason: string }> };
    expect(card.calls[0]?.reason).toMatch(
      /^the estimate \$2\.00 is over the \$1\.00 left of budget\.yoloCapUsd/,
    );
    expect(world.runRequests).toHaveLength(0);
  });
});
