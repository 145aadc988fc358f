import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis-backed cache for what tools fetch and index (docs indexes, the OpenAPI description, skills),
 * shared by every worker, each entry with a TTL. Keys live under `<prefix>:cache:`. Redis being away
 * never fails a tool: the value is then loaded without the cache, and the reason logged.
 */
export class ToolCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {}

  /** The cached JSON value of `key`, or `load()`'s, stored for `ttlSeconds`. */
  async getOrLoad<T>(key: string, ttlSeconds: number, load: () => Promise<T>): Promise<T> {
    const redisKey = `${this.prefix}:cache:${key}`;
    const cached = await this.read(redisKey);
    if (cached !== undefined) return cached as T;
    const value = await load();
    try {
      await this.redis.set(redisKey, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
    } catch (err) {
      this.logger.warn({ err, key }, 'tool cache write failed; the value is used uncached');
    }
    return value;
  }

  /** Drops `key` (a value found to be stale or broken). */
  async forget(key: string): Promise<void> {
    try {
      await this.redis.del(`${this.prefix}:cache:${key}`);
    } catch (err) {
      this.logger.warn({ err, key }, 'tool cache delete failed');
    }
  }

  private async read(redisKey: string): Promise<unknown> {
    try {
      const text = await this.redis.get(redisKey);
      return text === null ? undefined : (JSON.parse(text) as unknown);
    } catch (err) {
      this.logger.warn({ err, key: redisKey }, 'tool cache read failed; loading without it');
      return undefined;
    }
  }
}
