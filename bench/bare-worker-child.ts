/**
 * The floor for (d): a bare BullMQ Worker in a process of its own, with the app's connection style
 * and default lock/stall timings, whose processor only sleeps BENCH_LLM_DELAY_MS. Says `jobs_done`
 * when BENCH_EXPECT_JOBS processors have returned.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'bullmq';
import { benchConfig } from './bench-env.js';
import { childSettings, failChild, requiredEnv, runAsChild, sendToParent } from './child-runtime.js';
import { WORKER_ENV, bareQueueName } from './worker-protocol.js';

async function main(): Promise<void> {
  const settings = childSettings();
  const expected = Number(requiredEnv(WORKER_ENV.expectJobs));
  const { worker: timings } = benchConfig(settings.prefix);
  let finished = 0;
  const worker = new Worker(
    bareQueueName(settings.prefix),
    async () => {
      await sleep(settings.delayMs);
      if (++finished === expected) sendToParent({ type: 'jobs_done', at: Date.now() });
    },
    {
      connection: { url: settings.redisUrl, maxRetriesPerRequest: null },
      prefix: `{${settings.prefix}:bull}`,
      concurrency: settings.concurrency,
      lockDuration: timings.lockMs,
      stalledInterval: timings.stalledIntervalMs,
    },
  );
  await worker.waitUntilReady();
  runAsChild(() => worker.close());
}

main().catch(failChild);
