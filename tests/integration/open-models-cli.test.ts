import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerOf, startFakeOpenAi, type FakeOpenAi } from '../fakes/fake-openai.js';
import { HERMETIC, cliWorkDir } from '../helpers/cli-process.js';
import { chatRequests } from '../helpers/openai-requests.js';
import { REDIS_URL } from '../helpers/test-app.js';

// The real command line, in a child process, with only an HF token: the open default model.
const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const HF_TOKEN = 'hf_cliOpenModelToken000000000000000000';
const prefix = `tcliopen${process.pid}`;
const dir = cliWorkDir();
const config = join(dir, 'config.json');
writeFileSync(config, JSON.stringify({ redis: { prefix }, llm: { maxRetries: 0 } }));

let router: FakeOpenAi;
beforeAll(async () => {
  router = await startFakeOpenAi({
    apiKey: HF_TOKEN,
    models: [{ id: 'moonshotai/Kimi-K2.6', providers: [{ provider: 'groq', context_length: 131_072 }] }],
  });
});
afterAll(async () => {
  await router.close();
  const redis = new Redis(REDIS_URL);
  for (const pattern of [`${prefix}:*`, `{${prefix}:bull}*`]) {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

/** Runs a command with `input` on stdin (a pipe, as the terminal chat reads it when not a TTY). */
async function cli(args: string[], env: Record<string, string>, input = '') {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      REDIS_URL,
      LOG_LEVEL: 'warn',
      ML_INTERN_CONFIG: config,
      ...HERMETIC,
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('the command line with open models', () => {
  it('npm start with only HF_TOKEN runs the open default model through the router', async () => {
    router.enqueue({ text: 'Hello from an open model.' });
    const before = chatRequests(router).length;
    const { code, stdout } = await cli(['start'], { HF_TOKEN, HF_ROUTER_URL: router.url }, 'hi there\n');
    expect(code).toBe(0);
    expect(stdout).toContain('hf/moonshotai/Kimi-K2.6');
    expect(stdout).toContain('Hello from an open model.');
    const request = chatRequests(router)[before];
    expect(request?.model).toBe('moonshotai/Kimi-K2.6');
    const chat = router.requests.filter((r) => r.path === '/v1/chat/completions').at(-1);
    expect(bearerOf(chat!.headers)).toBe(HF_TOKEN);
  });

  it('with neither key, one line says which variables to set, exit 2', async () => {
    const { code, stderr } = await cli(['run', 'hi'], {});
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/ANTHROPIC_API_KEY.*HF_TOKEN/);
  });

  it('run through the router with a wrong token: exit 1, the reason on stderr, never the token', async () => {
    const wrong = 'hf_cliWRONGtoken00000000000000000000000';
    const { code, stdout, stderr } = await cli(['run', 'hi', '--model', 'hf/moonshotai/Kimi-K2.6:groq'], {
      HF_TOKEN: wrong,
      HF_ROUTER_URL: router.url,
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('check HF_TOKEN');
    expect(stderr + stdout).not.toContain(wrong);
  });

  it('run with openai/<model> against a local server that answers: exit 0, the answer on stdout', async () => {
    const local = await startFakeOpenAi({ flavor: 'ollama' });
    try {
      local.enqueue({ text: 'Local answer.' });
      const { code, stdout } = await cli(['run', 'hi', '--model', 'openai/llama3.1'], {
        OPENAI_BASE_URL: local.url,
      });
      expect(code).toBe(0);
      expect(stdout.trim()).toBe('Local answer.');
      expect(chatRequests(local)[0]?.model).toBe('llama3.1');
    } finally {
      await local.close();
    }
  });
});
