import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { drainJobOptions } from '../src/queue/drain-queue.js';
import type { CleanupStack } from './cleanup-stack.js';
import { readRedisCounters, redisCostPer } from './redis-counters.js';
import { deletePrefix } from './redis-keys.js';
import { WorkerProcess, cpuMsBetween } from './worker-process.js';
import { WORKER_ENV, bareQueueName } from './worker-protocol.js';

export interface BareConcurrentResult {
  wallS: number;
  cpuMsPerJob: number;
  /** Redis's CPU and the scripts it ran over the same span, per job (as the bot's side counts them). */
  redisCpuMsPerJob: number;
  redisScriptsPerJob: number;
}

/** The bot's side reads the CPU once its drain queue is idle (≤ 50 ms late) and 100 ms more: about as late. */
const SETTLE_MS = 150;

/**
 * The floor for (d): the same load on bare BullMQ — N jobs added at once (with the drain jobs'
 * options), one worker process at concurrency N whose processor only sleeps `delayMs`. Returns the
 * seconds from the first add until the last processor returned (stamped by the child, same clock),
 * and the worker's CPU time per job over the same span (plus the bot's settling time: see (d)).
 */
export async function measureBareConcurrentJobs(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  options: { jobs: number; delayMs: number },
): Promise<BareConcurrentResult> {
  const worker = await WorkerProcess.start({
    kind: 'bare',
    redisUrl,
    prefix,
    concurrency: options.jobs,
    llmDelayMs: options.delayMs,
    env: { [WORKER_ENV.expectJobs]: String(options.jobs) },
  });
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(bareQueueName(prefix), { connection: producer, prefix: `{${prefix}:bull}` });
  cleanup.push('bare BullMQ floor (d)', async () => {
    await worker.stop();
    await queue.close();
    producer.disconnect();
    await deletePrefix(redisUrl, prefix);
  });
  await queue.waitUntilReady();

  const allDone = worker.nextMessage('jobs_done', 60_000);
  const [cpuBefore, redisBefore] = await Promise.all([worker.usage(), readRedisCounters(producer)]);
  const start = Date.now();
  await Promise.all(
    Array.from({ length: options.jobs }, (_, i) =>
      queue.add('drain', { sessionId: `s${i}` }, drainJobOptions(`s${i}`)),
    ),
  );
  const { at } = await allDone;
  // The same settling time as the bot's: the last completions reach Redis.
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const [cpuAfter, redisAfter] = await Promise.all([worker.usage(), readRedisCounters(producer)]);
  const redis = redisCostPer(redisBefore, redisAfter, options.jobs);
  return {
    wallS: (at - start) / 1000,
    cpuMsPerJob: cpuMsBetween(cpuBefore, cpuAfter) / options.jobs,
    redisCpuMsPerJob: redis.cpuMs,
    redisScriptsPerJob: redis.scripts,
  };
}
