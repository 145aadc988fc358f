import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { redactDeep } from '../core/redact.js';
import { redactKey } from '../llm/redact-key.js';
import type { EventBody } from '../core/events.js';
import type { OperationQueue } from '../queue/operation-queue.js';
import type { EventStore } from '../store/event-store.js';
import type { KeySpace } from '../store/keys.js';
import type { SessionStore } from '../store/session-store.js';
import type { SpendLedger } from '../store/spend-ledger.js';
import { JobsApi } from '../tools/jobs/jobs-api.js';
import { jobUrl } from '../tools/jobs/job-format.js';
import { isTerminalStage, type JobInfo } from '../tools/jobs/jobs-shapes.js';
import { jobElapsedSeconds } from '../tools/jobs/cost.js';
import type { ServiceEndpoints } from '../tools/tool-services.js';
import { watchedJobSchema, watchField, type WatchedJob, type WatchRequest } from './watched-job.js';

export interface JobWatcherOptions {
  redisUrl: string;
  connection: Redis;
  keys: KeySpace;
  hub: ServiceEndpoints['hub'];
  events: EventStore;
  sessions: SessionStore;
  operations: OperationQueue;
  spend: SpendLedger;
  logger: Logger;
  redact: (text: string) => string;
  /** Every BullMQ worker of the deployment shares one stalled interval. */
  stalledIntervalMs: number;
  lockMs: number;
  /** How often a running job is read (its end is noticed within this). Default 5 s. */
  pollMs?: number;
  /** The card is sent at most this often while the stage does not change. Default 10 s. */
  cardEveryMs?: number;
  /** Reads of the Hub per job that may fail in a row before the watch gives up. Default 60. */
  maxFailures?: number;
}

const TICK = 'tick';
/** One tick of one job's chain: which job, and the tick's number (its BullMQ id). */
interface TickData {
  field: string;
  n: number;
}
const NO_TOKENS = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
/** Lines of log on the card while running, and in the session's note at the end. */
const CARD_LOG_LINES = 6;
/** Ticks one worker runs at once: 500 watched jobs polled every 5 s fit with room to spare. */
const TICK_CONCURRENCY = 200;
const FINAL_LOG_LINES = 30;

/**
 * Follows every launched job until it ends, on any worker, across restarts: each job is a chain of
 * BullMQ delayed jobs (one "tick" every `pollMs`), and its state a Redis hash field, so no worker
 * waits for a job and a restarted worker picks the chain up where it was. Each tick reads the job's
 * stage; the card (`job_update`) goes out on a stage change and at most every `cardEveryMs`. At the
 * end the session's cost gets the real duration × price instead of the estimate, and a
 * `job_finished` operation enters the session's mailbox so the intern reports without being asked.
 */
export class JobWatcher {
  private readonly queue: Queue;
  private worker: Worker<TickData> | undefined;
  private readonly pollMs: number;
  private readonly cardEveryMs: number;
  private readonly maxFailures: number;

  /** The process's redactor, plus the Hub token itself (a job's logs may print it). */
  private readonly redact: (text: string) => string;

  constructor(private readonly options: JobWatcherOptions) {
    this.redact = redactKey(options.hub.token, options.redact);
    this.pollMs = options.pollMs ?? 5_000;
    this.cardEveryMs = options.cardEveryMs ?? 10_000;
    this.maxFailures = options.maxFailures ?? 60;
    this.queue = new Queue(queueName(options.keys.prefix), {
      connection: options.connection,
      prefix: options.keys.queuePrefix,
    });
    this.queue.on('error', (err) => options.logger.warn({ err }, 'job watch queue error'));
  }

