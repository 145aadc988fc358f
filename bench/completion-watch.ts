import type { Redis } from 'ioredis';

/** How often the pending streams are looked at; the stamps, not this, decide the figures. */
const POLL_MS = 200;

/**
 * Returns, per stream key, when its `turn_complete` was written: the `at` stamp (Date.now() of the
 * worker, the same clock as this process) the event store puts on every event. The streams are
 * looked at every {@link POLL_MS} with one pipeline over those still pending, so watching costs
 * the machine almost nothing: an XREAD BLOCK over 1,000 streams, re-issued after every event, kept
 * Redis and this process busy on the same cores as the worker being measured. No turn can end
 * before `quietMs` (the model's delay), so the first look waits that long: while the turns start,
 * the worker is busy on its core and the watcher would only read their `processing` events.
 */
export async function watchTurnCompletions(
  redis: Redis,
  startIds: ReadonlyMap<string, string>,
  timeoutMs: number,
  quietMs = 0,
): Promise<Map<string, number>> {
  const pending = new Map(startIds);
  const total = pending.size;
  const done = new Map<string, number>();
  const deadline = Date.now() + timeoutMs;
  if (quietMs > POLL_MS) await new Promise((r) => setTimeout(r, quietMs - POLL_MS));
  while (pending.size > 0) {
    if (Date.now() > deadline) {
      throw new Error(`${pending.size} of ${total} turns not complete after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
    const keys = [...pending.keys()];
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.xrange(key, `(${pending.get(key) ?? '0'}`, '+');
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => {
      const [err, entries] = replies[i] ?? [];
      if (err) throw err;
      for (const [id, fields] of (entries as Array<[string, string[]]> | undefined) ?? []) {
        pending.set(key, id);
        const body = fieldOf(fields, 'e');
        if (body !== undefined && (JSON.parse(body) as { type?: unknown }).type === 'turn_complete') {
          done.set(key, Number(fieldOf(fields, 'at')));
          pending.delete(key);
          break;
        }
      }
    });
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
