import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ToolStateStore } from '../../../core/tool-spec.js';
import type { SandboxManager } from './sandbox-manager.js';

export interface IdleReaperOptions {
  redisUrl: string;
  connection: Redis;
  /** The key prefix (`redis.prefix`) and the hash-tagged BullMQ prefix. */
  prefix: string;
  queuePrefix: string;
  /** A session's tool state, outside any turn (the check runs between turns). */
  stateOf(sessionId: string): ToolStateStore;
  logger: Logger;
  lockMs: number;
  stalledIntervalMs: number;
}

interface CheckData {
  sessionId: string;
  jobId: string;
  n: number;
}

const CHECK = 'idle-check';
/** A check whose cancel failed (the Hub away) is tried again this much later. */
const RETRY_MS = 30_000;

/**
 * Cancels a session's sandbox after `code.sandboxIdleMinutes` without use, on any worker and across
 * restarts: one chain of BullMQ delayed jobs per sandbox (as the job watcher's ticks). Each check
 * reads the session's record: still used since, it re-arms for the new due time; idle, it cancels.
 * A Redis marker makes the chain start once per sandbox, however many calls touch it.
 */
export class SandboxIdleReaper {
  private readonly queue: Queue<CheckData>;
  private worker: Worker<CheckData> | undefined;
  private manager: SandboxManager | undefined;

  constructor(private readonly options: IdleReaperOptions) {
    this.queue = new Queue(queueName(options.prefix), {
      connection: options.connection,
      prefix: options.queuePrefix,
    });
    this.queue.on('error', (err) => options.logger.warn({ err }, 'sandbox idle queue error'));
  }

  /** The manager whose sandboxes this reaper cancels (they are built together). */
  bind(manager: SandboxManager): void {
    this.manager = manager;
  }

  /** Starts the chain for this sandbox, unless it already runs. */
  async schedule(sessionId: string, jobId: string, dueAtMs: number): Promise<void> {
    const marker = this.marker(sessionId, jobId);
    const first = await this.options.connection.set(marker, '1', 'EX', 2 * 86_400, 'NX');
    if (first !== 'OK') return;
    await this.add({ sessionId, jobId, n: 0 }, dueAtMs - Date.now());
  }

  /** Takes checks in this process (workers only). */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker<CheckData>(queueName(this.options.prefix), (job) => this.check(job), {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix: this.options.queuePrefix,
      concurrency: 20,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.stalledIntervalMs,
      maxStalledCount: 1_000,
    });
    this.worker.on('error', (err) => this.options.logger.warn({ err }, 'sandbox idle worker error'));
  }

  async close(): Promise<void> {
    await this.worker?.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }

  private async check(job: Job<CheckData>): Promise<void> {
    const manager = this.manager;
    if (job.name !== CHECK || !manager) return;
    const { sessionId, jobId, n } = job.data;
    const state = this.options.stateOf(sessionId);
    const record = await manager.current(state);
    if (!record || record.jobId !== jobId) {
      await this.options.connection.del(this.marker(sessionId, jobId));
      return;
    }
    const dueAtMs = record.lastUsedMs + manager.idleMs;
    if (Date.now() < dueAtMs) return this.add({ sessionId, jobId, n: n + 1 }, dueAtMs - Date.now());
    try {
      await manager.release(sessionId, state, 'idle', jobId);
      await this.options.connection.del(this.marker(sessionId, jobId));
    } catch (err) {
      this.options.logger.warn(
        { err, sessionId, jobId },
        'idle sandbox could not be cancelled; trying again',
      );
      await this.add({ sessionId, jobId, n: n + 1 }, RETRY_MS);
    }
  }

  private async add(data: CheckData, delayMs: number): Promise<void> {
    // A fresh id per check: a check retried after a crash re-adds the same id, which BullMQ ignores.
    await this.queue.add(CHECK, data, {
      jobId: `${data.sessionId}_${data.jobId}_${data.n}`.replace(/[:/]/g, '_'),
      delay: Math.max(0, delayMs),
      removeOnComplete: true,
      removeOnFail: 100,
    });
  }

  private marker(sessionId: string, jobId: string): string {
    return `${this.options.prefix}:sandbox-idle:${sessionId}:${jobId}`;
  }
}

function queueName(prefix: string): string {
  return `${prefix}-sandbox-idle`;
}
