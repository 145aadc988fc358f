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

/** Without daily caps, how long additions gather in the process before they are written. */
export const GATHER_MS = 1_000;

/**
 * What was spent today (UTC), in all and per user, so the optional daily caps
 * (`budget.perDayUsd`, `budget.perUserDailyUsd`) are checked before money is spent. One hash per
 * day (`<prefix>:spend:<YYYY-MM-DD>`, fields `total` and `user:<id>`), kept three days.
 *
 * With caps, every addition is written at once: another worker's check must see it. Without them
 * nothing reads the ledger while the process runs, so additions gather for {@link GATHER_MS} and go
 * as one write per day and user (a busy worker made one per LLM call); `flush` writes what is left
 * (at close). A crash loses at most that second of the record, never a session's own spend.
 */
export class SpendLedger {
  private readonly commands: LedgerCommands;
  private readonly pending = new Map<string, { key: string; field: string; usd: number }>();
  private timer: NodeJS.Timeout | undefined;
  /** No cap is configured: nothing reads the ledger while the process runs (see above). */
  private readonly gather: boolean;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    caps: DailyCaps = {},
  ) {
    this.gather = caps.perDayUsd === undefined && caps.perUserDailyUsd === undefined;
    if (!('mlibSpendAdd' in redis)) redis.defineCommand('mlibSpendAdd', { numberOfKeys: 1, lua: ADD_LUA });
    this.commands = redis as unknown as LedgerCommands;
  }

  async add(owner: string, usd: number, now = new Date()): Promise<void> {
    if (!(usd > 0)) return;
    const key = this.keyOf(now);
    const field = `user:${owner}`;
    if (!this.gather) {
      await this.commands.mlibSpendAdd(key, field, usd, KEEP_S);
      return;
    }
    const id = pendingId(key, field);
    const entry = this.pending.get(id);
    if (entry) entry.usd += usd;
    else this.pending.set(id, { key, field, usd });
    // A failed write keeps its amounts for the next flush (the next addition's, or close's).
    this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), GATHER_MS).unref();
  }

  /** Writes the gathered additions (one call per day and user). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      entries.map(async (e) => {
        try {
          await this.commands.mlibSpendAdd(e.key, e.field, e.usd, KEEP_S);
        } catch (err) {
          const again = this.pending.get(pendingId(e.key, e.field));
          if (again) again.usd += e.usd;
          else this.pending.set(pendingId(e.key, e.field), { ...e });
          throw err;
        }
      }),
    );
  }

  /** Today's spend, including what this process gathered and has not written yet. */
  async today(owner: string, now = new Date()): Promise<{ total: number; user: number }> {
    const key = this.keyOf(now);
    const [total, user] = await this.redis.hmget(key, 'total', `user:${owner}`);
    let localTotal = 0;
    for (const e of this.pending.values()) if (e.key === key) localTotal += e.usd;
    const localUser = this.pending.get(pendingId(key, `user:${owner}`))?.usd ?? 0;
    return { total: Number(total ?? 0) + localTotal, user: Number(user ?? 0) + localUser };
  }

  private keyOf(now: Date): string {
    return `${this.keys.prefix}:spend:${now.toISOString().slice(0, 10)}`;
  }
}

/** A gathered addition's place: one per day's hash and user field. */
function pendingId(key: string, field: string): string {
  return `${key}\n${field}`;
}

/** The optional daily caps of config `budget`. */
export interface DailyCaps {
  perDayUsd?: number | undefined;
  perUserDailyUsd?: number | undefined;
}

/** The caps of the config, checked against today's spend plus what a call would add. */
export function capRefusal(
  caps: DailyCaps,
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
