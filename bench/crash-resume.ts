import { performance } from 'node:perf_hooks';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { waitForEvent } from './event-wait.js';
import { progress } from './progress.js';
import { percentile, round } from './stats.js';
import { WorkerProcess } from './worker-process.js';

export interface CrashResumeResult extends Record<string, number> {
  killToTurnCompleteS: number;
  worstKillToTurnCompleteS: number;
  bestKillToTurnCompleteS: number;
  runs: number;
  lockMs: number;
  stalledIntervalMs: number;
}

/**
 * (f) A worker dies mid-turn (SIGKILL while its model call sleeps, `firstCallMs`: longer than the
 * standby's start) and a second worker, already running beside it, finishes the turn. Both use the
 * default lock and stall timings of configs/default.json; the second one's model answers at once,
 * so the figure is recovery time.
 * Recovery depends on where the kill falls between BullMQ's lock renewals and stalled-job checks,
 * so it is run a few times: the median is the headline, the worst case is reported beside it.
 */
export async function measureCrashResume(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  options: { firstCallMs: number; runs: number },
): Promise<CrashResumeResult> {
  const complete: number[] = [];
  for (let run = 0; run < options.runs; run++) {
    const result = await crashOnce(redisUrl, `${prefix}${run}`, cleanup, options.firstCallMs);
    await cleanup.runAll();
    complete.push(result.killToCompleteS);
    progress(
      `(f) run ${run + 1}/${options.runs}: kill → turn_complete ${result.killToCompleteS.toFixed(2)} s`,
    );
  }
  const { worker } = benchConfig(prefix);
  return {
    killToTurnCompleteS: round(percentile(complete, 0.5)),
    worstKillToTurnCompleteS: round(Math.max(...complete)),
    bestKillToTurnCompleteS: round(Math.min(...complete)),
    runs: options.runs,
    lockMs: worker.lockMs,
    stalledIntervalMs: worker.stalledIntervalMs,
  };
}

async function crashOnce(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  firstCallMs: number,
): Promise<{ killToCompleteS: number }> {
  const app = benchApp(redisUrl, benchConfig(prefix), cleanup);
  const reader = app.openEventReader('bench-crash');
  const first = await WorkerProcess.start({ redisUrl, prefix, concurrency: 1, llmDelayMs: firstCallMs });
  cleanup.push('first worker child (f)', () => first.kill());

  const sessionId = await app.startSession({ owner: 'bench', platform: 'bench' });
  const after = await app.events.lastId(sessionId);
  await app.submit(sessionId, { type: 'user_input', text: 'Say something short.' });
  const processing = await waitForEvent(reader, sessionId, after, (e) => e.type === 'processing', 10_000);

  // The standby worker is already running, as in production: the figure is recovery, not boot time.
  const second = await WorkerProcess.start({ redisUrl, prefix, concurrency: 1, llmDelayMs: 0 });
  cleanup.push('second worker child (f)', () => second.stop());
  // The kill must land mid-call: on a slow day the standby's start alone outlasted a 3 s call, and the
  // figure then timed a turn that had already ended (0.03 s).
  const sofar = await reader.read(sessionId, processing.streamId, 1);
  if (sofar.some((stored) => stored.event.type === 'turn_complete'))
    throw new Error('(f) the first worker ended its turn before the kill; raise firstCallMs');
  const killedAt = performance.now();
  await first.kill();

  await waitForEvent(reader, sessionId, processing.streamId, (e) => e.type === 'turn_complete', 30_000);
  const completeAt = performance.now();
  return { killToCompleteS: (completeAt - killedAt) / 1000 };
}
