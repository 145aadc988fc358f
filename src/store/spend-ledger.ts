import type { Redis } from 'ioredis';
import type { KeySpace } from './keys.js';

/** How long a day's hash is kept. */
const KEEP_S = 3 * 24 * 3600;

/** Adds ARGV[2] to the day's total and to the user's field ARGV[1], and keeps the hash ARGV[3] s. */
const ADD_LUA = `
redis.call('HINCRBYFLOAT', KEYS[1], 'total', ARGV[2])
redis.call('HINCRBYFLOAT', KEYS[1], ARGV[1], ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;

interface LedgerCommands {
  mlibSpendAdd(key: string, userField: string, usd: number, keepS: number): Promise<number>;
}

/**
 * What was spent today (UTC), in all and per user, so the optional daily caps
 * (`budget.perDayUsd`, `budget.perUserDailyUsd`) are checked before money is spent. One hash per
 * day (`<prefix>:spend:<YYYY-MM-DD>`, fields `total` and `user:<id>`), kept three days.
 */
export class SpendLedger {
  private readonly commands: LedgerCommands;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
  ) {
    if (!('mlibSpendAdd' in redis)) redis.defineCommand('mlibSpendAdd', { numberOfKeys: 1, lua: ADD_LUA });
    this.commands = redis as unknown as LedgerCommands;
  }

  async add(owner: string, usd: number, now = new Date()): Promise<void> {
    if (!(usd > 0)) return;
    await this.commands.mlibSpendAdd(this.keyOf(now), `user:${owner}`, usd, KEEP_S);
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
