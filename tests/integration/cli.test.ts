import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/fake-anthropic.js';
import { HERMETIC } from '../helpers/cli-process.js';
import { REDIS_URL } from '../helpers/test-app.js';

const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mlib-cli-'));
const prefix = `tcli${process.pid}`;

/** Runs the real command line in a child process; resolves with its exit code and output. */
function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, REDIS_URL, LOG_LEVEL: 'warn', ...HERMETIC, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function writeConfig(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  const redis = new Redis(REDIS_URL);
  for (const pattern of [`${prefix}:*`, `{${prefix}:bull}*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

describe('command line', () => {
  it('exits 2 on an invalid config, naming every bad field, before connecting', async () => {
    const config = writeConfig('bad.json', {
      maxIterations: -1,
      worker: { concurrency: 'lots' },
      model: 'not a model',
      approval: { approvers: 42 },
    });
    // An unreachable Redis proves nothing connected first: the error is the config's.
    const { code, stderr, stdout } = await cli(['run', 'hi'], {
      ML_INTERN_CONFIG: config,
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    expect(code).toBe(2);
    for (const field of ['maxIterations', 'worker.concurrency', 'model', 'approval.approvers'])
      expect(stderr).toContain(field);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(stdout).toBe('');
  });

  it('exits 2 on an unknown option and on a bad environment variable', async () => {
    expect((await cli(['chat', '--turbo'])).code).toBe(2);
    const bad = await cli(['doctor'], { PORT: 'eighty' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('PORT');
  });

  it('prints the Slack manifest without connecting to anything', async () => {
    const { code, stdout } = await cli(['manifest', 'slack'], { REDIS_URL: 'redis://127.0.0.1:1' });
    expect(code).toBe(0);
    for (const needed of [
      'app_mentions:read',
      'chat:write',
      'message.im',
      'interactivity',
      'socket_mode_enabled',
    ]) {
      expect(stdout).toContain(needed);
    }
  });

  it('explains a missing API key in one line', async () => {
    const config = writeConfig('ok.json', { redis: { prefix } });
    const { code, stderr } = await cli(['run', 'hi'], { ML_INTERN_CONFIG: config });
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('ANTHROPIC_API_KEY');
  });

  it('runs headless against the fake model: the answer on stdout, exit 0', async () => {
    const config = writeConfig('run.json', { redis: { prefix } });
    fake.enqueue({ text: 'Use LoRA with rank 16.' });
    const { code, stdout } = await cli(['run', 'how should I fine-tune?'], {
      ML_INTERN_CONFIG: config,
      ANTHROPIC_API_KEY: 'sk-ant-test-key-000000000000000000000',
      ANTHROPIC_BASE_URL: fake.url,
    });
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('Use LoRA with rank 16.');
    const body = fake.requests.at(-1)?.body as { messages: unknown[]; system: unknown };
    expect(JSON.stringify(body.messages)).toContain('how should I fine-tune?');
    expect(JSON.stringify(body.system)).toContain('intern');
  });

  it('exits 1 when the model fails', async () => {
    const config = writeConfig('fail.json', { redis: { prefix }, llm: { maxRetries: 0 } });
    fake.enqueue({ status: 400, errorMessage: 'bad request for testing' });
    const { code, stderr } = await cli(['run', 'hi', '--no-stream'], {
      ML_INTERN_CONFIG: config,
      ANTHROPIC_API_KEY: 'sk-ant-test-key-000000000000000000000',
      ANTHROPIC_BASE_URL: fake.url,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('bad request for testing');
    expect(stderr).not.toContain('sk-ant-test-key');
  });
});
