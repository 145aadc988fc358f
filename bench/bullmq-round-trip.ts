import { performance } from 'node:perf_hooks';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { CleanupStack } from './cleanup-stack.js';
import { deletePrefix } from './redis-keys.js';
import { sampleLatency, type LatencySummary } from './sampling.js';

const SAMPLE_TIMEOUT_MS = 5_000;

/**
 * (a) The floor: a bare BullMQ Queue + Worker (concurrency 1, no-op processor), timed from
 * `queue.add` until the producer sees the job's `completed` event through QueueEvents.
 */
export async function measureBullmqRoundTrip(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  counts: { warmup: number; samples: number; gapMs: number },
): Promise<LatencySummary> {
  // Same connection style as the app's drain worker, so the two figures compare like for like.
  const connection = { url: redisUrl, maxRetriesPerRequest: null };
  const queueName = `${prefix}-noop`;
  const bullPrefix = `{${prefix}:bull}`;
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(queueName, { connection: producer, prefix: bullPrefix });
  const worker = new Worker(queueName, () => Promise.resolve(), {
    connection,
    prefix: bullPrefix,
    concurrency: 1,
  });
  const events = new QueueEvents(queueName, { connection, prefix: bullPrefix });
  cleanup.push('bare BullMQ queue', async () => {
    await Promise.all([worker.close(), events.close(), queue.close()]);
    producer.disconnect();
    await deletePrefix(redisUrl, prefix);
  });
  await Promise.all([worker.waitUntilReady(), events.waitUntilReady(), queue.waitUntilReady()]);

  const waiting = new Map<string, () => void>();
  events.on('completed', ({ jobId }) => waiting.get(jobId)?.());
  let next = 0;

  // QueueEvents reads from "$": give its first XREAD BLOCK time to be in place before sample one.
  await new Promise((r) => setTimeout(r, 100));
  return sampleLatency('(a) bare BullMQ', counts, async () => {
    // Our own job ids, so the listener is in place before the job can possibly complete.
    const jobId = `j${++next}`;
    const completed = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`job ${jobId} not completed in time`)),
        SAMPLE_TIMEOUT_MS,
      );
      waiting.set(jobId, () => {
        clearTimeout(timer);
        waiting.delete(jobId);
        resolve();
      });
    });
    const start = performance.now();
    await queue.add('noop', {}, { jobId, removeOnComplete: true });
    await completed;
    return performance.now() - start;
  });
}
