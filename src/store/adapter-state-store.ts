import type { Redis } from 'ioredis';
import type { AdapterStateStore } from '../core/agent-gateway.js';
import type { KeySpace } from './keys.js';

/**
 * What an adapter keeps per session (posted message ids, its cards), one hash per session and
 * adapter (`session:{id}:adapter:<name>`), so any gateway, or a restarted one, finds it.
 */
export function redisAdapterState(redis: Redis, keys: KeySpace, adapter: string): AdapterStateStore {
  const key = (sessionId: string) => `${keys.session(sessionId).session}:adapter:${adapter}`;
  return {
    get: async (sessionId, field) => (await redis.hget(key(sessionId), field)) ?? undefined,
    getMany: async (sessionId, fields) => {
      if (fields.length === 0) return {};
      const values = await redis.hmget(key(sessionId), ...fields);
      return Object.fromEntries(fields.flatMap((f, i) => (values[i] == null ? [] : [[f, values[i]]])));
    },
    set: async (sessionId, fields) => {
      await redis.hset(key(sessionId), fields);
    },
    delete: async (sessionId, ...fields) => {
      if (fields.length > 0) await redis.hdel(key(sessionId), ...fields);
    },
  };
}
