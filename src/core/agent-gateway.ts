import type { AgentEvent } from './events.js';
import type { Operation, OperationEnvelope } from './operations.js';

/** An event with its place in the session's stream (the cursor a renderer keeps). */
export interface StoredEvent {
  streamId: string;
  event: AgentEvent;
}

/** What an adapter may show of a session (`/status`). */
export interface SessionSummary {
  id: string;
  model: string;
  status: 'idle' | 'running' | 'awaiting_approval' | 'ended';
  owner: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  contextTokens: number;
  contextWindow: number;
  replacedBy?: string | undefined;
}

export interface NewSessionRequest {
  owner: string;
  platform: string;
  channel?: string;
  thread?: string;
  model?: string;
  maxIterations?: number;
  stream?: boolean;
  yolo?: boolean;
}

/** Reads a session's events in order; a reader owns one Redis connection, so it may block. */
export interface EventReader {
  /** Events after `afterId` (`0` = from the start), waiting up to `blockMs` for the first. */
  read(sessionId: string, afterId: string, blockMs: number): Promise<StoredEvent[]>;
  close(): void;
}

/**
 * The whole of the agent runtime as a chat adapter sees it: start sessions, submit operations,
 * read events. Adapters depend on this seam only, never on the agent's internals.
 */
export interface AgentGateway {
  startSession(request: NewSessionRequest): Promise<string>;
  submit(sessionId: string, op: Operation, userId?: string): Promise<OperationEnvelope>;
  session(sessionId: string): Promise<SessionSummary | undefined>;
  openEventReader(name: string): EventReader;
}
