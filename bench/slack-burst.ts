import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from '../tests/fakes/fake-anthropic.js';
import { Worker } from 'node:worker_threads';
import { BURST_SENDER_SOURCE, type BurstSent } from './burst-sender.js';
import { BurstTimeline } from './burst-timeline.js';
import {
  appMention,
  eventCallback,
  signedRequest,
  startFakeSlack,
  DEFAULT_IDENTITY,
} from '../tests/fakes/fake-slack.js';
import type { CleanupStack } from './cleanup-stack.js';
import { freePort } from '../src/cli/free-port.js';
import { processGroupRss } from './process-group-rss.js';
import { progress } from './progress.js';
import { deletePrefix } from './redis-keys.js';
import { percentile, round } from './stats.js';

const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const SIGNING_SECRET = 'bench-burst-signing-secret';
const ANSWER = 'Burst answer.';
const MB = 1024 * 1024;
/** Slack retries an event that is not acknowledged within this long. */
const SLACK_ACK_DEADLINE_MS = 3_000;
const WARM_UP_MENTIONS = 5;

export interface SlackBurstResult extends Record<string, number> {
  mentions: number;
  llmDelayS: number;
  slowestAckMs: number;
  p99AckMs: number;
  p50AckMs: number;
  acksOver3s: number;
  wallS: number;
  wallRatio: number;
  slackCallsPerThread: number;
  peakRssMb: number;
  workerProcesses: number;
  /** Worker processes × `worker.concurrency`: turns that can run at once. */
  turnSlots: number;
}

/**
 * (i) `mentions` signed Slack mentions POSTed at once to the real `start` command (its own process,
 * Slack HTTP mode, its worker processes), each in a thread of its own, with a model that answers
 * after `llmDelayMs`: how long each POST waited for its ack, how long from the first POST until
 * every thread had its answer (against the model's delay, the ideal), the Slack calls per thread,
 * and the peak RSS of the whole process group (the command and its workers). Five mentions answered
 * one by one come first (see `warmUp`).
 */
