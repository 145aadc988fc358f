import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { App } from '../../src/cli/app.js';
import type { AgentEvent } from '../../src/core/events.js';
import { defineTool } from '../../src/core/tool-spec.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

// Calls that spend money carry their estimate to the approval card, and yolo mode runs them only
// while the estimate fits in what is left of budget.yoloCapUsd for the thread.
let fake: FakeAnthropic;
let app: App | undefined;
const launched: string[] = [];
const PRICES: Record<string, number | undefined> = { small: 1, big: 2, mystery: undefined };

const paidJob = defineTool({
  name: 'paid_job',
  description: 'Launches a paid job.',
  parameters: z.object({ size: z.enum(['small', 'big', 'mystery']), schedule: z.string().optional() }),
  sideEffects: true,
  needsApproval: (args) => `launches a ${args.size} paid job`,
  alwaysAsk: (args) => (args.schedule ? 'changes a schedule: always asks' : undefined),
  quote: (args) =>
    Promise.resolve(
      PRICES[args.size] === undefined
        ? { usd: undefined, basis: 'the flavor has no known price' }
        : { usd: PRICES[args.size], basis: `${args.size} for 1 h at $${PRICES[args.size]}/h` },
    ),
  execute: (args) => {
    launched.push(args.size);
    return Promise.resolve({ output: `launched ${args.size}`, spendUsd: PRICES[args.size] ?? 0 });
  },
});

beforeEach(async () => {
  fake = await startFakeAnthropic();
  launched.length = 0;
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

async function turn(sessionId: string, text: string, after?: string) {
  await app!.operations.submit(sessionId, { type: 'user_input', text }, 'u1');
  return waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', after ? { after } : {});
}

function pendingOf(events: AgentEvent[]) {
  const found = events.find((e) => e.type === 'approval_required');
  return found?.type === 'approval_required' ? found.calls : [];
}

describe('priced calls', () => {
  it('put their estimate and the thread’s spend on the approval card', async () => {
    fake.enqueue({ toolCalls: [{ name: 'paid_job', input: { size: 'big' } }], usage: { input_tokens: 10 } });
    app = await startFakeApp(fake, { tools: [paidJob] });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await turn(sessionId, 'go');
    const [call] = pendingOf(events);
    expect(call).toMatchObject({
      tool: 'paid_job',
      reason: 'launches a big paid job',
      estimate: { usd: 2, basis: 'big for 1 h at $2/h', spentUsd: expect.any(Number) as unknown },
    });
    expect(launched).toEqual([]);
  });

  it('in yolo: run while they fit in what is left of the cap, ask once over it, and ask without an estimate', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'paid_job', input: { size: 'big' } }], usage: { input_tokens: 1 } },
      { text: 'first done', usage: { input_tokens: 1 } },
      {
        toolCalls: [
          { name: 'paid_job', input: { size: 'big' } },
          { name: 'paid_job', input: { size: 'big' } },
        ],
        usage: { input_tokens: 1 },
      },
    );
    app = await startFakeApp(fake, {
      config: testConfig({ approval: { yolo: true }, budget: { yoloCapUsd: 5 } }),
      tools: [paidJob],
    });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const first = await turn(sessionId, 'one job');
    expect(launched).toEqual(['big']);
    expect(pendingOf(first.events)).toEqual([]);
    // The launched job's estimate is part of the thread's spend at once.
    expect((await app.session(sessionId))!.costUsd).toBeGreaterThanOrEqual(2);

    // $3 left: the first of two $2 jobs fits, the second does not and asks, saying why.
    const second = await turn(sessionId, 'two more', first.lastId);
    expect(launched).toEqual(['big', 'big']);
    const [over] = pendingOf(second.events);
    expect(over?.reason).toMatch(
      /^the estimate \$2\.00 is over the \$1\.00 left of budget\.yoloCapUsd \(\$5\.00\)/,
    );
    expect(over?.estimate?.spentUsd).toBeGreaterThanOrEqual(4);
  });

  it('in yolo: no estimate asks, and a call the tool always asks about asks', async () => {
    fake.enqueue({
      toolCalls: [
        { name: 'paid_job', input: { size: 'mystery' } },
        { name: 'paid_job', input: { size: 'small', schedule: '@daily' } },
      ],
    });
    app = await startFakeApp(fake, { config: testConfig({ approval: { yolo: true } }), tools: [paidJob] });
    const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
    const { events } = await turn(sessionId, 'go');
    const calls = pendingOf(events);
    expect(calls.map((c) => c.reason)).toEqual([
      'no cost estimate (the flavor has no known price), so yolo mode asks',
      'changes a schedule: always asks',
    ]);
    expect(calls[0]?.estimate).toMatchObject({ usd: null });
    expect(launched).toEqual([]);
  });
});
