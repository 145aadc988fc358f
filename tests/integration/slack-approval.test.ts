import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  appMention,
  blockAction,
  eventCallback,
  viewSubmission,
  DEFAULT_IDENTITY,
} from '../fakes/fake-slack.js';
import { eventually, startSlackHarness, type SlackHarness } from '../helpers/slack-harness.js';
import { REDIS_URL, testConfig } from '../helpers/test-app.js';
import { effectTool } from '../helpers/test-tools.js';

const BOT = DEFAULT_IDENTITY.botUserId;
let h: SlackHarness | undefined;
const redis = new Redis(REDIS_URL);
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Starts a session whose first model reply asks to launch a job, and waits for the approval card. */
async function cardFor(harness: SlackHarness, calls = 1) {
  harness.llm.enqueue({
    toolCalls: Array.from({ length: calls }, (_, i) => ({
      id: `toolu_${i}`,
      name: 'launch_job',
      input: { name: `job${i}` },
    })),
  });
  harness.llm.setDefault(() => ({ text: 'Finished.' }));
  const mention = appMention({ user: 'U_OWNER', channel: 'C1', text: `<@${BOT}> launch it` });
  await harness.slack.socket.sendEventsApi(eventCallback(mention));
  const card = await eventually(() =>
    harness.slack
      .thread('C1', mention.ts)
      .find((m) => JSON.stringify(m.blocks ?? []).includes('mlib_approve')),
  );
  const sessionId = await harness.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts });
  return { mention, card, sessionId: sessionId! };
}

function click(
  harness: SlackHarness,
  o: { user: string; cardTs: string; threadTs: string; actionId: string; value: unknown },
) {
  return harness.slack.socket.sendInteractive(
    blockAction({
      user: o.user,
      channel: 'C1',
      messageTs: o.cardTs,
      threadTs: o.threadTs,
      actionId: o.actionId,
      value: JSON.stringify(o.value),
    }),
  );
}

async function setup() {
  const config = testConfig();
  const counter = `${config.redis.prefix}:counter`;
  h = await startSlackHarness({ config, tools: [effectTool(counter)] });
  return { harness: h, counter };
}

describe('slack: approvals', () => {
  it('runs the call when the owner approves, and edits the card to say who decided', async () => {
    const { harness, counter } = await setup();
    const { mention, card, sessionId } = await cardFor(harness);
    await click(harness, {
      user: 'U_OWNER',
      cardTs: card.ts,
      threadTs: mention.ts,
      actionId: 'mlib_approve',
      value: { sessionId, toolCallId: 'toolu_0' },
    });
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Finished.')));
    expect(await redis.get(counter)).toBe('1');
    const edited = harness.slack.message('C1', card.ts)!;
    const blocks = JSON.stringify(edited.blocks);
    expect(blocks).not.toContain('mlib_approve');
    expect(blocks).toContain('Approved by <@U_OWNER>');
  });

  it('refuses a stranger with an ephemeral note; a double click runs the call once', async () => {
    const { harness, counter } = await setup();
    const { mention, card, sessionId } = await cardFor(harness);
    const value = { sessionId, toolCallId: 'toolu_0' };
    await click(harness, {
      user: 'U_STRANGER',
      cardTs: card.ts,
      threadTs: mention.ts,
      actionId: 'mlib_approve',
      value,
    });
    await eventually(() => harness.slack.workspace.ephemerals.find((e) => e.user === 'U_STRANGER'));
    expect(await redis.get(counter)).toBeNull();

    await Promise.all([
      click(harness, {
        user: 'U_OWNER',
        cardTs: card.ts,
        threadTs: mention.ts,
        actionId: 'mlib_approve',
        value,
      }),
      click(harness, {
        user: 'U_OWNER',
        cardTs: card.ts,
        threadTs: mention.ts,
        actionId: 'mlib_approve',
        value,
      }),
    ]);
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Finished.')));
    await eventually(() =>
      harness.slack.workspace.ephemerals.some((e) => e.user === 'U_OWNER' && /already decided/.test(e.text)),
    );
    expect(await redis.get(counter)).toBe('1');
  });

  it('refuses a button replayed into another thread', async () => {
    const { harness, counter } = await setup();
    const { card, sessionId } = await cardFor(harness);
    await click(harness, {
      user: 'U_OWNER',
      cardTs: card.ts,
      threadTs: '1111111111.000001',
      actionId: 'mlib_approve',
      value: { sessionId, toolCallId: 'toolu_0' },
    });
    await eventually(() => harness.slack.workspace.ephemerals.find((e) => /does not belong/.test(e.text)));
    expect(await redis.get(counter)).toBeNull();
  });

  it('rejects with feedback through the modal; the model gets the feedback', async () => {
    const { harness, counter } = await setup();
    const { mention, card, sessionId } = await cardFor(harness);
    await click(harness, {
      user: 'U_OWNER',
      cardTs: card.ts,
      threadTs: mention.ts,
      actionId: 'mlib_reject_feedback',
      value: { sessionId, toolCallId: 'toolu_0' },
    });
    const opened = await harness.slack.waitForCall('views.open');
    const view = opened.args.view as { private_metadata: string };
    await harness.slack.socket.sendInteractive(
      viewSubmission({
        user: 'U_OWNER',
        callbackId: 'mlib_feedback',
        privateMetadata: view.private_metadata,
        values: { feedback: { text: { type: 'plain_text_input', value: 'use a cheaper GPU' } } },
      }),
    );
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Finished.')));
    expect(await redis.get(counter)).toBeNull();
    expect(JSON.stringify(harness.llm.requests.at(-1)?.body)).toContain('use a cheaper GPU');
    expect(JSON.stringify(harness.slack.message('C1', card.ts)?.blocks)).toContain('Rejected by <@U_OWNER>');
  });

  it('waits for every call of a card, and Approve all decides them together', async () => {
    const { harness, counter } = await setup();
    const { mention, card, sessionId } = await cardFor(harness, 2);
    await click(harness, {
      user: 'U_OWNER',
      cardTs: card.ts,
      threadTs: mention.ts,
      actionId: 'mlib_approve_all',
      value: { sessionId, toolCallIds: ['toolu_0', 'toolu_1'] },
    });
    await eventually(() => harness.slack.thread('C1', mention.ts).some((m) => m.text.includes('Finished.')));
    expect(await redis.get(counter)).toBe('2');
  });
});

