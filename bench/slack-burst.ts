import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic } from '../tests/fakes/fake-anthropic.js';
import { burstRound, quiet, watchAnswers, type BurstRound } from './burst-round.js';
import {
  appMention,
  eventCallback,
  startFakeSlack,
  DEFAULT_IDENTITY,
  type FakeSlack,
} from '../tests/fakes/fake-slack.js';
import { BurstSender } from './burst-sender.js';
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
/** Bursts per run: one swings by ±0.1 of the ratio on a shared 2-core machine; the median of three less. */
const DEFAULT_ROUNDS = 3;
const IDLE_SOCKETS_GONE_MS = 5_500;

export interface SlackBurstResult extends Record<string, number> {
  mentions: number;
  rounds: number;
  llmDelayS: number;
  slowestAckMs: number;
  p99AckMs: number;
  p50AckMs: number;
  acksOver3s: number;
  wallS: number;
  wallRatio: number;
  /** The first burst after start alone (its code not yet optimised, its heap still growing). */
  firstBurstRatio: number;
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
 * one by one come first (see `warmUp`). The burst is sent `BENCH_I_ROUNDS` times (3), each on new
 * threads once the last has gone quiet and its idle connections have closed: the acks count over
 * all of them, the wall is the median's.
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
      ...(process.env.EXP_LIMIT ? { EXP_LIMIT: process.env.EXP_LIMIT } : {}),
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

  const sender = await BurstSender.start(`${base}/slack/events`, SIGNING_SECRET);
  cleanup.push('sender thread (i)', () => sender.stop());
  await warmUp(sender, slack, WARM_UP_MENTIONS);
  const asked = Number(process.env.BENCH_I_ROUNDS);
  const rounds = Number.isInteger(asked) && asked >= 1 ? asked : DEFAULT_ROUNDS;
  const results: BurstRound[] = [];
  for (let r = 0; r < rounds; r++) {
    const result = await burstRound(
      { base, slack, llm, redisUrl, prefix, cleanup, rss, command: child.pid!, sender },
      { mentions: options.mentions, first: r * options.mentions, answer: ANSWER },
    );
    results.push(result);
    progress(
      `(i) round ${r + 1}/${rounds}: slowest ack ${round(Math.max(...result.acks), 1)} ms, last answer ${round(result.wallMs / 1000)} s after the first POST`,
    );
    await quiet(slack);
    // Past the keep-alive of idle sockets (undici's 4 s, node:http's 5 s): the next burst opens its
    // connections to the model and to Slack anew, as a burst after a quiet spell does.
    if (r + 1 < rounds) await sleep(IDLE_SOCKETS_GONE_MS);
  }
  const acks = results.flatMap((r) => r.acks);
  const wallMs = [...results.map((r) => r.wallMs)].sort((x, y) => x - y)[Math.floor(results.length / 2)]!;
  const slackCalls = results.reduce((sum, r) => sum + r.slackCalls, 0);
  const peakRss = rss.peak();
  return {
    mentions: options.mentions,
    rounds,
    llmDelayS: options.llmDelayMs / 1000,
    slowestAckMs: round(Math.max(...acks), 1),
    p99AckMs: round(percentile(acks, 0.99), 1),
    p50AckMs: round(percentile(acks, 0.5), 1),
    acksOver3s: acks.filter((ms) => ms > SLACK_ACK_DEADLINE_MS).length,
    wallS: round(wallMs / 1000),
    wallRatio: round(wallMs / options.llmDelayMs, 2),
    firstBurstRatio: round(results[0]!.wallMs / options.llmDelayMs, 2),
    slackCallsPerThread: round(slackCalls / (options.mentions * rounds), 1),
    peakRssMb: round(peakRss / MB, 1),
    workerProcesses: workers,
    turnSlots: workers * turnsPerProcess,
  };
}

/**
 * A few mentions one after another, each answered, before the burst: a gateway that has run for a
 * while has loaded and compiled its code paths, and a burst's acks should not measure that. They go
 * through the sender, whose code is then compiled too.
 */
async function warmUp(sender: BurstSender, slack: FakeSlack, count: number) {
  for (let i = 0; i < count; i++) {
    const mention = appMention({
      user: 'UWARM',
      channel: 'CWARM',
      text: `<@${DEFAULT_IDENTITY.botUserId}> warm-up ${i}`,
    });
    slack.workspace.recordUserEvent(eventCallback(mention));
    const { results } = await sender.send([JSON.stringify(eventCallback(mention))]);
    if (results[0]?.status !== 200)
      throw new Error(`(i) a warm-up mention was answered ${results[0]?.status}`);
    await watchAnswers(slack, [mention], new Map(), ANSWER, 30_000);
  }
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
