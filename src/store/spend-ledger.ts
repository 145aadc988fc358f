import type { Redis } from 'ioredis';
import type { KeySpace } from './keys.js';

/**
 * What was spent today (UTC), in all and per user, so the optional daily caps
 * (`budget.perDayUsd`, `budget.perUserDailyUsd`) are checked before money is spent. One hash per
 * day (`<prefix>:spend:<YYYY-MM-DD>`, fields `total` and `user:<id>`), kept three days.
 */
export class SpendLedger {
  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {}

  async add(owner: string, usd: number, now = new Date()): Promise<void> {
    if (!(usd > 0)) return;
    const key = this.keyOf(now);
    await this.redis
      .multi()
      .hincrbyfloat(key, 'total', usd)
      .hincrbyfloat(key, `user:${owner}`, usd)
      .expire(key, 3 * 24 * 3600)
      .exec();
  }

  async today(owner: string, now = new Date()): Promise<{ total: number; user: number }> {
    const [total, user] = await this.redis.hmget(this.keyOf(now), 'total', `user:${owner}`);
    return { total: Number(total ?? 0), user: Number(user ?? 0) };
  }

  private keyOf(now: Date): string {
    return `${this.keys.prefix}:spend:${now.toISOString().slice(0, 10)}`;
  }
}

/** The caps of the config, checked against today's spend plus what a call would add. */
export function capRefusal(
  caps: { perDayUsd?: number | undefined; perUserDailyUsd?: number | undefined },
  today: { total: number; user: number },
  addingUsd: number,
): string | undefined {
  if (caps.perDayUsd !== undefined && today.total + addingUsd > caps.perDayUsd) {
    return `today's spend would pass budget.perDayUsd ($${caps.perDayUsd.toFixed(2)}; $${today.total.toFixed(2)} spent so far today)`;
  }
  if (caps.perUserDailyUsd !== undefined && today.user + addingUsd > caps.perUserDailyUsd) {
    return `this user's spend today would pass budget.perUserDailyUsd ($${caps.perUserDailyUsd.toFixed(2)}; $${today.user.toFixed(2)} spent so far today)`;
  }
  return undefined;
}
