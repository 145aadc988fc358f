import { z } from 'zod';

export const DRAIN_JOB = 'drain';

/** Data of a drain job: only "this session's mailbox has work". Untrusted when read back. */
export const drainJobSchema = z.object({ sessionId: z.string().min(1).max(100) });
export type DrainJobData = z.infer<typeof drainJobSchema>;

/** Name of the BullMQ queue for a given key prefix. */
export function drainQueueName(prefix: string): string {
  return `${prefix}-drain`;
}

/**
 * Job options for a drain job. Deduplicated per session with `keepLastIfActive`: at most one drain
 * job per session is active and at most one waits behind it, so sessions never run in parallel and a
 * wake-up sent while a drain is finishing is never lost.
 */
export function drainJobOptions(sessionId: string) {
  return {
    deduplication: { id: sessionId, keepLastIfActive: true },
    // A drain that fails (Redis hiccup, a bug) is retried; the operation stays in the mailbox meanwhile.
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: { count: 1000 },
  };
}
