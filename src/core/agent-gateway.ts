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
  /** Some call's price was unknown: `costUsd` covers only the priced ones. */
  costUnknown: boolean;
  contextTokens: number;
  contextWindow: number;
  replacedBy?: string | undefined;
  /** The chat thread the session was started in (none for terminal sessions). */
  thread: ThreadRef | undefined;
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

/** Where a chat thread lives, platform-neutral. */
export interface ThreadRef {
  platform: string;
  channel: string;
  thread: string;
}

/** Follows many sessions' events for one adapter, resuming from stored cursors after a restart. */
export interface EventSubscription {
  /** Starts following a session (from its stored cursor, else from `from`, default the beginning). */
  follow(sessionId: string, from?: string): Promise<void>;
  unfollow(sessionId: string): Promise<void>;
  stop(): Promise<void>;
}

/** Small per-session key/value state an adapter keeps in Redis (message ids it edits, card state). */
export interface AdapterStateStore {
  get(sessionId: string, field: string): Promise<string | undefined>;
  /** The named fields that are set (a session's state grows with its cards: never read it whole). */
  getMany(sessionId: string, fields: readonly string[]): Promise<Record<string, string>>;
  set(sessionId: string, fields: Record<string, string>): Promise<void>;
  delete(sessionId: string, ...fields: string[]): Promise<void>;
}

/**
 * The whole of the agent runtime as a chat adapter sees it: start sessions, submit operations,
 * read events, map threads to sessions. Adapters depend on this seam only, never on the agent's
 * internals.
 */
export interface AgentGateway {
  startSession(request: NewSessionRequest): Promise<string>;
  submit(sessionId: string, op: Operation, userId?: string): Promise<OperationEnvelope>;
  session(sessionId: string): Promise<SessionSummary | undefined>;
  openEventReader(name: string): EventReader;
  /** Per-session settings changed from chat (`model <id>`, `yolo on|off`); apply from the next operation. */
  configureSession(sessionId: string, settings: { model?: string; yolo?: boolean }): Promise<void>;
  threadSession(ref: ThreadRef): Promise<string | undefined>;
  /** Binds a thread to a session unless it has one; returns the session that holds the thread. */
  bindThread(ref: ThreadRef, sessionId: string): Promise<string>;
  /** Points a thread at another session (its previous one ended). */
  rebindThread(ref: ThreadRef, sessionId: string): Promise<void>;
  /** True the first time `key` is claimed within `ttlMs` (platform retries, double clicks). */
  claimOnce(key: string, ttlMs: number): Promise<boolean>;
  subscribe(
    consumer: string,
    handle: (sessionId: string, events: StoredEvent[]) => Promise<void>,
  ): Promise<EventSubscription>;
  adapterState(adapter: string): AdapterStateStore;
}
