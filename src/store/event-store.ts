import type { Redis } from 'ioredis';
import { parseAgentEvent, type AgentEvent, type EventBody } from '../core/events.js';
import type { StoredEvent } from '../core/agent-gateway.js';
import type { KeySpace } from './keys.js';
import { EMIT, FencedWrites, sameSlot, type Fence, type Write } from './fenced-writes.js';

export type { StoredEvent };

/**
 * The session's durable, ordered event stream, and the renderers' cursors beside it. An event is
 * numbered from the session hash and appended to the capped stream in one script, with the run's
 * other writes of the same tick (see `FencedWrites`); one resent after a dropped connection is not
 * appended again, so a Redis restart never doubles a chunk in a thread.
 */
export class EventStore {
  private readonly writes: FencedWrites;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly maxLen: number,
    writes?: FencedWrites,
  ) {
    this.writes = writes ?? new FencedWrites(redis);
  }

  /** This store with its writes fenced by a session lock (see `Fence`). */
  withFence(fence: Fence): EventStore {
    return new EventStore(this.redis, this.keys, this.maxLen, this.writes.withFence(fence));
  }

  async emit(sessionId: string, body: EventBody): Promise<number> {
    const k = this.keys.session(sessionId);
    const write: Write = [EMIT, k.events, k.session, this.maxLen, Date.now(), JSON.stringify(body)];
    const fence = this.writes.fence;
    // Into another session (the one `new` starts): check the fence first, then write unfenced.
    if (fence !== undefined && !sameSlot(fence.key, k.lock)) {
      await this.writes.assertHeld();
      const [reply] = await new FencedWrites(this.redis).exec([write]);
      return (reply as [number, string])[0];
    }
    const [reply] = await this.writes.exec([write]);
    return (reply as [number, string])[0];
  }

  /** The newest event of a session, if any (what a resumed run looks at first). */
  async last(sessionId: string): Promise<StoredEvent | undefined> {
    const entries = await this.redis.xrevrange(this.keys.session(sessionId).events, '+', '-', 'COUNT', 1);
    return decodeEntries(sessionId, entries)[0];
  }

  /**
   * Reads events after `afterId` (`0` for the beginning). With `blockMs`, waits for new ones: pass
   * a connection of its own for that, since a blocked connection serves nobody else.
   */
  async read(
    sessionId: string,
    afterId: string,
    options: { count?: number; blockMs?: number; connection?: Redis } = {},
  ): Promise<StoredEvent[]> {
    const conn = options.connection ?? this.redis;
    const key = this.keys.session(sessionId).events;
    const count = options.count ?? 500;
    const reply =
      options.blockMs === undefined
        ? await conn.xread('COUNT', count, 'STREAMS', key, afterId)
        : await conn.xread('COUNT', count, 'BLOCK', options.blockMs, 'STREAMS', key, afterId);
    return decodeEntries(sessionId, reply?.[0]?.[1] ?? []);
  }

  async getCursor(sessionId: string, consumer: string): Promise<string> {
    return (await this.redis.hget(this.keys.session(sessionId).cursors, consumer)) ?? '0';
  }

  async setCursor(sessionId: string, consumer: string, streamId: string): Promise<void> {
    await this.redis.hset(this.keys.session(sessionId).cursors, consumer, streamId);
  }

  /** Stream id of the newest event, so a new reader can start from "now". */
  async lastId(sessionId: string): Promise<string> {
    const last = await this.redis.xrevrange(this.keys.session(sessionId).events, '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0';
  }
}

/** Decodes raw stream entries; an event this version does not know (a newer worker's) is skipped. */
export function decodeEntries(sessionId: string, entries: ReadonlyArray<[string, string[]]>): StoredEvent[] {
  const events: StoredEvent[] = [];
  for (const [streamId, fields] of entries) {
    const event = decode(sessionId, fields);
    if (event) events.push({ streamId, event });
  }
  return events;
}

function decode(sessionId: string, fields: string[]): AgentEvent | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i]!, fields[i + 1]!);
  try {
    return parseAgentEvent(sessionId, Number(map.get('seq')), Number(map.get('at')), map.get('e') ?? '{}');
  } catch {
    return undefined;
  }
}
