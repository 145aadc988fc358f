import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { appMention, eventCallback, signedRequest, DEFAULT_IDENTITY } from '../fakes/fake-slack.js';
import { startFakeSlack, type FakeSlack } from '../fakes/fake-slack.js';
import { startFakeDiscord, type FakeDiscord } from '../fakes/fake-discord.js';
import { cliWorkDir, spawnCli, type CliProcess } from '../helpers/cli-process.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { eventually } from '../helpers/slack-harness.js';
import { REDIS_URL, testApp, waitForEvent } from '../helpers/test-app.js';

const ANTHROPIC_KEY = 'sk-ant-ops-test-key-00000000000000000000';
const SIGNING_SECRET = 'ops-test-signing-secret-0000';
const PRELOAD = fileURLToPath(new URL('../fixtures/stray-errors-preload.ts', import.meta.url));
const MODEL = 'anthropic/claude-sonnet-5-5';

let llm: FakeAnthropic;
let proc: CliProcess | undefined;
const prefixes: string[] = [];

beforeAll(async () => {
  llm = await startFakeAnthropic({ apiKey: ANTHROPIC_KEY });
});
afterEach(async () => {
  await proc?.stop();
  proc = undefined;
});
afterAll(async () => {
  await llm.close();
  const redis = new Redis(REDIS_URL);
  for (const prefix of prefixes)
    for (const pattern of [`${prefix}:*`, `{${prefix}:bull}*`]) {
      const keys = await redis.keys(pattern);
      if (keys.length > 0) await redis.del(...keys);
    }
  redis.disconnect();
});

/** A working directory with a config of its own prefix; returns both. */
function workDir(): { cwd: string; config: string; prefix: string } {
  const cwd = cliWorkDir();
  const prefix = `tops${randomUUID().slice(0, 8)}`;
  prefixes.push(prefix);
  const config = join(cwd, 'config.json');
  const body = {
    model: MODEL,
    redis: { prefix },
    worker: { concurrency: 2, lockMs: 1_000, stalledIntervalMs: 500 },
    skills: [],
  };
  writeFileSync(config, JSON.stringify(body));
  return { cwd, config, prefix };
}

/** Starts a long-running command and resolves with the port its ops endpoints listen on. */
async function startCommand(
  command: string,
  env: Record<string, string>,
  preload: readonly string[] = [],
): Promise<{ base: string; cwd: string; prefix: string }> {
  const { cwd, config, prefix } = workDir();
  proc = spawnCli([command], { PORT: '0', ML_INTERN_CONFIG: config, ...env }, { cwd, preload });
  const served = await proc.waitForLog((l) => l.msg === 'serving /healthz, /readyz and /metrics');
  return { base: `http://127.0.0.1:${String(served.port)}`, cwd, prefix };
}

async function get(url: string): Promise<{ status: number; text: string; type: string | null }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') };
}

