/**
 * The runtime benchmark (`npm run bench`, `npm run bench -- --json`). Sections a–f measure queue
 * latency against bare BullMQ, many concurrent sessions on one worker, bytes per turn against history
 * length, and crash recovery. Progress goes to stderr; with --json stdout carries only one JSON
 * object. `--only=d,f` runs a subset (c needs a and b). g and h measure the Slack gateway (issue 3):
 * signed mention → first visible response, and chat API calls of one long streamed answer. i sends 200 signed
 * mentions at once to the real `start` command (issue 12). j is a
 * turn's CPU and Redis bytes read at a 10,000- against a 10-message history (issue 12). k watches
 * 500 running HF jobs at once (issue 10); BENCH_K_WINDOW_S and BENCH_K_WARMUP_S set its window.
 * Not part of `npm test`.
 */
import { performance } from 'node:perf_hooks';
import { measureBullmqRoundTrip } from './bullmq-round-trip.js';
import { REDIS_URL, RUN_ID, sectionPrefix } from './bench-env.js';
import { CleanupStack } from './cleanup-stack.js';
import { measureConcurrentAgainstBare } from './concurrent-vs-bare.js';
import { measureCrashResume } from './crash-resume.js';
import { measureFirstEventLatency } from './first-event-latency.js';
import { measureHistoryReadCost } from './history-read-cost.js';
import { measureHistoryWriteBytes } from './history-write-bytes.js';
import { measureJobWatch } from './job-watch.js';
import { progress } from './progress.js';
import { formatTable, type Figures } from './report.js';
import { measureSlackEditRate, measureSlackFirstResponse } from './slack-bench.js';
import { measureSlackBurst } from './slack-burst.js';
import { round } from './stats.js';

const SAMPLES = { warmup: 30, samples: 300, gapMs: 5 };

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const wanted = (section: string): boolean => !only || only.includes(section);

/** A positive number from the env (a duration in seconds, a count), or the default. */
function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

const cleanup = new CleanupStack();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: cleaning up`);
    void cleanup.runAll().finally(() => process.exit(130));
  });
}

async function section<T>(name: string, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  progress(`(${name}) starting`);
  try {
    return await run();
  } finally {
    // Each section's workers, children and keys are gone before the next one measures anything.
    await cleanup.runAll();
    progress(`(${name}) done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

async function main(): Promise<Figures> {
  progress(`run ${RUN_ID} on ${REDIS_URL.replace(/\/\/[^@]*@/, '//***@')}`);
  const figures: Figures = {};
  if (wanted('a')) {
    figures.a = await section('a', () =>
      measureBullmqRoundTrip(REDIS_URL, sectionPrefix('a'), cleanup, SAMPLES),
    );
  }
  if (wanted('b')) {
    figures.b = await section('b', () =>
      measureFirstEventLatency(REDIS_URL, sectionPrefix('b'), cleanup, SAMPLES),
    );
  }
  if (figures.a && figures.b) {
    figures.c = {
      p50Ratio: round(figures.b.p50Ms! / figures.a.p50Ms!, 2),
      p99Ratio: round(figures.b.p99Ms! / figures.a.p99Ms!, 2),
    };
  }
  if (wanted('d')) {
    figures.d = await section('d', () =>
      measureConcurrentAgainstBare(REDIS_URL, cleanup, {
        sessions: 1000,
        llmDelayMs: 1000,
        rounds: envNumber('BENCH_D_ROUNDS', 5),
      }),
    );
  }
  if (wanted('e')) {
    figures.e = await section('e', () =>
      measureHistoryWriteBytes(sectionPrefix('e'), cleanup, { repetitions: 5 }),
    );
  }
  if (wanted('f')) {
    figures.f = await section('f', () =>
      measureCrashResume(REDIS_URL, sectionPrefix('f'), cleanup, { firstCallMs: 30_000, runs: 3 }),
    );
  }
  if (wanted('g')) {
    figures.g = await section('g', async () => {
      const first = await measureSlackFirstResponse(REDIS_URL, sectionPrefix('g'), cleanup, {
        warmup: 10,
        samples: 100,
        gapMs: 5,
      });
      return figures.a ? { ...first, ratioToBullmqP50: round(first.p50Ms / figures.a.p50Ms!, 2) } : first;
    });
  }
  if (wanted('h')) {
    figures.h = await section('h', () =>
      measureSlackEditRate(REDIS_URL, sectionPrefix('h'), cleanup, { chars: 5_000, seconds: 20 }),
    );
  }
  if (wanted('i')) {
    figures.i = await section('i', () =>
      measureSlackBurst(REDIS_URL, sectionPrefix('i'), cleanup, { mentions: 200, llmDelayMs: 1000 }),
    );
  }
  if (wanted('j')) {
    figures.j = await section('j', () => measureHistoryReadCost(sectionPrefix('j'), cleanup, { turns: 30 }));
  }
  if (wanted('k')) {
    figures.k = await section('k', () =>
      measureJobWatch(sectionPrefix('k'), cleanup, {
        jobs: 500,
        warmupS: envNumber('BENCH_K_WARMUP_S', 10),
        windowS: envNumber('BENCH_K_WINDOW_S', 60),
      }),
    );
  }
  return figures;
}

const started = performance.now();
main()
  .then((figures) => {
    const table = formatTable(figures);
    if (json) {
      process.stderr.write(`${table}\n`);
      process.stdout.write(`${JSON.stringify(figures)}\n`);
    } else {
      process.stdout.write(`${table}\n`);
    }
    progress(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  })
  .catch(async (err: unknown) => {
    progress(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    await cleanup.runAll();
    process.exitCode = 1;
  });
