import type { AgentDeps } from '../agent/agent-deps.js';
import { hubJobControl } from '../jobs/job-control.js';
import { FencedWrites } from '../store/fenced-writes.js';
import { redisToolState } from '../store/tool-state-store.js';
import type { ServiceEndpoints } from '../tools/tool-services.js';
import type { App } from './app.js';
import type { ModelResolver } from './model-resolver.js';

/**
 * What the agent runtime of a worker runs on, wired from the app's stores and tool runtime: the
 * worker side of the composition root, built once when the process starts taking operations.
 */
export function agentDepsOf(app: App, models: ModelResolver, endpoints: ServiceEndpoints): AgentDeps {
  const { options } = app;
  const sandboxes = app.sandboxes;
  return {
    config: options.config,
    systemPrompt: options.systemPrompt,
    systemPromptExtras: () => app.skills.promptSection(),
    watchJob: (sessionId, request) => app.jobs.watch(sessionId, request),
    ...(sandboxes ? { sessionEnded: (id: string) => sandboxes.sessionEnded(id) } : {}),
    ...(endpoints.hub.token ? { jobControl: hubJobControl(endpoints.hub) } : {}),
    sessions: app.sessions,
    spend: app.spend,
    history: app.history,
    events: app.events,
    toolCalls: app.toolCalls,
    threads: app.threads,
    registry: app.registry,
    cancel: app.cancel,
    resolveModel: (name) => models.resolve(name),
    toolState: (sessionId, fence) =>
      redisToolState(app.redis, app.keys, sessionId, new FencedWrites(app.redis, fence)),
    logger: options.logger,
    metrics: app.metrics,
    redact: options.redact ?? ((t: string) => t),
  };
}
