import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { operationEnvelopeSchema, type Operation, type OperationEnvelope } from '../core/operations.js';
import type { KeySpace } from '../store/keys.js';
import type { CancelFlags } from './cancel-flags.js';
import { DRAIN_JOB, drainJobOptions, type DrainJobData } from './drain-queue.js';

/**
 * The producer side: adapters hand operations here. An operation is appended to its session's
 * mailbox, then a drain job wakes some worker. `interrupt` skips the mailbox and raises the cancel flag.
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
    await this.redis.rpush(this.keys.session(sessionId).mailbox, JSON.stringify(envelope));
    await this.wake(sessionId);
    return envelope;
  }

  /** Asks a worker to drain the session's mailbox (idempotent). */
  async wake(sessionId: string): Promise<void> {
    await this.queue.add(DRAIN_JOB, { sessionId }, drainJobOptions(sessionId));
  }
}
