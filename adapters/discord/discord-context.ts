import type { Client } from 'discord.js';
import type { AdapterContext } from '../shared/adapter-context.js';
import type { GuildMembers } from './guild-members.js';

export { DEDUPE_TTL_MS } from '../shared/adapter-context.js';

/** Everything the Discord handlers share, built once by the adapter. */
export interface DiscordContext extends AdapterContext {
  client: Client<true>;
  /** Cached guild membership, for DMs when the allow-list names servers or roles. */
  members: GuildMembers;
}

export const PLATFORM = 'discord';

/** Discord's limit on one message's content. */
export const MAX_MESSAGE_CHARS = 2_000;

/** Discord thread names are at most 100 characters. */
export const MAX_THREAD_NAME = 100;
