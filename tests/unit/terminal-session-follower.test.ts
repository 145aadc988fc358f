import { describe, expect, it } from 'vitest';
import { SessionFollower } from '../../adapters/terminal/session-follower.js';
import type { EventReader, StoredEvent } from '../../src/core/agent-gateway.js';
import type { EventBody } from '../../src/core/events.js';

/** An in-memory EventReader: per-session streams; a read with nothing new waits until `blockMs`. */
function memoryReader(streams: Record<string, EventBody[]>) {
  const reads: Array<{ sessionId: string; afterId: string }> = [];
  const reader: EventReader = {
    read(sessionId, afterId, blockMs) {
      reads.push({ sessionId, afterId });
      const after = afterId === '0' ? 0 : Number(afterId.split('-')[0]);
      const batch: StoredEvent[] = (streams[sessionId] ?? []).slice(after).map((body, i) => ({
        streamId: `${after + i + 1}-0`,
        event: { ...body, seq: after + i + 1, at: 0, sessionId },
      }));
      if (batch.length > 0) return Promise.resolve(batch);
      return new Promise((resolve) => setTimeout(() => resolve([]), blockMs));
    },
    close: () => undefined,
  };
  return { reader, reads };
}

describe('SessionFollower', () => {
  it('yields events in order from the cursor and follows a replacement session from its start', async () => {
    const { reader, reads } = memoryReader({
      old: [
        { type: 'ready' },
        { type: 'processing', opType: 'new' },
        { type: 'shutdown', replacedBy: 'fresh' },
        { type: 'operation_complete', opId: 'op-new', opType: 'new', outcome: 'ended' },
        { type: 'error', code: 'session_ended', message: 'not for this client' },
      ],
      fresh: [{ type: 'ready' }, { type: 'assistant_message', text: 'hi' }],
    });
    const follower = new SessionFollower(reader, 'old', { after: '1-0', blockMs: 50 });
    const seen: string[] = [];
    for await (const { event } of follower) {
      seen.push(`${event.sessionId}:${event.type}`);
      if (event.type === 'shutdown') expect(follower.sessionId).toBe('fresh');
      if (event.type === 'assistant_message') break;
    }
    // The replacing operation's end is still read from the old stream; nothing after it is.
    expect(seen).toEqual([
      'old:processing',
      'old:shutdown',
      'old:operation_complete',
      'fresh:ready',
      'fresh:assistant_message',
    ]);
    expect(reads[0]).toEqual({ sessionId: 'old', afterId: '1-0' });
    expect(reads).toContainEqual({ sessionId: 'fresh', afterId: '0' });
    expect(follower.cursor).toBe('2-0');
  });

  it('stops at once, even while a read is blocked', async () => {
    const { reader } = memoryReader({ s: [] });
    const follower = new SessionFollower(reader, 's', { blockMs: 2_000 });
    const iterator = follower[Symbol.asyncIterator]();
    const pending = iterator.next();
    const started = Date.now();
    setTimeout(() => follower.stop(), 20);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(follower.isStopped).toBe(true);
  });
});
