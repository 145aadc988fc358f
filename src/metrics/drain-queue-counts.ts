import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { drainQueueName } from '../queue/drain-queue.js';
import type { QueueCounts } from './prometheus-metrics.js';

/**
 * Reads the drain queue's waiting and active job counts for the `/metrics` gauge, on the app's own
 * connection (a BullMQ Queue given a connection shares it and never closes it). A scrape during a
 * Redis outage must not hang, so a read that takes longer than `timeoutMs` fails (the gauge then
 * reports nothing rather than a stale depth).
 */
export function drainQueueCounts(options: {
  redis: Redis;
  prefix: string;
  queuePrefix: string;
  timeoutMs?: number;
}): { counts: QueueCounts; close(): Promise<void> } {
  const queue = new Queue(drainQueueName(options.prefix), {
    connection: options.redis,
    prefix: options.queuePrefix,
  });
  // Its connection's errors are the app's connection's, logged there; without a listener BullMQ
  // would print each one to stderr with console.error.
  queue.on('error', () => undefined);
  const timeoutMs = options.timeoutMs ?? 1_000;
  return {
    counts: async () => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`queue counts not read within ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        const counts = await Promise.race([queue.getJobCounts('waiting', 'active'), late]);
        return { waiting: counts.waiting ?? 0, active: counts.active ?? 0 };
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => queue.close(),
  };
}
