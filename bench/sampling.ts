import { percentile, round } from './stats.js';
import { progress } from './progress.js';

export interface LatencySummary extends Record<string, number> {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

/**
 * Runs `sample` (which returns one latency in ms) `warmup` times unrecorded, then `samples` times,
 * one after another with `gapMs` of idle in between, so each sample starts from an idle worker.
 */
export async function sampleLatency(
  label: string,
  options: { warmup: number; samples: number; gapMs: number },
  sample: () => Promise<number>,
): Promise<LatencySummary> {
  const latencies: number[] = [];
  for (let i = 0; i < options.warmup + options.samples; i++) {
    if (options.gapMs > 0) await new Promise((r) => setTimeout(r, options.gapMs));
    const ms = await sample();
    if (i >= options.warmup) latencies.push(ms);
    if ((i + 1) % 100 === 0) progress(`${label}: ${i + 1}/${options.warmup + options.samples}`);
  }
  const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;
  return {
    p50Ms: round(percentile(latencies, 0.5)),
    p99Ms: round(percentile(latencies, 0.99)),
    meanMs: round(mean),
    samples: latencies.length,
  };
}
