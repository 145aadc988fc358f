import { anySignal } from 'any-signal';
import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { operationEnvelopeSchema, type OperationEnvelope } from '../core/operations.js';
import type { KeySpace } from '../store/keys.js';
import { DRAIN_JOB, drainJobSchema, drainQueueName, type DrainJobData } from './drain-queue.js';
import { hashOf, type SessionLocks } from './session-locks.js';
import type { OperationQueue } from './operation-queue.js';
import { throttledErrorLog } from './redis-connection.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { closeWithin } from './close-within.js';
import {
  FencedWrites,
  LockLostError,
  UNLOCK_IF_EMPTY,
  type Fence,
  type Write,
} from '../store/fenced-writes.js';

/** Turns one BullMQ fetch loop serves before another is added, and the most loops a process runs. */
const TURNS_PER_FETCHER = 50;
const MAX_FETCHERS = 8;
/** How long after the grace period a worker's close may take before it is forced. */
const FORCE_CLOSE_MARGIN_MS = 5_000;
/** Once no turn runs, how long BullMQ's own close may take before it is forced. */
const IDLE_CLOSE_MS = 1_000;

/** What a drain hands its handler with one operation. */
export interface OperationRun {
  /** Aborts when the worker stops or the lock is lost: stop at a safe point. */
  stop: AbortSignal;
  /** The session lock the run's writes are checked against. */
  fence: Fence;
  /** The session hash, read with the lock or with the previous operation's removal. */
  session: Record<string, string>;
  /**
   * Removes the operation from the mailbox. Called in the same tick as the operation's last
   * writes, both reach Redis in one script; when the handler does not call it, the worker does.
   */
  finish: () => Promise<void>;
}

/** What the worker calls for each operation, in mailbox order. */
export interface OperationHandler {
  /**
   * Runs one operation to its end, or to a pause for approval. Returns `yielded` when `stop` aborted
   * it midway: the operation then stays at the head of the mailbox and is resumed by the next drain.
   */
  handle(envelope: OperationEnvelope, run: OperationRun): Promise<'done' | 'yielded'>;
  /** Called for a mailbox entry that is not a valid operation (it is then dropped). */
  rejectMalformed(sessionId: string, reason: string, fence: Fence): Promise<void>;
}

export interface DrainWorkerOptions {
  redisUrl: string;
  connection: Redis;
  keys: KeySpace;
  locks: SessionLocks;
  queue: OperationQueue;
  handler: OperationHandler;
  logger: Logger;
  concurrency: number;
  lockMs: number;
  stalledIntervalMs: number;
}

/**
 * A BullMQ worker that drains session mailboxes. Each drain job holds the session lock and takes
 * operations one at a time, removing each only after it is handled, so a worker killed midway
 * leaves the operation for the worker that recovers the stalled job.
 */
