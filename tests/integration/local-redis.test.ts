import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ensureRedis, type LocalRedisLog, type RedisEndpoint } from '../../src/cli/local-redis.js';
import { MlInternError } from '../../src/core/errors.js';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A loopback URL nobody listens on: a port the OS just handed out and took back. */
async function deadUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `redis://127.0.0.1:${address.port}`;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function recordingLog(): LocalRedisLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`info ${m}`), warn: (m) => lines.push(`warn ${m}`) };
}

async function rejectionOf(promise: Promise<unknown>): Promise<MlInternError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(MlInternError);
  return err as MlInternError;
}

let projectRoot: string;
const started: RedisEndpoint[] = [];

beforeEach(() => {
  projectRoot = mkdtempSync(join(tmpdir(), 'local-redis-'));
});

afterEach(async () => {
  for (const endpoint of started.splice(0)) await endpoint.stop();
  rmSync(projectRoot, { recursive: true, force: true });
});

describe('ensureRedis with REDIS_URL set', () => {
  it('uses a REDIS_URL that answers, and stop() leaves it running', async () => {
    const endpoint = await ensureRedis({ redisUrl, projectRoot, log: recordingLog() });
    expect(endpoint.url).toBe(redisUrl);
    await endpoint.stop();
    expect(await answers(redisUrl)).toBe(true);
    expect(existsSync(join(projectRoot, '.data'))).toBe(false);
  });

  it('throws redis_unreachable naming the URL, in one line, with the password masked', async () => {
    const url = (await deadUrl()).replace('redis://', 'redis://:hunter2hunter2@');
    const err = await rejectionOf(ensureRedis({ redisUrl: url, projectRoot, log: recordingLog() }));
    expect(err.code).toBe('redis_unreachable');
    expect(err.message).toContain(new URL(url).host);
    expect(err.message).toContain('REDIS_URL');
    expect(err.message).not.toContain('hunter2');
    expect(err.message).not.toContain('\n');
  });
});

describe('ensureRedis with REDIS_URL unset', () => {
  it('uses the default URL when it answers', async () => {
    const log = recordingLog();
    const endpoint = await ensureRedis({ projectRoot, log, defaultUrl: redisUrl });
    expect(endpoint.url).toBe(redisUrl);
    expect(log.lines).toEqual([expect.stringContaining('Using the Redis at')]);
  });

  it('starts a private redis-server with its data in the project, shares it, and stops it', async () => {
    const log = recordingLog();
    const defaultUrl = await deadUrl();
    const endpoint = await ensureRedis({ projectRoot, log, defaultUrl });
    started.push(endpoint);
    expect(endpoint.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    expect(endpoint.url).not.toBe(defaultUrl);

    // Real data goes in and lands in the append-only file under .data/redis.
    const client = new Redis(endpoint.url, { maxRetriesPerRequest: 0 });
    await client.set('probe', 'value');
    expect(await client.get('probe')).toBe('value');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    await client.quit();
    const dataDir = join(projectRoot, '.data', 'redis');
    const state = JSON.parse(readFileSync(join(dataDir, 'server.json'), 'utf8')) as { url: string };
    expect(state.url).toBe(endpoint.url);

    // A second CLI process of the same project shares the running server instead of doubling it.
    const second = await ensureRedis({ projectRoot, log, defaultUrl });
    expect(second.url).toBe(endpoint.url);
    await second.stop();
    expect(await answers(endpoint.url)).toBe(true);

    await endpoint.stop();
    await endpoint.stop(); // idempotent
    expect(await answers(endpoint.url)).toBe(false);
    expect(existsSync(join(dataDir, 'server.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'appendonlydir'))).toBe(true);
    expect(log.lines[0]).toContain('Started a private redis-server');
  }, 20_000);

  it('starts a throwaway server in a scratch directory that writes nothing there and is not shared', async () => {
    const log = recordingLog();
    const scratchDir = join(projectRoot, 'scratch');
    const defaultUrl = await deadUrl();
    const endpoint = await ensureRedis({ scratchDir, log, defaultUrl });
    started.push(endpoint);
    const client = new Redis(endpoint.url, { maxRetriesPerRequest: 0 });
    await client.set('probe', 'value');
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
    expect(await client.config('GET', 'save')).toEqual(['save', '']);
    expect(await client.config('GET', 'dir')).toEqual(['dir', scratchDir]);
    await client.quit();
    expect(log.lines).toEqual([expect.stringContaining('(nothing kept on disk)')]);

    // Another run gets its own server: nothing is shared through the directory.
    const other = await ensureRedis({ scratchDir, log: recordingLog(), defaultUrl });
    started.push(other);
    expect(other.url).not.toBe(endpoint.url);

    await endpoint.stop();
    expect(await answers(endpoint.url)).toBe(false);
    expect(readdirSync(scratchDir)).toEqual([]);
    expect(existsSync(join(projectRoot, '.data'))).toBe(false);
  }, 20_000);

  it('throws redis_missing, saying how to get Redis, when redis-server is not installed', async () => {
    const err = await rejectionOf(
      ensureRedis({
        projectRoot,
        log: recordingLog(),
        defaultUrl: await deadUrl(),
        redisServerCommand: join(projectRoot, 'no-such-redis-server'),
      }),
    );
    expect(err.code).toBe('redis_missing');
    expect(err.message).toContain('apt-get install redis-server');
    expect(err.message).toContain('REDIS_URL');
  });
});
