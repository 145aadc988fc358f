import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

/**
 * Returns, per stream key, the performance.now() at which this process saw its `turn_complete`.
 * Watches many session streams for `turn_complete` on ONE connection: a single XREAD BLOCK over all
 * the streams still pending, re-issued after each batch. No per-session connection, no polling delay.
 */
export async function watchTurnCompletions(
  redis: Redis,
  startIds: ReadonlyMap<string, string>,
  timeoutMs: number,
): Promise<Map<string, number>> {
  const cursors = new Map(startIds);
  const total = cursors.size;
  const done = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  while (cursors.size > 0) {
    const left = deadline - Date.now();
    if (left <= 0) {
      throw new Error(`${cursors.size} of ${total} turns not complete after ${timeoutMs} ms`);
    }
    const keys = [...cursors.keys()];
    const ids = keys.map((key) => cursors.get(key) ?? '0');
    const reply = await redis.xread('COUNT', 100, 'BLOCK', Math.min(left, 1_000), 'STREAMS', ...keys, ...ids);
    const observedAt = performance.now();
    for (const [key, entries] of reply ?? []) {
      for (const [id, fields] of entries) {
        cursors.set(key, id);
        const body = fieldOf(fields, 'e');
        if (body !== undefined && (JSON.parse(body) as { type?: unknown }).type === 'turn_complete') {
          done.set(key, observedAt);
          cursors.delete(key);
          break;
        }
      }
    }
  }
  return done;
}

/**
 * Each stream's newest id: where to start watching, so the sessions' `ready` events are not
 * parsed mid-measurement. One pipeline, before the clock starts.
 */
export async function streamEnds(redis: Redis, streamKeys: readonly string[]): Promise<Map<string, string>> {
  const pipeline = redis.pipeline();
  for (const key of streamKeys) pipeline.xrevrange(key, '+', '-', 'COUNT', 1);
  const replies = (await pipeline.exec()) ?? [];
  return new Map(
    streamKeys.map((key, i) => {
      const [err, entries] = replies[i] ?? [];
      const last = err ? undefined : (entries as Array<[string, string[]]> | undefined)?.[0]?.[0];
      return [key, last ?? '0'];
    }),
  );
}

function fieldOf(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}
