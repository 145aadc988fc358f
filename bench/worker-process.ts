import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  isWorkerChildMessage,
  WORKER_ENV,
  type ParentMessage,
  type WorkerChildMessage,
} from './worker-protocol.js';

const CHILD_SCRIPTS = {
  app: fileURLToPath(new URL('./worker-child.ts', import.meta.url)),
  bare: fileURLToPath(new URL('./bare-worker-child.ts', import.meta.url)),
  jobwatch: fileURLToPath(new URL('./job-watch-child.ts', import.meta.url)),
} as const;
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface WorkerProcessOptions {
  /**
   * `app`: the runtime's drain worker (worker-child.ts); `bare`: a bare BullMQ worker (the floor);
   * `jobwatch`: an App whose workers watch HF jobs on a loopback Jobs API (job-watch-child.ts).
   */
  kind?: keyof typeof CHILD_SCRIPTS;
  redisUrl: string;
  prefix: string;
  concurrency: number;
  llmDelayMs: number;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

/**
 * A worker child run as `node --import tsx`, not through the tsx CLI: the CLI would put a second
 * process in between, whose RSS is not the worker's and which cannot pass a SIGKILL on.
 */
export class WorkerProcess {
  /** Highest RSS (bytes) the child has reported. */
  peakRss = 0;
  /** RSS (bytes) when the child was ready, before any work. */
  readyRss = 0;
  readonly pid: number;
  private readonly exited: Promise<unknown>;

  private constructor(private readonly child: ChildProcess) {
    if (child.pid === undefined) throw new Error('worker child did not start');
    this.pid = child.pid;
    // A spawn error also ends the child; stop() and kill() must not hang or reject on it.
    this.exited = once(child, 'exit').catch(() => undefined);
    child.on('message', (message: unknown) => {
      if (isWorkerChildMessage(message) && message.type === 'rss')
        this.peakRss = Math.max(this.peakRss, message.peak);
    });
  }

  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    // BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the worker (not allowed in NODE_OPTIONS).
    const extra = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const child = spawn(
      process.execPath,
      [...extra, '--import', 'tsx', CHILD_SCRIPTS[options.kind ?? 'app']],
      {
        cwd: PROJECT_ROOT,
        env: {
          ...process.env,
          ...options.env,
          [WORKER_ENV.redisUrl]: options.redisUrl,
          [WORKER_ENV.prefix]: options.prefix,
          [WORKER_ENV.concurrency]: String(options.concurrency),
          [WORKER_ENV.llmDelayMs]: String(options.llmDelayMs),
        },
        // The child's stdout goes to our stderr: stdout carries only the report.
        stdio: ['ignore', 2, 'inherit', 'ipc'],
      },
    );
    const worker = new WorkerProcess(child);
    const ready = await worker
      .nextMessage('ready', options.readyTimeoutMs ?? 30_000)
      .catch(async (err: unknown) => {
        await worker.kill();
        throw err;
      });
    worker.readyRss = ready.rss;
    worker.peakRss = Math.max(worker.peakRss, ready.rss);
    return worker;
  }

  /** The next IPC message of a type; rejects if the child reports an error or exits first. */
  nextMessage<T extends WorkerChildMessage['type']>(
    type: T,
    timeoutMs: number,
  ): Promise<Extract<WorkerChildMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => fail(new Error(`no "${type}" from worker child within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const onMessage = (message: unknown): void => {
        if (!isWorkerChildMessage(message)) return;
        if (message.type === type) {
          done();
          resolve(message as Extract<WorkerChildMessage, { type: T }>);
        } else if (message.type === 'error') {
          fail(new Error(`worker child failed: ${message.message}`));
        }
      };
      const onExit = (code: number | null): void =>
        fail(new Error(`worker child exited (${code}) before "${type}"`));
      const done = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      const fail = (err: Error): void => {
        done();
        reject(err);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  /** The child's CPU time so far (process.cpuUsage, µs) and RSS, read when asked. */
  async usage(timeoutMs = 5_000): Promise<Extract<WorkerChildMessage, { type: 'usage' }>> {
    const answer = this.nextMessage('usage', timeoutMs);
    const request: ParentMessage = { type: 'usage?' };
    this.child.send(request);
    return answer;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL: the crash case; resolves once the process is gone. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait; SIGKILL if it does not leave within `timeoutMs`. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Milliseconds of CPU (user and system, all threads) between two `usage` answers of one child. */
export function cpuMsBetween(
  before: { userUs: number; systemUs: number },
  after: { userUs: number; systemUs: number },
): number {
  return (after.userUs + after.systemUs - before.userUs - before.systemUs) / 1000;
}
