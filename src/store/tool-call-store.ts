import { z } from 'zod';
import type { Redis } from 'ioredis';
import { costEstimateSchema } from '../core/events.js';
import { toolCallSchema, type ToolCall, type ToolMessage } from '../core/messages.js';
import type { KeySpace } from './keys.js';
import { FencedWrites, type Fence } from './fenced-writes.js';

const pendingCallSchema = z.object({
  toolCall: toolCallSchema,
  reason: z.string(),
  estimate: costEstimateSchema.optional(),
});
/** A tool call waiting for a human decision. */
export type PendingCall = z.infer<typeof pendingCallSchema>;

const journalEntrySchema = z.object({ tool: z.string(), sideEffects: z.boolean(), startedAt: z.number() });
export type JournalEntry = z.infer<typeof journalEntrySchema>;

/**
 * Tool calls between "decided" and "recorded": the calls waiting for approval, and the journal of
 * calls that started running. A result is appended to the history and its journal entry removed in
 * one MULTI, so after a crash a journal entry means "started, outcome unknown".
 */
export class ToolCallStore {
  private readonly writes: FencedWrites;

  constructor(
    private readonly redis: Redis,
    private readonly keys: KeySpace,
    writes?: FencedWrites,
  ) {
    this.writes = writes ?? new FencedWrites(redis);
  }

  /** This store with its writes fenced by a session lock (see `Fence`). */
  withFence(fence: Fence): ToolCallStore {
    return new ToolCallStore(this.redis, this.keys, this.writes.withFence(fence));
  }

  async setPending(sessionId: string, calls: readonly PendingCall[]): Promise<void> {
    if (calls.length === 0) return;
    const fields = calls.flatMap((c) => [c.toolCall.id, JSON.stringify(c)]);
    await this.writes.exec([['hset', this.keys.session(sessionId).pending, ...fields]]);
  }

  async getPending(sessionId: string): Promise<Map<string, PendingCall>> {
    const raw = await this.redis.hgetall(this.keys.session(sessionId).pending);
    return new Map(Object.entries(raw).map(([id, json]) => [id, pendingCallSchema.parse(JSON.parse(json))]));
  }

  /** Removes one waiting entry that has no result to record (a spending pause, once decided). */
  async dropPending(sessionId: string, id: string): Promise<void> {
    await this.writes.exec([['hdel', this.keys.session(sessionId).pending, id]]);
  }

  async clearPending(sessionId: string): Promise<void> {
    await this.writes.exec([['del', this.keys.session(sessionId).pending]]);
  }

  /** Written before a call runs. */
  async journalStart(sessionId: string, call: ToolCall, sideEffects: boolean): Promise<void> {
    const entry: JournalEntry = { tool: call.name, sideEffects, startedAt: Date.now() };
    await this.writes.exec([['hset', this.keys.session(sessionId).journal, call.id, JSON.stringify(entry)]]);
  }

  async journal(sessionId: string): Promise<Map<string, JournalEntry>> {
    const raw = await this.redis.hgetall(this.keys.session(sessionId).journal);
    return new Map(Object.entries(raw).map(([id, json]) => [id, journalEntrySchema.parse(JSON.parse(json))]));
  }

  /** Appends the call's result to the history and closes its journal and pending entries, atomically. */
  async record(sessionId: string, result: ToolMessage): Promise<void> {
    const k = this.keys.session(sessionId);
    await this.writes.exec([
      ['rpush', k.messages, JSON.stringify(result)],
      ['hdel', k.journal, result.toolCallId],
      ['hdel', k.pending, result.toolCallId],
    ]);
  }
}
