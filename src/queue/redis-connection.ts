import { Redis } from 'ioredis';

/**
 * Opens a Redis connection. `maxRetriesPerRequest: null` is what BullMQ requires for its blocking
 * connections, and lets every command wait out a short Redis restart instead of failing.
 */
export function connectRedis(url: string, name: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, connectionName: name, lazyConnect: false });
}
