import { performance } from 'node:perf_hooks';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { waitForEvent } from './event-wait.js';
import { sampleLatency, type LatencySummary } from './sampling.js';
import { scriptedAnswer } from './scripted-answer.js';

const TIMEOUT_MS = 5_000;

/**
 * (b) What a user waits for before the thread shows "working": from `submit(user_input)` until a
 * reader already blocked on the session's stream receives the next event (`processing`). Workers
 * run in-process with a zero-latency scripted model; each sample is a fresh session and waits for
 * its turn to complete, so no turn overlaps the next sample.
 */
export async function measureFirstEventLatency(
  redisUrl: string,
  prefix: string,
  cleanup: CleanupStack,
  counts: { warmup: number; samples: number; gapMs: number },
): Promise<LatencySummary & { workerConcurrency: number }> {
  const config = benchConfig(prefix);
  const app = benchApp(redisUrl, config, cleanup, scriptedAnswer(0));
  // The configured concurrency (what a deployment runs), not (a)'s 1: the figure is the product's.
  await app.startWorkers();
  const reader = app.openEventReader('bench-first-event');

  const summary = await sampleLatency('(b) submit → first event', counts, async () => {
    const sessionId = await app.startSession({ owner: 'bench', platform: 'bench' });
    const after = await app.events.lastId(sessionId);
    // Issued before the clock starts: the reader is already waiting, as a renderer would be.
    const first = reader.read(sessionId, after, TIMEOUT_MS);
    const start = performance.now();
    await app.submit(sessionId, { type: 'user_input', text: 'Say something short.' });
    const [event] = await first;
    const elapsed = performance.now() - start;
    if (event?.event.type !== 'processing') {
      throw new Error(`expected processing first, got ${event?.event.type ?? 'nothing'}`);
    }
    await waitForEvent(reader, sessionId, event.streamId, (e) => e.type === 'turn_complete', TIMEOUT_MS);
    return elapsed;
  });
  return { ...summary, workerConcurrency: config.worker.concurrency };
}
