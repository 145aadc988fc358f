import type { Redis } from 'ioredis';
import { chatMessageSchema, type ChatMessage } from '../core/messages.js';
import { HistoryCache } from './history-cache.js';
import type { KeySpace } from './keys.js';
import { FencedWrites, pushWrites, type Fence } from './fenced-writes.js';

/**
 * Reads the generation (KEYS[1]; '' when never rewritten), the length and the entries from index
 * ARGV[1] of the list KEYS[2], in one command. With ARGV[1] = -1 (nothing cached), the whole list.
 */
const READ_LUA = `
local held = tonumber(ARGV[1])
local generation = redis.call('GET', KEYS[1]) or ''
if held < 0 then return { generation, 0, redis.call('LRANGE', KEYS[2], 0, -1) } end
return { generation, redis.call('LLEN', KEYS[2]), redis.call('LRANGE', KEYS[2], held, -1) }
`;

interface HistoryReader {
  mlibHistoryRead(generationKey: string, listKey: string, held: number): Promise<[string, number, string[]]>;
}

/**
 * The LLM history as an append-only Redis list: a turn writes only the messages it adds, so the
 * cost of a turn does not grow with the conversation. Compaction and undo rewrite it in one MULTI
 * and bump its generation.
 *
 * Reads are flat too: the parsed history is cached per process, and a read asks Redis only for the
 * generation, the length and the entries past the cached ones, in one script. An append by another
 * worker shows up as that tail; a rewrite anywhere changes the generation (or the length no longer
 * adds up) and the whole list is read again.
 */
export class HistoryStore {
  private readonly writes: FencedWrites;
  private readonly reader: HistoryReader;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    writes?: FencedWrites,
    private readonly cache: HistoryCache = new HistoryCache(),
  ) {
    this.writes = writes ?? new FencedWrites(redis);
    if (!('mlibHistoryRead' in redis))
      redis.defineCommand('mlibHistoryRead', { numberOfKeys: 2, lua: READ_LUA });
    this.reader = redis as unknown as HistoryReader;
  }

  /** This store with its writes fenced by a session lock (see `Fence`); the cache is shared. */
  withFence(fence: Fence): HistoryStore {
    return new HistoryStore(this.redis, this.keys, this.writes.withFence(fence), this.cache);
  }

  /** The session's history: a fresh array the caller may extend (the messages themselves are frozen). */
  async load(sessionId: string): Promise<ChatMessage[]> {
    const cached = this.cache.get(sessionId);
    const held = cached?.messages.length ?? -1;
    const [generation, length, tail] = await this.readFrom(sessionId, held);
    if (cached && (generation || '0') === cached.generation && length === held + tail.length) {
      if (tail.length > 0) this.cache.extend(sessionId, cached, parseAll(tail), charsOf(tail));
      return cached.messages.slice();
    }
    // Nothing was cached (`tail` is then the whole list), or the list was rewritten: read it all.
    const [current, , raw] = cached ? await this.readFrom(sessionId, 0) : [generation, length, tail];
    const messages = parseAll(raw);
    this.cache.set(sessionId, { generation: current || '0', messages, chars: charsOf(raw) });
    return messages.slice();
  }

  /**
   * The generation ('' when never rewritten), the length and the entries from `held` (-1: the whole
   * list) in one command; under a fence, within the run's script of this tick.
   */
  private async readFrom(sessionId: string, held: number): Promise<[string, number, string[]]> {
    const k = this.keys.session(sessionId);
    if (!this.writes.fence) return this.reader.mlibHistoryRead(k.messagesGeneration, k.messages, held);
    const [generation, length, tail] = await this.writes.exec([
      ['get', k.messagesGeneration],
      ['llen', k.messages],
      ['lrange', k.messages, Math.max(held, 0), -1],
    ]);
    return [(generation as string | null) ?? '', held < 0 ? 0 : (length as number), tail as string[]];
  }

  async append(sessionId: string, ...messages: ChatMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const key = this.keys.session(sessionId).messages;
    // The cache is not touched: the next load reads these back as the list's tail.
    await this.writes.exec(
      pushWrites(
        key,
        messages.map((m) => JSON.stringify(m)),
      ),
    );
  }

  /** Replaces the whole history atomically (compaction, undo). */
  async replace(sessionId: string, messages: readonly ChatMessage[]): Promise<void> {
    const k = this.keys.session(sessionId);
    this.cache.delete(sessionId);
    await this.writes.exec([
      ['del', k.messages],
      ['incr', k.messagesGeneration],
      ...pushWrites(
        k.messages,
        messages.map((m) => JSON.stringify(m)),
      ),
    ]);
  }
}

/** Parses stored entries; each message is frozen, since cached copies are shared between reads. */
function parseAll(raw: readonly string[]): ChatMessage[] {
  return raw.map((entry) => Object.freeze(chatMessageSchema.parse(JSON.parse(entry))) as ChatMessage);
}

function charsOf(raw: readonly string[]): number {
  let chars = 0;
  for (const entry of raw) chars += entry.length;
  return chars;
}
