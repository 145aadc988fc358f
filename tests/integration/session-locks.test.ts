import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SessionLocks } from '../../src/queue/session-locks.js';
import { FencedWrites, UNLOCK_IF_EMPTY } from '../../src/store/fenced-writes.js';
import { KeySpace } from '../../src/store/keys.js';
import { REDIS_URL } from '../helpers/test-app.js';

let redis: Redis;
let keys: KeySpace;
let locks: SessionLocks;
beforeEach(() => {
  redis = new Redis(REDIS_URL);
  keys = new KeySpace(`tl${randomUUID().slice(0, 8)}`);
  locks = new SessionLocks(redis, keys, 300);
});
afterEach(async () => {
  locks.stop();
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/** One renewal of every held lock, as the timer sends it. */
const renewNow = () => (locks as unknown as { renewAll(): Promise<void> }).renewAll();

describe('session locks', () => {
  it("are not lost when a renewal is out while the holder's last script deletes the lock", async () => {
    const k = keys.session('s');
    const held = await locks.acquire('s', 0);
    if (!held) throw new Error('lock not taken');
    // As a drain ends: the unlock and the mailbox pop go in one script, and the holder forgets the
    // lock when its answer comes back; the timer's renewal goes out right behind it.
    const writes = new FencedWrites(redis, held.fence);
    // Both reach Redis in one packet, so their answers come back in one read, as under load.
    redis.stream.cork();
    const ending = writes.exec([[UNLOCK_IF_EMPTY, k.lock, k.mailbox]]).then(([unlocked]) => {
      if (unlocked === 1) held.forget();
      return unlocked;
    });
    // The fenced script leaves on the next tick (see write-batch.ts): the renewal right after it.
    const renewal = new Promise<void>((resolve) =>
      process.nextTick(() => {
        const renewed = renewNow();
        redis.stream.uncork();
        resolve(renewed);
      }),
    );
    expect(await ending).toBe(1);
    await renewal;
    expect(await redis.exists(k.lock)).toBe(0);
    expect(held.lost.aborted).toBe(false);
  });

  it('are lost when a renewal finds the lock gone while it is still held', async () => {
    const held = await locks.acquire('s', 0);
    await redis.del(keys.session('s').lock); // expired: a stall, a Redis restart
    await renewNow();
    expect(held?.lost.aborted).toBe(true);
  });

  it('keep renewing the new holder when the run that lost the lock releases it late', async () => {
    const key = keys.session('s').lock;
    const first = await locks.acquire('s', 0);
    await redis.del(key); // the first run's lock expired (a stall, a Redis restart)
    const second = await locks.acquire('s', 0);
    expect(second).toBeDefined();
    await first?.release(); // the first run unwinds after the second took over
    await sleep(1_000); // over three lock lifetimes: only renewals keep the lock
    expect(await redis.get(key)).toBe(second?.fence.token);
    expect(second?.lost.aborted).toBe(false);
    await second?.release();
    expect(await redis.exists(key)).toBe(0);
  });

  it('take the lock with the mailbox head and the session hash; a resent take is still taken, another is not', async () => {
    const k = keys.session('s');
    await redis.rpush(k.mailbox, 'op1', 'op2');
    await redis.hset(k.session, { id: 's', status: 'idle' });
    const held = await locks.acquire('s', 0);
    expect(held).toMatchObject({ mailboxHead: 'op1', session: { id: 's', status: 'idle' } });
    // ioredis resends a call whose reply a dropped connection lost: the same token is ours already.
    type Acquire = (...args: Array<string | number>) => Promise<unknown[]>;
    const acquire = (redis as unknown as { mlibLockAcquire: Acquire }).mlibLockAcquire.bind(redis);
    expect((await acquire(k.lock, k.mailbox, k.session, held!.fence.token, 300))[0]).toBe(1);
    expect(await acquire(k.lock, k.mailbox, k.session, 'another-worker', 300)).toEqual([0]);
    expect(await locks.acquire('s', 0)).toBeUndefined();
    await held?.release();
  });
});
