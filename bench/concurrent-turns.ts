import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { drainQueueName } from '../src/queue/drain-queue.js';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { drainsIdle, streamEnds, turnCompletions } from './completion-watch.js';
import { progress } from './progress.js';
import { readRedisCounters, redisCostPer } from './redis-counters.js';
import { round } from './stats.js';
import { WorkerProcess, cpuMsBetween } from './worker-process.js';

const MB = 1024 * 1024;

export interface ConcurrentTurnsResult extends Record<string, number> {
  sessions: number;
  wallS: number;
  idealS: number;
  ratio: number;
  peakRssMb: number;
  readyRssMb: number;
  submitAllS: number;
  firstCompleteS: number;
  /** The worker process's CPU time (all its threads) from the first submit to the end, per turn. */
  workerCpuMsPerTurn: number;
  /** Redis's own CPU over the same span, per turn (the server's: the bench's few queue-count polls count too). */
  redisCpuMsPerTurn: number;
  /** Scripts (EVALSHA/EVAL) Redis ran over the same span, per turn: BullMQ's and the bot's. */
  redisScriptsPerTurn: number;
}

/**
 * (d) Many sessions at once on one worker process: N sessions each get one user_input; the model
 * takes `llmDelayMs` per call and one call per turn, so the ideal wall time is that delay. The worker
 * is a child process (concurrency N) so its RSS is its own; this process only submits and watches.
 */
export async function measureConcurrentTurns(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  options: { sessions: number; llmDelayMs: number },
): Promise<ConcurrentTurnsResult> {
  const app = benchApp(redisUrl, benchConfig(prefix), cleanup);
  const worker = await WorkerProcess.start({
    redisUrl,
    prefix,
    concurrency: options.sessions,
    llmDelayMs: options.llmDelayMs,
  });
  cleanup.push('worker child (d)', () => worker.stop());
  const observer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  // The drain queue, read through the observer's connection (closing it leaves that connection open).
  const drains = new Queue(drainQueueName(prefix), { connection: observer, prefix: app.keys.queuePrefix });
  cleanup.push('observer connection (d)', async () => {
    await drains.close();
    observer.disconnect();
  });

  const ids: string[] = [];
  for (let i = 0; i < options.sessions; i += 100) {
    const batch = Math.min(100, options.sessions - i);
    ids.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () => app.startSession({ owner: 'bench', platform: 'bench' })),
      )),
    );
  }
  const streamKeys = ids.map((id) => app.keys.session(id).events);
  progress(`(d) ${ids.length} sessions ready, worker pid ${worker.pid}; submitting`);

  const ends = await streamEnds(observer, streamKeys);
  const [cpuBefore, redisBefore] = await Promise.all([worker.usage(), readRedisCounters(observer)]);
  // Date.now(): the completions are the workers' stamps on the events, on the same clock.
  const start = Date.now();
  await Promise.all(ids.map((id) => app.submit(id, { type: 'user_input', text: 'Say something short.' })));
  const submittedAt = Date.now();
  await drainsIdle(drains, 60_000);
  // Let the child's last RSS reports (every 50 ms) arrive.
  await new Promise((r) => setTimeout(r, 100));
  const [cpuAfter, redisAfter] = await Promise.all([worker.usage(), readRedisCounters(observer)]);
  // Read after the counters: this one pipeline over every stream is not the turns' cost.
  const completions = [...(await turnCompletions(observer, ends)).values()];
  const redis = redisCostPer(redisBefore, redisAfter, ids.length);

  const observed = completions.map((at) => at - start);
  const wallMs = Math.max(...observed);
  const idealS = options.llmDelayMs / 1000;
  return {
    sessions: ids.length,
    wallS: round(wallMs / 1000),
    idealS,
    ratio: round(wallMs / 1000 / idealS),
    peakRssMb: round(worker.peakRss / MB, 1),
    readyRssMb: round(worker.readyRss / MB, 1),
    submitAllS: round((submittedAt - start) / 1000),
    firstCompleteS: round(Math.min(...observed) / 1000),
    workerCpuMsPerTurn: round(cpuMsBetween(cpuBefore, cpuAfter) / ids.length, 3),
    redisCpuMsPerTurn: round(redis.cpuMs, 3),
    redisScriptsPerTurn: round(redis.scripts, 2),
  };
}
