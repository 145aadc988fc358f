import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ensureRedis } from '../../src/cli/local-redis.js';
import { MlInternError } from '../../src/core/errors.js';

/**
 * Names the address probed when `REDIS_URL` is unset, instead of the real default
 * (`redis://127.0.0.1:6379`). Only for proving the "nothing answers" path on a machine where a Redis
 * does answer there: `TEST_DEFAULT_REDIS_URL=redis://127.0.0.1:1 npm test`.
 */
export const TEST_DEFAULT_REDIS_URL = 'TEST_DEFAULT_REDIS_URL';

/**
 * Vitest global setup: gives the test run a Redis, so `npm test` passes on a fresh clone with nothing
 * running. It finds one exactly as `npm start` does (`ensureRedis`): `REDIS_URL` must answer if set;
 * else the default address if it answers; else a private `redis-server` on a free port in a temporary
 * directory, keeping nothing on disk, stopped (and the directory removed) when the run ends.
 *
 * The URL reaches the tests through `process.env.REDIS_URL`: vitest forks its workers after global
 * setup, with the main process's environment, and every test (and every child process a test
 * spawns) reads `REDIS_URL`.
 */
export default async function setup(): Promise<() => Promise<void>> {
  // Created by ensureRedis only if a private server is needed; removed in any case.
  const scratchDir = join(tmpdir(), `ml-intern-test-redis-${randomUUID()}`);
  const before = process.env.REDIS_URL;
  try {
    const endpoint = await ensureRedis({
      redisUrl: before,
      defaultUrl: process.env[TEST_DEFAULT_REDIS_URL],
      scratchDir,
      log: { info: (m) => process.stderr.write(`${m}\n`), warn: (m) => process.stderr.write(`${m}\n`) },
    });
    process.env.REDIS_URL = endpoint.url;
    return async () => {
      await endpoint.stop();
      await rm(scratchDir, { recursive: true, force: true });
      if (before === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = before;
    };
  } catch (err) {
    await rm(scratchDir, { recursive: true, force: true });
    if (!(err instanceof MlInternError)) throw err;
    // One clear line instead of a stack trace through vitest's loader: the run cannot start.
    const clear = new Error(`No Redis for the tests: ${err.message}`);
    clear.stack = clear.message;
    throw clear;
  }
}