  /** Starts following a job (idempotent: a job already followed keeps its chain). */
  async watch(sessionId: string, request: WatchRequest): Promise<void> {
    const field = watchField(request.namespace, request.jobId);
    const record: WatchedJob = { sessionId, ...request, failures: 0 };
    const added = await this.options.connection.hsetnx(this.hashKey(), field, JSON.stringify(record));
    if (added === 0) return;
    await this.schedule(field, 0, 0);
    this.options.logger.info({ sessionId, jobId: request.jobId }, 'watching job');
  }

  /** Takes ticks in this process (workers only; gateways never watch). */
  start(): void {
    if (this.worker) return;
    this.worker = new Worker<TickData>(queueName(this.options.keys.prefix), (job) => this.tick(job), {
      connection: { url: this.options.redisUrl, maxRetriesPerRequest: null },
      prefix: this.options.keys.queuePrefix,
      // Ticks wait on the Hub (a read, a log tail of up to a second): many run at once per worker.
      concurrency: TICK_CONCURRENCY,
      lockDuration: this.options.lockMs,
      stalledInterval: this.options.stalledIntervalMs,
      maxStalledCount: 1_000,
    });
    this.worker.on('error', (err) => this.options.logger.warn({ err }, 'job watch worker error'));
  }

  async close(): Promise<void> {
    await this.worker?.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }

  private async tick(job: Job<TickData>): Promise<void> {
    if (job.name !== TICK) return;
    const { field, n } = job.data;
    const record = await this.load(field);
    if (!record) return; // ended, or never recorded
    const api = new JobsApi(this.options.hub, { timeoutMs: 15_000 });
    let info: JobInfo;
    try {
      info = await api.get(record.namespace, record.jobId);
    } catch (err) {
      const status = (err as { status?: unknown }).status;
      if (status === 404) return this.finish(record, field, undefined, 'DELETED', api);
      const failures = record.failures + 1;
      this.options.logger.warn({ err, jobId: record.jobId, failures }, 'job watch could not read the job');
      if (failures >= this.maxFailures) return this.finish(record, field, undefined, 'UNKNOWN', api);
      await this.save(field, { ...record, failures });
      return this.schedule(field, n + 1, this.pollMs);
    }
    const stage = info.status.stage.toUpperCase();
    if (isTerminalStage(stage)) return this.finish(record, field, info, stage, api);
    const now = Date.now();
    const due = stage !== record.lastStage || now - (record.lastCardAtMs ?? 0) >= this.cardEveryMs;
    if (due) {
      const tail = await api
        .logTail(record.namespace, record.jobId, { keep: CARD_LOG_LINES, idleMs: 250, maxMs: 1_500 })
        .catch(() => ({ lines: [] as string[] }));
      await this.emit(record.sessionId, this.card(record, info, stage, tail.lines, false));
      await this.save(field, { ...record, failures: 0, lastStage: stage, lastCardAtMs: now });
    }
    await this.schedule(field, n + 1, this.pollMs);
  }

  /** The job ended: the final card, the real cost, and the session told. */
  private async finish(
    record: WatchedJob,
    field: string,
    info: JobInfo | undefined,
    stage: string,
    api: JobsApi,
  ): Promise<void> {
    const tail = await api
      .logTail(record.namespace, record.jobId, { keep: FINAL_LOG_LINES, idleMs: 500, maxMs: 3_000 })
      .catch(() => ({ lines: [] as string[] }));
    const elapsed = info ? jobElapsedSeconds(info) : undefined;
    const cost =
      elapsed !== undefined && record.usdPerSecond !== undefined ? elapsed * record.usdPerSecond : undefined;
    // Each step of the end happens once, even when a tick is re-run after a crash: the cost is
    // settled and the final card sent under one claim, the session told under another, and the
    // watch is dropped last, so a crash in between repeats nothing and loses nothing.
    const settled = await this.claim(`${field}:settled`);
    if (settled && cost !== undefined) {
      const delta = cost - (record.estimateUsd ?? 0);
      await this.options.sessions.addSpend(record.sessionId, NO_TOKENS, delta);
      if (delta > 0) {
        const owner = (await this.options.sessions.get(record.sessionId))?.owner ?? '';
        await this.options.spend.add(owner, delta);
      }
    }
    const card = info
      ? this.card(record, info, stage, tail.lines.slice(-CARD_LOG_LINES), true)
      : { ...this.emptyCard(record, stage), final: true };
    if (settled) await this.emit(record.sessionId, card);
    const session = await this.options.sessions.get(record.sessionId);
    await this.options.operations.submitOnce(
      record.sessionId,
      {
        type: 'job_finished',
        namespace: record.namespace,
        jobId: record.jobId,
        stage,
        flavor: record.flavor,
        ...(elapsed !== undefined ? { elapsedSeconds: elapsed } : {}),
        ...(cost !== undefined ? { costUsd: cost } : {}),
        logTail: tail.lines.map((line) => this.redact(line).slice(0, 2_000)),
      },
      session?.owner,
      `${this.hashKey()}:reported:${field}`,
    );
    await this.options.connection.hdel(this.hashKey(), field);
    this.options.logger.info({ sessionId: record.sessionId, jobId: record.jobId, stage }, 'job ended');
  }

