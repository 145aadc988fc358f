import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { displayUrl, pingRedis, reasonOf } from './redis-probe.js';
import {
  isRunnable,
  startRedisServer,
  type LocalRedisLog,
  type RedisServer,
} from './redis-server-process.js';
import { DEFAULT_REDIS_URL } from '../config/environment.js';
import { MlInternError } from '../core/errors.js';

export type { LocalRedisLog } from './redis-server-process.js';

interface EnsureRedisCommon {
  /** `REDIS_URL`; unset means "the local default, else a private redis-server". */
  redisUrl?: string | undefined;
  log: LocalRedisLog;
  /** Probed when `redisUrl` is unset. Injectable so tests can pretend nothing listens there. */
  defaultUrl?: string | undefined;
  /** The server binary (name on PATH or a path); injectable for tests. */
  redisServerCommand?: string;
  /** How long a private server may take to answer its first PING. */
  startTimeoutMs?: number;
}

/**
 * Options of {@link ensureRedis}: where a private server would run. `projectRoot` for the CLI (data
 * kept, server shared by the project's processes); `scratchDir` for the test run (nothing on disk,
 * never shared, gone with the run).
 */
export type EnsureRedisOptions = EnsureRedisCommon &
  (
    | {
        /** The private server keeps its data in `<projectRoot>/.data/redis`. */
        projectRoot: string;
        scratchDir?: never;
      }
    | {
        /** The private server runs in this (temporary) directory and writes nothing to disk. */
        scratchDir: string;
        projectRoot?: never;
      }
  );

/** A Redis to connect to, and how to release it. */
export interface RedisEndpoint {
  readonly url: string;
  /** Shuts down a private server this call started (waiting for its exit); a no-op otherwise. */
  stop(): Promise<void>;
}

const STATE_FILE = 'server.json';

/**
 * Finds a Redis for the CLI, so `ml-intern-bot chat` works on a laptop with nothing configured, and for
 * the test run, so `npm test` passes on a fresh clone.
 *
 * - `REDIS_URL` set: it must answer a PING, else `redis_unreachable` (an operator's explicit choice is
 *   never silently replaced).
 * - unset: the default URL if it answers; else (CLI) a private server another CLI process already
 *   started for this project; else a new private `redis-server` on a free loopback port: with an
 *   append-only file in `<projectRoot>/.data/redis` so sessions survive restarts (CLI), or with nothing
 *   on disk in `scratchDir` (tests).
 *
 * @throws MlInternError `redis_unreachable`, `redis_missing` (no redis-server on PATH) or
 *   `redis_start_failed`; each message is one line and never contains a password.
 */
export async function ensureRedis(options: EnsureRedisOptions): Promise<RedisEndpoint> {
  const { log } = options;
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    const url = options.redisUrl;
    const probe = await pingRedis(url);
    if (!probe.ok) {
      throw new MlInternError(
        'redis_unreachable',
        `Redis at ${displayUrl(url)} (REDIS_URL) does not answer: ${probe.reason}.`,
      );
    }
    return { url, stop: () => Promise.resolve() };
  }

  const defaultUrl = options.defaultUrl ?? DEFAULT_REDIS_URL;
  if ((await pingRedis(defaultUrl)).ok) {
    log.info(`Using the Redis at ${displayUrl(defaultUrl)}.`);
    return { url: defaultUrl, stop: () => Promise.resolve() };
  }

  const command = options.redisServerCommand ?? 'redis-server';
  const start = async (dir: string, persistence: 'append-only' | 'none'): Promise<RedisServer> => {
    if (!(await isRunnable(command))) {
      throw new MlInternError(
        'redis_missing',
        `No Redis answers at ${displayUrl(defaultUrl)} and ${command} is not installed: ` +
          'install it (apt-get install redis-server, or brew install redis) or set REDIS_URL to a running Redis.',
      );
    }
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new MlInternError('redis_start_failed', `Cannot create ${dir} for Redis: ${reasonOf(err)}.`);
    }
    return startRedisServer({
      dir,
      persistence,
      // The CLI's server must survive a Ctrl+C meant to interrupt a turn; the test run's dies with it.
      detached: persistence === 'append-only',
      command,
      log,
      ...(options.startTimeoutMs !== undefined ? { startTimeoutMs: options.startTimeoutMs } : {}),
    });
  };

  if (options.scratchDir !== undefined) {
    const server = await start(options.scratchDir, 'none');
    log.info(`Started a private redis-server at ${server.url} (nothing kept on disk).`);
    return server;
  }

  const dataDir = join(options.projectRoot, '.data', 'redis');
  const shared = await runningPrivateServer(dataDir);
  if (shared) {
    log.info(`Using the private Redis at ${shared.url} started by process ${shared.pid} (it stops with it).`);
    return { url: shared.url, stop: () => Promise.resolve() };
  }
  const server = await start(dataDir, 'append-only');
  try {
    await writeState(dataDir, { pid: server.pid, url: server.url });
  } catch (err) {
    await server.stop();
    throw new MlInternError('redis_start_failed', `Cannot write ${dataDir}/${STATE_FILE}: ${reasonOf(err)}.`);
  }
  log.info(`Started a private redis-server at ${server.url} (data in ${dataDir}).`);
  let stopping: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    await server.stop();
    const state = await readState(dataDir);
    if (state?.pid === server.pid) await rm(join(dataDir, STATE_FILE), { force: true });
  };
  return { url: server.url, stop: () => (stopping ??= stop()) };
}

interface ServerState {
  pid: number;
  url: string;
}

/** The private server another CLI process of this project runs, if it still answers. */
async function runningPrivateServer(dataDir: string): Promise<ServerState | undefined> {
  const state = await readState(dataDir);
  if (!state) return undefined;
  // Two servers appending to one directory would corrupt it, so a live one is shared, never doubled.
  return (await pingRedis(state.url, 500)).ok ? state : undefined;
}

async function readState(dataDir: string): Promise<ServerState | undefined> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dataDir, STATE_FILE), 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, url } = parsed as Record<string, unknown>;
    return typeof pid === 'number' && typeof url === 'string' ? { pid, url } : undefined;
  } catch {
    return undefined;
  }
}

async function writeState(dataDir: string, state: ServerState): Promise<void> {
  await writeFile(join(dataDir, STATE_FILE), `${JSON.stringify(state)}\n`);
}
