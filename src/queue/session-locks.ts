import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { KeySpace } from '../store/keys.js';
import type { Fence } from '../store/fenced-writes.js';

/**
 * Takes the lock KEYS[1] with token ARGV[1] for ARGV[2] ms if it is free (or already ours: a call
 * resent after a dropped connection); then also answers what the holder reads first, saving it a
 * round trip: the head of the mailbox KEYS[2] and the session hash KEYS[3].
 */
const ACQUIRE_LUA = `local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] or (not holder and redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX')) then
  return { 1, redis.call('LINDEX', KEYS[2], 0), redis.call('HGETALL', KEYS[3]) }
end
return { 0 }`;
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

interface LockCommands {
  mlibLockAcquire(
    key: string,
    mailboxKey: string,
    sessionKey: string,
    token: string,
    ttlMs: number,
  ): Promise<[number, string | null, string[]]>;
  mlibLockRelease(key: string, token: string): Promise<number>;
  mlibLockRenew(key: string, token: string, ttlMs: number): Promise<number>;
}

/**
 * A held session lock. `lost` aborts when a renewal, or a fenced write, finds the lock taken or
 * expired; `fence` is what the run's writes are checked against.
 */
export interface HeldLock {
  readonly lost: AbortSignal;
  readonly fence: Fence;
  /** The head of the session's mailbox when the lock was taken (null: empty). */
  readonly mailboxHead: string | null;
  /** The session hash when the lock was taken. */
  readonly session: Record<string, string>;
  release(): Promise<void>;
  /** The lock was deleted by one of the holder's own scripts (`UNLOCK_IF_EMPTY`): stop renewing it. */
  forget(): void;
}

/**
 * Exclusive, renewed per-session locks. One timer renews every lock this process holds in one
 * pipeline, so a thousand sessions cost one round trip per renewal period, not a thousand.
 * Defends against a stalled-but-alive worker and a recovered job running the same session twice.
 */
export class SessionLocks {
  private readonly held = new Map<string, { token: string; lost: AbortController }>();
  private readonly commands: LockCommands;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly ttlMs: number,
  ) {
    redis.defineCommand('mlibLockAcquire', { numberOfKeys: 3, lua: ACQUIRE_LUA });
    redis.defineCommand('mlibLockRelease', { numberOfKeys: 1, lua: RELEASE_LUA });
    redis.defineCommand('mlibLockRenew', { numberOfKeys: 1, lua: RENEW_LUA });
    this.commands = redis as unknown as LockCommands;
  }

  /** Takes the session's lock, waiting up to `waitMs` for a previous holder's lock to expire. */
  async acquire(sessionId: string, waitMs: number): Promise<HeldLock | undefined> {
    const { lock: key, mailbox, session: sessionKey } = this.keys.session(sessionId);
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let opened: [number, string | null, string[]];
    for (;;) {
      opened = await this.commands.mlibLockAcquire(key, mailbox, sessionKey, token, this.ttlMs);
      if (opened[0] === 1) break;
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, Math.min(100, this.ttlMs / 10)));
    }
    const lost = new AbortController();
    const entry = { token, lost };
    this.held.set(key, entry);
    this.ensureTimer();
    const markLost = () => {
      if (this.held.get(key) === entry) this.held.delete(key);
      if (!lost.signal.aborted) lost.abort(new Error('session lock lost'));
    };
    // Only this holder's entry: a run that lost the lock may release after the session's new
    // holder in this process took the same key, and must not stop the new holder's renewals.
    const forget = () => {
      if (this.held.get(key) === entry) this.held.delete(key);
      if (this.held.size === 0) this.stopTimer();
    };
    return {
      lost: lost.signal,
      fence: { key, token, lost: markLost },
      mailboxHead: opened[1] ?? null,
      session: hashOf(opened[2]),
      release: async () => {
        forget();
        await this.commands.mlibLockRelease(key, token);
      },
      forget,
    };
  }

  private ensureTimer(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renewAll(), Math.max(50, Math.floor(this.ttlMs / 3)));
    this.timer.unref();
  }

  private stopTimer(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async renewAll(): Promise<void> {
    const entries = [...this.held.entries()];
    if (entries.length === 0) return;
    try {
      const pipeline = this.redis.pipeline();
      for (const [key, { token }] of entries) {
        void (pipeline as unknown as LockCommands).mlibLockRenew(key, token, this.ttlMs);
      }
      const results = (await pipeline.exec()) ?? [];
      const refused = entries.filter((_, i) => {
        const [err, renewed] = results[i] ?? [];
        return err || renewed !== 1;
      });
      if (refused.length === 0) return;
      // A lock its holder deleted in its last script (`UNLOCK_IF_EMPTY`) while this renewal was out
      // is refused too. That script's answer came first on this connection, but the holder learns it
      // (`forget`) a few promise hops later than this code does: after a macrotask, it has.
      await new Promise((resolve) => setImmediate(resolve));
      for (const [key, entry] of refused) {
        if (this.held.get(key) !== entry) continue;
        this.held.delete(key);
        entry.lost.abort(new Error('session lock lost'));
      }
    } catch {
      // Redis unreachable: locks may expire; the next renewal tells. Nothing else to do here.
    }
  }

  stop(): void {
    this.stopTimer();
  }
}

/** A hash as HGETALL answers it inside a script (field, value, field, value, …). */
export function hashOf(flat: readonly string[] | null | undefined): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = 0; flat && i + 1 < flat.length; i += 2) hash[flat[i]!] = flat[i + 1]!;
  return hash;
}
