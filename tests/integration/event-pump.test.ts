import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/core/agent-gateway.js';
import { EventPump } from '../../src/store/event-pump.js';
import { EventStore } from '../../src/store/event-store.js';
import { KeySpace } from '../../src/store/keys.js';
import { eventually } from '../helpers/slack-harness.js';
import { REDIS_URL } from '../helpers/test-app.js';

const redis = new Redis(REDIS_URL);
const keys = new KeySpace(`tpump${randomUUID().slice(0, 8)}`);
const events = new EventStore(redis, keys, 1_000);
const readers: Redis[] = [];
const pumps: EventPump[] = [];

function pump(seen: Array<[string, number]>, timing = { blockMs: 200, idleMs: 60_000 }) {
  const reader = new Redis(REDIS_URL);
  readers.push(reader);
  const handle = (sessionId: string, batch: StoredEvent[]) => {
    for (const { event } of batch) seen.push([sessionId, event.seq]);
    return Promise.resolve();
  };
  const p = new EventPump(redis, reader, events, keys, 'test', handle, pino({ level: 'silent' }), timing);
  pumps.push(p);
  return p;
}

afterEach(async () => {
  for (const p of pumps.splice(0)) await p.stop();
  for (const r of readers.splice(0)) r.disconnect();
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
});
afterAll(() => redis.disconnect());

describe('EventPump', () => {
  it('delivers each followed session in order over one connection, and resumes from the cursor after a restart', async () => {
    const seen: Array<[string, number]> = [];
    const first = pump(seen);
    await first.start();
    await first.follow('a');
    await first.follow('b');
    for (let i = 0; i < 3; i++) {
      await events.emit('a', { type: 'assistant_chunk', text: `a${i}` });
      await events.emit('b', { type: 'assistant_chunk', text: `b${i}` });
    }
    await eventually(() => seen.length === 6);
    expect(seen.filter(([s]) => s === 'a').map(([, n]) => n)).toEqual([1, 2, 3]);
    expect(seen.filter(([s]) => s === 'b').map(([, n]) => n)).toEqual([1, 2, 3]);
    await first.stop();

    await events.emit('a', { type: 'ready' });
    const again: Array<[string, number]> = [];
    const second = pump(again);
    await second.start();
    await eventually(() => again.length === 1);
    expect(again).toEqual([['a', 4]]);
  });

  it('stops following a quiet session; following it again resumes where it left off', async () => {
    const seen: Array<[string, number]> = [];
    const p = pump(seen, { blockMs: 100, idleMs: 300 });
    await p.start();
    await p.follow('quiet');
    await events.emit('quiet', { type: 'ready' });
    await eventually(() => seen.length === 1);
    await eventually(() => !p.following().includes('quiet'), 5_000);
    // The local list changes first; the shared set a moment later (its own round trips).
    await eventually(async () => (await redis.sismember(`${keys.prefix}:render:test`, 'quiet')) === 0);
    await events.emit('quiet', { type: 'interrupted' });
    await p.follow('quiet');
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([
      ['quiet', 1],
      ['quiet', 2],
    ]);
  });
});

describe('EventPump with two gateways', () => {
  it('renders each event once across gateways, and the other takes over when one stops', async () => {
    const seenA: Array<[string, number]> = [];
    const seenB: Array<[string, number]> = [];
    const a = pump(seenA);
    const b = pump(seenB);
    await a.start();
    await b.start();
    await a.follow('shared');
    await b.follow('shared');
    for (let i = 0; i < 5; i++) await events.emit('shared', { type: 'assistant_chunk', text: `${i}` });
    await eventually(() => seenA.length + seenB.length === 5);
    await new Promise((r) => setTimeout(r, 300));
    const first = [...seenA, ...seenB].map(([, n]) => n).sort((x, y) => x - y);
    expect(first).toEqual([1, 2, 3, 4, 5]);

    const owner = seenA.length > 0 ? a : b;
    const other = owner === a ? seenB : seenA;
    const before = other.length;
    await owner.stop();
    for (let i = 0; i < 3; i++) await events.emit('shared', { type: 'assistant_chunk', text: `late${i}` });
    await eventually(() => other.length === before + 3);
    expect(other.slice(before).map(([, n]) => n)).toEqual([6, 7, 8]);
  });
});
