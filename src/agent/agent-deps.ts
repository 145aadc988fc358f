import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics.js';
import { redactDeep } from '../core/redact.js';
import type { Config } from '../config/schema.js';
import type { LlmProvider } from '../core/llm-provider.js';
import type { JobWatchRequest, ToolStateStore } from '../core/tool-spec.js';
import type { EventBody, Usage } from '../core/events.js';
import type { CancelFlags } from '../queue/cancel-flags.js';
import type { EventStore } from '../store/event-store.js';
import type { Fence } from '../store/fenced-writes.js';
import type { HistoryStore } from '../store/history-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { SpendLedger } from '../store/spend-ledger.js';
import type { JobControl } from './job-operations.js';
import type { ThreadIndex } from '../store/thread-index.js';
import type { ToolCallStore } from '../store/tool-call-store.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

/** A model resolved from its `<provider>/<id>` name. */
export interface ResolvedModel {
  provider: LlmProvider;
  modelId: string;
  contextWindow: number;
  /** USD; undefined when the model's price is unknown. */
  costOf(usage: Usage): number | undefined;
}

/** Everything the agent needs, built once by the composition root and passed in. */
export interface AgentDeps {
  config: Config;
  systemPrompt: string;
  /** What is added to the system prompt at the start of each turn (the skills section). */
  systemPromptExtras?: () => Promise<string>;
  sessions: SessionStore;
  /** Starts following a launched job for a session (the job watcher). */
  watchJob?: (sessionId: string, request: JobWatchRequest) => Promise<void>;
  /** Releases what a session held outside Redis (its HF sandbox) once the session has ended. */
  sessionEnded?: (sessionId: string) => Promise<void>;
  /** Cancels HF jobs (a job card's Cancel button); absent without an HF token. */
  jobControl?: JobControl;
  /** Today's spend, in all and per user (the daily caps). */
  spend: SpendLedger;
  history: HistoryStore;
  events: EventStore;
  toolCalls: ToolCallStore;
  threads: ThreadIndex;
  registry: ToolRegistry;
  cancel: CancelFlags;
  resolveModel(name: string): Promise<ResolvedModel>;
  /** A tool's per-session state; its writes fenced by `fence` when given. */
  toolState(sessionId: string, fence?: Fence): ToolStateStore;
  logger: Logger;
  metrics: Metrics;
  /** Redacts secrets from anything that goes to the thread or the logs. */
  redact: (text: string) => string;
  /**
   * A run's last writes (the turn's final status and event), issued without waiting so that they
   * reach Redis in one script with the operation's completion and its removal from the mailbox
   * (see `AgentRuntime.run`). Only a run's deps ({@link fencedDeps}) have it.
   */
  closing?: Array<Promise<unknown>>;
}

/**
 * The same dependencies with every session write fenced by the run's lock: once another worker
 * holds the session, this run's next write throws `LockLostError` and the run stops.
 */
export function fencedDeps(deps: AgentDeps, fence: Fence): AgentDeps {
  return {
    ...deps,
    sessions: deps.sessions.withFence(fence),
    history: deps.history.withFence(fence),
    events: deps.events.withFence(fence),
    toolCalls: deps.toolCalls.withFence(fence),
    cancel: deps.cancel.withFence(fence),
    toolState: (sessionId) => deps.toolState(sessionId, fence),
    closing: [],
  };
}

/**
 * Issues a run's last writes (see {@link AgentDeps.closing}): the run awaits them with its
 * completion. Outside a run, waits for them here.
 */
export async function writeLast(deps: AgentDeps, writes: Promise<unknown>): Promise<void> {
  if (!deps.closing) {
    await writes;
    return;
  }
  // Handled until the run awaits it, which reports a failure (the completion shares its script).
  writes.catch(() => undefined);
  deps.closing.push(writes);
}

/** Emits an event with secrets redacted from every string in it (the one redaction point of events). */
export async function emitEvent(deps: AgentDeps, sessionId: string, body: EventBody): Promise<number> {
  return deps.events.emit(sessionId, redactDeep(deps.redact, body));
}