/** The value of one sample of the Prometheus text, e.g. `mlib_llm_calls_total{model="…",outcome="ok"}`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',');
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

describe('ops endpoints', () => {
  it('worker: /healthz, /readyz and /metrics on PORT; a turn moves the LLM counters; Redis away → 503, back → 200', async () => {
    const redis: PrivateRedis = await startPrivateRedis(['--appendonly', 'no', '--save', '']);
    try {
      const { base, prefix } = await startCommand('worker', {
        REDIS_URL: redis.url,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: llm.url,
      });
      await proc?.waitForLog((l) => l.msg === 'worker started');
      const config = configSchema.parse({ model: MODEL, redis: { prefix } });
      /** One turn, submitted by another process through the queue, answered through the fake Anthropic. */
      const turn = async (text: string, usage: { input_tokens: number; output_tokens: number }) => {
        const client = testApp({ config, redisUrl: redis.url });
        try {
          llm.enqueue({ text, usage });
          const sessionId = await client.startSession({ owner: 'U1', platform: 'terminal' });
          await client.submit(sessionId, { type: 'user_input', text: 'count me' });
          await waitForEvent(client, sessionId, (e) => e.type === 'turn_complete', { timeoutMs: 20_000 });
        } finally {
          await client.close(1_000);
        }
      };

      const health = await get(`${base}/healthz`);
      expect([health.status, health.text]).toEqual([200, 'ok\n']);
      expect(await get(`${base}/readyz`)).toMatchObject({ status: 200, text: 'ready\n' });
      const before = await get(`${base}/metrics`);
      expect(before.status).toBe(200);
      expect(before.type).toContain('text/plain');
      expect(sample(before.text, 'mlib_queue_jobs', { state: 'waiting' })).toBe(0);
      expect(sample(before.text, 'mlib_queue_jobs', { state: 'active' })).toBe(0);
      expect(sample(before.text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
      expect(sample(before.text, 'mlib_llm_calls_total', { model: MODEL, outcome: 'ok' })).toBeUndefined();

      await turn('counted', { input_tokens: 21, output_tokens: 7 });
      const after = (await get(`${base}/metrics`)).text;
      expect(sample(after, 'mlib_llm_calls_total', { model: MODEL, outcome: 'ok' })).toBe(1);
      expect(sample(after, 'mlib_llm_tokens_total', { model: MODEL, kind: 'input' })).toBe(21);
      expect(sample(after, 'mlib_llm_tokens_total', { model: MODEL, kind: 'output' })).toBe(7);
      expect(sample(after, 'mlib_llm_cost_usd_total', { model: MODEL })).toBeGreaterThan(0);
      expect(sample(after, 'mlib_operation_duration_seconds_count', { op_type: 'user_input' })).toBe(1);
      expect(
        sample(after, 'mlib_api_calls_total', { service: 'anthropic', method: 'messages', outcome: 'ok' }),
      ).toBe(1);

      // Redis goes away: not ready (with the reason), still alive, still scraped; it comes back: ready.
      await redis.stop();
      const down = await eventually(async () => {
        const r = await get(`${base}/readyz`);
        return r.status === 503 ? r : undefined;
      });
      expect(down.text).toMatch(/^not ready: redis: /);
      expect((await get(`${base}/healthz`)).status).toBe(200);
      expect((await get(`${base}/metrics`)).status).toBe(200);
      await redis.start();
      await eventually(async () => (await get(`${base}/readyz`)).status === 200, 20_000);
      // The worker takes turns again (its BullMQ connection is back).
      await turn('after the restart', { input_tokens: 1, output_tokens: 1 });
      const last = (await get(`${base}/metrics`)).text;
      expect(sample(last, 'mlib_llm_calls_total', { model: MODEL, outcome: 'ok' })).toBe(2);
      // Serving again, it also shuts down cleanly on SIGTERM.
      expect(await proc?.stop()).toBe(0);
    } finally {
      await proc?.stop();
      await redis.destroy();
    }
  });

  it('gateway with Slack in HTTP mode: /slack/events and the ops endpoints share PORT; Slack calls are counted', async () => {
    const slack: FakeSlack = await startFakeSlack();
    try {
      const { base } = await startCommand('gateway', {
        REDIS_URL,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
      });
      await eventually(async () => (await get(`${base}/readyz`)).status === 200);
      expect((await get(`${base}/healthz`)).status).toBe(200);
      const challenge = await signedRequest(
        `${base}/slack/events`,
        { type: 'url_verification', token: 'x', challenge: 'same-port-challenge' },
        { signingSecret: SIGNING_SECRET },
      );
      expect(challenge.status).toBe(200);
      expect(challenge.body).toContain('same-port-challenge');
      const metrics = (await get(`${base}/metrics`)).text;
      expect(
        sample(metrics, 'mlib_api_calls_total', { service: 'slack', method: 'auth.test', outcome: 'ok' }),
      ).toBe(1);
    } finally {
      await proc?.stop();
      await slack.close();
    }
  });

  it('gateway with Discord: /readyz follows the adapter: 503 while its gateway connection is down, 200 once it is back', async () => {
    const discord: FakeDiscord = await startFakeDiscord();
    try {
      const { base } = await startCommand('gateway', {
        REDIS_URL,
        DISCORD_TOKEN: discord.token,
        DISCORD_API_URL: discord.apiUrl,
      });
      await eventually(async () => (await get(`${base}/readyz`)).status === 200, 20_000);
      discord.gateway.holdConnections();
      discord.gateway.disconnect();
      const down = await eventually(async () => {
        const r = await get(`${base}/readyz`);
        return r.status === 503 ? r : undefined;
      });
      expect(down.text).toBe('not ready: discord: not connected\n');
      expect((await get(`${base}/healthz`)).status).toBe(200);
      discord.gateway.releaseConnections();
      await eventually(async () => (await get(`${base}/readyz`)).status === 200, 20_000);
    } finally {
      await proc?.stop();
      await discord.close();
    }
  });

  it("start with Slack in HTTP mode: turns run in worker processes, a mention answered there shows on the parent's /metrics, a dead worker is restarted", async () => {
    const slack: FakeSlack = await startFakeSlack();
    try {
      const { base } = await startCommand('start', {
        REDIS_URL,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: llm.url,
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
      });
      // Turns run in worker processes of their own; the parent is ready once they all are.
      const pool = await proc!.waitForLog((l) => l.msg === 'worker processes started', 60_000);
      const workerPids = pool.workerPids as number[];
      expect(workerPids.length).toBeGreaterThanOrEqual(1);
      expect(workerPids).not.toContain(proc!.child.pid);
      await eventually(async () => (await get(`${base}/readyz`)).status === 200, 30_000);
      llm.enqueue({ text: 'answered on the shared port', usage: { input_tokens: 30, output_tokens: 5 } });
      const mention = appMention({ user: 'U1', channel: 'C1', text: `<@${DEFAULT_IDENTITY.botUserId}> hi` });
      const delivered = await signedRequest(`${base}/slack/events`, eventCallback(mention), {
        signingSecret: SIGNING_SECRET,
      });
      expect(delivered.status).toBe(200);
      await eventually(
        () => slack.thread('C1', mention.ts).some((m) => m.text.includes('answered on the shared port')),
        20_000,
      );
      const metrics = await eventually(async () => {
        const text = (await get(`${base}/metrics`)).text;
        return sample(text, 'mlib_llm_calls_total', { model: MODEL, outcome: 'ok' }) === 1 ? text : undefined;
      });
      expect(sample(metrics, 'mlib_llm_tokens_total', { model: MODEL, kind: 'input' })).toBe(30);
      const posted = sample(metrics, 'mlib_api_calls_total', {
        service: 'slack',
        method: 'chat.postMessage',
        outcome: 'ok',
      });
      expect(posted).toBeGreaterThanOrEqual(1);

      // A worker that dies is started again; stopping the command stops every worker with it.
      process.kill(workerPids[0]!, 'SIGKILL');
      const back = await proc!.waitForLog(
        (l) => l.msg === 'worker process ready' && !workerPids.includes(l.childPid as number),
        60_000,
      );
      expect(proc!.logs.some((l) => l.msg === 'worker process exited; restarting it')).toBe(true);
      expect(await proc!.stop()).toBe(0);
      for (const pid of [...workerPids.slice(1), back.childPid as number]) {
        expect(() => process.kill(pid, 0)).toThrow();
      }
    } finally {
      await proc?.stop();
      await slack.close();
    }
  }, 120_000);

  it('an unhandled rejection is logged with its reason and the bot goes on; an uncaught exception is logged and exits 1', async () => {
    const secret = 'xoxb-stray-secret-in-an-error-000000';
    const { base } = await startCommand(
      'worker',
      {
        REDIS_URL,
        ANTHROPIC_API_KEY: ANTHROPIC_KEY,
        ANTHROPIC_BASE_URL: llm.url,
        SLACK_BOT_TOKEN: secret,
        STRAY_SECRET: secret,
      },
      [PRELOAD],
    );
    const running = proc;
    if (!running) throw new Error('not started');
    await running.waitForLog((l) => l.msg === 'worker started');
    running.child.kill('SIGUSR2');
    const rejection = await running.waitForLog(
      (l) => l.msg === 'unhandled promise rejection (the process goes on)',
    );
    const err = rejection.err as { message?: string; stack?: string; type?: string };
    expect(err.message).toContain('stray rejection for the test');
    expect(err.type).toBe('Error');
    expect(err.stack).toContain('stray-errors-preload');
    // Still serving after it.
    expect((await get(`${base}/healthz`)).status).toBe(200);

    running.child.kill('SIGUSR2');
    const fatal = await running.waitForLog((l) => l.msg === 'uncaught exception; exiting');
    expect((fatal.err as { type?: string; message?: string }).type).toBe('TypeError');
    expect((fatal.err as { message?: string }).message).toContain('uncaught exception for the test');
    expect(await running.stop()).toBe(1);
    expect(JSON.stringify(running.logs)).not.toContain(secret);
  });
});
