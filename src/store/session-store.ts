import { z } from 'zod';
import type { Redis } from 'ioredis';
import type { Usage } from '../core/events.js';
import { MlInternError } from '../core/errors.js';
import type { KeySpace } from './keys.js';
import { FencedWrites, type Fence } from './fenced-writes.js';

/** Bumped when the shape of the session hash changes; older records are migrated or refused on load. */
export const SESSION_SCHEMA_VERSION = 1;

const num = z.coerce.number().default(0);

export const sessionRecordSchema = z.object({
  id: z.string(),
  schemaVersion: z.coerce.number().int(),
  owner: z.string().default(''),
  platform: z.string().default('terminal'),
  channel: z.string().default(''),
  thread: z.string().default(''),
  model: z.string(),
  status: z.enum(['idle', 'running', 'awaiting_approval', 'ended']).default('idle'),
  createdAt: num,
  updatedAt: num,
  inputTokens: num,
  outputTokens: num,
  cacheReadTokens: num,
  cacheWriteTokens: num,
  costUsd: num,
  /** The spend at which the thread next pauses for a Continue click (unset: `budget.warnAtUsd`). */
  spendPauseAtUsd: z.coerce.number().optional(),
  /** '1' once a call of the session had no known price (an open or local model nobody priced). */
  costUnknown: z.enum(['0', '1']).optional(),
  /** Prompt size of the latest LLM call, the measure compaction watches. */
  contextTokens: num,
  /** Per-session overrides set by the command line (`--max-iterations`, `--no-stream`, `--yes`). */
  maxIterations: z.coerce.number().int().optional(),
  stream: z.enum(['0', '1']).optional(),
  yolo: z.enum(['0', '1']).optional(),
  /** Id of the operation being processed, so a recovered worker knows it is resuming. */
  currentOp: z.string().optional(),
  /** How many workers started the current operation (a poison operation is dropped after a few). */
  currentOpAttempts: num,
  /** Set when a `new` replaced this session in its thread. */
  replacedBy: z.string().optional(),
});
export type SessionRecord = z.infer<typeof sessionRecordSchema>;

/** What a session has spent, and where it next pauses for a Continue click. */
export interface SessionSpend {
  costUsd: number;
  spendPauseAtUsd: number | undefined;
}

export interface NewSession {
  id: string;
  model: string;
  owner?: string;
  platform?: string;
  channel?: string;
  thread?: string;
  maxIterations?: number;
  stream?: boolean;
  yolo?: boolean;
}

/** The session hash: who, where, which model, status, usage and cost. */
export class SessionStore {
  private readonly writes: FencedWrites;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    writes?: FencedWrites,
  ) {
    this.writes = writes ?? new FencedWrites(redis);
  }

  /** This store with its writes fenced by a session lock (see `Fence`). */
  withFence(fence: Fence): SessionStore {
    return new SessionStore(this.redis, this.keys, this.writes.withFence(fence));
  }

  /**
   * Throws `LockLostError` when the fence is gone: for writes outside the session's hash slot (a
   * new session, a thread binding), which cannot be checked in the same script.
   */
  assertHeld(): Promise<void> {
    return this.writes.assertHeld();
  }

  async create(init: NewSession): Promise<void> {
    const now = Date.now();
    const fields: Record<string, string | number> = {
      id: init.id,
      schemaVersion: SESSION_SCHEMA_VERSION,
      model: init.model,
      owner: init.owner ?? '',
      platform: init.platform ?? 'terminal',
      channel: init.channel ?? '',
      thread: init.thread ?? '',
      status: 'idle',
      createdAt: now,
      updatedAt: now,
    };
    if (init.maxIterations !== undefined) fields.maxIterations = init.maxIterations;
    if (init.stream !== undefined) fields.stream = init.stream ? '1' : '0';
    if (init.yolo !== undefined) fields.yolo = init.yolo ? '1' : '0';
    // Another session's key: a fenced run checks its own lock just before.
    await this.writes.assertHeld();
    await this.redis.hset(this.keys.session(init.id).session, fields);
  }

  /** What the session has spent and where it next pauses: one HMGET, for checks made every step. */
  async spendOf(id: string): Promise<SessionSpend> {
    const key = this.keys.session(id).session;
    const [cost, pause] = (await this.writes.read('hmget', key, 'costUsd', 'spendPauseAtUsd')) as Array<
      string | null
    >;
    const pauseAt = pause === null ? undefined : Number(pause);
    return {
      costUsd: Number(cost ?? 0) || 0,
      spendPauseAtUsd: pauseAt !== undefined && Number.isFinite(pauseAt) ? pauseAt : undefined,
    };
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    return this.parse(id, await this.redis.hgetall(this.keys.session(id).session));
  }

  /** A session hash as read (HGETALL), validated; undefined when there is no such session. */
  parse(id: string, raw: Record<string, string>): SessionRecord | undefined {
    if (!raw.id) return undefined;
    const record = sessionRecordSchema.parse(raw);
    if (record.schemaVersion > SESSION_SCHEMA_VERSION) {
      throw new MlInternError(
        'session_schema_too_new',
        `session ${id} has schema version ${record.schemaVersion}, newer than this worker`,
        {
          userMessage:
            'This session was written by a newer version of the bot; a newer worker must handle it.',
        },
      );
    }
    return record;
  }

  async update(id: string, fields: Record<string, string | number>): Promise<void> {
    const pairs = Object.entries({ ...fields, updatedAt: Date.now() }).flat();
    await this.writes.exec([['hset', this.keys.session(id).session, ...pairs]]);
  }

  /** Adds a sub-agent call's usage and cost, leaving the session's prompt size alone. */
  async addSpend(id: string, usage: Usage, costUsd: number | undefined): Promise<void> {
    const key = this.keys.session(id).session;
    await this.writes.exec([
      costUsd === undefined ? ['hset', key, 'costUnknown', '1'] : ['hincrbyfloat', key, 'costUsd', costUsd],
      ['hincrby', key, 'inputTokens', usage.inputTokens],
      ['hincrby', key, 'outputTokens', usage.outputTokens],
      ['hincrby', key, 'cacheReadTokens', usage.cacheReadTokens],
      ['hincrby', key, 'cacheWriteTokens', usage.cacheWriteTokens],
    ]);
  }

  /**
   * Adds one LLM call's usage and cost (undefined: the price is unknown, which the session then
   * remembers), and records its prompt size for compaction.
   */
  async addUsage(id: string, usage: Usage, costUsd: number | undefined): Promise<void> {
    const key = this.keys.session(id).session;
    await this.writes.exec([
      costUsd === undefined ? ['hset', key, 'costUnknown', '1'] : ['hincrbyfloat', key, 'costUsd', costUsd],
      ['hincrby', key, 'inputTokens', usage.inputTokens],
      ['hincrby', key, 'outputTokens', usage.outputTokens],
      ['hincrby', key, 'cacheReadTokens', usage.cacheReadTokens],
      ['hincrby', key, 'cacheWriteTokens', usage.cacheWriteTokens],
      ['hset', key, 'contextTokens', promptTokensOf(usage) + usage.outputTokens],
    ]);
  }
}

/** Tokens the prompt of a call occupied (cached or not). */
export function promptTokensOf(usage: Usage): number {
  return usage.inputTokens + usage.cacheReadTokens + usage.cacheWriteTokens;
}