export class DrainWorker {
  private readonly workers: Worker<DrainJobData>[];
  /**
   * The stop of each drain running here, which a shutdown aborts. Not one process-long signal with a
   * listener per drain: a thousand drains put a thousand listeners on it (Node warns past ten, and
   * each removal walks the list).
   */
  private readonly running = new Set<AbortController>();
  private shutdown: Error | undefined;
  /** Drain jobs running in this process, and who waits for them to reach zero. */
  private active = 0;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: DrainWorkerOptions) {
    // A BullMQ worker fetches jobs one at a time; with hundreds of turns starting at once, that
    // fetch loop is the bottleneck. Several fetchers (one connection each) share the concurrency.
    const fetchers = Math.min(MAX_FETCHERS, Math.ceil(options.concurrency / TURNS_PER_FETCHER));
    this.workers = Array.from({ length: fetchers }, (_, i) => {
      const share = Math.floor(options.concurrency / fetchers) + (i < options.concurrency % fetchers ? 1 : 0);
      const worker = new Worker<DrainJobData>(
        drainQueueName(options.keys.prefix),
        (job) => this.tracked(job),
        {
          connection: { url: options.redisUrl, maxRetriesPerRequest: null },
          prefix: options.keys.queuePrefix,
          concurrency: share,
          lockDuration: options.lockMs,
          stalledInterval: options.stalledIntervalMs,
          // A stalled drain means a worker died; the operation-level attempt count decides when to give up.
          maxStalledCount: 1_000,
          autorun: true,
        },
      );
      const onError = throttledErrorLog(options.logger, { worker: i }, 'drain worker error');
      worker.on('error', onError);
      worker.on('ready', () => onError.recovered());
      worker.on('failed', (job, err) =>
        options.logger.error({ err, sessionId: job?.data.sessionId }, 'drain job failed'),
      );
      return worker;
    });
  }

  async waitUntilReady(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  private async tracked(job: Job<DrainJobData>): Promise<void> {
    this.active++;
    try {
      await this.process(job);
    } finally {
      this.active--;
      if (this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Resolves once no drain job runs in this process. */
  private idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async process(job: Job<DrainJobData>): Promise<void> {
    if (job.name !== DRAIN_JOB) return;
    const { sessionId } = drainJobSchema.parse(job.data);
    const { connection: redis, keys, locks, handler, logger, lockMs } = this.options;
    const lock = await locks.acquire(sessionId, 2 * lockMs);
    if (!lock) {
      // Another worker is draining this session; make sure someone looks again once it is done.
      logger.warn({ sessionId }, 'session busy elsewhere, drain re-queued');
      await this.options.queue.wake(sessionId);
      return;
    }
    const stopper = new AbortController();
    if (this.shutdown) stopper.abort(this.shutdown);
    this.running.add(stopper);
    // anySignal: Node's AbortSignal.any leaks its listeners (nodejs/node#54614).
    const stop = anySignal([lock.lost, stopper.signal]);
    const mailbox = keys.session(sessionId).mailbox;
    // Removing a handled operation is fenced like every other write of the run: a run that lost
    // the session must not pop the operation the new holder is working on.
    const writes = new FencedWrites(redis, lock.fence);
    let unlocked = false;
    try {
      let raw = lock.mailboxHead;
      let session = lock.session;
      // Each removal also reads the next operation and the session hash it starts from.
      const removeHead = async (...extra: Write[]) => {
        const results = await writes.exec([
          ['lpop', mailbox],
          ...extra,
          ['lindex', mailbox, 0],
          ['hgetall', keys.session(sessionId).session],
        ]);
        raw = (results.at(-2) as string | null | undefined) ?? null;
        session = hashOf(results.at(-1) as string[]);
        return results;
      };
      while (!stop.aborted && raw !== null) {
        const parsed = parseEnvelope(raw, sessionId);
        if (!parsed.ok) {
          logger.warn({ sessionId, reason: parsed.reason }, 'dropping malformed operation');
          await removeHead();
          await handler.rejectMalformed(sessionId, parsed.reason, lock.fence);
          continue;
        }
        let finished: Promise<void> | undefined;
        // The removal gives the lock up too, in the same script, when the mailbox is then empty.
        const finish = () =>
          (finished ??= removeHead(
            ['hdel', keys.session(sessionId).session, 'currentOp', 'currentOpAttempts'],
            [UNLOCK_IF_EMPTY, keys.session(sessionId).lock, mailbox],
          ).then((results) => {
            unlocked = results[2] === 1;
            // At once: a renewal refused in the same read looks again a macrotask later (SessionLocks).
            if (unlocked) lock.forget();
          }));
        const outcome = await handler.handle(parsed.envelope, { stop, fence: lock.fence, session, finish });
        if (outcome === 'yielded') break;
        await finish();
      }
    } catch (err) {
      // A lost lock is not a failure: the session's new holder goes on from Redis.
      if (!(err instanceof LockLostError)) throw err;
    } finally {
      stop.clear();
      this.running.delete(stopper);
      if (!unlocked)
        await lock.release().catch((err: unknown) => logger.warn({ err, sessionId }, 'lock release failed'));
    }
    if (lock.lost.aborted) {
      logger.warn({ sessionId }, 'session lock lost mid-run; stopped writing, the new holder resumes');
    }
    // Stopped midway (shutdown or lost lock): hand the rest of the mailbox to whoever drains next.
    if (stop.aborted && (await redis.llen(mailbox)) > 0) await this.options.queue.wake(sessionId);
  }

  /**
   * Stops taking jobs. Running turns get `graceMs` to finish; then they are told to stop at their
   * next safe point and their operations are handed to another worker.
   */
  async close(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timer = setTimeout(() => {
      this.shutdown = new Error('worker shutting down');
      for (const stopper of this.running) stopper.abort(this.shutdown);
    }, graceMs);
    // BullMQ's close can wait forever on a blocking connection that reconnected or is still
    // reconnecting (after a Redis restart). Once no turn runs here any more, or past the grace
    // period and a margin for the turns to yield, the workers are closed by force.
    let forced: NodeJS.Timeout | undefined;
    const deadline = Promise.race([
      this.idle().then(() => sleep(IDLE_CLOSE_MS)),
      new Promise<void>((resolve) => {
        forced = setTimeout(resolve, graceMs + FORCE_CLOSE_MARGIN_MS);
      }),
    ]).then(() => 'late' as const);
    try {
      if ((await Promise.race([closing, deadline])) === 'late') {
        this.options.logger.info('drain workers closing by force (their connections do not answer)');
        await closeWithin(Promise.all(this.workers.map((w) => w.close(true))));
      }
    } finally {
      clearTimeout(timer);
      clearTimeout(forced);
    }
  }
}

function parseEnvelope(
  raw: string,
  sessionId: string,
): { ok: true; envelope: OperationEnvelope } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const result = operationEnvelopeSchema.safeParse(json);
  if (!result.success) return { ok: false, reason: result.error.issues.map((i) => i.message).join('; ') };
  if (result.data.sessionId !== sessionId) return { ok: false, reason: 'operation for another session' };
  return { ok: true, envelope: result.data };
}
