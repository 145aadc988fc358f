import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/event-store.js';
import { KeySpace } from '../../src/store/keys.js';
import { REDIS_URL } from '../helpers/test-app.js';

const redis = new Redis(REDIS_URL);
const keys = new KeySpace(`tev${randomUUID().slice(0, 8)}`);
afterEach(async () => {
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
});

afterAll(() => redis.disconnect());

describe('EventStore', () => {
  it('numbers events per session, keeps them in order, and keeps a cursor per reader', async () => {
    const store = new EventStore(redis, keys, 1_000);
    for (let i = 0; i < 5; i++) await store.emit('s1', { type: 'assistant_chunk', text: `c${i}` });
    await store.emit('s2', { type: 'ready' });
    const all = await store.read('s1', '0');
    expect(all.map((e) => e.event.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await store.read('s2', '0'))[0]?.event).toMatchObject({ seq: 1, type: 'ready', sessionId: 's2' });

    await store.setCursor('s1', 'slack', all[2]!.streamId);
    const cursor = await store.getCursor('s1', 'slack');
    expect((await store.read('s1', cursor)).map((e) => e.event.seq)).toEqual([4, 5]);
    expect(await store.getCursor('s1', 'discord')).toBe('0');
    expect(await store.lastId('s1')).toBe(all[4]!.streamId);
  });

  it('caps the stream near maxLen', async () => {
    const store = new EventStore(redis, keys, 100);
    for (let i = 0; i < 1_000; i++) await store.emit('s3', { type: 'assistant_chunk', text: 'x' });
    const length = await redis.xlen(keys.session('s3').events);
    expect(length).toBeLessThan(300);
    expect(length).toBeGreaterThanOrEqual(100);
  });

  it('skips an event it cannot read instead of failing the whole read', async () => {
    const store = new EventStore(redis, keys, 1_000);
    await store.emit('s4', { type: 'ready' });
    await redis.xadd(
      keys.session('s4').events,
      '*',
      'seq',
      '2',
      'at',
      '1',
      'e',
      '{"type":"from_the_future"}',
    );
    await store.emit('s4', { type: 'interrupted' });
    expect((await store.read('s4', '0')).map((e) => e.event.type)).toEqual(['ready', 'interrupted']);
  });

  it('blocks on its own connection until an event arrives', async () => {
    const store = new EventStore(redis, keys, 1_000);
    const reader = new Redis(REDIS_URL);
    const pending = store.read('s5', '$', { blockMs: 5_000, connection: reader });
    await new Promise((r) => setTimeout(r, 50));
    await store.emit('s5', { type: 'ready' });
    expect((await pending).map((e) => e.event.type)).toEqual(['ready']);
    reader.disconnect();
  });
});
