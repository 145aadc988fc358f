import { measureBareConcurrentJobs, type BareConcurrentResult } from './bare-concurrent-jobs.js';
import type { CleanupStack } from './cleanup-stack.js';
import { measureConcurrentTurns, type ConcurrentTurnsResult } from './concurrent-turns.js';
import { sectionPrefix } from './bench-env.js';
import { progress } from './progress.js';
import { percentile, round } from './stats.js';

export interface ConcurrentVsBareResult extends ConcurrentTurnsResult {
  rounds: number;
  bareBullmqWallS: number;
  bareBullmqRatio: number;
  wallToBareRatio: number;
  bareCpuMsPerJob: number;
  cpuToBareRatio: number;
  bareRedisCpuMsPerJob: number;
  bareRedisScriptsPerJob: number;
}

/**
 * (d) against its floor: `rounds` times the bot's 1,000 sessions, then the same load on bare BullMQ,
 * alternating, each on fresh keys and a fresh worker process. One run of each swings by ±10% on a
 * shared 2-core machine; the medians of a few interleaved rounds, taken in the same sitting, do not.
 * The bot's figures are those of its median round; peak RSS is the highest of all rounds.
 */
export async function measureConcurrentAgainstBare(
  redisUrl: string,
  cleanup: CleanupStack,
  load: { sessions: number; llmDelayMs: number; rounds: number },
): Promise<ConcurrentVsBareResult> {
  const bots: ConcurrentTurnsResult[] = [];
  const bares: BareConcurrentResult[] = [];
  for (let i = 0; i < load.rounds; i++) {
    bots.push(await measureConcurrentTurns(redisUrl, sectionPrefix(`d${i}`), cleanup, load));
    await cleanup.runAll();
    bares.push(
      await measureBareConcurrentJobs(redisUrl, sectionPrefix(`d${i}bare`), cleanup, {
        jobs: load.sessions,
        delayMs: load.llmDelayMs,
      }),
    );
    await cleanup.runAll();
    progress(
      `(d) round ${i + 1}/${load.rounds}: bot ${bots.at(-1)!.wallS} s, bare ${round(bares.at(-1)!.wallS)} s`,
    );
  }
  const botWall = median(bots.map((b) => b.wallS));
  const bot = bots.find((b) => b.wallS === botWall)!;
  const bare = median(bares.map((b) => b.wallS));
  // The worker's CPU swings less than the wall on a shared machine (a ratio of 3.0–3.45 across
  // runs where the wall's went from 1.23 to 1.34): the medians of each side's rounds.
  const botCpu = median(bots.map((b) => b.workerCpuMsPerTurn));
  const bareCpu = median(bares.map((b) => b.cpuMsPerJob));
  return {
    ...bot,
    peakRssMb: Math.max(...bots.map((b) => b.peakRssMb)),
    rounds: load.rounds,
    bareBullmqWallS: round(bare),
    bareBullmqRatio: round(bare / bot.idealS),
    // The bot's own cost on top of the queue's, measured side by side (issue 12: ≤ 1.15).
    wallToBareRatio: round(bot.wallS / bare, 2),
    workerCpuMsPerTurn: botCpu,
    bareCpuMsPerJob: round(bareCpu, 3),
    cpuToBareRatio: round(botCpu / bareCpu, 2),
    // Where the CPU gap is not the worker's: what Redis ran for each side (medians of the rounds).
    redisCpuMsPerTurn: round(median(bots.map((b) => b.redisCpuMsPerTurn)), 3),
    redisScriptsPerTurn: round(median(bots.map((b) => b.redisScriptsPerTurn)), 2),
    bareRedisCpuMsPerJob: round(median(bares.map((b) => b.redisCpuMsPerJob)), 3),
    bareRedisScriptsPerJob: round(median(bares.map((b) => b.redisScriptsPerJob)), 2),
  };
}

/** The middle round (the lower of the two middle ones for an even count). */
function median(values: readonly number[]): number {
  return percentile(values, 0.5);
}
