import type { Redis } from 'ioredis';
import type { ToolStateStore } from '../core/tool-spec.js';
import type { KeySpace } from './keys.js';
import { FencedWrites } from './fenced-writes.js';

/** Per-session scratch state for tools (the plan's todos, ...), one JSON value per hash field. */
export function redisToolState(
  redis: Redis,
  keys: KeySpace,
  sessionId: string,
  writes: FencedWrites = new FencedWrites(redis),
): ToolStateStore {
  const key = keys.session(sessionId).toolState;
  return {
    async get(field) {
      const raw = (await writes.read('hget', key, field)) as string | null;
      return raw === null ? undefined : (JSON.parse(raw) as unknown);
    },
    async set(field, value) {
      await writes.exec([['hset', key, field, JSON.stringify(value)]]);
    },
  };
}
