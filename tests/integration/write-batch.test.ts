import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/event-store.js';
import { LockLostError, type Fence } from '../../src/store/fenced-writes.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { KeySpace } from '../../src/store/keys.js';
import { SessionStore } from '../../src/store/session-store.js';
import { REDIS_URL } from '../helpers/test-app.js';

let redis: Redis;
let monitorClient: Redis;
let keys: KeySpace;
let seen: string[][];
const session = 's1';

beforeEach(async () => {
  redis = new Redis(REDIS_URL);
  keys = new KeySpace(`wb${randomUUID().slice(0, 8)}`);
  seen = [];
  monitorClient = await new Redis(REDIS_URL).monitor();
  monitorClient.on('monitor', (_time: string, args: string[]) => {
    if (args.some((a) => a.includes(keys.prefix))) seen.push(args);
  });
});
afterEach(async () => {
  monitorClient.disconnect();
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/** The scripts sent by the client (not the commands they run), once the monitor has seen a marker. */
async function scriptsSent(): Promise<number> {
  const marker = `${keys.prefix}:marker`;
  await redis.get(marker);
  await expect.poll(() => seen.some((args) => args.includes(marker))).toBe(true);
  return seen.filter(([command]) => command === 'evalsha' || command === 'eval').length;
}

async function heldFence(): Promise<Fence> {
  const key = keys.session(session).lock;
  await redis.set(key, 'mine', 'PX', 10_000);
  return { key, token: 'mine', lost: () => undefined };
}

describe('a run’s writes of one tick', () => {
  it('go to Redis as one script, in the order they were issued', async () => {
    const fence = await heldFence();
    const sessions = new SessionStore(redis, keys).withFence(fence);
    const events = new EventStore(redis, keys, 1_000).withFence(fence);
    const history = new HistoryStore(redis, keys).withFence(fence);
    await scriptsSent(); // the monitor is live
    seen = [];

    const [first, , second, spend] = await Promise.all([
      events.emit(session, { type: 'processing', opType: 'user_input' }),
      sessions.update(session, { status: 'running' }),
      events.emit(session, { type: 'assistant_chunk', text: 'hi' }),
      sessions.spendOf(session),
      history.append(session, { role: 'user', content: 'hello' }),
    ]);

    expect(await scriptsSent()).toBe(1);
    expect([first, second]).toEqual([1, 2]);
    expect(spend).toEqual({ costUsd: 0, spendPauseAtUsd: undefined });
    expect((await events.read(session, '0')).map((e) => e.event.type)).toEqual([
      'processing',
      'assistant_chunk',
    ]);
    expect(await redis.hget(keys.session(session).session, 'status')).toBe('running');
    expect(await history.load(session)).toEqual([{ role: 'user', content: 'hello' }]);
  });

  it('are not joined once a write waits for the one before', async () => {
    const fence = await heldFence();
    const events = new EventStore(redis, keys, 1_000).withFence(fence);
    await scriptsSent();
    seen = [];
    await events.emit(session, { type: 'processing', opType: 'user_input' });
    await events.emit(session, { type: 'assistant_stream_end' });
    expect(await scriptsSent()).toBe(2);
  });

  it('all fail, writing nothing, once the lock is gone', async () => {
    const fence = await heldFence();
    const sessions = new SessionStore(redis, keys).withFence(fence);
    const events = new EventStore(redis, keys, 1_000).withFence(fence);
    await redis.set(fence.key, 'another-worker');
    const results = await Promise.allSettled([
      sessions.update(session, { status: 'idle' }),
      events.emit(session, { type: 'interrupted' }),
    ]);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(LockLostError);
    }
    const k = keys.session(session);
    expect(await redis.exists(k.session, k.events)).toBe(0);
  });

  it('keep each fence apart: two sessions of one tick send a script each', async () => {
    const a = await heldFence();
    const otherKey = keys.session('s2').lock;
    await redis.set(otherKey, 'theirs', 'PX', 10_000);
    const b: Fence = { key: otherKey, token: 'theirs', lost: () => undefined };
    await scriptsSent();
    seen = [];
    await Promise.all([
      new EventStore(redis, keys, 1_000).withFence(a).emit(session, { type: 'ready' }),
      new EventStore(redis, keys, 1_000).withFence(b).emit('s2', { type: 'ready' }),
    ]);
    expect(await scriptsSent()).toBe(2);
  });
});