export async function measureSlackBurst(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  options: { mentions: number; llmDelayMs: number },
): Promise<SlackBurstResult> {
  const slack = await startFakeSlack();
  cleanup.push('fake slack (i)', () => slack.close());
  const llm = await startFakeAnthropic();
  cleanup.push('fake anthropic (i)', () => llm.close());
  llm.setDefault(() => ({ text: ANSWER, delayMs: options.llmDelayMs }));

  const dir = mkdtempSync(join(tmpdir(), 'mlib-bench-burst-'));
  cleanup.push('work dir (i)', () => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  const config = join(dir, 'config.json');
  const turnsPerProcess = Math.ceil(options.mentions / availableParallelism());
  writeFileSync(
    config,
    JSON.stringify({
      redis: { prefix },
      // Turn slots for the whole burst (processes × concurrency ≥ mentions): the 1 s ideal means
      // every thread's turn waits on the model at once. With the default 50 a process, 200 threads
      // on 2 processes ran in two waves and could not come in under 2 s whatever the gateway did.
      worker: { concurrency: turnsPerProcess },
      skills: [],
      mcpServers: {},
      code: { workspaceRoot: join(dir, 'workspaces') },
    }),
  );
  const port = await freePort();
  // BENCH_START_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the command (its workers too).
  const extra = (process.env.BENCH_START_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...extra, '--import', TSX, MAIN, 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      LOG_LEVEL: 'warn',
      GITHUB_API_URL: 'http://127.0.0.1:9',
      REDIS_URL: redisUrl,
      ML_INTERN_CONFIG: config,
      PORT: String(port),
      ANTHROPIC_API_KEY: 'sk-ant-bench',
      ANTHROPIC_BASE_URL: llm.url,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const stderrTail: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderrTail.push(...d.toString().split('\n').slice(-5)));
  cleanup.push('start command (i)', () => stopChild(child));
  cleanup.push('keys (i)', async () => void (await deletePrefix(redisUrl, prefix)));
  const base = `http://127.0.0.1:${port}`;
  await untilReady(base, child, stderrTail);
  const rss = processGroupRss(child.pid!, 50);
  cleanup.push('rss sampler (i)', () => Promise.resolve(rss.stop()));
  // Node processes only: tsx's esbuild service is in the group too.
  const workers = rss.pids().filter((pid) => pid !== child.pid && isNode(pid)).length;
  progress(
    `(i) start is ready (pid ${child.pid}, ${workers} worker processes); sending ${options.mentions} mentions`,
  );

  await warmUp(base, slack, WARM_UP_MENTIONS);
  const mentions = Array.from({ length: options.mentions }, (_, i) =>
    appMention({
      user: `U${i % 20}`,
      channel: `C${i % 10}`,
      text: `<@${DEFAULT_IDENTITY.botUserId}> burst ${i}`,
    }),
  );
  // Slack holds each message before it tells the app, so the bot's reaction finds it.
  for (const m of mentions) slack.workspace.recordUserEvent(eventCallback(m));
  const timeline = BurstTimeline.enabled()
    ? new BurstTimeline({ command: child.pid!, all: rss.pids() })
    : undefined;
  const callsBefore = slack.calls.length;
  const answered = new Map<string, number>();
  const sender = new Worker(BURST_SENDER_SOURCE, {
    eval: true,
    workerData: {
      url: `${base}/slack/events`,
      secret: SIGNING_SECRET,
      bodies: mentions.map((m) => JSON.stringify(eventCallback(m))),
    },
  });
  cleanup.push('sender thread (i)', async () => void (await sender.terminate()));
  await once(sender, 'online');
  const sent = once(sender, 'message') as Promise<[BurstSent]>;
  const watching = watchAnswers(slack, mentions, answered, 60_000);
  sender.postMessage('go');
  const [{ startedAt, results, error }] = await sent;
  if (error !== undefined) throw new Error(`(i) sending the mentions failed: ${error}`);
  const refused = results.filter((r) => r.status !== 200);
  if (refused.length > 0)
    throw new Error(`(i) ${refused.length} mentions were answered ${refused[0]!.status}`);
  const acks = results.map((r) => r.ms);
  await watching;
  const wallMs = Math.max(...answered.values()) - startedAt;
  const peakRss = rss.peak();
  const slackCalls = slack.calls.length - callsBefore;
  const byMethod = new Map<string, number>();
  for (const call of slack.calls.slice(callsBefore))
    byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
  progress(`(i) Slack calls: ${[...byMethod].map(([m, n]) => `${m} ${n}`).join(', ')}`);
  await timeline?.print({
    startedAt,
    redisUrl,
    prefix,
    llmRequests: llm.requests,
    slackCalls: slack.calls.slice(callsBefore),
    answeredAt: answered.values(),
    threadOfText: new Map(mentions.map((m, i) => [`burst ${i}`, m.ts])),
  });
  return {
    mentions: options.mentions,
    llmDelayS: options.llmDelayMs / 1000,
    slowestAckMs: round(Math.max(...acks), 1),
    p99AckMs: round(percentile(acks, 0.99), 1),
    p50AckMs: round(percentile(acks, 0.5), 1),
    acksOver3s: acks.filter((ms) => ms > SLACK_ACK_DEADLINE_MS).length,
    wallS: round(wallMs / 1000),
    wallRatio: round(wallMs / options.llmDelayMs, 2),
    slackCallsPerThread: round(slackCalls / options.mentions, 1),
    peakRssMb: round(peakRss / MB, 1),
    workerProcesses: workers,
    turnSlots: workers * turnsPerProcess,
  };
}

/**
 * A few mentions one after another, each answered, before the burst: a gateway that has run for a
 * while has loaded and compiled its code paths, and a burst's acks should not measure that.
 */
async function warmUp(base: string, slack: Awaited<ReturnType<typeof startFakeSlack>>, count: number) {
  for (let i = 0; i < count; i++) {
    const mention = appMention({
      user: 'UWARM',
      channel: 'CWARM',
      text: `<@${DEFAULT_IDENTITY.botUserId}> warm-up ${i}`,
    });
    slack.workspace.recordUserEvent(eventCallback(mention));
    const res = await signedRequest(`${base}/slack/events`, eventCallback(mention), {
      signingSecret: SIGNING_SECRET,
    });
    if (res.status !== 200) throw new Error(`(i) a warm-up mention was answered ${res.status}`);
    await watchAnswers(slack, [mention], new Map(), 30_000);
  }
}

/**
 * Resolves when every mention's thread shows the answer, recording when each did: the arrival of
 * the Web API call that made it show (the fake's stamp), not when this loop looked. Each look reads
 * only the calls since the last one, so watching 200 threads costs the shared cores next to nothing.
 */
async function watchAnswers(
  slack: Awaited<ReturnType<typeof startFakeSlack>>,
  mentions: Array<ReturnType<typeof appMention>>,
  answered: Map<string, number>,
  timeoutMs: number,
): Promise<void> {
  const waiting = new Set(mentions.map((m) => `${m.channel}/${m.ts}`));
  const deadline = performance.now() + timeoutMs;
  let seen = 0;
  while (answered.size < mentions.length) {
    if (performance.now() > deadline)
      throw new Error(`(i) only ${answered.size}/${mentions.length} threads answered in ${timeoutMs} ms`);
    const calls = slack.calls;
    for (; seen < calls.length; seen++) {
      const call = calls[seen]!;
      const channel = call.args.channel;
      if (typeof channel !== 'string') continue;
      const threadTs = threadOf(slack, channel, call.args);
      if (threadTs === undefined || !waiting.has(`${channel}/${threadTs}`)) continue;
      // The call that carries the whole answer and after which the thread shows it.
      const shows = slack.thread(channel, threadTs).some((msg) => msg.text.includes(ANSWER));
      if (shows && JSON.stringify(call.args).includes(ANSWER)) {
        waiting.delete(`${channel}/${threadTs}`);
        answered.set(threadTs, call.at);
      }
    }
    await sleep(5);
  }
}

/** The thread a call wrote in: its `thread_ts`, or the thread of the message it edited. */
function threadOf(
  slack: Awaited<ReturnType<typeof startFakeSlack>>,
  channel: string,
  args: Record<string, unknown>,
): string | undefined {
  if (typeof args.thread_ts === 'string') return args.thread_ts;
  if (typeof args.ts !== 'string') return undefined;
  const message = slack.workspace.get(channel, args.ts);
  return message?.threadTs ?? message?.ts;
}

function isNode(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return false;
  }
}

async function untilReady(base: string, child: ChildProcess, stderrTail: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`(i) start exited ${child.exitCode}: ${stderrTail.join(' | ')}`);
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return;
    await sleep(100);
  }
  throw new Error(`(i) start not ready in 90 s: ${stderrTail.slice(-5).join(' | ')}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
