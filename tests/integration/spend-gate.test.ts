import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { nextPauseUsd } from '../../src/agent/spend-gate.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { twoDollarJob } from '../helpers/test-tools.js';

// The spending pause: past budget.warnAtUsd (and each doubling), the intern stops before spending
// more and asks for a Continue click.
let fake: FakeAnthropic;
let app: App | undefined;
const paid = twoDollarJob();
const job = paid.spec;

beforeEach(async () => {
  fake = await startFakeAnthropic();
  paid.reset();
});
afterEach(async () => {
  if (app) await cleanup(app);
  app = undefined;
  await fake.close();
});

async function pausedSession() {
  fake.enqueue(
    { toolCalls: [{ name: 'paid_job', input: {} }] },
    { toolCalls: [{ name: 'paid_job', input: {} }] },
  );
  app = await startFakeApp(fake, {
    config: testConfig({ approval: { yolo: true }, budget: { yoloCapUsd: 50, warnAtUsd: 3 } }),
    tools: [job],
  });
  const sessionId = await app.startSession({ owner: 'u1', platform: 'terminal' });
  await app.operations.submit(sessionId, { type: 'user_input', text: 'launch two' }, 'u1');
  const { events, lastId } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
  return { sessionId, events, lastId };
}

describe('spending pauses', () => {
  it('stops before spending past the pause, asks to continue, and goes on to the next doubling', async () => {
    const { sessionId, events, lastId } = await pausedSession();
    expect(paid.launches()).toBe(2);
    expect(events.at(-1)).toMatchObject({ outcome: 'awaiting_approval' });
    const card = events.find((e) => e.type === 'approval_required');
    expect(card).toMatchObject({
      calls: [
        {
          toolCallId: 'spend-gate-3',
          tool: 'continue_spending',
          args: { pauseAtUsd: 3, nextPauseUsd: 6 },
          reason: expect.stringMatching(/^This thread has spent \$4\.00, past its \$3\.00 pause/) as unknown,
        },
      ],
    });
    // Paused before the next model call: two calls made, the third waits for the click.
    expect(messageRequests(fake)).toHaveLength(2);

    fake.enqueue({ text: 'Both jobs are running.' });
    await app!.operations.submit(
      sessionId,
      { type: 'exec_approval', decisions: [{ toolCallId: 'spend-gate-3', approved: true }] },
      'u1',
    );
    const resumed = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', {
      after: lastId,
    });
    expect(resumed.events.at(-1)).toMatchObject({ outcome: 'done' });
    expect(messageRequests(fake)).toHaveLength(3);
    const session = await app!.sessions.get(sessionId);
    expect(session?.spendPauseAtUsd).toBe(6);
    expect(await app!.toolCalls.getPending(sessionId)).toEqual(new Map());
    // The pause is not a tool call: the history has none for it.
    expect(JSON.stringify(await app!.history.load(sessionId))).not.toContain('continue_spending');
  });

  it('a Stop ends the turn there, with a message, and spends nothing more', async () => {
    const { sessionId, lastId } = await pausedSession();
    await app!.operations.submit(
      sessionId,
      { type: 'exec_approval', decisions: [{ toolCallId: 'spend-gate-3', approved: false }] },
      'u1',
    );
    const stopped = await waitForEvent(app!, sessionId, (e) => e.type === 'operation_complete', {
      after: lastId,
    });
    expect(stopped.events.find((e) => e.type === 'error')).toMatchObject({ code: 'spending_stopped' });
    expect(messageRequests(fake)).toHaveLength(2);
    expect(paid.launches()).toBe(2);
  });

  it('pauses at warnAtUsd and each doubling after it', () => {
    expect([0, 4.99, 5, 9.5, 10, 25].map((spent) => nextPauseUsd(5, spent))).toEqual([5, 5, 10, 10, 20, 40]);
  });
});
