import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { customId, parseCustomId } from '../../adapters/discord/custom-ids.js';
import type { DiscordContent } from '../../adapters/discord/discord-views.js';
import type { DiscordContext } from '../../adapters/discord/discord-context.js';
import { cancelJobFromCard } from '../../adapters/discord/job-cancel.js';
import { JobCardState } from '../../adapters/discord/job-card-state.js';
import { jobCardMessage, logBlock } from '../../adapters/discord/job-card.js';
import { isGone, JobCards } from '../../adapters/discord/job-cards.js';
import type { EditableTarget } from '../../adapters/shared/coalesced-edits.js';
import {
  cleanLogLine,
  elapsedText,
  jobCostText,
  type JobUpdate,
} from '../../adapters/shared/job-update-text.js';
import type { ClickSite } from '../../adapters/shared/approval-flow.js';
import type { AdapterStateStore, SessionSummary } from '../../src/core/agent-gateway.js';
import { eventually } from '../helpers/slack-harness.js';

const SESSION = '0f6b1c1e-4a53-4d1c-9a55-1b7f4c5b8e01';
const JOB = '6841c0ffee0123456789abcd';

function update(overrides: Partial<JobUpdate> = {}): JobUpdate {
  return {
    type: 'job_update',
    namespace: 'alice',
    jobId: JOB,
    url: `https://huggingface.co/jobs/alice/${JOB}`,
    stage: 'RUNNING',
    flavor: 'a10g-small',
    elapsedSeconds: 192,
    costSoFarUsd: 0.0533,
    logTail: ['loading model', 'step 10/100 loss=1.23'],
    final: false,
    ...overrides,
  };
}

/** The custom ids of a message's buttons. */
function buttonIds(content: DiscordContent): string[] {
  return (
    JSON.stringify(content.components ?? [])
      .match(/"custom_id":"[^"]+"/g)
      ?.map((m) => m.slice('"custom_id":"'.length, -1)) ?? []
  );
}