describe('slack: who an approval pings', () => {
  it("pings the owner on the card; the call's arguments ping nobody", async () => {
    const { harness } = await setup();
    harness.llm.enqueue({
      toolCalls: [{ id: 'toolu_0', name: 'launch_job', input: { name: '<!channel> <@U_X> job' } }],
    });
    const mention = appMention({ user: 'U_OWNER', channel: 'C1', text: `<@${BOT}> launch it` });
    await harness.slack.socket.sendEventsApi(eventCallback(mention));
    const card = await eventually(() =>
      harness.slack
        .thread('C1', mention.ts)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('mlib_approve')),
    );
    const blocks = JSON.stringify(card.blocks);
    expect(blocks.match(/<[@!][^>]*>/g)).toEqual(['<@U_OWNER>']);
    expect(blocks).toContain('job');
    // The operation ended waiting: its status line says so, and the thread's "is working" is cleared.
    await eventually(() =>
      harness.slack.thread('C1', mention.ts).some((m) => m.text.startsWith('✋ Waiting for approval')),
    );
    await eventually(() => harness.slack.threadStatus('C1', mention.ts) === '');
  });

  it('makes whoever approves a participant the answer may mention; others stay unpinged', async () => {
    const config = testConfig({ approval: { approvers: ['U_APPROVER'] } });
    h = await startSlackHarness({ config, tools: [effectTool(`${config.redis.prefix}:counter`)] });
    const harness = h;
    harness.llm.enqueue(
      { toolCalls: [{ id: 'toolu_0', name: 'launch_job', input: { name: 'j' } }] },
      { text: 'Launched, thanks <@U_APPROVER>; cc <@U_OTHER>.' },
    );
    const mention = appMention({ user: 'U_OWNER', channel: 'C1', text: `<@${BOT}> launch it` });
    await harness.slack.socket.sendEventsApi(eventCallback(mention));
    const card = await eventually(() =>
      harness.slack
        .thread('C1', mention.ts)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('mlib_approve')),
    );
    const sessionId = await harness.app.threadSession({
      platform: 'slack',
      channel: 'C1',
      thread: mention.ts,
    });
    await click(harness, {
      user: 'U_APPROVER',
      cardTs: card.ts,
      threadTs: mention.ts,
      actionId: 'mlib_approve',
      value: { sessionId, toolCallId: 'toolu_0' },
    });
    const answer = await eventually(() =>
      harness.slack.thread('C1', mention.ts).find((m) => m.text.startsWith('Launched')),
    );
    expect(answer.text).toBe('Launched, thanks <@U_APPROVER>; cc @\u200DU_OTHER.');
  });
});

describe('slack: Stop button', () => {
  it('interrupts the running turn', async () => {
    h = await startSlackHarness();
    const harness = h;
    harness.llm.enqueue({ text: 'y'.repeat(600), textChunkChars: 3, chunkDelayMs: 20 });
    const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${BOT}> talk` });
    await harness.slack.socket.sendEventsApi(eventCallback(mention));
    const status = await eventually(() =>
      harness.slack
        .thread('C1', mention.ts)
        .find((m) => JSON.stringify(m.blocks ?? []).includes('mlib_stop')),
    );
    const sessionId = await harness.app.threadSession({
      platform: 'slack',
      channel: 'C1',
      thread: mention.ts,
    });
    await click(harness, {
      user: 'U1',
      cardTs: status.ts,
      threadTs: mention.ts,
      actionId: 'mlib_stop',
      value: sessionId,
    });
    await eventually(() => harness.slack.message('C1', status.ts)?.text.includes('Stopped'));
    expect(JSON.stringify(harness.slack.message('C1', status.ts)?.blocks)).not.toContain('mlib_stop');
  });
});

afterAll(() => redis.disconnect());
