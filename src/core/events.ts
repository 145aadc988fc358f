import { z } from 'zod';

/**
 * Events: what the agent says. Every event of a session is appended to the session's Redis stream
 * with a per-session sequence number, so renderers read them in order and resume after a restart.
 */

/** Largest attachment an event carries, decoded (4 MB): the event stream is not a file store. */
export const MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;

export const usageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadTokens: z.number().int().nonnegative(),
  cacheWriteTokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof usageSchema>;

export const toolStateSchema = z.enum([
  'running',
  'waiting_approval',
  'approved',
  'rejected',
  'completed',
  'failed',
  'abandoned',
  'cancelled',
  'unknown',
]);
export type ToolState = z.infer<typeof toolStateSchema>;

export const todoSchema = z.object({
  id: z.string().min(1).max(100),
  content: z.string().min(1).max(2_000),
  status: z.enum(['pending', 'in_progress', 'completed']),
});
export type Todo = z.infer<typeof todoSchema>;

/**
 * What a call that spends money is expected to cost, as the approval card shows it (the same figures
 * on every platform): `usd` null when it cannot be estimated, what it was worked out from, and what
 * the thread had spent when it was asked.
 */
export const costEstimateSchema = z.object({
  usd: z.number().nonnegative().nullable(),
  /** "a10g-small (1× A10G, 24 GB) for 2 h at $1.00/h", or why there is no estimate. */
  basis: z.string(),
  spentUsd: z.number().nonnegative(),
});
export type CostEstimate = z.infer<typeof costEstimateSchema>;

const pendingCallSchema = z.object({
  toolCallId: z.string(),
  tool: z.string(),
  args: z.record(z.string(), z.unknown()),
  /** Why the call needs approval, in a few words ("launches a paid GPU job"). */
  reason: z.string().optional(),
  estimate: costEstimateSchema.optional(),
});
export type PendingCallSummary = z.infer<typeof pendingCallSchema>;

/**
 * How an operation ended: `done` (finished), `awaiting_approval` (paused for a human),
 * `interrupted`, `max_iterations` (stopped at the iteration limit), `ended` (the session ended:
 * `shutdown`, `new`, a failed compaction) or `error` (an error event says why).
 */
export const operationOutcomeSchema = z.enum([
  'done',
  'awaiting_approval',
  'interrupted',
  'max_iterations',
  'ended',
  'error',
]);
export type OperationOutcome = z.infer<typeof operationOutcomeSchema>;

export const eventBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('processing'), opType: z.string() }),
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('assistant_chunk'), text: z.string() }),
  z.object({ type: z.literal('assistant_message'), text: z.string() }),
  z.object({ type: z.literal('assistant_stream_end') }),
  z.object({
    type: z.literal('tool_call'),
    toolCallId: z.string(),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('tool_output'),
    toolCallId: z.string(),
    tool: z.string(),
    output: z.string(),
    ok: z.boolean(),
  }),
  z.object({ type: z.literal('tool_log'), toolCallId: z.string(), tool: z.string(), log: z.string() }),
  z.object({
    type: z.literal('tool_state_change'),
    toolCallId: z.string(),
    tool: z.string(),
    state: toolStateSchema,
  }),
  z.object({ type: z.literal('approval_required'), calls: z.array(pendingCallSchema) }),
  /**
   * A file a tool produced for the thread (an MCP tool's image): each renderer uploads it. The model
   * gets a note instead of the bytes; files over {@link MAX_ATTACHMENT_BYTES} stay a note.
   */
  z.object({
    type: z.literal('attachment'),
    toolCallId: z.string(),
    tool: z.string(),
    name: z.string().min(1).max(200),
    mimeType: z.string().min(1).max(200),
    dataBase64: z.string().max(Math.ceil(MAX_ATTACHMENT_BYTES / 3) * 4),
  }),
  z.object({ type: z.literal('plan_update'), todos: z.array(todoSchema) }),
  z.object({
    type: z.literal('turn_complete'),
    /** `max_iterations` when the loop hit its limit instead of finishing. */
    reason: z.enum(['done', 'max_iterations']),
    usage: usageSchema,
    /** The cost of the calls whose price is known. */
    costUsd: z.number().nonnegative(),
    /** Set when some call's price is unknown: the cost shows as unknown, never as $0. */
    costUnknown: z.boolean().optional(),
  }),
  /**
   * A watched HF job's card: one per job, shown and edited in place by each renderer (at most every
   * 10 s, and at once when its stage changes); `final` once the job has ended.
   */
  z.object({
    type: z.literal('job_update'),
    namespace: z.string(),
    jobId: z.string(),
    url: z.string(),
    stage: z.string(),
    message: z.string().optional(),
    flavor: z.string(),
    elapsedSeconds: z.number().nonnegative(),
    /** Duration so far × price; null when the flavor's price is unknown. */
    costSoFarUsd: z.number().nonnegative().nullable(),
    logTail: z.array(z.string()),
    final: z.boolean(),
  }),
  z.object({ type: z.literal('error'), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('interrupted') }),
  z.object({ type: z.literal('compacted'), oldTokens: z.number(), newTokens: z.number() }),
  z.object({ type: z.literal('undo_complete'), removed: z.number().int().nonnegative() }),
  /** The session ended; `replacedBy` names the session that took over its thread (`new`). */
  z.object({ type: z.literal('shutdown'), replacedBy: z.string().optional() }),
  /**
   * The last event of every operation a worker handled: what renderers and clients wait for instead
   * of inferring the end from the other events. `opId` is the envelope id `submit` returned.
   */
  z.object({
    type: z.literal('operation_complete'),
    opId: z.string(),
    opType: z.string(),
    outcome: operationOutcomeSchema,
  }),
]);
export type EventBody = z.infer<typeof eventBodySchema>;
export type EventType = EventBody['type'];

/** An event as stored and delivered: the body plus its place in the session's sequence. */
export type AgentEvent = EventBody & {
  seq: number;
  /** Milliseconds since the epoch. */
  at: number;
  sessionId: string;
};

export function parseAgentEvent(sessionId: string, seq: number, at: number, json: string): AgentEvent {
  const body = eventBodySchema.parse(JSON.parse(json));
  return { ...body, seq, at, sessionId };
}
