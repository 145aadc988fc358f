import { WORKER_ENV, type ParentMessage, type WorkerChildMessage } from './worker-protocol.js';

const RSS_REPORT_MS = 50;

/** The plumbing every bench worker child shares: IPC to the parent, env settings, RSS, shutdown. */
export function sendToParent(message: WorkerChildMessage): void {
  if (process.connected) process.send?.(message);
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set`);
  return value;
}

export interface ChildSettings {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  delayMs: number;
}

export function childSettings(): ChildSettings {
  return {
    redisUrl: requiredEnv(WORKER_ENV.redisUrl),
    prefix: requiredEnv(WORKER_ENV.prefix),
    concurrency: Number(requiredEnv(WORKER_ENV.concurrency)),
    delayMs: Number(process.env[WORKER_ENV.llmDelayMs] ?? '0'),
  };
}

/**
 * Reports RSS (and its peak) every 50 ms, answers `usage?` with its CPU time, says `ready`, and closes via `close` on SIGTERM or when
 * the parent goes away: an orphaned worker would take the jobs of the next run.
 */
export function runAsChild(close: () => Promise<void>): void {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    peak = Math.max(peak, rss);
    sendToParent({ type: 'rss', rss, peak });
  }, RSS_REPORT_MS);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    clearInterval(sampler);
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // CPU is read when the parent asks, so that a measured window starts and ends when it says.
  process.on('message', (message: unknown) => {
    if ((message as ParentMessage | undefined)?.type !== 'usage?') return;
    const { user, system } = process.cpuUsage();
    sendToParent({ type: 'usage', userUs: user, systemUs: system, rss: process.memoryUsage.rss() });
  });
  process.on('SIGTERM', stop);
  process.on('disconnect', stop);
  sendToParent({ type: 'ready', rss: peak });
}

export function failChild(err: unknown): never {
  sendToParent({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
}
