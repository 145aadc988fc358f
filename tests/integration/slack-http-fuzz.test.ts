import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/free-port.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import {
  appMention,
  eventCallback,
  signedRequest,
  startFakeSlack,
  type FakeSlack,
} from '../fakes/fake-slack.js';
import { hostileMix, type FuzzDelivery } from '../helpers/hostile-slack-deliveries.js';
import { eventually } from '../helpers/slack-harness.js';
import { REDIS_URL } from '../helpers/test-app.js';

const TSX = import.meta.resolve('tsx');
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const BOT_TOKEN = 'xoxb-fuzz-bot-token-0000000000';
const SIGNING_SECRET = 'fuzz-signing-secret-0000';
const DELIVERIES = 1_000;
const CONCURRENCY = 16;
/** A request still unanswered after this long counts as a timeout. */
const GIVE_UP_MS = 5_000;
const prefix = `tfuzz${process.pid}`;

let slack: FakeSlack;
let llm: FakeAnthropic;
let child: ChildProcess;
let stderr = '';
let port: number;

/** The JSON log lines the bot wrote to stderr so far. */
function logLines(): Array<Record<string, unknown>> {
  return stderr.split('\n').flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

beforeAll(async () => {
  slack = await startFakeSlack({ botToken: BOT_TOKEN });
  llm = await startFakeAnthropic();
  llm.setDefault(() => ({ text: 'after the storm' }));
  const dir = mkdtempSync(join(tmpdir(), 'mlib-fuzz-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ redis: { prefix }, skills: [] }));
  port = await freePort();
  child = spawn(process.execPath, ['--import', TSX, MAIN, 'start'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      REDIS_URL,
      LOG_LEVEL: 'info',
      ML_INTERN_CONFIG: config,
      PORT: String(port),
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      ANTHROPIC_API_KEY: 'sk-ant-fuzz-key-000000000000000000000',
      ANTHROPIC_BASE_URL: llm.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await eventually(() => {
    if (child.exitCode !== null) throw new Error(`start exited ${child.exitCode}:\n${stderr}`);
    return logLines().some((l) => l.msg === 'slack adapter started');
  }, 30_000);
}, 60_000);

afterAll(async () => {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  await llm.close();
  await slack.close();
  const redis = new Redis(REDIS_URL);
  for (const pattern of [`${prefix}:*`, `{${prefix}:bull}*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

interface Outcome {
  name: string;
  /** The HTTP status, or `timeout` / `error` when no answer came. */
  status: number | 'timeout' | 'error';
  ms: number;
}

async function deliver(url: string, d: FuzzDelivery): Promise<Outcome> {
  const started = performance.now();
  try {
    const answer = await signedRequest(url, d.body, {
      signingSecret: SIGNING_SECRET,
      timeoutMs: GIVE_UP_MS,
      ...(d.contentType ? { contentType: d.contentType } : {}),
      ...(d.retryNum !== undefined ? { retryNum: d.retryNum, retryReason: 'http_timeout' } : {}),
    });
    return { name: d.name, status: answer.status, ms: performance.now() - started };
  } catch (err) {
    const timedOut = err instanceof Error && err.name === 'TimeoutError';
    return { name: d.name, status: timedOut ? 'timeout' : 'error', ms: performance.now() - started };
  }
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

describe('slack HTTP mode under 1,000 signed hostile deliveries (the real `start`)', () => {
  it('stays up, answers every one 200/400/401 within 3 s, logs each refusal, and still answers a mention', async () => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const deliveries = hostileMix(DELIVERIES);
    const outcomes: Outcome[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < deliveries.length) {
          const d = deliveries[next++]!;
          outcomes.push(await deliver(url, d));
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;

    const byStatus: Record<string, number> = {};
    for (const o of outcomes) byStatus[o.status] = (byStatus[o.status] ?? 0) + 1;
    const latencies = outcomes.map((o) => o.ms).sort((a, b) => a - b);
    const slowest = outcomes.reduce((a, b) => (b.ms > a.ms ? b : a));
    process.stdout.write(
      `slack HTTP fuzz: ${outcomes.length} signed deliveries in ${seconds.toFixed(1)} s, ` +
        `by status ${JSON.stringify(byStatus)}; latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${slowest.ms.toFixed(1)} ms (${slowest.name})\n`,
    );

    expect(child.exitCode).toBeNull();
    expect(outcomes).toHaveLength(DELIVERIES);
    const unexpected = outcomes.filter((o) => o.status !== 200 && o.status !== 400 && o.status !== 401);
    expect(unexpected.map((o) => `${o.name}: ${o.status}`)).toEqual([]);
    expect(slowest.ms).toBeLessThan(3_000);
    // Every refusal has its log line, with a reason.
    const refused = outcomes.filter((o) => o.status === 400 || o.status === 401).length;
    await eventually(() => logLines().filter((l) => l.msg === 'slack delivery refused').length >= refused);
    const refusals = logLines().filter((l) => l.msg === 'slack delivery refused');
    expect(refusals).toHaveLength(refused);
    expect(refusals.every((l) => typeof l.reason === 'string' && l.reason !== '')).toBe(true);
    expect(stderr).not.toContain(SIGNING_SECRET);

    // After the storm, a normal mention is answered in its thread by the model.
    const mention = appMention({ user: 'U1', channel: 'CAFTER', text: '<@UBOT> still with us?' });
    const body = eventCallback({ ...mention, text: `<@${slack.identity.botUserId}> still with us?` });
    const answer = await signedRequest(url, body, { signingSecret: SIGNING_SECRET, timeoutMs: GIVE_UP_MS });
    expect(answer.status).toBe(200);
    await eventually(
      () => slack.thread('CAFTER', mention.ts).some((m) => m.text.includes('after the storm')),
      15_000,
    );
    expect(child.exitCode).toBeNull();
  }, 60_000);
});
