import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StoredEvent } from '../core/agent-gateway.js';
import { decodeEntries, type EventStore } from './event-store.js';
import type { KeySpace } from './keys.js';
import { RenderLeases } from './render-lease.js';

/** Longest a blocked read waits before it looks at its session list again. */
const BLOCK_MS = 5_000;

/**
 * A session quiet this long is no longer followed, so the read stays small however many sessions
 * a gateway has seen; anything that acts on a session (a message, a click) follows it again first.
 */
export const IDLE_UNFOLLOW_MS = 15 * 60_000;

/** How long a gateway keeps a session's rendering after its last batch. */
const LEASE_MS = 60_000;

/**
 * Under load, how long the pump gathers events after a read that found some, before the next: a
 * burst's events then come in a few reads over all the streams, not one such read per event. A
 * quiet session's first event is read at once (the read blocks until it arrives).
 */
const GATHER_MS = 10;

/**
 * Follows the event streams of many sessions for one consumer (a chat adapter) over ONE blocking
 * connection: a multi-stream XREAD. Adding a session unblocks the read (CLIENT UNBLOCK) so the new
 * stream is read at once. The sessions followed and each one's cursor are kept in Redis, so a
 * restarted adapter resumes exactly where it stopped. Events of one session are handed over in order,
 * one batch at a time; different sessions are handled concurrently. Reading runs ahead of rendering:
 * a session's events that arrive while its previous batch renders wait in a queue here and go as its
 * next batch, so a finished batch costs no new read.
 *
 * Note: one XREAD over many keys needs them in one slot on Redis Cluster; there, run one pump per
 * slot range (not needed on a single Redis).
 */
