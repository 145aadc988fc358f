import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { App, type AppOptions } from '../../src/cli/app.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { AgentEvent } from '../../src/core/events.js';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A config for tests: a unique Redis prefix, fast locks. */
export function testConfig(overrides: Record<string, unknown> = {}): Config {
  return configSchema.parse({
    model: 'anthropic/claude-sonnet-5-5',
    redis: { prefix: `t${randomUUID().slice(0, 8)}` },
    worker: { concurrency: 10, lockMs: 1_000, stalledIntervalMs: 500 },
    // No skill source by default: tests never reach GitHub.
    skills: [],
    // Code tools work in a scratch folder, never in the checkout.
    code: { workspaceRoot: join(tmpdir(), 'mlib-test-workspaces') },
    ...overrides,
  });
}

export function testApp(options: Partial<AppOptions> & { config?: Config } = {}): App {
  return new App({
    config: options.config ?? testConfig(),
    redisUrl: REDIS_URL,
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    systemPrompt: 'You are a test agent.',
    ...options,
  });
}

/** Deletes every key of the app's prefix (sessions and BullMQ). */
export async function cleanup(app: App): Promise<void> {
  const prefix = app.keys.prefix;
  await app.close(1_000);
  const redis = new Redis(REDIS_URL);
  for (const pattern of [`${prefix}:*`, `{${prefix}:bull}*`]) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  }
  redis.disconnect();
}

/** Reads a session's events from the start until `until` matches one (or times out). */
export async function waitForEvent(
  app: App,
  sessionId: string,
  until: (e: AgentEvent) => boolean,
  options: { timeoutMs?: number; after?: string } = {},
): Promise<{ events: AgentEvent[]; lastId: string }> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  const events: AgentEvent[] = [];
  let cursor = options.after ?? '0';
  while (Date.now() < deadline) {
    const batch = await app.events.read(sessionId, cursor);
    for (const { streamId, event } of batch) {
      cursor = streamId;
      events.push(event);
      if (until(event)) return { events, lastId: cursor };
    }
    if (batch.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for event; saw: ${events.map((e) => e.type).join(', ')}`);
}
