import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/core/messages.js';
import { HistoryCache } from '../../src/store/history-cache.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { KeySpace } from '../../src/store/keys.js';
import { REDIS_URL } from '../helpers/test-app.js';

// Two stores on one Redis are two workers: each caches what it read, and must still see the other's
// appends and rewrites on its next read.
const redis = new Redis(REDIS_URL);
const keys = new KeySpace(`thc${randomUUID().slice(0, 8)}`);
afterEach(async () => {
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
});
afterAll(() => redis.disconnect());

const user = (content: string): ChatMessage => ({ role: 'user', content });
const texts = (history: ChatMessage[]): string[] => history.map((m) => m.content);

describe('HistoryStore read cache', () => {
  it('serves repeated reads from the parsed copy it holds, reading back only the new tail', async () => {
    const store = new HistoryStore(redis, keys);
    await store.append('s1', user('a'), user('b'));
    const first = await store.load('s1');
    const second = await store.load('s1');
    // The same parsed objects (frozen, so no caller can change them for another), in a fresh array.
    expect(second[0]).toBe(first[0]);
    expect(second).not.toBe(first);
    expect(Object.isFrozen(second[0])).toBe(true);
    second.push(user('local only'));
    expect(texts(await store.load('s1'))).toEqual(['a', 'b']);

    await store.append('s1', user('c'));
    const third = await store.load('s1');
    expect(texts(third)).toEqual(['a', 'b', 'c']);
    expect(third[1]).toBe(first[1]);
  });

  it("sees another worker's appends, its rewrites (even to the same length) and a shortened list", async () => {
    const mine = new HistoryStore(redis, keys);
    const theirs = new HistoryStore(redis, keys);
    await mine.append('s2', user('a'), user('b'), user('c'));
    expect(texts(await mine.load('s2'))).toEqual(['a', 'b', 'c']);

    await theirs.append('s2', user('d'));
    expect(texts(await mine.load('s2'))).toEqual(['a', 'b', 'c', 'd']);

    // Compaction elsewhere: same length, other content.
    await theirs.replace('s2', [user('w'), user('x'), user('y'), user('z')]);
    expect(texts(await mine.load('s2'))).toEqual(['w', 'x', 'y', 'z']);

    // A rewrite that leaves the list longer than before: the generation tells.
    await theirs.replace('s2', [user('1'), user('2'), user('3'), user('4'), user('5')]);
    expect(texts(await mine.load('s2'))).toEqual(['1', '2', '3', '4', '5']);

    // A list cut behind the store's back (not through it): the length no longer adds up.
    await redis.ltrim(keys.session('s2').messages, 0, 1);
    expect(texts(await mine.load('s2'))).toEqual(['1', '2']);
  });

  it('keeps within its budget, dropping the least recently used session first', async () => {
    const cache = new HistoryCache(150);
    const store = new HistoryStore(redis, keys, undefined, cache);
    await store.append('s3', user('x'.repeat(30)));
    await store.append('s4', user('y'.repeat(30)));
    await store.load('s3');
    await store.load('s4');
    expect(cache.size.sessions).toBe(2);
    await store.load('s3'); // s3 is now the most recent
    await store.append('s5', user('z'.repeat(30)));
    await store.load('s5');
    expect(cache.get('s4')).toBeUndefined();
    expect(cache.get('s3')).toBeDefined();
    expect(cache.size.chars).toBeLessThanOrEqual(150);
    // A history bigger than the whole budget is read every time, never cached.
    await store.append('s6', user('w'.repeat(200)));
    expect(texts(await store.load('s6'))).toEqual(['w'.repeat(200)]);
    expect(cache.get('s6')).toBeUndefined();
  });
});
