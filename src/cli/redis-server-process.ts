import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

import { freePort } from './free-port.js';
import { pingRedis, reasonOf } from './redis-probe.js';
import { MlInternError } from '../core/errors.js';

/** The few log lines starting and stopping a private Redis writes (a pino logger fits). */
export interface LocalRedisLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** The server's working directory (`--dir`): its data files, when it keeps any, go there. */
  dir: string;
  /**
   * `append-only`: an append-only file in `dir`, so data survives a restart (the CLI's server);
   * `none`: nothing on disk, no AOF and no RDB snapshots (the test run's throwaway server).
   */
  persistence: 'append-only' | 'none';
  /**
   * Run in its own process group, so a Ctrl+C meant for the parent (interrupting a turn in `chat`)
   * does not reach Redis. Without it the server dies with its parent's terminal session.
   */
  detached: boolean;
  log: LocalRedisLog;
  /** The server binary (name on PATH or a path). Default `redis-server`. */
  command?: string;
  /** How long the server may take to answer its first PING. Default 5 s. */
  startTimeoutMs?: number;
}

/** A running private redis-server. */
export interface RedisServer {
  readonly url: string;
  readonly pid: number;
  /** Shuts the server down (SIGTERM, then SIGKILL after 10 s) and waits for its exit; idempotent. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;
const START_ATTEMPTS = 3;

/**
 * Starts a private `redis-server` on a free loopback port, with `dir` as its directory, and waits
 * until it answers. The one way this project starts a Redis of its own: `npm start` / `chat` when
 * nothing answers, and `npm test` on a machine without a Redis.
 *
 * @throws MlInternError `redis_start_failed` (one line, with the server's last output lines).
 */
export async function startRedisServer(options: RedisServerOptions): Promise<RedisServer> {
  const command = options.command ?? 'redis-server';
  const timeoutMs = options.startTimeoutMs ?? 5_000;
  const persistence =
    options.persistence === 'append-only' ? ['--appendonly', 'yes'] : ['--appendonly', 'no'];
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    const args = ['--dir', options.dir, ...persistence, '--bind', '127.0.0.1', '--port', String(port)];
    const child = spawn(command, [...args, '--save', ''], {
      detached: options.detached,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collectOutput(child);
    const outcome = await waitUntilAnswering(() => isGone(child, output), url, timeoutMs);
    if (outcome === 'ready') {
      let stopping: Promise<void> | undefined;
      return {
        url,
        pid: child.pid ?? 0,
        stop: () => (stopping ??= stopChild(child, options.log)),
      };
    }
    await stopChild(child, options.log);
    const tail = output.lines().slice(-3).join(' | ');
    // The free port can be taken between probing it and Redis binding it; another port fixes that.
    if (outcome === 'exited' && /address already in use/i.test(tail) && attempt < START_ATTEMPTS) continue;
    const why = outcome === 'exited' ? 'exited at start' : `did not answer within ${timeoutMs} ms`;
    throw new MlInternError('redis_start_failed', `${command} ${why}${tail ? `: ${tail}` : '.'}`);
  }
}

/** True when `command --version` runs, i.e. the binary exists and is executable. */
export function isRunnable(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, ['--version'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
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

async function stopChild(child: ChildProcess, log: LocalRedisLog): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
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
