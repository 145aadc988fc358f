import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeySpace } from '../../src/store/keys.js';
import { SpendLedger } from '../../src/store/spend-ledger.js';
import { REDIS_URL } from '../helpers/test-app.js';

let redis: Redis;
let keys: KeySpace;
const day = new Date('2026-12-01T12:00:00Z');
const dayKey = () => `${keys.prefix}:spend:2026-12-01`;

beforeEach(() => {
  redis = new Redis(REDIS_URL);
  keys = new KeySpace(`led${randomUUID().slice(0, 8)}`);
});
afterEach(async () => {
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

describe('the daily spend ledger', () => {
  it('with caps, writes every addition at once, so every worker’s check sees it', async () => {
    const ledger = new SpendLedger(redis, keys, { perDayUsd: 10 });
    await ledger.add('U1', 0.5, day);
    await ledger.add('U2', 0.25, day);
    expect(await redis.hgetall(dayKey())).toEqual({ total: '0.75', 'user:U1': '0.5', 'user:U2': '0.25' });
    expect(await redis.ttl(dayKey())).toBeGreaterThan(2 * 24 * 3600);
  });

  it('without caps, gathers additions and writes them once per day and user', async () => {
    const ledger = new SpendLedger(redis, keys);
    for (let i = 0; i < 100; i++) await ledger.add('U1', 0.01, day);
    await ledger.add('U2', 1, day);
    // Nothing written yet, and what this process gathered still counts.
    expect(await redis.exists(dayKey())).toBe(0);
    const today = await ledger.today('U1', day);
    expect(today.total).toBeCloseTo(2, 9);
    expect(today.user).toBeCloseTo(1, 9);

    await ledger.flush();
    const stored = await redis.hgetall(dayKey());
    expect(Number(stored.total)).toBeCloseTo(2, 9);
    expect(Number(stored['user:U1'])).toBeCloseTo(1, 9);
    expect(await ledger.today('U1', day)).toMatchObject({ user: expect.closeTo(1, 9) as number });
  });

  it('without caps, writes on its own within a second', async () => {
    const ledger = new SpendLedger(redis, keys);
    await ledger.add('U1', 0.3, day);
    await expect.poll(() => redis.hget(dayKey(), 'user:U1'), { timeout: 5_000 }).toBe('0.3');
  });
});