  private card(
    record: WatchedJob,
    info: JobInfo,
    stage: string,
    logTail: string[],
    final: boolean,
  ): Extract<EventBody, { type: 'job_update' }> {
    const elapsed = jobElapsedSeconds(info) ?? 0;
    return {
      type: 'job_update',
      namespace: record.namespace,
      jobId: record.jobId,
      url: jobUrl(record.namespace, record.jobId),
      stage,
      ...(info.status.message ? { message: info.status.message } : {}),
      flavor: record.flavor,
      elapsedSeconds: elapsed,
      costSoFarUsd: record.usdPerSecond === undefined ? null : elapsed * record.usdPerSecond,
      logTail,
      final,
    };
  }

  private emptyCard(record: WatchedJob, stage: string): Extract<EventBody, { type: 'job_update' }> {
    return {
      type: 'job_update',
      namespace: record.namespace,
      jobId: record.jobId,
      url: jobUrl(record.namespace, record.jobId),
      stage,
      flavor: record.flavor,
      elapsedSeconds: 0,
      costSoFarUsd: null,
      logTail: [],
      final: false,
    };
  }

  private async emit(sessionId: string, body: EventBody): Promise<void> {
    await this.options.events.emit(sessionId, redactDeep(this.redact, body));
  }

  private async schedule(field: string, n: number, delayMs: number): Promise<void> {
    // A fresh id per tick: BullMQ ignores an add whose id is taken, which is how a tick retried
    // after a crash does not fork the chain.
    await this.queue.add(
      TICK,
      { field, n },
      {
        jobId: `${field.replace(/[:/]/g, '_')}_${n}`,
        delay: delayMs,
        removeOnComplete: true,
        removeOnFail: 100,
      },
    );
  }

  private async load(field: string): Promise<WatchedJob | undefined> {
    const raw = await this.options.connection.hget(this.hashKey(), field);
    if (raw === null) return undefined;
    const parsed = watchedJobSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  }

  private async save(field: string, record: WatchedJob): Promise<void> {
    // Only while still watched: the end may have been claimed meanwhile.
    if ((await this.options.connection.hexists(this.hashKey(), field)) === 1) {
      await this.options.connection.hset(this.hashKey(), field, JSON.stringify(record));
    }
  }

  /** True the first time `name` is claimed (kept a day). */
  private async claim(name: string): Promise<boolean> {
    return (await this.options.connection.set(`${this.hashKey()}:${name}`, '1', 'EX', 86_400, 'NX')) === 'OK';
  }

  private hashKey(): string {
    return `${this.options.keys.prefix}:jobwatch`;
  }
}

export function jobWatchQueueName(prefix: string): string {
  return queueName(prefix);
}

function queueName(prefix: string): string {
  return `${prefix}-jobwatch`;
}
