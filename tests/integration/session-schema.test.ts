import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/cli/app.js';
import { danglingToolCalls } from '../../src/agent/history-queries.js';
import { cleanup, testApp } from '../helpers/test-app.js';

/** A paused session as schema version 1 wrote it; kept so later versions prove they still load it. */
const v1 = JSON.parse(readFileSync(new URL('../fixtures/session-v1.json', import.meta.url), 'utf8')) as {
  hash: Record<string, string>;
  messages: unknown[];
  pending: Record<string, string>;
};

let app: App;
afterEach(async () => {
  await cleanup(app);
});

describe('stored session schema', () => {
  it('loads a version-1 session paused for approval', async () => {
    app = testApp();
    const id = v1.hash.id!;
    const keys = app.keys.session(id);
    await app.redis.hset(keys.session, v1.hash);
    await app.redis.rpush(keys.messages, ...v1.messages.map((m) => JSON.stringify(m)));
    await app.redis.hset(keys.pending, v1.pending);

    expect(await app.session(id)).toMatchObject({
      status: 'awaiting_approval',
      owner: 'U123',
      costUsd: 0.0123,
    });
    const history = await app.history.load(id);
    expect(danglingToolCalls(history).map((c) => c.id)).toEqual(['toolu_01']);
    const pending = await app.toolCalls.getPending(id);
    expect(pending.get('toolu_01')?.reason).toBe('launches a paid GPU job');
  });

  it('refuses a session written by a newer schema instead of misreading it', async () => {
    app = testApp();
    const id = 'future-session';
    await app.redis.hset(app.keys.session(id).session, { ...v1.hash, id, schemaVersion: '99' });
    await expect(app.session(id)).rejects.toThrow(/newer than this worker/);
  });
});
