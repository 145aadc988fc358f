import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { messageRequests, startFakeApp, toolResults } from '../helpers/fake-app.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';
import { twoDollarJob } from '../helpers/test-tools.js';

// The optional daily caps are checked before money is spent, not after.
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

describe('daily caps', () => {
  it('refuse a priced call that would pass the per-user cap, even when approved, and tell the model why', async () => {
    fake.enqueue(
      { toolCalls: [{ name: 'paid_job', input: {} }] },
      { toolCalls: [{ name: 'paid_job', input: {} }] },
      { text: 'The second job is over the daily cap.' },
    );
    app = await startFakeApp(fake, {
      config: testConfig({
        approval: { yolo: true },
        budget: { yoloCapUsd: 50, warnAtUsd: 40, perUserDailyUsd: 3 },
      }),
      tools: [job],
    });
    const sessionId = await app.startSession({ owner: 'alice', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'two jobs' }, 'alice');
    await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
    expect(paid.launches()).toBe(1);
    const refused = toolResults(messageRequests(fake)[2])[1];
    expect(refused).toMatch(
      /^Not run: this user's spend today would pass budget\.perUserDailyUsd \(\$3\.00; \$2\.\d\d spent/,
    );
    expect((await app.spend.today('alice')).user).toBeGreaterThanOrEqual(2);
  });

  it('stop the turn before the next model call once the day’s cap is reached', async () => {
    fake.enqueue({ text: 'never asked' });
    app = await startFakeApp(fake, {
      config: testConfig({
        approval: { yolo: true },
        budget: { yoloCapUsd: 50, warnAtUsd: 40, perDayUsd: 3 },
      }),
      tools: [job],
    });
    // Other threads already spent the day's $3 (today's ledger is shared by every session).
    await app.spend.add('carol', 3);
    const sessionId = await app.startSession({ owner: 'bob', platform: 'terminal' });
    await app.operations.submit(sessionId, { type: 'user_input', text: 'one job' }, 'bob');
    const { events } = await waitForEvent(app, sessionId, (e) => e.type === 'operation_complete');
    expect(paid.launches()).toBe(0);
    expect(events.find((e) => e.type === 'error')).toMatchObject({
      code: 'budget_cap',
      message: expect.stringMatching(
        /^Stopped before the next model call: today's spend \(\$3\.00\) has reached budget\.perDayUsd \(\$3\.00\)/,
      ) as unknown,
    });
    expect(messageRequests(fake)).toHaveLength(0);
  });
});
