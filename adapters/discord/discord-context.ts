import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import type { AgentGateway } from '../../src/core/agent-gateway.js';
import type { AccessLists } from '../shared/access-policy.js';

/** Everything the Discord handlers share, built once by the adapter. */
export interface DiscordContext {
  gateway: AgentGateway;
  client: Client<true>;
  access: AccessLists;
  approvers: 'owner' | 'channel' | readonly string[];
  follow(sessionId: string): Promise<void>;
  logger: Logger;
  maxFileBytes: number;
  fetch: typeof fetch;
}

export const PLATFORM = 'discord';

/** How long an inbound message id is remembered (gateway replays after a resume). */
export const DEDUPE_TTL_MS = 2 * 60 * 60 * 1000;

/** Discord's limit on one message's content. */
export const MAX_MESSAGE_CHARS = 2_000;

/** Discord thread names are at most 100 characters. */
export const MAX_THREAD_NAME = 100;
