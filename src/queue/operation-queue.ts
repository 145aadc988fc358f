import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { operationEnvelopeSchema, type Operation, type OperationEnvelope } from '../core/operations.js';
import type { KeySpace } from '../store/keys.js';
import type { CancelFlags } from './cancel-flags.js';
import { DRAIN_JOB, drainJobOptions, type DrainJobData } from './drain-queue.js';

const SUBMIT_ONCE_LUA = `
if redis.call('set', KEYS[1], '1', 'NX', 'EX', 86400) then
  redis.call('rpush', KEYS[2], ARGV[1])
  return 1
end
return 0`;

/**
 * The producer side: adapters hand operations here. An operation is appended to its session's
 * mailbox, then a drain job wakes some worker. `interrupt` skips the mailbox and raises the cancel flag.
 * `queue` must use `redis` as its connection: `submit` relies on their commands reaching Redis in order.
 */
export class OperationQueue {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly queue: Queue<DrainJobData>,
    private readonly cancel: CancelFlags,
  ) {}

  /** Validates and enqueues; returns the envelope as stored. */
  async submit(sessionId: string, op: Operation, userId?: string): Promise<OperationEnvelope> {
    const envelope = operationEnvelopeSchema.parse({
      id: randomUUID(),
      sessionId,
      at: Date.now(),
      userId,
      op,
    });
    if (envelope.op.type === 'interrupt') {
      await this.cancel.request(sessionId, envelope.at);
      return envelope;
    }
    // One round trip, not two: the queue shares this connection, and Redis runs one connection's
    // commands in the order they were sent, so the mailbox holds the operation before any worker
    // can fetch the drain job that wakes it.
    await Promise.all([
      this.redis.rpush(this.keys.session(sessionId).mailbox, JSON.stringify(envelope)),
      this.wake(sessionId),
    ]);
    return envelope;
  }

  /**
   * Submits `op` at most once for `onceKey` (a Redis key, kept a day): the mailbox append and the
   * claim happen in one script, so a retried producer (a job watcher tick re-run after a crash)
   * neither loses the operation nor delivers it twice.
   */
  async submitOnce(
    sessionId: string,
    op: Operation,
    userId: string | undefined,
    onceKey: string,
  ): Promise<boolean> {
    const envelope = operationEnvelopeSchema.parse({
      id: randomUUID(),
      sessionId,
      at: Date.now(),
      userId,
      op,
    });
    const added = (await this.redis.eval(
      SUBMIT_ONCE_LUA,
      2,
      onceKey,
      this.keys.session(sessionId).mailbox,
      JSON.stringify(envelope),
    )) as number;
    // Woken either way: a first attempt may have appended and died before waking a worker.
    await this.wake(sessionId);
    return added === 1;
  }

  /** Asks a worker to drain the session's mailbox (idempotent). */
  async wake(sessionId: string): Promise<void> {
    await this.queue.add(DRAIN_JOB, { sessionId }, drainJobOptions(sessionId));
  }
}
