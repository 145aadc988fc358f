import type { APIMessage, GatewayIdentifyData } from 'discord.js';
import { GatewayCloseCodes, GatewayIntentBits } from 'discord.js';
import type { DiscordWorld, FakeDiscordMessage } from './fake-discord-world.js';

/** Discord's intent rules: which IDENTIFYs it refuses, and what the MessageContent intent hides. */

/** The privileged intents: each needs its toggle in the app's settings. */
export const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers | GatewayIntentBits.GuildPresences | GatewayIntentBits.MessageContent;

const ALL_INTENTS = Object.values(GatewayIntentBits)
  .filter((v): v is number => typeof v === 'number')
  .reduce((a, b) => a | b, 0);

/**
 * The close code Discord answers an IDENTIFY with, or undefined when it is accepted: 4004 for a
 * wrong token, 4013 for unknown intent bits, 4014 for a privileged intent the app may not use
 * (discord.js then rejects `login()` with "Used disallowed intents"), 4010 for a bad shard.
 */
export function identifyRefusal(
  d: GatewayIdentifyData,
  token: string,
  allowedPrivileged: number,
): GatewayCloseCodes | undefined {
  if (d.token !== token) return GatewayCloseCodes.AuthenticationFailed;
  const intents = d.intents;
  if (!Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
    return GatewayCloseCodes.InvalidIntents;
  }
  if ((intents & PRIVILEGED_INTENTS & ~allowedPrivileged) !== 0) return GatewayCloseCodes.DisallowedIntents;
  const [shardId, shardCount] = d.shard ?? [0, 1];
  if (shardCount < 1 || shardId < 0 || shardId >= shardCount) return GatewayCloseCodes.InvalidShard;
  return undefined;
}

/** Blanks what the MessageContent intent guards: content, embeds, attachments, components, poll. */
export function withoutContent<T extends APIMessage>(payload: T): T {
  const { poll: _poll, ...rest } = payload;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] } as unknown as T;
}

/**
 * Whether Discord shows content to an app lacking MessageContent: its own messages, DMs, and
 * messages mentioning its user (a reply that pings it counts). A mention of its managed role
 * alone is not treated as one here.
 */
export function contentExempt(world: DiscordWorld, message: FakeDiscordMessage): boolean {
  return (
    message.authorId === world.botUserId ||
    message.guildId === undefined ||
    message.mentions.includes(world.botUserId)
  );
}
