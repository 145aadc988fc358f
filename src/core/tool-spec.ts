import type { z } from 'zod';
import type { EventBody } from './events.js';

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
}

export interface ToolStateStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface ToolResult {
  output: string;
  isError?: boolean;
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
  parameters: Schema;
  sideEffects: boolean;
  /** Returns a short reason when the call must wait for a human, or `undefined` when it may run. */
  needsApproval(args: z.infer<Schema>, ctx: ApprovalContext): string | undefined;
  execute(args: z.infer<Schema>, ctx: ToolContext): Promise<ToolResult>;
}

/** Erases the schema type so specs of different tools fit in one registry. */
export type AnyToolSpec = ToolSpec<z.ZodType>;

export function defineTool<Schema extends z.ZodType>(spec: ToolSpec<Schema>): AnyToolSpec {
  return spec;
}
