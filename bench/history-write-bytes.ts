import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { ChatMessage } from '../src/core/messages.js';
import type { App } from '../src/cli/app.js';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { startPrivateRedis } from './private-redis.js';
import { netBytes } from './redis-counters.js';
import { progress } from './progress.js';
import { round } from './stats.js';
import { ANSWER_TEXT, scriptedAnswer } from './scripted-answer.js';

/** Long enough for a zero-latency turn and its drain job to finish, short enough to dodge most background checks. */
const WINDOW_MS = 400;
/** Before a window: the previous turn's tail (BullMQ completion) must not fall into it. */
const SETTLE_MS = 300;
const PREFILL_CHARS = 200;

export interface HistoryWriteResult extends Record<string, number> {
  bytes10: number;
  bytes1000: number;
  ratio: number;
  idleBytes: number;
  repetitions: number;
}

/**
 * (e) Bytes a turn sends to Redis at a long vs a short history. A private redis-server, so that its
 * `total_net_input_bytes` counts only this app; each figure is the minimum over a few windows, since
 * the BullMQ worker's own periodic checks (stalled jobs, every `stalledIntervalMs`) can land in a
 * window and only ever add bytes. `idleBytes` is the same window with no turn, for scale.
 */
export async function measureHistoryWriteBytes(
  prefix: string,
  cleanup: CleanupStack,
  options: { repetitions: number },
): Promise<HistoryWriteResult> {
  const redis = await startPrivateRedis();
  cleanup.push('private redis-server', () => redis.stop());
  const app = benchApp(redis.url, benchConfig(prefix), cleanup, scriptedAnswer(0));
  await app.startWorkers();
  const meter = new Redis(redis.url, { maxRetriesPerRequest: null });
  cleanup.push('meter connection (e)', () => Promise.resolve(meter.disconnect()));

  const short: number[] = [];
  const long: number[] = [];
  const idle: number[] = [];
  // Interleaved, so slow drift (a background timer's phase) hits both sizes alike.
  for (let rep = 0; rep < options.repetitions; rep++) {
    short.push(await bytesOfOneTurn(app, meter, 10));
    long.push(await bytesOfOneTurn(app, meter, 1000));
    idle.push(await bytesOfWindow(meter, () => Promise.resolve()));
    progress(
      `(e) repetition ${rep + 1}/${options.repetitions}: 10 → ${short.at(-1)} B, 1000 → ${long.at(-1)} B`,
    );
  }
  const bytes10 = Math.min(...short);
  const bytes1000 = Math.min(...long);
  return {
    bytes10,
    bytes1000,
    ratio: round(bytes1000 / bytes10),
    idleBytes: Math.min(...idle),
    repetitions: options.repetitions,
  };
}

async function bytesOfOneTurn(app: App, meter: Redis, historyLength: number): Promise<number> {
  const sessionId = await app.startSession({ owner: 'bench', platform: 'bench' });
  for (let i = 0; i < historyLength; i += 100) {
    const batch = Array.from({ length: Math.min(100, historyLength - i) }, (_, j) => prefillMessage(i + j));
    await app.history.append(sessionId, ...batch);
  }
  const bytes = await bytesOfWindow(meter, async () => {
    await app.submit(sessionId, { type: 'user_input', text: 'Say something short.' });
  });
  // Checked after the window, so the check's own commands are not counted.
  const last = (await app.events.read(sessionId, '0', { count: 10_000 })).at(-1)?.event;
  if (last?.type !== 'operation_complete' || last.outcome !== 'done') {
    throw new Error(
      `(e) turn at history ${historyLength} not complete within ${WINDOW_MS} ms (last: ${last?.type})`,
    );
  }
  const stored = await app.redis.llen(app.keys.session(sessionId).messages);
  if (stored !== historyLength + 2)
    throw new Error(`(e) expected ${historyLength + 2} messages, found ${stored}`);
  return bytes;
}

/** Input bytes the server received while `action` ran and for the rest of a fixed window. */
async function bytesOfWindow(meter: Redis, action: () => Promise<void>): Promise<number> {
  await sleep(SETTLE_MS);
  const before = await netBytes(meter, 'input');
  const started = Date.now();
  await action();
  await sleep(Math.max(0, WINDOW_MS - (Date.now() - started)));
  // Minus nothing: the second INFO's own bytes are in both sizes' figures alike.
  return (await netBytes(meter, 'input')) - before;
}

/** A plausible history entry of fixed size: user and assistant messages, alternating. */
function prefillMessage(index: number): ChatMessage {
  const content = `message ${index}: ${'x'.repeat(PREFILL_CHARS)}`;
  return index % 2 === 0 ? { role: 'user', content } : { role: 'assistant', content: ANSWER_TEXT + content };
}
