import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** How often the drain queue's counts are looked at: one script call each, nothing per session. */
const POLL_MS = 50;

/**
 * Resolves once the drain queue has no job waiting, delayed or running. A drain job completes only
 * after its turn's last script (`turn_complete` and `operation_complete` included), so then every
 * turn submitted before the call has ended. The bot's side is watched this cheaply on purpose: the
 * first watcher read every pending stream every 200 ms (an XRANGE per session, and every event parsed
 * here), about 10,000 commands in a run, on the same two cores as the worker and Redis being measured,
 * while bare BullMQ's side was watched over IPC for nothing.
 */
export async function drainsIdle(queue: Queue, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
    const left = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${left} drain jobs not done after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * Per stream key, when its `turn_complete` was written after `startIds` (the stream's newest id
 * before the turn): the `at` stamp (Date.now() of the worker, the same clock as this process) the
 * event store puts on every event. One pipeline, read once the turns have ended.
 */
export async function turnCompletions(
  redis: Redis,
  startIds: ReadonlyMap<string, string>,
): Promise<Map<string, number>> {
  const keys = [...startIds.keys()];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.xrange(key, `(${startIds.get(key) ?? '0'}`, '+');
  const replies = (await pipeline.exec()) ?? [];
  const done = new Map<string, number>();
  keys.forEach((key, i) => {
    const [err, entries] = replies[i] ?? [];
    if (err) throw err;
    for (const [, fields] of (entries as Array<[string, string[]]> | undefined) ?? []) {
      const body = fieldOf(fields, 'e');
      if (body !== undefined && (JSON.parse(body) as { type?: unknown }).type === 'turn_complete') {
        done.set(key, Number(fieldOf(fields, 'at')));
        break;
      }
    }
  });
  const missing = keys.length - done.size;
  if (missing > 0) throw new Error(`${missing} of ${keys.length} turns ended without a turn_complete`);
  return done;
}

/**
 * Each stream's newest id: where to start reading, so the sessions' `ready` events are not
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
