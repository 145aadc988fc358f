import { afterEach, describe, expect, it, vi } from 'vitest';
import { customId } from '../../adapters/discord/custom-ids.js';
import type { EventBody } from '../../src/core/events.js';
import { DISCORD_IDS, type FakeDiscordMessage } from '../fakes/fake-discord.js';
import { startDiscordHarness, type DiscordHarness } from '../helpers/discord-harness.js';
import { eventually } from '../helpers/slack-harness.js';
import { testConfig } from '../helpers/test-app.js';

const JOB = '6841c0ffee0123456789abcd';
let h: DiscordHarness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.close();
  h = undefined;
});

type JobUpdate = Extract<EventBody, { type: 'job_update' }>;

function job(overrides: Partial<JobUpdate> = {}): JobUpdate {
  return {
    type: 'job_update',
    namespace: 'alice-org',
    jobId: JOB,
    url: `https://huggingface.co/jobs/alice-org/${JOB}`,
    stage: 'RUNNING',
    flavor: 'a10g-small',
    elapsedSeconds: 30,
    costSoFarUsd: 0.01,
    logTail: ['step 1 @everyone'],
    final: false,
    ...overrides,
  };
}

/** A session in a thread (the mention's), its first turn over. */
async function sessionInThread(harness: DiscordHarness) {
  harness.llm.enqueue({ text: 'Launched it.' });
  const mention = harness.discord.gateway.sendMessage({ content: 'train a model', mentionsBot: true });
  const thread = await eventually(() => harness.discord.threads.find((t) => t.id === mention.id));
  await eventually(() =>
    harness.discord.channelMessages(thread.id).some((m) => m.content.includes('Launched it.')),
  );
  const sessionId = (await harness.app.threadSession({
    platform: 'discord',
    channel: thread.id,
    thread: thread.id,
  }))!;
  return { thread, sessionId };
}

/** The job card of `jobId` in the thread, once it is there. */
function cardOf(harness: DiscordHarness, threadId: string, jobId = JOB): Promise<FakeDiscordMessage> {
  return eventually(() =>
    harness.discord.channelMessages(threadId).find((m) => m.content.includes(`job \`${jobId}\``)),
  );
}

const cancelId = (sessionId: string) => customId({ verb: 'cancel_job', sessionId, jobId: JOB });

