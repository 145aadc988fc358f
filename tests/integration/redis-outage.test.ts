import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startRestartableRedis, type RestartableRedis } from '../helpers/restartable-redis.js';

const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

let redis: RestartableRedis | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await redis?.destroy();
  redis = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a Redis outage under a running worker', () => {
  it('is logged as JSON lines through the logger (no ioredis trace on stderr), and so is the recovery', async () => {
    redis = await startRestartableRedis();
    const dir = mkdtempSync(join(tmpdir(), 'mlib-outage-'));
    dirs.push(dir);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'worker'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: dir,
        REDIS_URL: redis.url,
        ANTHROPIC_API_KEY: 'sk-ant-test-outage-key-000000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const waiters: Array<{ text: string; resolve: () => void }> = [];
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.filter((x) => stderr.includes(x.text))) w.resolve();
    });
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`the worker exited (${code}):\n${stderr}`))),
    );
    exited.catch(() => undefined);
    const seen = (text: string, timeoutMs = 8_000) =>
      Promise.race([
        exited,
        new Promise<void>((resolve, reject) => {
          if (stderr.includes(text)) return resolve();
          waiters.push({ text, resolve });
          setTimeout(() => reject(new Error(`no "${text}" in stderr:\n${stderr}`)), timeoutMs).unref();
        }),
      ]);
    try {
      await seen('worker started');
      await redis.stop();
      await seen('Redis connection error; retrying');
      await redis.start();
      await seen('Redis connection restored');
    } finally {
      if (child.exitCode === null) {
        const exit = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exit;
        clearTimeout(timer);
      }
    }
    expect(stderr).not.toContain('[ioredis]');
    expect(stderr).not.toContain('Unhandled error event');
    for (const line of stderr.split('\n').filter((l) => l.trim() !== '')) {
      // The one plain line a worker prints on purpose; everything else is a JSON log line.
      if (line.startsWith('ml-intern-bot worker:')) continue;
      expect(() => JSON.parse(line) as unknown, line).not.toThrow();
    }
  });
});
