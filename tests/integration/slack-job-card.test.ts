import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import type { Config } from '../../src/config/schema.js';
import type { EventBody } from '../../src/core/events.js';
import type { Operation } from '../../src/core/operations.js';
import { createRedactor, REDACTED } from '../../src/core/redact.js';
import { startSlackAdapter, type RunningSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { JOB_CANCEL_ACTION, JOB_CARD_INTERVAL_MS } from '../../adapters/slack/job-card.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  appMention,
  blockAction,
  eventCallback,
  startFakeSlack,
  DEFAULT_IDENTITY,
  type FakeMessage,
  type FakeSlack,
} from '../fakes/fake-slack.js';
import { capturedLogger, type CapturedLogger } from '../helpers/captured-logger.js';
import { startFakeApp } from '../helpers/fake-app.js';
import { APP_TOKEN, BOT_TOKEN, eventually } from '../helpers/slack-harness.js';
import { cleanup, testConfig, waitForEvent } from '../helpers/test-app.js';

const BOT = DEFAULT_IDENTITY.botUserId;
/** A token of the Hub's shape, as a job's output might print it: the redactor knows the shape. */
const HF_TOKEN = `hf_${'Zq9Xw8Vu7T'.repeat(3)}`;

type JobUpdateBody = Extract<EventBody, { type: 'job_update' }>;
interface Submitted {
  sessionId: string;
  op: Operation;
  userId: string | undefined;
}

/**
 * The real app and Slack adapter with loopback Slack and Anthropic, as the Slack harness builds
 * them, plus: a gateway that records what the adapter submits, a captured log, the process's
 * redactor, and an adapter restart.
 */
