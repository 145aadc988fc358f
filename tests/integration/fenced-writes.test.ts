import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventStore } from '../../src/store/event-store.js';
import { FencedWrites, LockLostError, type Fence } from '../../src/store/fenced-writes.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { KeySpace } from '../../src/store/keys.js';
import { SessionStore } from '../../src/store/session-store.js';
import { ToolCallStore } from '../../src/store/tool-call-store.js';
import { REDIS_URL } from '../helpers/test-app.js';

let redis: Redis;
let keys: KeySpace;
const session = 's1';
beforeEach(() => {
  redis = new Redis(REDIS_URL);
  keys = new KeySpace(`tf${randomUUID().slice(0, 8)}`);
});
afterEach(async () => {
  const found = await redis.keys(`${keys.prefix}:*`);
  if (found.length > 0) await redis.del(...found);
  redis.disconnect();
});

/** A fence on the session's lock key holding `token`; counts how often it was told it is lost. */
async function heldFence(token = 'mine'): Promise<Fence & { lostCalls: number }> {
  await redis.set(keys.session(session).lock, token, 'PX', 10_000);
  const fence = {
    key: keys.session(session).lock,
    token,
    lostCalls: 0,
    lost: () => {
      fence.lostCalls++;
    },
  };
  return fence;
}

describe('fenced writes', () => {
  it('write while the lock holds the token', async () => {
    const fence = await heldFence();
    const history = new HistoryStore(redis, keys).withFence(fence);
    const events = new EventStore(redis, keys, 1_000).withFence(fence);
    await history.append(session, { role: 'user', content: 'hi' });
    expect(await events.emit(session, { type: 'ready' })).toBe(1);
    expect(await history.load(session)).toEqual([{ role: 'user', content: 'hi' }]);
    expect(fence.lostCalls).toBe(0);
  });

  it('write nothing, throw LockLostError and tell the fence once another holder has the lock', async () => {
    const fence = await heldFence();
    const stores = {
      history: new HistoryStore(redis, keys).withFence(fence),
      events: new EventStore(redis, keys, 1_000).withFence(fence),
      sessions: new SessionStore(redis, keys).withFence(fence),
      toolCalls: new ToolCallStore(redis, keys).withFence(fence),
    };
    await redis.set(fence.key, 'someone-else'); // the lock expired and another worker took it
    const attempts = [
      stores.history.append(session, { role: 'assistant', content: 'late' }),
      stores.history.replace(session, []),
      stores.events.emit(session, { type: 'assistant_chunk', text: 'late' }),
      stores.sessions.update(session, { status: 'idle' }),
      stores.sessions.addUsage(
        session,
        { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0 },
        1,
      ),
      stores.toolCalls.record(session, { role: 'tool', toolCallId: 'c', name: 't', content: 'late' }),
      stores.toolCalls.setPending(session, [{ toolCall: { id: 'c', name: 't', input: {} }, reason: 'asks' }]),
      new FencedWrites(redis, fence).exec([['lpop', keys.session(session).mailbox]]),
    ];
    for (const attempt of attempts) await expect(attempt).rejects.toBeInstanceOf(LockLostError);
    expect(fence.lostCalls).toBe(attempts.length);
    const k = keys.session(session);
    expect(await redis.exists(k.messages, k.events, k.session, k.pending)).toBe(0);
  });

  it('leave unfenced stores (adapters, tests) writing as before', async () => {
    await redis.set(keys.session(session).lock, 'someone');
    const history = new HistoryStore(redis, keys);
    await history.append(session, { role: 'user', content: 'free' });
    expect(await history.load(session)).toHaveLength(1);
  });

  it('split a history rewrite larger than one push into several, in one script', async () => {
    const fence = await heldFence();
    const history = new HistoryStore(redis, keys).withFence(fence);
    const messages = Array.from({ length: 2_500 }, (_, i) => ({ role: 'user' as const, content: `m${i}` }));
    await history.replace(session, messages);
    const loaded = await history.load(session);
    expect(loaded).toHaveLength(2_500);
    expect(loaded.at(-1)?.content).toBe('m2499');
  });
});

describe('a write resent after a dropped connection (ioredis resends what got no reply)', () => {
  /** Calls the script the way ioredis would: twice with the same arguments. */
  type Script = (...args: Array<string | number>) => Promise<unknown[]>;

  it('runs its writes once; its reads run again', async () => {
    const writes = new FencedWrites(redis); // defines the scripts on this connection
    await writes.exec([['rpush', keys.session(session).mailbox, 'op1', 'op2', 'op3']]);
    const script = (redis as unknown as { mlibFenced: Script }).mlibFenced.bind(redis);
    const k = keys.session(session);
    const args = [3, k.mailbox, `${k.session}:applied`, k.mailbox, '', 'write-1'];
    const pop = [0, 'lpop', 3, 1, 'lindex', 3, '0'];
    expect(await script(...args, ...pop)).toEqual(['op1', 'op2']);
    expect(await script(...args, ...pop)).toEqual([null, 'op2']); // the resend pops nothing more
    expect(await redis.lrange(k.mailbox, 0, -1)).toEqual(['op2', 'op3']);
  });

  it('appends an event once', async () => {
    const events = new EventStore(redis, keys, 1_000);
    await events.emit(session, { type: 'ready' });
    const script = (redis as unknown as { mlibFenced: Script }).mlibFenced.bind(redis);
    const k = keys.session(session);
    const json = JSON.stringify({ type: 'assistant_chunk', text: 'once' });
    const args = [3, k.events, `${k.session}:applied`, k.session, '', 'emit-1'];
    const emit = [4, 'mlib_emit', 1, 3, 1_000, Date.now(), json];
    expect(((await script(...args, ...emit))[0] as unknown[])[0]).toBe(2);
    expect(((await script(...args, ...emit))[0] as unknown[])[0]).toBe(0);
    expect((await events.read(session, '0')).map((e) => e.event.type)).toEqual(['ready', 'assistant_chunk']);
  });
});
