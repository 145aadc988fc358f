import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { Redis } from 'ioredis';

import { freePort } from './free-port.js';
import { DEFAULT_REDIS_URL } from '../config/environment.js';
import { MlInternError } from '../core/errors.js';

/** The few log lines the Redis bootstrap writes (a pino logger fits). */
export interface LocalRedisLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link ensureRedis}. */
export interface EnsureRedisOptions {
  /** `REDIS_URL`; unset means "the local default, else a private redis-server". */
  redisUrl?: string | undefined;
  /** The private server keeps its data in `<projectRoot>/.data/redis`. */
  projectRoot: string;
  log: LocalRedisLog;
  /** Probed when `redisUrl` is unset. Injectable so tests can pretend nothing listens there. */
  defaultUrl?: string;
  /** The server binary (name on PATH or a path); injectable for tests. */
  redisServerCommand?: string;
  /** How long a private server may take to answer its first PING. */
  startTimeoutMs?: number;
}

/** A Redis to connect to, and how to release it. */
export interface RedisEndpoint {
  readonly url: string;
  /** Shuts down a private server this call started (waiting for its exit); a no-op otherwise. */
  stop(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2_000;
const STOP_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;
const STATE_FILE = 'server.json';

/**
 * Finds a Redis for the CLI, so `ml-intern-bot chat` works on a laptop with nothing configured.
 *
 * - `REDIS_URL` set: it must answer a PING, else `redis_unreachable` (an operator's explicit choice is
 *   never silently replaced).
 * - unset: the default URL if it answers; else a private server another CLI process already started for
 *   this project; else a new private `redis-server` on a free loopback port, with an append-only file in
 *   `<projectRoot>/.data/redis` so sessions survive restarts.
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

  const dataDir = join(options.projectRoot, '.data', 'redis');
  const shared = await runningPrivateServer(dataDir);
  if (shared) {
    log.info(`Using the private Redis at ${shared.url} started by process ${shared.pid} (it stops with it).`);
    return { url: shared.url, stop: () => Promise.resolve() };
  }

  const command = options.redisServerCommand ?? 'redis-server';
  if (!(await isRunnable(command))) {
    throw new MlInternError(
      'redis_missing',
      `No Redis answers at ${displayUrl(defaultUrl)} and ${command} is not installed: ` +
        'install it (apt-get install redis-server, or brew install redis) or set REDIS_URL to a running Redis.',
    );
  }
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (err) {
    throw new MlInternError('redis_start_failed', `Cannot create ${dataDir} for Redis: ${reasonOf(err)}.`);
  }
  return startPrivateServer(command, dataDir, options.startTimeoutMs ?? 5_000, log);
}

type Probe = { ok: true } | { ok: false; reason: string };

/** One PING under one deadline, no retries, no offline queue: it answers now or counts as down. */
async function pingRedis(url: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<Probe> {
  let client: Redis | undefined;
  // The socket error (ECONNREFUSED, ENOTFOUND, ...) arrives as an event; the rejected promise only
  // says "Connection is closed", which would not help anyone fix REDIS_URL.
  let socketError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  // ioredis sends its own commands on connect, each with its own timeout; one deadline bounds them all.
  const deadline = new Promise<Probe>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const attempt = (async (): Promise<Probe> => {
    try {
      client = new Redis(url, {
        lazyConnect: true,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        enableOfflineQueue: false,
      });
      // Also keeps ioredis from printing every failure to stderr as an unhandled error event.
      client.on('error', (err) => {
        socketError ??= reasonOf(err);
      });
      await client.connect();
      const reply = await client.ping();
      return reply === 'PONG'
        ? { ok: true }
        : { ok: false, reason: `unexpected reply ${JSON.stringify(reply)}` };
    } catch (err) {
      return { ok: false, reason: socketError ?? reasonOf(err) };
    }
  })();
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
    client?.disconnect();
  }
}

async function startPrivateServer(
  command: string,
  dataDir: string,
  timeoutMs: number,
  log: LocalRedisLog,
): Promise<RedisEndpoint> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const args = ['--dir', dataDir, '--appendonly', 'yes', '--bind', '127.0.0.1', '--port', String(port)];
    // Its own process group (detached): a Ctrl+C meant to interrupt a turn in `chat` must not kill Redis.
    const child = spawn(command, [...args, '--save', ''], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    const outcome = await waitUntilAnswering(() => isGone(child, output), url, timeoutMs);
    if (outcome === 'ready') {
      await writeState(dataDir, { pid: child.pid ?? 0, url });
      log.info(`Started a private redis-server at ${url} (data in ${dataDir}).`);
      let stopping: Promise<void> | undefined;
      return { url, stop: () => (stopping ??= stopServer(child, dataDir, log)) };
    }
    await stopServer(child, dataDir, log);
    const tail = output.lines().slice(-3).join(' | ');
    // The free port can be taken between probing it and Redis binding it; another port fixes that.
    if (outcome === 'exited' && /address already in use/i.test(tail) && attempt < START_ATTEMPTS) continue;
    const why = outcome === 'exited' ? 'exited at start' : `did not answer within ${timeoutMs} ms`;
    throw new MlInternError('redis_start_failed', `${command} ${why}${tail ? `: ${tail}` : '.'}`);
  }
}

async function waitUntilAnswering(
  gone: () => boolean,
  url: string,
  timeoutMs: number,
): Promise<'ready' | 'exited' | 'timeout'> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone()) return 'exited';
    if ((await pingRedis(url, 250)).ok) return 'ready';
    await sleep(50);
  }
  return gone() ? 'exited' : 'timeout';
}

async function stopServer(child: ChildProcess, dataDir: string, log: LocalRedisLog): Promise<void> {
  if (!hasExited(child) && child.pid !== undefined) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    // SIGTERM makes Redis flush the append-only file before it exits.
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      log.warn(`redis-server (pid ${child.pid}) ignored SIGTERM for ${STOP_TIMEOUT_MS} ms; killing it.`);
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    try {
      await exited;
    } finally {
      clearTimeout(timer);
    }
  }
  const state = await readState(dataDir);
  if (state?.pid === child.pid) await rm(join(dataDir, STATE_FILE), { force: true });
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Exited, or never started (a spawn error leaves no exit code to look at). */
function isGone(child: ChildProcess, output: ChildOutput): boolean {
  return hasExited(child) || output.spawnFailed();
}

interface ChildOutput {
  lines(): string[];
  spawnFailed(): boolean;
}

/** Drains the child's pipes (a full pipe would block Redis) and keeps the last lines for errors. */
function collectOutput(child: ChildProcess): ChildOutput {
  const lines: string[] = [];
  let failed = false;
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() !== '') lines.push(line.trim());
    }
    if (lines.length > 20) lines.splice(0, lines.length - 20);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // Spawn errors surface as an early exit; the listener also stops them from being thrown.
  child.on('error', (err) => {
    failed = true;
    lines.push(reasonOf(err));
  });
  return { lines: () => lines, spawnFailed: () => failed };
}

/** True when `command --version` runs, i.e. the binary exists and is executable. */
function isRunnable(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
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

/** The URL as it may appear in a message: the password masked. */
function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparseable URL)';
  }
}

function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]?.replace(/\.$/, '') ?? 'unknown error';
}