describe('discord job cards', () => {
  it('posts one card with Cancel, coalesces a quick update, and ends without the button', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const { thread, sessionId } = await sessionInThread(h);
    await h.app.events.emit(sessionId, job());
    const card = await cardOf(h, thread.id);
    expect(JSON.stringify(card.components)).toContain(cancelId(sessionId));
    expect(card.content).toContain('🏃 **RUNNING**');
    expect(card.content).toContain('a10g-small · $0.01');
    expect(card.content).toContain(`<https://huggingface.co/jobs/alice-org/${JOB}>`);
    // The card's id is stored once Discord has answered the post, which is after the fake saw it.
    const stored = await eventually(() => harness.app.adapterState('discord').get(sessionId, `job:${JOB}`));
    expect(JSON.parse(stored)).toMatchObject({ messageId: card.id, namespace: 'alice-org' });

    // Same stage a second later: no edit now; the final update is the card's one edit.
    await h.app.events.emit(sessionId, job({ elapsedSeconds: 31, logTail: ['step 2 quick'] }));
    await h.app.events.emit(
      sessionId,
      job({ stage: 'COMPLETED', final: true, elapsedSeconds: 40, costSoFarUsd: 0.02, logTail: ['done'] }),
    );
    await eventually(() => harness.discord.message(card.id)?.content.includes('COMPLETED'));
    const final = h.discord.message(card.id)!;
    expect(final.edits).toHaveLength(1);
    expect(final.contentHistory.some((c) => c.includes('step 2 quick'))).toBe(false);
    expect(final.components).toEqual([]);
    expect(final.content).toContain('✅ **COMPLETED**');
    expect(h.discord.channelMessages(thread.id).filter((m) => m.content.includes(JOB))).toHaveLength(1);
    // The log line's @everyone pinged nobody: every write of the card parsed no mentions.
    const writes = h.discord.messageWrites().filter((w) => w.content?.includes(JOB));
    expect(writes.length).toBe(2);
    expect(writes.every((w) => w.allowedMentions?.parse?.length === 0 && !w.pings.everyone)).toBe(true);
  });

  it('edits at once when the stage changes', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const { thread, sessionId } = await sessionInThread(h);
    await h.app.events.emit(sessionId, job({ stage: 'SCHEDULING', elapsedSeconds: 0, logTail: [] }));
    const card = await cardOf(h, thread.id);
    expect(card.content).toContain('⏳ **SCHEDULING**');
    const sent = Date.now();
    await h.app.events.emit(sessionId, job({ elapsedSeconds: 2 }));
    // Well inside the 10 s a same-stage update waits.
    await eventually(() => harness.discord.message(card.id)?.content.includes('🏃 **RUNNING**'), 5_000);
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(h.discord.message(card.id)?.edits).toHaveLength(1);
    expect(JSON.stringify(h.discord.message(card.id)?.components)).toContain(cancelId(sessionId));
  });

  it("submits cancel_job on the owner's click; a stranger is refused privately and nothing is sent", async () => {
    h = await startDiscordHarness();
    const harness = h;
    const { thread, sessionId } = await sessionInThread(h);
    const submit = vi.spyOn(h.app, 'submit');
    await h.app.events.emit(sessionId, job());
    const card = await cardOf(h, thread.id);

    const stranger = h.discord.gateway.clickButton({
      user: DISCORD_IDS.bob,
      messageId: card.id,
      customId: cancelId(sessionId),
    });
    await harness.discord.waitForCallback(stranger.id);
    await eventually(() =>
      harness.discord.messages.some(
        (m) => m.ephemeral && m.content.includes('or an approver can cancel this job'),
      ),
    );
    expect(
      h.logs.some((l) => l.msg === 'job cancel refused' && l.user === DISCORD_IDS.bob && l.jobId === JOB),
    ).toBe(true);

    const owner = h.discord.gateway.clickButton({ messageId: card.id, customId: cancelId(sessionId) });
    await eventually(() => submit.mock.calls.length > 0);
    expect(submit.mock.calls).toEqual([
      [sessionId, { type: 'cancel_job', namespace: 'alice-org', jobId: JOB }, DISCORD_IDS.alice],
    ]);
    const callback = await harness.discord.waitForCallback(owner.id);
    expect(callback.latencyMs).toBeLessThan(3_000);
    await eventually(() =>
      harness.discord.messages.some((m) => m.ephemeral && m.content.includes(`Cancelling job \`${JOB}\``)),
    );
    // The worker ran the operation: this test app has no HF token, so it says why it could not cancel;
    // the Cancel is no turn, so no status message came with it.
    await eventually(() =>
      harness.discord.channelMessages(thread.id).some((m) => m.content.includes('cannot be cancelled')),
    );
    const texts = h.discord.channelMessages(thread.id).map((m) => m.content);
    expect(texts.filter((t) => t.startsWith('⚠️ Stopped') || t.startsWith('⏳ Working'))).toEqual([]);
  });

  it('lets a configured approver cancel', async () => {
    h = await startDiscordHarness({
      config: testConfig({ approval: { approvers: [DISCORD_IDS.bob] } }),
    });
    const { thread, sessionId } = await sessionInThread(h);
    const submit = vi.spyOn(h.app, 'submit');
    await h.app.events.emit(sessionId, job());
    const card = await cardOf(h, thread.id);
    h.discord.gateway.clickButton({
      user: DISCORD_IDS.bob,
      messageId: card.id,
      customId: cancelId(sessionId),
    });
    await eventually(() => submit.mock.calls.length > 0);
    expect(submit.mock.calls[0]?.[1]).toEqual({ type: 'cancel_job', namespace: 'alice-org', jobId: JOB });
    expect(submit.mock.calls[0]?.[2]).toBe(DISCORD_IDS.bob);
  });

  it('drops the card of a deleted thread with a log line and ignores its later updates', async () => {
    h = await startDiscordHarness();
    const harness = h;
    const { thread, sessionId } = await sessionInThread(h);
    await h.app.events.emit(sessionId, job({ stage: 'SCHEDULING' }));
    const card = await cardOf(h, thread.id);
    h.discord.world.channels.delete(thread.id);
    const edits = () => harness.discord.callsTo('PATCH /channels/:id/messages/:id').length;
    const editsBefore = edits();

    await h.app.events.emit(sessionId, job()); // a new stage: tried at once, 404 Unknown Channel
    await eventually(() =>
      harness.logs.some((l) => l.msg?.includes('job card dropped') && l.jobId === JOB && l.code === 10003),
    );
    expect(edits()).toBe(editsBefore + 1);
    await h.app.events.emit(sessionId, job({ stage: 'ERROR', final: true }));
    // The sentinel: another job's first update, after the ignored one, fails to post and is dropped too.
    await h.app.events.emit(sessionId, job({ jobId: 'other-job', stage: 'SCHEDULING' }));
    await eventually(() =>
      harness.logs.some((l) => l.msg?.includes('job card dropped') && l.jobId === 'other-job'),
    );
    expect(edits()).toBe(editsBefore + 1);
    expect(h.logs.filter((l) => l.msg?.includes('job card dropped') && l.jobId === JOB)).toHaveLength(1);
    const stored = JSON.parse((await h.app.adapterState('discord').get(sessionId, `job:${JOB}`))!) as object;
    expect(stored).toMatchObject({ messageId: card.id, dropped: true });
    expect(h.adapter.connected()).toBe(true);
  });
});