interface JobCardWorld {
  slack: FakeSlack;
  app: App;
  log: CapturedLogger;
  submitted: Submitted[];
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function startWorld(config: Config = testConfig()): Promise<JobCardWorld> {
  const slack = await startFakeSlack({ botToken: BOT_TOKEN, appToken: APP_TOKEN });
  const llm: FakeAnthropic = await startFakeAnthropic();
  const app = await startFakeApp(llm, { config });
  llm.setDefault(() => ({ text: 'On it.' }));
  const log = capturedLogger();
  const submitted: Submitted[] = [];
  const gateway = new Proxy(app, {
    get(target, prop) {
      if (prop === 'submit')
        return (sessionId: string, op: Operation, userId?: string) => {
          submitted.push({ sessionId, op, userId });
          return target.submit(sessionId, op, userId);
        };
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  let connections = 0;
  const start = async (): Promise<RunningSlackAdapter> => {
    const adapter = await startSlackAdapter({
      gateway,
      botToken: BOT_TOKEN,
      appToken: APP_TOKEN,
      apiUrl: slack.apiUrl,
      access: config.access,
      approvers: config.approval.approvers,
      streaming: false,
      maxFileBytes: 10_000,
      logger: log.logger,
      redact: createRedactor([]),
    });
    connections += 1;
    await slack.socket.connected({ count: connections });
    return adapter;
  };
  let adapter = await start();
  return {
    slack,
    app,
    log,
    submitted,
    restart: async () => {
      await adapter.stop();
      adapter = await start();
    },
    close: async () => {
      await adapter.stop();
      await cleanup(app);
      await llm.close();
      await slack.close();
    },
  };
}

let world: JobCardWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** A session started by U_OWNER in C1, its first answer delivered. */
async function sessionInThread(w: JobCardWorld) {
  const mention = appMention({ user: 'U_OWNER', channel: 'C1', text: `<@${BOT}> train a model` });
  await w.slack.socket.sendEventsApi(eventCallback(mention));
  await eventually(() => w.slack.thread('C1', mention.ts).some((m) => m.text === 'On it.'));
  const sessionId = await w.app.threadSession({ platform: 'slack', channel: 'C1', thread: mention.ts });
  return { threadTs: mention.ts, sessionId: sessionId! };
}

function jobUpdate(over: Partial<JobUpdateBody> = {}): JobUpdateBody {
  return {
    type: 'job_update',
    namespace: 'alice',
    jobId: 'job123',
    url: 'https://huggingface.co/jobs/alice/job123',
    stage: 'RUNNING',
    flavor: 'a10g-small',
    elapsedSeconds: 30,
    costSoFarUsd: 0.02,
    logTail: ['step 1 loss 2.31'],
    final: false,
    ...over,
  };
}

const cardsIn = (w: JobCardWorld, threadTs: string): FakeMessage[] =>
  w.slack.thread('C1', threadTs).filter((m) => m.text.startsWith('HF job '));
const editsOf = (w: JobCardWorld, ts: string) =>
  w.slack.callsOf('chat.update').filter((c) => c.args.ts === ts);
const blocksOf = (m: FakeMessage | undefined) => JSON.stringify(m?.blocks ?? []);

/** The Cancel button's value on a card, as Slack would send it back. */
function cancelValueOf(card: FakeMessage): string {
  const elements = (card.blocks ?? []).flatMap((b) => (b as { elements?: unknown[] }).elements ?? []);
  const button = elements.find((e) => (e as { action_id?: string }).action_id === JOB_CANCEL_ACTION);
  expect(button).toBeDefined();
  return (button as { value: string }).value;
}

function clickCancel(
  w: JobCardWorld,
  o: { user: string; card: FakeMessage; threadTs: string; value?: string },
) {
  return w.slack.socket.sendInteractive(
    blockAction({
      user: o.user,
      channel: 'C1',
      messageTs: o.card.ts,
      threadTs: o.threadTs,
      actionId: JOB_CANCEL_ACTION,
      value: o.value ?? cancelValueOf(o.card),
    }),
  );
}

/** Something the renderer posts after the events before it: proof that they were handled. */
async function barrier(w: JobCardWorld, sessionId: string, threadTs: string, word: string) {
  await w.app.events.emit(sessionId, { type: 'error', code: 'test_barrier', message: word });
  await eventually(() => w.slack.thread('C1', threadTs).some((m) => m.text.includes(word)));
}

describe('slack: live job cards', () => {
  it('posts one card with Cancel; an update within 10 s is no edit; the final update edits it without the button', async () => {
    world = await startWorld();
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    await w.app.events.emit(sessionId, jobUpdate());
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    const first = blocksOf(card);
    expect(first).toContain(JOB_CANCEL_ACTION);
    expect(first).toContain('🏃 Running');
    expect(first).toContain('a10g-small');
    expect(first).toContain('$0.02 so far');
    expect(first).toContain('step 1 loss 2.31');
    expect(first).toContain('<https://huggingface.co/jobs/alice/job123|alice/job123>');

    // Same stage, well within 10 s of the post: coalesced away.
    await w.app.events.emit(sessionId, jobUpdate({ elapsedSeconds: 35, logTail: ['step 2 loss 2.10'] }));
    await w.app.events.emit(
      sessionId,
      jobUpdate({
        stage: 'COMPLETED',
        final: true,
        elapsedSeconds: 40,
        costSoFarUsd: 0.03,
        logTail: ['step 3 loss 1.90', 'pushed to alice/model'],
      }),
    );
    await eventually(() => w.slack.message('C1', card.ts)?.text.includes('COMPLETED'));
    expect(editsOf(w, card.ts)).toHaveLength(1);
    const final = w.slack.message('C1', card.ts)!;
    expect(final.history.some((v) => JSON.stringify(v.blocks).includes('step 2'))).toBe(false);
    expect(blocksOf(final)).not.toContain(JOB_CANCEL_ACTION);
    expect(blocksOf(final)).toContain('✅ Completed');
    expect(blocksOf(final)).toContain('pushed to alice/model');

    // A straggler after the end changes nothing; the card stays the thread's only one for the job.
    await w.app.events.emit(sessionId, jobUpdate({ elapsedSeconds: 41 }));
    await barrier(w, sessionId, threadTs, 'after the straggler');
    expect(editsOf(w, card.ts)).toHaveLength(1);
    expect(cardsIn(w, threadTs)).toHaveLength(1);
  });

  it('edits at once on a stage change, and keeps editing the same card after a restart', async () => {
    world = await startWorld();
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'SCHEDULING', elapsedSeconds: 0 }));
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    const posted = w.slack.callsOf('chat.postMessage').find((c) => c.response.ts === card.ts)!;
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'RUNNING', elapsedSeconds: 3 }));
    await eventually(() => blocksOf(w.slack.message('C1', card.ts)).includes('🏃 Running'));
    const [edit] = editsOf(w, card.ts);
    expect(edit!.at - posted.at).toBeLessThan(JOB_CARD_INTERVAL_MS);

    await w.restart();
    await w.app.events.emit(
      sessionId,
      jobUpdate({ stage: 'ERROR', final: true, message: 'CUDA out of memory' }),
    );
    await eventually(() => blocksOf(w.slack.message('C1', card.ts)).includes('❌ Error'));
    expect(blocksOf(w.slack.message('C1', card.ts))).toContain('CUDA out of memory');
    expect(editsOf(w, card.ts)).toHaveLength(2);
    expect(cardsIn(w, threadTs)).toHaveLength(1);
  });

  it('lets the owner cancel (one cancel_job in their name), and refuses a stranger with an ephemeral note', async () => {
    world = await startWorld(testConfig({ approval: { approvers: ['U_APPROVER'] } }));
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    await w.app.events.emit(sessionId, jobUpdate());
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    const value = cancelValueOf(card);
    const cancels = () => w.submitted.filter((s) => s.op.type === 'cancel_job');

    const logged = w.log.lines.length;
    await clickCancel(w, { user: 'U_STRANGER', card, threadTs });
    const refusal = await eventually(() => w.slack.workspace.ephemerals.find((e) => e.user === 'U_STRANGER'));
    expect(refusal.text).toBe('Only <@U_OWNER> or an approver can cancel this job.');
    await w.log.waitFor((l) => l.msg === 'job cancel refused: not the owner or an approver', {
      after: logged,
    });
    expect(cancels()).toEqual([]);

    // The same button replayed on another message of the thread is not this job's card.
    const other = w.slack.thread('C1', threadTs).find((m) => m.text === 'On it.')!;
    await clickCancel(w, { user: 'U_OWNER', card: other, threadTs, value });
    await eventually(() =>
      w.slack.workspace.ephemerals.find((e) => e.user === 'U_OWNER' && /does not belong/.test(e.text)),
    );
    expect(cancels()).toEqual([]);

    await clickCancel(w, { user: 'U_OWNER', card, threadTs });
    await eventually(() =>
      w.slack.workspace.ephemerals.find((e) => e.user === 'U_OWNER' && e.text === 'Cancelling…'),
    );
    expect(cancels()).toEqual([
      { sessionId, op: { type: 'cancel_job', namespace: 'alice', jobId: 'job123' }, userId: 'U_OWNER' },
    ]);
    // It reached the session's worker as an operation of its own.
    await waitForEvent(w.app, sessionId, (e) => e.type === 'operation_complete' && e.opType === 'cancel_job');

    // A double click (here: the approver right after) is told, not submitted again.
    await clickCancel(w, { user: 'U_APPROVER', card, threadTs });
    await eventually(() =>
      w.slack.workspace.ephemerals.find((e) => e.user === 'U_APPROVER' && /Already cancelling/.test(e.text)),
    );
    expect(cancels()).toHaveLength(1);

    // Once the job has ended its card has no button, and an old click is answered.
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'CANCELED', final: true }));
    await eventually(() => !blocksOf(w.slack.message('C1', card.ts)).includes(JOB_CANCEL_ACTION));
    await clickCancel(w, { user: 'U_OWNER', card, threadTs, value });
    await eventually(() =>
      w.slack.workspace.ephemerals.find((e) => e.user === 'U_OWNER' && /already ended/.test(e.text)),
    );
    expect(cancels()).toHaveLength(1);
  });

  it('lets an approver cancel', async () => {
    world = await startWorld(testConfig({ approval: { approvers: ['U_APPROVER'] } }));
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    await w.app.events.emit(sessionId, jobUpdate());
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    await clickCancel(w, { user: 'U_APPROVER', card, threadTs });
    await eventually(() =>
      w.slack.workspace.ephemerals.find((e) => e.user === 'U_APPROVER' && e.text === 'Cancelling…'),
    );
    expect(w.submitted.filter((s) => s.op.type === 'cancel_job').map((s) => s.userId)).toEqual([
      'U_APPROVER',
    ]);
  });

  it('drops a card whose thread is gone, with a log line, and ignores the job after', async () => {
    world = await startWorld();
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    await w.app.events.emit(sessionId, jobUpdate());
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    w.slack.message('C1', card.ts)!.deleted = true; // the thread was deleted, the card with it
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'ERROR' }));
    const dropped = await w.log.waitFor((l) => l.msg === 'job card dropped: its thread or channel is gone');
    expect(dropped).toMatchObject({ jobId: 'job123', error: 'message_not_found' });
    const tried = editsOf(w, card.ts).length;
    expect(tried).toBe(1);
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'ERROR', final: true }));
    await barrier(w, sessionId, threadTs, 'after the drop');
    expect(editsOf(w, card.ts)).toHaveLength(tried);
    expect(
      w.slack.callsOf('chat.postMessage').filter((c) => String(c.args.text).startsWith('HF job')),
    ).toHaveLength(1);

    // A channel deleted before the first card: the post is refused, and the job is dropped too.
    w.slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    await w.app.events.emit(sessionId, jobUpdate({ jobId: 'job456' }));
    await w.log.waitFor(
      (l) => l.msg === 'job card dropped: its thread or channel is gone' && l.jobId === 'job456',
    );
    await w.app.events.emit(sessionId, jobUpdate({ jobId: 'job456', stage: 'COMPLETED', final: true }));
    await barrier(w, sessionId, threadTs, 'after the second drop');
    const jobPosts = w.slack
      .callsOf('chat.postMessage')
      .filter((c) => String(c.args.text).includes('job456'));
    expect(jobPosts).toHaveLength(1);
    expect(w.slack.callsOf('chat.update').some((c) => String(c.args.text).includes('job456'))).toBe(false);
  });

  it('never sends a token the job printed: the redacting client removes it from every call', async () => {
    world = await startWorld();
    const w = world;
    const { sessionId, threadTs } = await sessionInThread(w);
    const logTail = [`login with ${HF_TOKEN}`, `HF_TOKEN=${HF_TOKEN} python train.py`];
    await w.app.events.emit(sessionId, jobUpdate({ logTail, message: `bad token ${HF_TOKEN}` }));
    const card = await eventually(() => cardsIn(w, threadTs)[0]);
    await w.app.events.emit(sessionId, jobUpdate({ stage: 'ERROR', final: true, logTail }));
    await eventually(() => w.slack.message('C1', card.ts)?.text.includes('ERROR'));
    expect(blocksOf(w.slack.message('C1', card.ts))).toContain(REDACTED);
    expect(JSON.stringify(w.slack.calls.map((c) => c.args))).not.toContain(HF_TOKEN);
    expect(JSON.stringify(w.slack.calls)).not.toContain(HF_TOKEN.slice(0, 12));
    // The redaction is on the way to Slack: the stored event still has it.
    const { events } = await waitForEvent(w.app, sessionId, (e) => e.type === 'job_update');
    expect(JSON.stringify(events)).toContain(HF_TOKEN);
  });
});