export class EventPump {
  /** Per session, the last event read (the next read starts after it). */
  private readonly cursors = new Map<string, string>();
  private readonly lastActivity = new Map<string, number>();
  /** Sessions whose batches are being rendered, and the events read for them since. */
  private readonly busy = new Map<string, Promise<void>>();
  private readonly queued = new Map<string, { events: StoredEvent[]; from: string }>();
  /** When this gateway last claimed or renewed each session's lease. */
  private readonly claimedAt = new Map<string, number>();
  private clientId: number | undefined;
  private wake: (() => void) | undefined;
  private readonly leases: RenderLeases;
  private stopped = false;
  /** A read is out: a session followed now is not in it, and the read must be woken. */
  private reading = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly reader: Redis,
    private readonly events: EventStore,
    private readonly keys: KeySpace,
    private readonly consumer: string,
    private readonly handle: (sessionId: string, events: StoredEvent[]) => Promise<void>,
    private readonly logger: Logger,
    private readonly timing: { blockMs: number; idleMs: number } = {
      blockMs: BLOCK_MS,
      idleMs: IDLE_UNFOLLOW_MS,
    },
  ) {
    this.leases = new RenderLeases(
      redis,
      (id) => `${keys.session(id).session}:render:${consumer}:lease`,
      LEASE_MS,
    );
  }

  private get setKey(): string {
    return `${this.keys.prefix}:render:${this.consumer}`;
  }

  /** Loads the sessions this consumer was following and starts reading. */
  async start(): Promise<void> {
    this.clientId = Number(await this.reader.client('ID'));
    for (const sessionId of await this.redis.smembers(this.setKey)) {
      this.cursors.set(sessionId, await this.events.getCursor(sessionId, this.consumer));
      this.lastActivity.set(sessionId, Date.now());
    }
    this.loop = this.run();
  }

  /** Follows a session from its stored cursor (or from `from`, for a new session: usually its start). */
  async follow(sessionId: string, from = '0'): Promise<void> {
    if (this.cursors.has(sessionId)) return;
    const [stored] = await Promise.all([
      this.redis.hget(this.keys.session(sessionId).cursors, this.consumer),
      this.redis.sadd(this.setKey, sessionId),
    ]);
    if (this.cursors.has(sessionId)) return; // followed meanwhile (a second message, a click)
    this.cursors.set(sessionId, stored ?? from);
    this.lastActivity.set(sessionId, Date.now());
    await this.unblock();
  }

  /** Stops following a session (it ended); its cursor stays for the record. */
  async unfollow(sessionId: string): Promise<void> {
    this.cursors.delete(sessionId);
    this.lastActivity.delete(sessionId);
    this.queued.delete(sessionId);
    this.claimedAt.delete(sessionId);
    await this.leases.release(sessionId);
    await this.redis.srem(this.setKey, sessionId);
  }

  following(): string[] {
    return [...this.cursors.keys()];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.unblock();
    await this.loop;
    await Promise.all(this.busy.values());
    // Another gateway takes these sessions over at their next event, not after the leases lapse.
    await Promise.all([...this.cursors.keys()].map((id) => this.leases.release(id).catch(() => undefined)));
  }

  private async unblock(): Promise<void> {
    this.wake?.();
    // Only a read that is out (blocked) needs waking; the next read includes the session anyway.
    if (this.clientId !== undefined && this.reading)
      await this.redis.client('UNBLOCK', this.clientId).catch(() => undefined);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await this.unfollowIdle();
      const ids = [...this.cursors.keys()];
      if (ids.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, this.timing.blockMs).unref();
        });
        continue;
      }
      let batches: Array<[string, StoredEvent[], string]>;
      if (this.stopped) return;
      try {
        this.reading = true;
        batches = await this.readMany(ids);
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err }, 'event pump read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      } finally {
        this.reading = false;
      }
      for (const [sessionId, events, from] of batches) this.dispatch(sessionId, events, from);
      if (batches.length > 0) await new Promise((r) => setTimeout(r, GATHER_MS));
    }
  }

  private async readMany(ids: string[]): Promise<Array<[string, StoredEvent[], string]>> {
    const keys = ids.map((id) => this.keys.session(id).events);
    const cursors = ids.map((id) => this.cursors.get(id) ?? '0');
    const reply = await this.reader.xread(
      'COUNT',
      200,
      'BLOCK',
      this.timing.blockMs,
      'STREAMS',
      ...keys,
      ...cursors,
    );
    if (!reply) return [];
    const indexOf = new Map(keys.map((k, i) => [k, i]));
    const out: Array<[string, StoredEvent[], string]> = [];
    for (const [key, entries] of reply) {
      const index = indexOf.get(key);
      if (index === undefined || entries.length === 0) continue;
      const sessionId = ids[index]!;
      const from = cursors[index]!;
      // The cursor moved while the read was out (a lease taken over from the shared cursor, an
      // unfollow): these entries are read again from there, or not at all.
      if (this.cursors.get(sessionId) !== from) continue;
      // Entries this version cannot read still move the cursor past them.
      this.cursors.set(sessionId, entries.at(-1)![0]);
      const events = decodeEntries(sessionId, entries);
      if (events.length > 0) out.push([sessionId, events, from]);
    }
    return out;
  }

  /**
   * Renders the batch when this gateway holds the session's lease. Another gateway's session is
   * skipped (the local cursor moves on). On taking a lease over, rendering restarts from the shared
   * cursor, so events the previous holder never rendered are not lost.
   */
  private async renderIfOurs(sessionId: string, events: StoredEvent[], from: string): Promise<boolean> {
    const lease = await this.claim(sessionId);
    if (lease === 'elsewhere') return false; // the local cursor has moved past them already
    if (lease === 'taken') {
      const shared = await this.events.getCursor(sessionId, this.consumer);
      if (shared !== from && this.cursors.has(sessionId)) {
        // Read again from what the previous holder rendered; what was read ahead is dropped.
        this.cursors.set(sessionId, shared);
        this.queued.delete(sessionId);
        return false;
      }
    }
    await this.handle(sessionId, events).catch((err: unknown) =>
      this.logger.error({ err, sessionId }, 'rendering events failed'),
    );
    return true;
  }

  /**
   * Claims (or renews) the session's lease; a lease renewed less than a quarter of its time ago is
   * taken as still ours, so a busy session's batches do not each cost a call.
   */
  private async claim(sessionId: string): Promise<'taken' | 'renewed' | 'elsewhere'> {
    const now = Date.now();
    if (now - (this.claimedAt.get(sessionId) ?? -Infinity) < LEASE_MS / 4) return 'renewed';
    const lease = await this.leases.claim(sessionId);
    if (lease === 'elsewhere') this.claimedAt.delete(sessionId);
    else this.claimedAt.set(sessionId, now);
    return lease;
  }

  private async unfollowIdle(): Promise<void> {
    const now = Date.now();
    for (const [sessionId, at] of this.lastActivity) {
      if (now - at > this.timing.idleMs && !this.busy.has(sessionId)) await this.unfollow(sessionId);
    }
  }

  /** Renders a batch, or queues it behind the session's batch being rendered. */
  private dispatch(sessionId: string, events: StoredEvent[], from: string): void {
    this.lastActivity.set(sessionId, Date.now());
    if (this.busy.has(sessionId)) {
      const waiting = this.queued.get(sessionId);
      if (waiting) waiting.events.push(...events);
      else this.queued.set(sessionId, { events, from });
      return;
    }
    this.busy.set(sessionId, this.renderQueue(sessionId, events, from));
  }

  private async renderQueue(sessionId: string, events: StoredEvent[], from: string): Promise<void> {
    try {
      for (let batch: { events: StoredEvent[]; from: string } | undefined = { events, from }; batch;) {
        await this.renderBatch(sessionId, batch.events, batch.from);
        batch = this.queued.get(sessionId);
        this.queued.delete(sessionId);
      }
    } finally {
      this.busy.delete(sessionId);
    }
  }

  private async renderBatch(sessionId: string, events: StoredEvent[], from: string): Promise<void> {
    const last = events.at(-1)!.streamId;
    try {
      if (await this.renderIfOurs(sessionId, events, from))
        await this.events.setCursor(sessionId, this.consumer, last);
    } catch (err) {
      this.logger.warn({ err, sessionId }, 'saving the render cursor failed');
    }
  }
}
