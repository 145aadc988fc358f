import type { Redis } from 'ioredis';
import type { KeySpace } from './keys.js';

import type { ThreadRef } from '../core/agent-gateway.js';

export type { ThreadRef };

/** Maps a chat thread to its current session id (`new` re-points it to a fresh session). */
export class ThreadIndex {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async get(ref: ThreadRef): Promise<string | undefined> {
    return (await this.redis.get(this.keys.thread(ref.platform, ref.channel, ref.thread))) ?? undefined;
  }

  /** Binds the thread to `sessionId` only if it has no session yet; returns the session that won. */
  async bindIfAbsent(ref: ThreadRef, sessionId: string): Promise<string> {
    const key = this.keys.thread(ref.platform, ref.channel, ref.thread);
    const ok = await this.redis.set(key, sessionId, 'NX');
    return ok === 'OK' ? sessionId : ((await this.redis.get(key)) ?? sessionId);
  }

  async set(ref: ThreadRef, sessionId: string): Promise<void> {
    await this.redis.set(this.keys.thread(ref.platform, ref.channel, ref.thread), sessionId);
  }
}
