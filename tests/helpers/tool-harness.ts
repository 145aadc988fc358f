import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import type { EventBody } from '../../src/core/events.js';
import type { AnyToolSpec, ToolResult } from '../../src/core/tool-spec.js';
import { ToolCache } from '../../src/tools/shared/tool-cache.js';
import { PUBLIC_ENDPOINTS, type ServiceEndpoints, type ToolServices } from '../../src/tools/tool-services.js';
import { REDIS_URL } from './test-app.js';

/**
 * Runs tools the way the agent does (schema-checked arguments, a context with logs and state)
 * against services on loopback, with a real Redis cache under a prefix of its own.
 */
export interface ToolHarness {
  services: ToolServices;
  /** `tool_log` lines and other events the tool emitted, in order. */
  readonly logs: string[];
  readonly events: EventBody[];
  /** Parses `args` with the tool's schema (throws on bad arguments, as the agent would refuse them) and runs it. */
  run(tool: AnyToolSpec, args: unknown, signal?: AbortSignal): Promise<ToolResult>;
  /** The approval reason for `args`, or undefined when the call runs without asking. */
  approval(tool: AnyToolSpec, args: unknown): string | undefined;
  close(): Promise<void>;
}

export function toolHarness(endpoints: Partial<ServiceEndpoints> = {}): ToolHarness {
  const redis = new Redis(REDIS_URL);
  const prefix = `ttool${randomUUID().slice(0, 8)}`;
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const services: ToolServices = {
    ...PUBLIC_ENDPOINTS,
    ...endpoints,
    cache: new ToolCache(redis, prefix, logger),
    logger,
  };
  const logs: string[] = [];
  const events: EventBody[] = [];
  const state = new Map<string, unknown>();
  return {
    services,
    logs,
    events,
    run: (tool, args, signal = new AbortController().signal) =>
      tool.execute(tool.parameters.parse(args), {
        sessionId: 'harness-session',
        toolCallId: `call_${randomUUID().slice(0, 8)}`,
        signal,
        log: (line) => {
          logs.push(line);
          return Promise.resolve();
        },
        emit: (event) => {
          events.push(event);
          return Promise.resolve();
        },
        state: {
          get: (key) => Promise.resolve(state.get(key)),
          set: (key, value) => {
            state.set(key, value);
            return Promise.resolve();
          },
        },
      }),
    approval: (tool, args) =>
      tool.needsApproval(tool.parameters.parse(args), { sessionId: 'harness-session' }),
    close: async () => {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    },
  };
}
