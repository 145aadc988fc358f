import type { Redis } from 'ioredis';
import type { KeySpace } from '../store/keys.js';
import { FencedWrites, type Fence } from '../store/fenced-writes.js';

/** How long an interrupt stays valid for operations accepted before it. */
const CANCEL_TTL_MS = 10 * 60_000;

/** The operations watching for an interrupt in this process, and whether it listens for them. */
interface Watching {
  running: Map<string, Set<{ at: number; controller: AbortController }>>;
  subscribed: boolean;
}

/**
 * Interrupts bypass the mailbox: a key (the time of the request) plus a pub/sub message. A turn is
 * cancelled when the key is at or after the time its operation was accepted; running turns learn
 * of it through one subscription per process, so the loop checks a local flag, not Redis.
 */
export class CancelFlags {
  constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis | undefined,
    private readonly keys: KeySpace,
    private readonly writes: FencedWrites = new FencedWrites(redis),
    private readonly watching: Watching = { running: new Map(), subscribed: false },
  ) {}

  /** The same flags, read within a run's scripts (see `FencedWrites`); the watchers are shared. */
  withFence(fence: Fence): CancelFlags {
    return new CancelFlags(
      this.redis,
      this.subscriber,
      this.keys,
      this.writes.withFence(fence),
      this.watching,
    );
  }

  /** Requests an interrupt of whatever the session is doing (or about to do) as of `at`. */
  async request(sessionId: string, at: number): Promise<void> {
    await this.redis
      .multi()
      .set(this.keys.session(sessionId).cancel, String(at), 'PX', CANCEL_TTL_MS)
      .publish(this.keys.cancelChannel, JSON.stringify({ sessionId, at }))
      .exec();
  }

  /**
   * Watches for an interrupt of an operation accepted at `opAt`. The returned signal aborts when one
   * arrives (or already had); call `dispose` when the operation ends.
   */
  async watch(sessionId: string, opAt: number): Promise<{ signal: AbortSignal; dispose(): void }> {
    await this.ensureSubscribed();
    const { running } = this.watching;
    const controller = new AbortController();
    const entry = { at: opAt, controller };
    let set = running.get(sessionId);
    if (!set) running.set(sessionId, (set = new Set()));
    set.add(entry);
    // Read after the watcher is registered, so an interrupt in between is seen one way or the other.
    const key = this.keys.session(sessionId).cancel;
    const existing = (await this.writes.read('get', key)) as string | null;
    if (existing !== null && Number(existing) >= opAt) controller.abort();
    return {
      signal: controller.signal,
      dispose: () => {
        set.delete(entry);
        if (set.size === 0) running.delete(sessionId);
      },
    };
  }

  private async ensureSubscribed(): Promise<void> {
    if (this.watching.subscribed || !this.subscriber) return;
    this.watching.subscribed = true;
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.keys.cancelChannel) return;
      this.onMessage(message);
    });
    await this.subscriber.subscribe(this.keys.cancelChannel);
  }

  private onMessage(message: string): void {
    let parsed: { sessionId?: unknown; at?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (typeof parsed.sessionId !== 'string' || typeof parsed.at !== 'number') return;
    for (const entry of this.watching.running.get(parsed.sessionId) ?? []) {
      // Operations accepted after the interrupt are not cancelled by it.
      if (parsed.at >= entry.at) entry.controller.abort();
    }
  }
}
