import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js';
import { HERMETIC } from '../helpers/cli-process.js';

/** Append-only, fsync on every write: a restart loses nothing that was acknowledged. */
const APPEND_ONLY = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', ''];

const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let redis: PrivateRedis | undefined;
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exit = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exit;
    }
  }
  await redis?.destroy();
  redis = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The real `worker` command on `redisUrl`, with a way to wait for a line on its stderr. */
function startWorker(redisUrl: string) {
  const dir = mkdtempSync(join(tmpdir(), 'mlib-outage-'));
  dirs.push(dir);
  const child = spawn(process.execPath, ['--import', TSX, MAIN, 'worker'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      REDIS_URL: redisUrl,
      ...HERMETIC,
      ANTHROPIC_API_KEY: 'sk-ant-test-outage-key-000000',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const output = { stderr: '' };
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  child.stderr.on('data', (d: Buffer) => {
    output.stderr += d.toString();
    for (const w of waiters.filter((x) => output.stderr.includes(x.text))) w.resolve();
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const died = exit.then((code) => {
    throw new Error(`the worker exited (${code}):\n${output.stderr}`);
  });
  died.catch(() => undefined);
  const seen = (text: string, timeoutMs = 8_000) =>
    Promise.race([
      died,
      new Promise<void>((resolve, reject) => {
        if (output.stderr.includes(text)) return resolve();
        waiters.push({ text, resolve });
        setTimeout(() => reject(new Error(`no "${text}" in stderr:\n${output.stderr}`)), timeoutMs).unref();
      }),
    ]);
  return { child, output, seen, exit };
}

/** A worker child's start (tsx, the whole app) under a parallel test run: 8 s was not always enough. */
const STARTUP_MS = 20_000;

describe('a Redis outage under a running worker', () => {
  it('is logged as JSON lines through the logger (no ioredis trace on stderr), and so is the recovery', async () => {
    redis = await startPrivateRedis(APPEND_ONLY);
    const worker = startWorker(redis.url);
    await worker.seen('worker started', STARTUP_MS);
    await redis.stop();
    await worker.seen('Redis connection error; retrying');
    await redis.start();
    await worker.seen('Redis connection restored');
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    const { stderr } = worker.output;
    expect(stderr).not.toContain('[ioredis]');
    expect(stderr).not.toContain('Unhandled error event');
    for (const line of stderr.split('\n').filter((l) => l.trim() !== '')) {
      // The one plain line a worker prints on purpose; everything else is a JSON log line.
      if (line.startsWith('ml-intern-bot worker:')) continue;
      expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    }
  }, 40_000);

  it('stops on SIGTERM while Redis is away, instead of waiting for it forever', async () => {
    redis = await startPrivateRedis(APPEND_ONLY);
    const worker = startWorker(redis.url);
    await worker.seen('worker started', STARTUP_MS);
    await redis.stop();
    await worker.seen('Redis connection error; retrying');
    worker.child.kill('SIGTERM');
    expect(await worker.exit).toBe(0);
    expect(worker.output.stderr).toContain('worker stopping');
  }, 40_000);
});
