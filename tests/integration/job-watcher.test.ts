import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { PUBLIC_ENDPOINTS } from '../../src/tools/tool-services.js';
import { startFakeAnthropic, type FakeAnthropic, type FakeReply } from '../fakes/fake-anthropic.js';
import {
  addJobsAccount,
  createHubJobsWorld,
  hubJobsRoutes,
  type HubJobsWorld,
} from '../fakes/hub-jobs-routes.js';
import { startLoopback, type Loopback } from '../fakes/loopback-http.js';
import { messageRequests, userTexts } from '../helpers/fake-app.js';
import { cleanup, testApp, testConfig, waitForEvent } from '../helpers/test-app.js';

// The job watcher: a launched job's card follows its stage, its end brings the real cost and a
// turn without any user message, and the watch survives a worker restart.
const HF_TOKEN = 'hf_jobWatcherTestToken000000000000000';
const apps: App[] = [];
let fake: FakeAnthropic | undefined;
let hub: Loopback | undefined;
afterEach(async () => {
  for (const app of apps.splice(0).reverse()) await cleanup(app);
  await fake?.close();
  await hub?.close();
});

const config = testConfig({ approval: { yolo: true }, budget: { yoloCapUsd: 5, warnAtUsd: 50 } });

function appFor(world: HubJobsWorld): App {
  void world;
  const app = testApp({
    config,
    anthropic: { apiKey: 'test-key', baseURL: fake!.url },
    services: { ...PUBLIC_ENDPOINTS, hub: { url: hub!.url, token: HF_TOKEN } },
    jobWatch: { pollMs: 150, cardEveryMs: 400 },
  });
  apps.push(app);
  return app;
}

async function launch(
  runningMs: number,
  after: FakeReply[] = [{ text: 'The training finished and pushed intern/demo.' }],
) {
  const world = createHubJobsWorld();
  addJobsAccount(world, HF_TOKEN, { user: 'intern' });
  world.nextTimeline = [{ stage: 'RUNNING', ms: runningMs }, { stage: 'COMPLETED' }];
  world.nextLogs = [
    'step 1: loss 2.31',
    `token ${HF_TOKEN} leaked by a careless script`,
    'pushed to intern/demo',
  ];
  hub = await startLoopback(hubJobsRoutes(world));
  fake = await startFakeAnthropic();
  fake.enqueue(
    {
      toolCalls: [
        {
          name: 'hf_jobs',
          input: {
            operation: 'run',
            command: ['python', 'train.py'],
            hardware_flavor: 'a10g-small',
            timeout: '1h',
          },
        },
      ],
    },
    { text: 'Launched; I will report when it ends.' },
    ...after,
  );
  const app = appFor(world);
  await app.startWorkers();
  const sessionId = await app.startSession({ owner: 'u1', platform: 'slack', channel: 'C1', thread: '1.0' });
  await app.operations.submit(sessionId, { type: 'user_input', text: 'train it' }, 'u1');
  return { world, app, sessionId };
}

function updates(events: AgentEvent[]) {
  return events.flatMap((e) => (e.type === 'job_update' ? [e] : []));
}

describe('the job watcher', () => {
  it('follows the job on its card, settles its real cost at the end, and the session reports unasked', async () => {
    const { world, app, sessionId } = await launch(1_200);
    const { events } = await waitForEvent(
      app,
      sessionId,
      (e) => e.type === 'operation_complete' && e.opType === 'job_finished',
      { timeoutMs: 20_000 },
    );
    const cards = updates(events);
    expect(cards[0]).toMatchObject({
      stage: 'RUNNING',
      final: false,
      flavor: 'a10g-small',
      jobId: world.jobs[0]!.id,
    });
    expect(cards[0]?.url).toBe(`https://huggingface.co/jobs/intern/${world.jobs[0]!.id}`);
    expect(cards.at(-1)).toMatchObject({ stage: 'COMPLETED', final: true });
    // At most one card per cardEveryMs while the stage stays the same (1.2 s running, 400 ms apart).
    expect(cards.filter((c) => !c.final).length).toBeLessThanOrEqual(5);
    expect(JSON.stringify(cards)).not.toContain(HF_TOKEN);

    // The session got a job_finished turn: the note carries the stage and the log tail, and asks
    // the model to name the person who asked.
    const note = userTexts(messageRequests(fake!).at(-1)).at(-1) ?? '';
    expect(note).toMatch(
      new RegExp(`^\\[The HF job ${world.jobs[0]!.id} \\(a10g-small, namespace intern\\) ended: COMPLETED`),
    );
    expect(note).toContain('pushed to intern/demo');
    // The report names who asked, whatever the model writes.
    const finishedAt = events.findIndex((e) => e.type === 'processing' && e.opType === 'job_finished');
    const report = events
      .slice(finishedAt)
      .flatMap((e) => (e.type === 'assistant_chunk' ? [e.text] : []))
      .join('');
    expect(report).toBe('<@u1> The training finished and pushed intern/demo.');
    expect(note).not.toContain(HF_TOKEN);

    // The $1.00 estimate (a10g-small, 1 h) was replaced by ~1.2 s of running.
    const summary = await app.session(sessionId);
    expect(summary!.costUsd).toBeLessThan(0.05);
    expect(summary!.costUsd).toBeGreaterThan(0);
  });

  it('survives a worker restart: another worker picks the watch up and reports the end', async () => {
    const { app, sessionId } = await launch(2_500);
    const first = await waitForEvent(app, sessionId, (e) => e.type === 'job_update', { timeoutMs: 10_000 });
    await app.close(1_000);
    const next = appFor(createHubJobsWorld());
    await next.startWorkers();
    const { events } = await waitForEvent(next, sessionId, (e) => e.type === 'job_update' && e.final, {
      timeoutMs: 20_000,
      after: first.lastId,
    });
    expect(updates(events).at(-1)).toMatchObject({ stage: 'COMPLETED', final: true });
    await waitForEvent(
      next,
      sessionId,
      (e) => e.type === 'operation_complete' && e.opType === 'job_finished',
      {
        timeoutMs: 20_000,
      },
    );
    expect(messageRequests(fake!)).toHaveLength(3);
  });

  it('a Cancel from the card acts at once, even while a turn runs, and the end is reported as CANCELED', async () => {
    // After the launch, a slow answer: a turn that holds the session's mailbox for seconds.
    const { world, app, sessionId } = await launch(60_000, [
      { text: 'thinking about it', chunkDelayMs: 300, textChunkChars: 1 },
    ]);
    await waitForEvent(app, sessionId, (e) => e.type === 'job_update', { timeoutMs: 10_000 });
    const job = world.jobs[0]!;
    await app.operations.submit(sessionId, { type: 'user_input', text: 'keep talking' }, 'u1');
    await waitForEvent(app, sessionId, (e) => e.type === 'assistant_chunk' && e.text === 't', {
      timeoutMs: 10_000,
    });
    const envelope = await app.submit(
      sessionId,
      { type: 'cancel_job', namespace: 'intern', jobId: job.id },
      'u1',
    );
    expect(envelope.op.type).toBe('cancel_job');
    expect(job.canceled).toBe(true);
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'job_update' && e.final, {
      timeoutMs: 15_000,
    });
    expect(updates(events).at(-1)).toMatchObject({ stage: 'CANCELED', final: true });
  });
});
