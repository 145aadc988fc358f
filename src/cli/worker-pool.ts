import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { MlInternError } from '../core/errors.js';
import type { ProcessMetrics } from '../metrics/prometheus-metrics.js';

/** Set in a pool child's environment: it runs `worker` for a parent that owns the ops endpoints. */
export const WORKER_CHILD_ENV = 'ML_INTERN_WORKER_CHILD';

/** A child that dies is started again after this long (doubling while it keeps dying, up to the max). */
const RESTART_MS = 1_000;
const MAX_RESTART_MS = 30_000;
/** A child that ran this long before dying is not "crash-looping": its next restart is quick again. */
const HEALTHY_RUN_MS = 60_000;
/** How long a metrics request to a child may take before the scrape goes on without it. */
const METRICS_TIMEOUT_MS = 2_000;

/** What a pool child tells its parent over the IPC channel. */
export type WorkerChildMessage = { type: 'ready' } | { type: 'metrics'; id: number; metrics: ProcessMetrics };

/** What the parent asks a pool child. */
export type WorkerParentMessage = { type: 'metrics'; id: number };

export interface WorkerPoolOptions {
  processes: number;
  /** The CLI entry (`process.argv[1]`) and the arguments that make it a worker. */
  entry: string;
  args: readonly string[];
  /** Node flags (the tsx loader when run from source): `process.execArgv`. */
  execArgv: readonly string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** How long a child may take to hand its turns on after SIGTERM before it is killed. */
  stopGraceMs: number;
}

interface Slot {
  index: number;
  child: ChildProcess | undefined;
  ready: boolean;
  startedAt: number;
  restartMs: number;
  restartTimer?: NodeJS.Timeout;
}

/**
 * The worker processes of `start`: turns run in children (one per core by default) so that the
 * gateway's event loop only receives events and renders them, and a Slack ack never waits behind a
 * running turn. Each child is the `worker` command; a child that dies is restarted (its drain jobs
 * are taken over by the others through BullMQ's stalled-job check meanwhile). Stopping sends SIGTERM
 * and waits for each child's graceful shutdown; a child whose parent disappears stops by itself
 * (the IPC channel closes), so no worker outlives the command.
 */
export class WorkerPool {
  private readonly slots: Slot[];
  private stopping = false;
  private nextMetricsId = 0;
  private readonly metricsWaiters = new Map<number, (metrics: ProcessMetrics) => void>();

  constructor(private readonly options: WorkerPoolOptions) {
    this.slots = Array.from({ length: options.processes }, (_, index) => ({
      index,
      child: undefined,
      ready: false,
      startedAt: 0,
      restartMs: RESTART_MS,
    }));
  }

  /** Starts every child and resolves once all of them take operations (rejects if one cannot start). */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.spawn(slot, true)));
  }

  /** True while every child is up and taking operations (for `/readyz`). */
  connected(): boolean {
    return !this.stopping && this.slots.every((s) => s.ready);
  }

  get pids(): number[] {
    return this.slots.flatMap((s) => (s.child?.pid !== undefined ? [s.child.pid] : []));
  }

  /** Every running child's metrics, for the parent's `/metrics` (a child that does not answer is left out). */
  async childMetrics(): Promise<ProcessMetrics[]> {
    const asked = this.slots
      .filter((s) => s.ready && s.child?.connected)
      .map((s) => {
        const id = this.nextMetricsId++;
        return new Promise<ProcessMetrics | undefined>((resolve) => {
          const timer = setTimeout(() => {
            this.metricsWaiters.delete(id);
            resolve(undefined);
          }, METRICS_TIMEOUT_MS);
          this.metricsWaiters.set(id, (metrics) => {
            clearTimeout(timer);
            resolve(metrics);
          });
          s.child!.send({ type: 'metrics', id } satisfies WorkerParentMessage, (err) => {
            if (err) {
              clearTimeout(timer);
              this.metricsWaiters.delete(id);
              resolve(undefined);
            }
          });
        });
      });
    return (await Promise.all(asked)).filter((m) => m !== undefined);
  }

  /** SIGTERM to every child, then waits for them (SIGKILL after the grace period). */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    await Promise.all(
      this.slots.map(async (slot) => {
        const child = slot.child;
        if (!child || child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          this.options.logger.warn(
            { worker: slot.index, childPid: child.pid },
            'worker did not stop in time; killed',
          );
          child.kill('SIGKILL');
        }, this.options.stopGraceMs);
        await exited;
        clearTimeout(timer);
      }),
    );
  }

  private spawn(slot: Slot, first: boolean): Promise<void> {
    const { options } = this;
    const child = fork(options.entry, [...options.args], {
      execArgv: [...options.execArgv],
      env: { ...options.env, [WORKER_CHILD_ENV]: '1' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.child = child;
    slot.ready = false;
    slot.startedAt = Date.now();
    return new Promise<void>((resolve, reject) => {
      child.on('message', (message: WorkerChildMessage) => {
        if (message?.type === 'ready') {
          slot.ready = true;
          options.logger.info({ worker: slot.index, childPid: child.pid }, 'worker process ready');
          resolve();
        } else if (message?.type === 'metrics') {
          const waiter = this.metricsWaiters.get(message.id);
          this.metricsWaiters.delete(message.id);
          waiter?.(message.metrics);
        }
      });
      child.on('error', (err) => options.logger.error({ err, worker: slot.index }, 'worker process error'));
      child.on('exit', (code, signal) => {
        const wasReady = slot.ready;
        slot.ready = false;
        if (this.stopping) return;
        const how = signal ?? `code ${code}`;
        if (first && !wasReady) {
          // Never became ready: the same failure would repeat (a bad config, Redis away); the
          // command fails with the child's own message above this one.
          reject(
            new MlInternError(
              'worker_start',
              `worker process ${slot.index} exited (${how}) before it was ready; its reason is in the log above`,
            ),
          );
          return;
        }
        const waitMs = Date.now() - slot.startedAt > HEALTHY_RUN_MS ? RESTART_MS : slot.restartMs;
        slot.restartMs = Math.min(waitMs * 2, MAX_RESTART_MS);
        options.logger.error(
          { worker: slot.index, childPid: child.pid, exit: how, restartInMs: waitMs },
          'worker process exited; restarting it',
        );
        slot.restartTimer = setTimeout(() => {
          void this.spawn(slot, false).catch(() => undefined);
        }, waitMs);
      });
    });
  }
}
