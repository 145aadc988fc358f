import type { Logger } from 'pino';
import type { AgentGateway } from '../../src/core/agent-gateway.js';
import { noopMetrics, type Metrics } from '../../src/core/metrics.js';
import type { AccessLists } from './access-policy.js';

/** Who may decide on approvals (config `approval.approvers`). */
export type Approvers = 'owner' | 'channel' | readonly string[];

/** What every chat adapter's handlers share, built once by the adapter; platforms add their client. */
export interface AdapterContext {
  gateway: AgentGateway;
  access: AccessLists;
  approvers: Approvers;
  /** Starts rendering a session's events into its thread. */
  follow: (sessionId: string) => Promise<void>;
  logger: Logger;
  /** Attached text files larger than this are named to the model, not read. */
  maxFileBytes: number;
  fetch: typeof fetch;
  /** Counts chat API calls, retries and 429s. */
  metrics: Metrics;
  /** The process's one redaction function: every text sent to the platform goes through it. */
  redact: (text: string) => string;
}

/** How long an inbound message id is remembered (platforms redeliver for up to about an hour). */
export const DEDUPE_TTL_MS = 2 * 60 * 60 * 1000;

/** The options every chat adapter takes; platforms add their tokens and URLs. */
export interface AdapterOptions {
  gateway: AgentGateway;
  access: AccessLists;
  approvers: Approvers;
  maxFileBytes: number;
  logger: Logger;
  fetch?: typeof fetch;
  metrics?: Metrics;
  redact?: (text: string) => string;
}

/** The shared part of a handler context, following sessions through the adapter's subscription. */
export function adapterContext(
  options: AdapterOptions,
  follow: (sessionId: string) => Promise<void>,
): AdapterContext {
  return {
    gateway: options.gateway,
    access: options.access,
    approvers: options.approvers,
    follow,
    logger: options.logger,
    maxFileBytes: options.maxFileBytes,
    fetch: options.fetch ?? fetch,
    metrics: options.metrics ?? noopMetrics,
    redact: options.redact ?? ((text) => text),
  };
}
