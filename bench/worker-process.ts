import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { isWorkerChildMessage, WORKER_ENV } from './worker-protocol.js';

const CHILD_SCRIPT = fileURLToPath(new URL('./worker-child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface WorkerProcessOptions {
  redisUrl: string;
  prefix: string;
  concurrency: number;
  llmDelayMs: number;
  readyTimeoutMs?: number;
}

/**
 * A worker child (`worker-child.ts`) run as `node --import tsx`, not through the tsx CLI: the CLI
 * would put a second process in between, whose RSS is not the worker's and which cannot pass a
 * SIGKILL on.
 */
export class WorkerProcess {
  /** Highest RSS (bytes) the child has reported. */
  peakRss = 0;
  /** RSS (bytes) when the child was ready, before any work. */
  readyRss = 0;
  readonly pid: number;
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;

  private constructor(child: ChildProcess) {
    this.child = child;
    if (child.pid === undefined) throw new Error('worker child did not start');
    this.pid = child.pid;
    this.exited = once(child, 'exit');
    child.on('message', (message: unknown) => {
      if (isWorkerChildMessage(message) && message.type === 'rss') this.peakRss = Math.max(this.peakRss, message.peak);
    });
  }

  static async start(options: WorkerProcessOptions): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD_SCRIPT], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        [WORKER_ENV.redisUrl]: options.redisUrl,
        [WORKER_ENV.prefix]: options.prefix,
        [WORKER_ENV.concurrency]: String(options.concurrency),
        [WORKER_ENV.llmDelayMs]: String(options.llmDelayMs),
      },
      // The child's stdout goes to our stderr: stdout carries only the report.
      stdio: ['ignore', 2, 'inherit', 'ipc'],
    });
    const worker = new WorkerProcess(child);
    await worker.ready(options.readyTimeoutMs ?? 30_000);
    return worker;
  }

  private ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`worker child not ready after ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (message: unknown): void => {
        if (!isWorkerChildMessage(message)) return;
        if (message.type === 'ready') {
          done();
          this.readyRss = message.rss;
          this.peakRss = Math.max(this.peakRss, message.rss);
          resolve();
        } else if (message.type === 'error') {
          fail(new Error(`worker child failed: ${message.message}`));
        }
      };
      const onExit = (code: number | null): void => fail(new Error(`worker child exited (${code}) before ready`));
      const done = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      const fail = (err: Error): void => {
        done();
        this.child.kill('SIGKILL');
        reject(err);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
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
