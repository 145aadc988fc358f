import type { Redis } from 'ioredis';
import type { ToolStateStore } from '../core/tool-spec.js';
import type { KeySpace } from './keys.js';

/** Per-session scratch state for tools (the plan's todos, ...), one JSON value per hash field. */
export function redisToolState(redis: Redis, keys: KeySpace, sessionId: string): ToolStateStore {
  const key = keys.session(sessionId).toolState;
  return {
    async get(field) {
      const raw = await redis.hget(key, field);
      return raw === null ? undefined : (JSON.parse(raw) as unknown);
    },
    async set(field, value) {
      await redis.hset(key, field, JSON.stringify(value));
    },
  };
}