describe('job card text', () => {
  it('shows stage, elapsed time, flavor, cost, the log tail and a link, with a Cancel button', () => {
    const card = jobCardMessage(SESSION, update());
    expect(card.content).toContain(`🏃 **RUNNING** · job \`${JOB}\` · 3m12s · a10g-small · $0.05`);
    expect(card.content).toContain('```\nloading model\nstep 10/100 loss=1.23\n```');
    expect(card.content).toContain(`<https://huggingface.co/jobs/alice/${JOB}>`);
    const ids = buttonIds(card);
    expect(ids).toEqual([customId({ verb: 'cancel_job', sessionId: SESSION, jobId: JOB })]);
    expect(parseCustomId(ids[0]!)).toEqual({ verb: 'cancel_job', sessionId: SESSION, jobId: JOB });
  });

  it('says "cost unknown" for an unpriced flavor and drops the button once final', () => {
    const card = jobCardMessage(
      SESSION,
      update({ stage: 'ERROR', final: true, costSoFarUsd: null, message: 'exit code 1' }),
    );
    expect(card.content).toContain('❌ **ERROR**');
    expect(card.content).toContain('cost unknown');
    expect(card.content).toContain('> exit code 1');
    expect(card.components).toEqual([]);
  });

  it('fits 2,000 characters with long, hostile logs, keeping the newest lines in one code block', () => {
    const logTail = Array.from({ length: 60 }, (_, i) => `line ${i} ${'x'.repeat(400)} \`\`\` end`);
    logTail.push('\u001b[32mlast line\u001b[0m');
    const card = jobCardMessage(SESSION, update({ logTail, message: 'm'.repeat(5_000) }));
    expect(card.content.length).toBeLessThanOrEqual(2_000);
    expect(card.content).toContain('last line\n```');
    expect(card.content).not.toContain('\u001b');
    // Exactly one fence opens and one closes: a log line's backticks cannot close the block.
    expect(card.content.match(/```/g)).toHaveLength(2);
    expect(logBlock(['a'.repeat(50)], 10)).toBeUndefined();
    expect(logBlock([], 100)).toBe('*No log lines yet.*');
  });

  it('cleans log lines and formats time and cost', () => {
    expect(cleanLogLine(' 10%|█         |\r 50%|█████     |\r100%|██████████|\r')).toBe('100%|██████████|');
    expect(cleanLogLine('\u001b[1mbold\u001b[0m\tafter\u0007')).toBe('bold  after');
    expect([45, 192, 7_500, 90_000].map(elapsedText)).toEqual(['45s', '3m12s', '2h05m', '1d01h']);
    expect(jobCostText(1.234)).toBe('$1.23');
    expect(jobCostText(null)).toBe('cost unknown');
  });

  it('leaves out the button when the id would not round-trip, and refuses malformed ids', () => {
    expect(jobCardMessage(SESSION, update({ jobId: 'a:b' })).components).toEqual([]);
    expect(jobCardMessage(SESSION, update({ jobId: 'j'.repeat(100) })).components).toEqual([]);
    expect(parseCustomId(`mlib:cj:${SESSION}`)).toBeUndefined();
    expect(parseCustomId(`mlib:cj:${SESSION}:${JOB}:x`)).toBeUndefined();
  });

  it('tells a deleted channel or message from other Discord errors', () => {
    const error = (code: number, status: number) =>
      new DiscordAPIError({ code, message: 'x' }, code, status, 'PATCH', '/x', { body: undefined });
    expect(isGone(error(10003, 404))).toBe(true);
    expect(isGone(error(10008, 404))).toBe(true);
    expect(isGone(error(50013, 403))).toBe(false);
    expect(isGone(new Error('Unknown Channel'))).toBe(false);
  });
});

/** A Discord channel in memory: posts and edits, and a switch that makes it answer 404. */
class MemoryChannel implements EditableTarget<DiscordContent> {
  readonly posts: DiscordContent[] = [];
  readonly edits: Array<{ id: string; content: DiscordContent }> = [];
  gone = false;
  post(content: DiscordContent): Promise<string | undefined> {
    if (this.gone) return Promise.reject(unknownChannel());
    this.posts.push(content);
    return Promise.resolve(`m${this.posts.length}`);
  }
  edit(id: string, content: DiscordContent): Promise<void> {
    if (this.gone) return Promise.reject(unknownChannel());
    this.edits.push({ id, content });
    return Promise.resolve();
  }
}

function unknownChannel(): DiscordAPIError {
  return new DiscordAPIError({ code: 10003, message: 'Unknown Channel' }, 10003, 404, 'PATCH', '/x', {
    body: undefined,
  });
}

function memoryState(): AdapterStateStore {
  const data = new Map<string, Map<string, string>>();
  const of = (s: string) => data.get(s) ?? data.set(s, new Map()).get(s)!;
  return {
    get: (s, f) => Promise.resolve(of(s).get(f)),
    getMany: (s, fields) =>
      Promise.resolve(Object.fromEntries(fields.flatMap((f) => (of(s).has(f) ? [[f, of(s).get(f)!]] : [])))),
    set: (s, fields) => {
      for (const [k, v] of Object.entries(fields)) of(s).set(k, v);
      return Promise.resolve();
    },
    delete: (s, ...fields) => {
      for (const f of fields) of(s).delete(f);
      return Promise.resolve();
    },
  };
}

function capture() {
  const lines: Array<{ msg: string; jobId?: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as never);
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

describe('job cards of a session', () => {
  it('posts once, coalesces quick updates into one later edit, and edits at once on a stage change', async () => {
    const channel = new MemoryChannel();
    const cards = new JobCards(SESSION, channel, new JobCardState(memoryState()), capture().logger, 100);
    await cards.update(update({ stage: 'SCHEDULING', elapsedSeconds: 0 }));
    expect(channel.posts).toHaveLength(1);
    await cards.update(update({ elapsedSeconds: 1 })); // a new stage: at once
    expect(channel.edits.map((e) => e.content.content)).toEqual([expect.stringContaining('RUNNING')]);
    await cards.update(update({ elapsedSeconds: 2, logTail: ['two'] }));
    await cards.update(update({ elapsedSeconds: 3, logTail: ['three'] }));
    expect(channel.edits).toHaveLength(1);
    // The interval's one edit carries the latest update only.
    await eventually(() => channel.edits.length === 2);
    expect(channel.edits[1]?.content.content).toContain('three');
    expect(channel.edits.some((e) => e.content.content.includes('two'))).toBe(false);
    await cards.update(update({ stage: 'COMPLETED', final: true }));
    expect(channel.edits.at(-1)?.content.components).toEqual([]);
    await cards.update(update({ elapsedSeconds: 9 }));
    expect(channel.edits).toHaveLength(3);
    expect(channel.posts).toHaveLength(1);
  });

  it('keeps editing the same message after a restart, and ignores a job that ended', async () => {
    const state = new JobCardState(memoryState());
    const channel = new MemoryChannel();
    await new JobCards(SESSION, channel, state, capture().logger).update(update());
    expect(await state.load(SESSION, JOB)).toEqual({ namespace: 'alice', messageId: 'm1' });
    const restarted = new JobCards(SESSION, channel, state, capture().logger);
    await restarted.update(update({ elapsedSeconds: 500 }));
    expect(channel.posts).toHaveLength(1);
    expect(channel.edits.map((e) => e.id)).toEqual(['m1']);
    await restarted.update(update({ stage: 'CANCELED', final: true }));
    expect((await state.load(SESSION, JOB))?.final).toBe(true);
    await new JobCards(SESSION, channel, state, capture().logger).update(update({ elapsedSeconds: 600 }));
    expect(channel.edits).toHaveLength(2);
  });

  it('drops a card whose channel was deleted, with one log line, and ignores its later updates', async () => {
    const state = new JobCardState(memoryState());
    const channel = new MemoryChannel();
    const { lines, logger } = capture();
    const cards = new JobCards(SESSION, channel, state, logger);
    await cards.update(update({ stage: 'SCHEDULING' }));
    channel.gone = true;
    await cards.update(update());
    await cards.update(update({ stage: 'ERROR', final: true }));
    const dropped = lines.filter((l) => l.msg.includes('job card dropped'));
    expect(dropped).toEqual([expect.objectContaining({ jobId: JOB })]);
    await eventually(async () => (await state.load(SESSION, JOB))?.dropped === true);
    expect(channel.edits).toHaveLength(0);
  });
});

describe('a job card Cancel click', () => {
  const THREAD = '1400000000000000001';
  const OWNER = '1300000000000000301';

  async function clickWorld(options: { approvers?: readonly string[] } = {}) {
    const state = memoryState();
    await new JobCardState(state).save(SESSION, JOB, { namespace: 'alice', messageId: 'card1' });
    const claims = new Set<string>();
    const submit = vi.fn((_session: string, _op: unknown, _user: string) => Promise.resolve({ id: 'op1' }));
    const { lines, logger } = capture();
    const summary = {
      id: SESSION,
      owner: OWNER,
      thread: { platform: 'discord', channel: THREAD, thread: THREAD },
    } as SessionSummary;
    const ctx = {
      gateway: {
        session: (id: string) => Promise.resolve(id === SESSION ? summary : undefined),
        adapterState: () => state,
        claimOnce: (key: string) => Promise.resolve(!claims.has(key) && Boolean(claims.add(key))),
        submit,
      },
      approvers: options.approvers ?? 'owner',
      follow: () => Promise.resolve(),
      logger,
    } as unknown as DiscordContext;
    const told: string[] = [];
    const click = (site: Partial<ClickSite> = {}, target = { sessionId: SESSION, jobId: JOB }) =>
      cancelJobFromCard(
        ctx,
        (text) => Promise.resolve(void told.push(text)),
        { platform: 'discord', user: OWNER, channel: THREAD, thread: THREAD, cardId: 'card1', ...site },
        target,
      );
    return { state, submit, lines, told, click };
  }

  it('submits one cancel_job for the owner, with the stored namespace; a double click is told so', async () => {
    const w = await clickWorld();
    await w.click();
    await w.click();
    expect(w.submit.mock.calls).toEqual([
      [SESSION, { type: 'cancel_job', namespace: 'alice', jobId: JOB }, OWNER],
    ]);
    expect(w.told).toEqual([`Cancelling job \`${JOB}\`…`, 'Cancelling that job was already asked for.']);
  });

  it('refuses a stranger, another thread, a replayed id on another message and an ended job', async () => {
    const APPROVER = '1300000000000000399';
    const w = await clickWorld({ approvers: [APPROVER] });
    await w.click({ user: '1300000000000000302' });
    await w.click({ channel: '1400000000000000009', thread: '1400000000000000009' });
    await w.click({ cardId: 'some-other-message' });
    await w.click({}, { sessionId: SESSION, jobId: 'not-a-job-of-this-session' });
    expect(w.submit).not.toHaveBeenCalled();
    await w.click({ user: APPROVER }); // a listed approver may
    expect(w.submit.mock.calls.map((c) => c[2])).toEqual([APPROVER]);
    await new JobCardState(w.state).save(SESSION, JOB, {
      namespace: 'alice',
      messageId: 'card1',
      final: true,
    });
    await w.click({ user: APPROVER });
    expect(w.submit).toHaveBeenCalledTimes(1);
    expect(w.told).toEqual([
      `Only <@${OWNER}> or an approver can cancel this job.`,
      'That button does not belong to this thread.',
      'That button does not belong to this job card.',
      'That button does not belong to this job card.',
      `Cancelling job \`${JOB}\`…`,
      'That job has already ended.',
    ]);
    expect(w.lines.filter((l) => l.msg === 'job cancel refused')).toHaveLength(5);
  });
});
