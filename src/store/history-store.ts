import type { Redis } from 'ioredis';
import { chatMessageSchema, type ChatMessage } from '../core/messages.js';
import type { KeySpace } from './keys.js';
import { FencedWrites, pushWrites, type Fence } from './fenced-writes.js';

/**
 * The LLM history as an append-only Redis list: a turn writes only the messages it adds, so the
 * cost of a turn does not grow with the conversation. Compaction and undo rewrite it in one MULTI.
 */
export class HistoryStore {
  private readonly writes: FencedWrites;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    writes?: FencedWrites,
  ) {
    this.writes = writes ?? new FencedWrites(redis);
  }

  /** This store with its writes fenced by a session lock (see `Fence`). */
  withFence(fence: Fence): HistoryStore {
    return new HistoryStore(this.redis, this.keys, this.writes.withFence(fence));
  }

  async load(sessionId: string): Promise<ChatMessage[]> {
    const raw = await this.redis.lrange(this.keys.session(sessionId).messages, 0, -1);
    return raw.map((entry) => chatMessageSchema.parse(JSON.parse(entry)));
  }

  async append(sessionId: string, ...messages: ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const key = this.keys.session(sessionId).messages;
    await this.writes.exec(
      pushWrites(
        key,
        messages.map((m) => JSON.stringify(m)),
      ),
    );
  }

  /** Replaces the whole history atomically (compaction, undo). */
  async replace(sessionId: string, messages: readonly ChatMessage[]): Promise<void> {
    const key = this.keys.session(sessionId).messages;
    await this.writes.exec([
      ['del', key],
      ...pushWrites(
        key,
        messages.map((m) => JSON.stringify(m)),
      ),
    ]);
  }
}
