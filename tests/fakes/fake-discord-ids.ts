import { randomBytes } from 'node:crypto';
import { ChannelType, PermissionFlagsBits } from 'discord.js';

/** Discord's epoch (2015-01-01), the zero of every snowflake's timestamp. */
const DISCORD_EPOCH = 1_420_070_400_000n;
let lastSnowflake = 0n;

/**
 * A new snowflake: `(ms since the Discord epoch) << 22`, strictly increasing, so ids sort by time
 * and discord.js derives sensible `createdTimestamp`s from them (it reads the time out of the id).
 */
export function snowflake(at = Date.now()): string {
  let id = (BigInt(at) - DISCORD_EPOCH) << 22n;
  if (id <= lastSnowflake) id = lastSnowflake + 1n;
  lastSnowflake = id;
  return id.toString();
}

/** An interaction token: long, opaque, URL-safe, as Discord's are. */
export function interactionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

/** A gateway session id (32 hex chars). */
export function sessionId(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The fixed ids of the default world. Fixed (not generated) so tests can name them, and older
 * than any generated snowflake, as pre-existing guild objects are.
 */
export const DISCORD_IDS = {
  /** The bot user; a modern application's id equals its bot user's id. */
  bot: '1300000000000000001',
  application: '1300000000000000001',
  guild: '1300000000000000100',
  /** `#general`, a guild text channel. */
  general: '1300000000000000200',
  /** `#random`, a second guild text channel. */
  random: '1300000000000000201',
  /** A guild announcement channel (threads there are type 10). */
  announcements: '1300000000000000202',
  alice: '1300000000000000301',
  bob: '1300000000000000302',
  /** Another bot in the guild (its messages must be ignored). */
  otherBot: '1300000000000000303',
  /** `@everyone`: its id is the guild's. */
  everyoneRole: '1300000000000000100',
  /** The bot's managed role, created by Discord when the bot joined (`tags.bot_id`). */
  botRole: '1300000000000000401',
  /** An ordinary role held by alice (e.g. for an "approvers" allow-list). */
  approverRole: '1300000000000000402',
} as const;

/** A user of the fake world. */
export interface FakeDiscordUser {
  id: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

/** A role of a guild. */
export interface FakeDiscordRole {
  id: string;
  name: string;
  /** Permission bits (decimal string or bigint); default: none beyond `@everyone`'s. */
  permissions?: bigint | string;
  /** For a bot's managed role: the bot's user id (`tags.bot_id`). */
  botId?: string;
  position?: number;
  color?: number;
}

/** A (non-thread) channel of a guild. */
export interface FakeDiscordChannelSpec {
  id: string;
  name: string;
  type?: ChannelType.GuildText | ChannelType.GuildAnnouncement | ChannelType.GuildCategory;
  parentId?: string | null;
  topic?: string | null;
  position?: number;
}

/** A guild member: which user, which roles (ids, `@everyone` implied). */
export interface FakeDiscordMemberSpec {
  userId: string;
  roles?: string[];
  nick?: string | null;
}

/** A guild the bot is in; it is announced by GUILD_CREATE after READY. */
export interface FakeDiscordGuildSpec {
  id: string;
  name: string;
  ownerId: string;
  channels: FakeDiscordChannelSpec[];
  roles: FakeDiscordRole[];
  members: FakeDiscordMemberSpec[];
}

/** What `@everyone` may do in the default guild: read, write, thread, react. */
export const EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.UseApplicationCommands;

/** The bot's role adds what the adapter needs to manage its own threads and messages. */
const BOT_PERMISSIONS =
  EVERYONE_PERMISSIONS | PermissionFlagsBits.ManageMessages | PermissionFlagsBits.ManageThreads;

/** The default users: the bot, alice (owner, approver), bob (a stranger) and another bot. */
export function defaultUsers(botName: string): FakeDiscordUser[] {
  return [
    { id: DISCORD_IDS.bot, username: botName, globalName: null, bot: true },
    { id: DISCORD_IDS.alice, username: 'alice', globalName: 'Alice' },
    { id: DISCORD_IDS.bob, username: 'bob', globalName: 'Bob' },
    { id: DISCORD_IDS.otherBot, username: 'otherbot', globalName: null, bot: true },
  ];
}

/** The default guild: `#general`, `#random`, `#announcements`, every default user a member. */
export function defaultGuild(botName: string): FakeDiscordGuildSpec {
  return {
    id: DISCORD_IDS.guild,
    name: 'ML Lab',
    ownerId: DISCORD_IDS.alice,
    channels: [
      { id: DISCORD_IDS.general, name: 'general', topic: 'Talk to the intern', position: 0 },
      { id: DISCORD_IDS.random, name: 'random', position: 1 },
      {
        id: DISCORD_IDS.announcements,
        name: 'announcements',
        type: ChannelType.GuildAnnouncement,
        position: 2,
      },
    ],
    roles: [
      { id: DISCORD_IDS.everyoneRole, name: '@everyone', permissions: EVERYONE_PERMISSIONS, position: 0 },
      {
        id: DISCORD_IDS.botRole,
        name: botName,
        permissions: BOT_PERMISSIONS,
        botId: DISCORD_IDS.bot,
        position: 2,
      },
      { id: DISCORD_IDS.approverRole, name: 'approvers', position: 1, color: 0x2ecc71 },
    ],
    members: [
      { userId: DISCORD_IDS.bot, roles: [DISCORD_IDS.botRole] },
      { userId: DISCORD_IDS.alice, roles: [DISCORD_IDS.approverRole] },
      { userId: DISCORD_IDS.bob, roles: [] },
      { userId: DISCORD_IDS.otherBot, roles: [] },
    ],
  };
}
