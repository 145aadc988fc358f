import type { Redis } from 'ioredis';
import { parseAgentEvent, type AgentEvent, type EventBody } from '../core/events.js';
import type { StoredEvent } from '../core/agent-gateway.js';
import type { KeySpace } from './keys.js';

/** Numbers the event from the session hash and appends it to the capped stream in one round trip. */
const EMIT_LUA = `
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], '*', 'seq', seq, 'at', ARGV[2], 'e', ARGV[3])
return {seq, id}
`;

interface EmitCommand {
  mlibEmitEvent(
    sessionKey: string,
    streamKey: string,
    maxLen: number,
    at: number,
    json: string,
  ): Promise<[number, string]>;
}

export type { StoredEvent };

/** The session's durable, ordered event stream, and the renderers' cursors beside it. */
export class EventStore {
  private readonly emitter: EmitCommand;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    private readonly maxLen: number,
  ) {
    redis.defineCommand('mlibEmitEvent', { numberOfKeys: 2, lua: EMIT_LUA });
    this.emitter = redis as unknown as EmitCommand;
  }

  async emit(sessionId: string, body: EventBody): Promise<number> {
    const k = this.keys.session(sessionId);
    const [seq] = await this.emitter.mlibEmitEvent(
      k.session,
      k.events,
      this.maxLen,
      Date.now(),
      JSON.stringify(body),
    );
    return seq;
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
