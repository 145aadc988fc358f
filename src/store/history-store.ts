import type { Redis } from 'ioredis';
import { chatMessageSchema, type ChatMessage } from '../core/messages.js';
import type { KeySpace } from './keys.js';

/**
 * The LLM history as an append-only Redis list: a turn writes only the messages it adds, so the
 * cost of a turn does not grow with the conversation. Compaction and undo rewrite it in one MULTI.
 */
export class HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async load(sessionId: string): Promise<ChatMessage[]> {
    const raw = await this.redis.lrange(this.keys.session(sessionId).messages, 0, -1);
    return raw.map((entry) => chatMessageSchema.parse(JSON.parse(entry)));
  }

  async append(sessionId: string, ...messages: ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.redis.rpush(this.keys.session(sessionId).messages, ...messages.map((m) => JSON.stringify(m)));
  }

  /** Replaces the whole history atomically (compaction, undo). */
  async replace(sessionId: string, messages: readonly ChatMessage[]): Promise<void> {
    const key = this.keys.session(sessionId).messages;
    const tx = this.redis.multi().del(key);
    if (messages.length > 0) tx.rpush(key, ...messages.map((m) => JSON.stringify(m)));
    await tx.exec();
  }
}
