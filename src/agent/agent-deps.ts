import type { Logger } from 'pino';
import type { Metrics } from '../core/metrics.js';
import { redactDeep } from '../core/redact.js';
import type { Config } from '../config/schema.js';
import type { LlmProvider } from '../core/llm-provider.js';
import type { ToolStateStore } from '../core/tool-spec.js';
import type { EventBody, Usage } from '../core/events.js';
import type { CancelFlags } from '../queue/cancel-flags.js';
import type { EventStore } from '../store/event-store.js';
import type { HistoryStore } from '../store/history-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { ThreadIndex } from '../store/thread-index.js';
import type { ToolCallStore } from '../store/tool-call-store.js';
import type { ToolRegistry } from '../tools/tool-registry.js';

/** A model resolved from its `<provider>/<id>` name. */
export interface ResolvedModel {
  provider: LlmProvider;
  modelId: string;
  contextWindow: number;
  costOf(usage: Usage): number;
}

/** Everything the agent needs, built once by the composition root and passed in. */
export interface AgentDeps {
  config: Config;
  systemPrompt: string;
  sessions: SessionStore;
  history: HistoryStore;
  events: EventStore;
  toolCalls: ToolCallStore;
  threads: ThreadIndex;
  registry: ToolRegistry;
  cancel: CancelFlags;
  resolveModel(name: string): ResolvedModel;
  toolState(sessionId: string): ToolStateStore;
  logger: Logger;
  metrics: Metrics;
  /** Redacts secrets from anything that goes to the thread or the logs. */
  redact: (text: string) => string;
}

/** Emits an event with secrets redacted from every string in it (the one redaction point of events). */
export async function emitEvent(deps: AgentDeps, sessionId: string, body: EventBody): Promise<number> {
  return deps.events.emit(sessionId, redactDeep(deps.redact, body));
}
