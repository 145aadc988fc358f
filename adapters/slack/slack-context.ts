import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { AgentGateway } from '../../src/core/agent-gateway.js';
import type { AccessLists } from '../shared/access-policy.js';

/** Everything the Slack handlers share, built once by the adapter. */
export interface SlackContext {
  gateway: AgentGateway;
  client: WebClient;
  botUserId: string;
  botToken: string;
  access: AccessLists;
  approvers: 'owner' | 'channel' | readonly string[];
  /** Starts rendering a session's events into its thread. */
  follow(sessionId: string): Promise<void>;
  logger: Logger;
  /** Text files larger than this are named to the model, not read. */
  maxFileBytes: number;
  fetch: typeof fetch;
}

export const PLATFORM = 'slack';

/** How long an inbound event id is remembered (Slack retries for about an hour at most). */
export const DEDUPE_TTL_MS = 2 * 60 * 60 * 1000;
