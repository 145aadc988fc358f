import type { Redis } from 'ioredis';
import { JobWatcher } from '../jobs/job-watcher.js';
import { McpManager } from '../mcp/mcp-manager.js';
import type { OperationQueue } from '../queue/operation-queue.js';
import { SkillCatalog } from '../skills/index.js';
import type { EventStore } from '../store/event-store.js';
import type { KeySpace } from '../store/keys.js';
import type { SessionStore } from '../store/session-store.js';
import type { SpendLedger } from '../store/spend-ledger.js';
import { builtinTools } from '../tools/builtin-tools.js';
import { HfSandboxes } from '../tools/code/hf-sandbox/index.js';
import { redisToolState } from '../store/tool-state-store.js';
import { ToolCache } from '../tools/shared/tool-cache.js';
import { ToolRegistry } from '../tools/tool-registry.js';
import { PUBLIC_ENDPOINTS, type ToolServices } from '../tools/tool-services.js';
import type { AppOptions } from './app-options.js';

/** What the tools run on: their cache, the job watcher, the skills, the MCP servers and the registry of every tool. */
export interface ToolRuntime {
  toolCache: ToolCache;
  jobs: JobWatcher;
  skills: SkillCatalog;
  registry: ToolRegistry;
  /** code.runtime `hf-sandbox`: the sessions' sandboxes (their idle reaper runs on workers). */
  sandboxes?: HfSandboxes;
  /** Connects nothing until `start` (processes that run turns); adds each server's tools to `registry`. */
  mcp: McpManager;
}

const NO_TOKENS = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };

/** Builds the tool side of the composition root from the app's stores. */
export function buildToolRuntime(parts: {
  options: AppOptions;
  redis: Redis;
  keys: KeySpace;
  events: EventStore;
  sessions: SessionStore;
  operations: OperationQueue;
  spend: SpendLedger;
}): ToolRuntime {
  const { options, redis, keys } = parts;
  const { config, logger } = options;
  const endpoints = options.services ?? PUBLIC_ENDPOINTS;
  const toolCache = new ToolCache(redis, keys.prefix, logger);
  const jobs = new JobWatcher({
    redisUrl: options.redisUrl,
    connection: redis,
    keys,
    hub: endpoints.hub,
    events: parts.events,
    sessions: parts.sessions,
    operations: parts.operations,
    spend: parts.spend,
    logger,
    redact: options.redact ?? ((t: string) => t),
    stalledIntervalMs: config.worker.stalledIntervalMs,
    lockMs: config.worker.lockMs,
    ...(options.jobWatch ?? {}),
  });
  const services: ToolServices = { ...endpoints, cache: toolCache, logger };
  const skills = new SkillCatalog({
    sources: config.skills,
    services,
    ...(options.projectRoot ? { projectRoot: options.projectRoot } : {}),
  });
  const sandboxes =
    config.code.runtime === 'hf-sandbox'
      ? new HfSandboxes({
          services,
          code: config.code,
          jobs: config.jobs,
          redisUrl: options.redisUrl,
          connection: redis,
          prefix: keys.prefix,
          queuePrefix: keys.queuePrefix,
          stateOf: (sessionId) => redisToolState(redis, keys, sessionId),
          settleSpend: async (sessionId, usd) => {
            await parts.sessions.addSpend(sessionId, NO_TOKENS, usd);
            const owner = (await parts.sessions.get(sessionId))?.owner ?? '';
            if (usd > 0) await parts.spend.add(owner, usd);
          },
          lockMs: config.worker.lockMs,
          stalledIntervalMs: config.worker.stalledIntervalMs,
        })
      : undefined;
  // The research tool reads the registry when it runs, so it sees the extra tools too.
  const registry: ToolRegistry = new ToolRegistry([
    ...builtinTools(services, config, () => registry.all(), skills, options.projectRoot, sandboxes),
    ...(options.extraTools ?? []),
  ]);
  const mcp = new McpManager(config.mcpServers, {
    env: options.env ?? process.env,
    logger,
    redact: options.redact ?? ((t: string) => t),
    tools: registry,
  });
  return { toolCache, jobs, skills, registry, mcp, ...(sandboxes ? { sandboxes } : {}) };
}
