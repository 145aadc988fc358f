import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

import { freePort } from '../../src/cli/free-port.js';
import { pingRedis } from '../../src/cli/redis-probe.js';
import { REDIS_URL } from '../helpers/test-app.js';
import { childProject, type ChildProject } from '../support/child-vitest.js';

/**
 * A test of the child run: it reaches REDIS_URL over a raw socket (the temporary project has no
 * node_modules) and records what the server says about itself in result.json.
 */
const PROBE = `
import { connect } from 'node:net';
import { writeFileSync } from 'node:fs';

test('reaches REDIS_URL', async () => {
  const url = new URL(process.env.REDIS_URL);
  const reply = await new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = '';
    socket.on('data', (d) => (data += d));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.write('PING\\r\\nCONFIG GET appendonly\\r\\nCONFIG GET save\\r\\nCONFIG GET dir\\r\\nQUIT\\r\\n');
  });
  writeFileSync('result.json', JSON.stringify({ url: process.env.REDIS_URL, reply }));
  expect(reply).toContain('+PONG');
});
`;

/** The values of a raw RESP reply, in order (bulk strings and simple strings). */
function respValues(reply: string): string[] {
  const lines = reply.split('\r\n');
  const values: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('+')) values.push(line.slice(1));
    else if (line.startsWith('$') && line !== '$-1') values.push(lines[++i] ?? '');
  }
  return values;
}

const deadUrl = async () => `redis://127.0.0.1:${await freePort()}`;

let project: ChildProject | undefined;
afterEach(() => {
  project?.remove();
  project = undefined;
});

describe('the test run finds its own Redis (vitest global setup)', () => {
  it('starts a private redis-server when REDIS_URL is unset and nothing answers, keeps nothing on disk, and stops it after', async () => {
    project = childProject({ redisSetup: true });
    project.file('probe', PROBE);
    const dead = await deadUrl();
    const run = await project.run({ TEST_DEFAULT_REDIS_URL: dead });
    expect(run.summary, run.output).toBe('Tests: 1 passed, 0 failed, 0 skipped');
    expect(run.code).toBe(0);

    const result = JSON.parse(readFileSync(join(project.dir, 'result.json'), 'utf8')) as {
      url: string;
      reply: string;
    };
    expect(result.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(result.url).not.toBe(dead);
    expect(run.output).toContain(`Started a private redis-server at ${result.url} (nothing kept on disk).`);
    const [pong, , appendonly, , save, , dir] = respValues(result.reply);
    expect(pong).toBe('PONG');
    expect(appendonly).toBe('no');
    expect(save).toBe('');
    expect(dir?.startsWith(join(tmpdir(), 'ml-intern-test-redis-'))).toBe(true);

    // Stopped and cleaned up when the run ended.
    expect((await pingRedis(result.url, 500)).ok).toBe(false);
    expect(existsSync(dir ?? '')).toBe(false);
  }, 30_000);

  it('uses the default address when it answers and REDIS_URL is unset', async () => {
    project = childProject({ redisSetup: true });
    project.file('probe', PROBE);
    const run = await project.run({ TEST_DEFAULT_REDIS_URL: REDIS_URL });
    expect(run.summary, run.output).toBe('Tests: 1 passed, 0 failed, 0 skipped');
    const result = JSON.parse(readFileSync(join(project.dir, 'result.json'), 'utf8')) as { url: string };
    expect(result.url).toBe(REDIS_URL);
    expect(run.output).not.toContain('Started a private redis-server');
  }, 30_000);

  it('fails the run in one clear line when REDIS_URL is set but does not answer', async () => {
    project = childProject({ redisSetup: true });
    project.file('probe', PROBE);
    const dead = await deadUrl();
    const run = await project.run({ REDIS_URL: dead, TEST_DEFAULT_REDIS_URL: REDIS_URL });
    expect(run.code).toBe(1);
    expect(run.output).toContain(`No Redis for the tests: Redis at ${dead} (REDIS_URL) does not answer:`);
    expect(run.summary).toBe('Tests: 0 passed, 1 failed, 0 skipped');
    expect(existsSync(join(project.dir, 'result.json'))).toBe(false);
  }, 30_000);
});

describe('the summary line', () => {
  it('counts each file that fails to load or fails in a hook as a failure', async () => {
    project = childProject({ redisSetup: false });
    project.file('syntax', "test('never', () => { expect(1).toBe(1);\n");
    project.file('top-level-throw', "throw new Error('boom at top level');\n");
    project.file(
      'missing-import',
      "import { nothing } from './no-such-module.js';\ntest('never', () => expect(nothing).toBe(1));\n",
    );
    project.file(
      'before-all',
      "beforeAll(() => { throw new Error('setup failed'); });\ntest('skipped', () => expect(1).toBe(1));\n",
    );
    project.file(
      'after-all',
      "afterAll(() => { throw new Error('teardown failed'); });\ntest('passes', () => expect(1).toBe(1));\n",
    );
    project.file('fine', "test('passes', () => expect(1).toBe(1));\n");
    const run = await project.run();
    expect(run.code).toBe(1);
    // Two tests passed (fine, after-all), one was skipped by its failing beforeAll, five files failed.
    expect(run.summary, run.output).toBe('Tests: 2 passed, 5 failed, 1 skipped');
  }, 30_000);
});

describe('tests reach the model through the real SDK', () => {
  it('no test imports the in-process ScriptedProvider (the bench keeps it)', () => {
    const root = fileURLToPath(new URL('../', import.meta.url));
    const module = ['scripted', 'provider'].join('-'); // spelled so that this file does not match
    const users = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .filter((path) => readFileSync(join(root, path), 'utf8').includes(module));
    expect(users).toEqual([]);
  });
});
