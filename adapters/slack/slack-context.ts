import type { WebClient } from '@slack/web-api';
import type { AdapterContext } from '../shared/adapter-context.js';

export { DEDUPE_TTL_MS } from '../shared/adapter-context.js';

/** Everything the Slack handlers share, built once by the adapter. */
export interface SlackContext extends AdapterContext {
  client: WebClient;
  botUserId: string;
  botToken: string;
}

export const PLATFORM = 'slack';
