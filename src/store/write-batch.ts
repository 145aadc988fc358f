import type { Fence, Write } from './fenced-writes.js';

/** Sends one group of writes as one script and returns each write's reply, in order. */
export type SendWrites = (writes: readonly Write[]) => Promise<unknown[]>;

interface PendingBatch {
  writes: Write[];
  waiters: Array<{
    start: number;
    end: number;
    resolve(replies: unknown[]): void;
    reject(err: unknown): void;
  }>;
}

/** The batch each run (each fence) is filling in this tick. */
const filling = new WeakMap<Fence, PendingBatch>();

/**
 * Queues a run's writes for the script its other writes of this tick go in. A turn is CPU-bound on
 * Redis commands (each costs the worker a command object, a socket write and a reply to parse, and
 * Redis a script run with its fence check), and a run often issues several independent writes at
 * once: the status and the event announcing it, a tool result per parallel call, the last event of
 * a turn and the mailbox pop. Those go as one script, in the order they were issued, all or none.
 *
 * The batch is sent on `process.nextTick`, which runs after the current chain of promise callbacks
 * has settled: nothing waits longer than it would have, and only writes issued together are joined.
 * A read sent straight to Redis in the same tick as an unawaited write may not see it (as in any
 * pipeline); every caller awaits its writes before reading what they wrote.
 */
export function batched(fence: Fence, writes: readonly Write[], send: SendWrites): Promise<unknown[]> {
  let batch = filling.get(fence);
  if (!batch) {
    const fresh: PendingBatch = { writes: [], waiters: [] };
    batch = fresh;
    filling.set(fence, fresh);
    process.nextTick(() => {
      filling.delete(fence);
      flush(fresh, send);
    });
  }
  const start = batch.writes.length;
  batch.writes.push(...writes);
  const end = batch.writes.length;
  return new Promise((resolve, reject) => batch.waiters.push({ start, end, resolve, reject }));
}

function flush(batch: PendingBatch, send: SendWrites): void {
  let sent: Promise<unknown[]>;
  try {
    sent = send(batch.writes);
  } catch (err) {
    // Thrown while building the call: its writers hear of it, not the process (this is a tick callback).
    sent = Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  sent.then(
    (replies) => {
      for (const w of batch.waiters) w.resolve(replies.slice(w.start, w.end));
    },
    (err: unknown) => {
      for (const w of batch.waiters) w.reject(err);
    },
  );
}
