import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { App } from '../src/cli/app.js';
import type { ChatMessage } from '../src/core/messages.js';
import { benchApp } from './bench-app.js';
import { benchConfig } from './bench-env.js';
import type { CleanupStack } from './cleanup-stack.js';
import { waitForEvent } from './event-wait.js';
import { startPrivateRedis } from './private-redis.js';
import { netBytes } from './redis-counters.js';
import { progress } from './progress.js';
import { scriptedAnswer } from './scripted-answer.js';
import { percentile, round } from './stats.js';

const SHORT = 10;
const LONG = 10_000;
/** Before each measured turn: the previous turn's tail (BullMQ completion, drain job) is over. */
const SETTLE_MS = 150;
const TIMEOUT_MS = 30_000;

export interface HistoryReadResult extends Record<string, number> {
  cpuMs10: number;
  cpuMs10000: number;
  cpuRatio: number;
  readBytes10: number;
  readBytes10000: number;
  readBytesRatio: number;
  turns: number;
}

/**
 * (j) What one zero-latency turn costs at a 10,000-message history against a 10-message one: this
 * process's CPU (it runs the worker) from submit to `turn_complete`, and the bytes the private
 * redis-server sent (`total_net_output_bytes`: what the app read). Each session first runs one turn
 * untimed, as a live thread has (its history then sits in the worker's cache, validated on every
 * read); the figures are medians of the turns after it, sizes interleaved so drift hits both alike.
 */
export async function measureHistoryReadCost(
  prefix: string,
  cleanup: CleanupStack,
  options: { turns: number },
): Promise<HistoryReadResult> {
  const redis = await startPrivateRedis();
  cleanup.push('private redis-server (j)', () => redis.stop());
  const config = benchConfig(prefix);
  const app = benchApp(redis.url, config, cleanup, scriptedAnswer(0));
  await app.startWorkers();
  const meter = new Redis(redis.url, { maxRetriesPerRequest: null });
  cleanup.push('meter connection (j)', () => Promise.resolve(meter.disconnect()));
  const reader = app.openEventReader('bench-history-read');
  cleanup.push('event reader (j)', () => Promise.resolve(reader.close()));

  const short = await prefilledSession(app, SHORT);
  const long = await prefilledSession(app, LONG);
  await oneTurn(app, reader, meter, short);
  await oneTurn(app, reader, meter, long);
  const cpu = { short: [] as number[], long: [] as number[] };
  const bytes = { short: [] as number[], long: [] as number[] };
  for (let i = 0; i < options.turns; i++) {
    const s = await oneTurn(app, reader, meter, short);
    const l = await oneTurn(app, reader, meter, long);
    cpu.short.push(s.cpuMs);
    cpu.long.push(l.cpuMs);
    bytes.short.push(s.bytes);
    bytes.long.push(l.bytes);
    if ((i + 1) % 10 === 0) progress(`(j) ${i + 1}/${options.turns} turns at each size`);
  }
  const cpuMs10 = percentile(cpu.short, 0.5);
  const cpuMs10000 = percentile(cpu.long, 0.5);
  const readBytes10 = percentile(bytes.short, 0.5);
  const readBytes10000 = percentile(bytes.long, 0.5);
  return {
    cpuMs10: round(cpuMs10),
    cpuMs10000: round(cpuMs10000),
    cpuRatio: round(cpuMs10000 / cpuMs10, 2),
    readBytes10,
    readBytes10000,
    readBytesRatio: round(readBytes10000 / readBytes10, 2),
    turns: options.turns,
  };
}

async function prefilledSession(app: App, length: number): Promise<string> {
  const sessionId = await app.startSession({ owner: 'bench', platform: 'bench' });
  for (let i = 0; i < length; i += 500) {
    const batch = Array.from({ length: Math.min(500, length - i) }, (_, j) => prefillMessage(i + j));
    await app.history.append(sessionId, ...batch);
  }
  return sessionId;
}

async function oneTurn(
  app: App,
  reader: ReturnType<App['openEventReader']>,
  meter: Redis,
  sessionId: string,
): Promise<{ cpuMs: number; bytes: number }> {
  await sleep(SETTLE_MS);
  const after = await app.events.lastId(sessionId);
  const bytesBefore = await netBytes(meter, 'output');
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await app.submit(sessionId, { type: 'user_input', text: 'Say something short.' });
  await waitForEvent(reader, sessionId, after, (e) => e.type === 'operation_complete', TIMEOUT_MS);
  const cpu = process.cpuUsage(cpuBefore);
  const bytes = (await netBytes(meter, 'output')) - bytesBefore;
  if (performance.now() - started > TIMEOUT_MS) throw new Error('(j) a turn took too long');
  return { cpuMs: (cpu.user + cpu.system) / 1000, bytes };
}

/** A short history entry (about 20 tokens), so 10,000 of them stay far from compaction. */
function prefillMessage(index: number): ChatMessage {
  const content = `message ${index}: a line of an earlier conversation`;
  return index % 2 === 0 ? { role: 'user', content } : { role: 'assistant', content };
}
