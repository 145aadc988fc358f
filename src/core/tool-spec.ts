import type { z } from 'zod';
import type { EventBody } from './events.js';
import type { LlmRequest, LlmResponse } from './llm-provider.js';

/**
 * The session's model, for a tool that runs a sub-agent (`research`): each call's tokens and cost
 * are added to the session's spend, so a sub-agent never spends unseen.
 */
export interface SubAgentModel {
  complete(request: Omit<LlmRequest, 'model'>, signal: AbortSignal): Promise<LlmResponse>;
}

/** What a tool handler may use while it runs. */
export interface ToolContext {
  sessionId: string;
  toolCallId: string;
  /** Aborted when the user interrupts the turn; long-running tools must honour it. */
  signal: AbortSignal;
  /** Streams a line of progress to the thread as a `tool_log` event. */
  log(line: string): Promise<void>;
  /** Emits any other event (the plan tool emits `plan_update`). */
  emit(event: EventBody): Promise<void>;
  /** Per-session scratch state that survives across calls and workers (JSON-serialisable). */
  state: ToolStateStore;
  /** The session's model, when the call runs inside a turn (absent in tests that run a tool alone). */
  model?: SubAgentModel;
  /** Follows a launched HF job until it ends: a live card in the thread, then the session told. */
  watchJob?: (request: JobWatchRequest) => Promise<void>;
}

/** A launched HF job for the watcher: where it is, what it runs on, what it was estimated to cost. */
export interface JobWatchRequest {
  namespace: string;
  jobId: string;
  flavor: string;
  /** What the session was charged at launch (price × timeout), replaced by the real cost at the end. */
  estimateUsd?: number;
  /** The flavor's price, when known. */
  usdPerSecond?: number;
}

export interface ToolStateStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface ToolResult {
  output: string;
  isError?: boolean;
  /** Money the call committed (a launched job's estimate): added to the session's cost at once. */
  spendUsd?: number;
}

/** A priced call's expected cost: `usd` undefined when it cannot be worked out, and why in `basis`. */
export interface PriceQuote {
  usd: number | undefined;
  basis: string;
}

export interface ApprovalContext {
  sessionId: string;
}

/**
 * One tool: a zod schema for its arguments (turned into JSON Schema for the model), an approval
 * predicate, and a handler. `sideEffects` marks calls that must not run twice: a worker that dies
 * mid-call leaves a journal entry and the next worker reports "outcome unknown" instead of re-running.
 */
export interface ToolSpec<Schema extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  /** Checks the model's arguments before the call runs (and, without `inputSchema`, is shown to the model). */
  parameters: Schema;
  /**
   * The JSON Schema shown to the model as it is, for a tool whose schema comes from elsewhere (an MCP
   * server's `inputSchema`); `parameters` then only checks that the arguments are an object.
   */
  inputSchema?: Record<string, unknown>;
  sideEffects: boolean;
  /**
   * What the `research` sub-agent may use: `true` for a tool that only reads, or the operations
   * (`args.operation`) that only read. Absent: the tool's name in research's own list decides.
   */
  readOnly?: true | readonly string[];
  /** Returns a short reason when the call must wait for a human, or `undefined` when it may run. */
  needsApproval(args: z.infer<Schema>, ctx: ApprovalContext): string | undefined;
  /**
   * For calls that spend money: what this one would cost, shown on its approval card. In yolo mode a
   * priced tool runs unasked only while its quote fits what is left of `budget.yoloCapUsd`.
   * Return `undefined` for calls that cost nothing (a read of the same tool).
   */
  quote?(
    args: z.infer<Schema>,
    ctx: ApprovalContext & { signal: AbortSignal },
  ): Promise<PriceQuote | undefined>;
  /** A reason this call asks even in yolo mode (scheduled job changes), or undefined. */
  alwaysAsk?(args: z.infer<Schema>): string | undefined;
  execute(args: z.infer<Schema>, ctx: ToolContext): Promise<ToolResult>;
}

/** Erases the schema type so specs of different tools fit in one registry. */
export type AnyToolSpec = ToolSpec<z.ZodType>;

export function defineTool<Schema extends z.ZodType>(spec: ToolSpec<Schema>): AnyToolSpec {
  return spec;
}
