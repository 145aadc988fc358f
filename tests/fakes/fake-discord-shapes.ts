import type {
  APIAttachment,
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIMessageTopLevelComponent,
  APIRole,
  APIThreadChannel,
  APIUser,
  ChannelFlags,
  GuildMemberFlags,
  GuildSystemChannelFlags,
  RoleFlags,
  UserFlags,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GuildChannelType,
  TextChannelType,
  ThreadChannelType,
} from 'discord.js';
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
} from 'discord.js';
import type { FakeDiscordRole, FakeDiscordUser } from './fake-discord-ids.js';
import type {
  DiscordWorld,
  FakeDiscordAttachment,
  FakeDiscordChannel,
  FakeDiscordMessage,
} from './fake-discord-world.js';
import { isThread } from './fake-discord-world.js';

/** The world's objects in Discord's wire shapes (discord-api-types), as REST and the gateway send them. */

const iso = (ms: number): string => new Date(ms).toISOString();

export function userToApi(user: FakeDiscordUser): APIUser {
  return {
    id: user.id,
    username: user.username,
    discriminator: '0',
    global_name: user.globalName ?? null,
    avatar: null,
    ...(user.bot === true ? { bot: true } : {}),
    public_flags: 0 as UserFlags,
    flags: 0 as UserFlags,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
    collectibles: null,
    primary_guild: null,
  };
}

/** A user by id; unknown ids get a placeholder (a test may name users the world never declared). */
export function userById(world: DiscordWorld, id: string): APIUser {
  return userToApi(world.users.get(id) ?? { id, username: `user-${id.slice(-4)}` });
}

export function roleToApi(role: FakeDiscordRole): APIRole {
  return {
    id: role.id,
    name: role.name,
    color: role.color ?? 0,
    colors: { primary_color: role.color ?? 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: role.position ?? 0,
    permissions: String(role.permissions ?? 0n),
    managed: role.botId !== undefined,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...(role.botId !== undefined ? { tags: { bot_id: role.botId } } : {}),
  };
}

/** A guild member (with `user`), or undefined when the user is not in the guild. */
export function memberToApi(
  world: DiscordWorld,
  guildId: string,
  userId: string,
): APIGuildMember | undefined {
  const spec = world.guilds.get(guildId)?.members.find((m) => m.userId === userId);
  if (spec === undefined) return undefined;
  return {
    user: userById(world, userId),
    nick: spec.nick ?? null,
    avatar: null,
    banner: null,
    roles: spec.roles ?? [],
    joined_at: iso(world.guilds.get(guildId) === undefined ? 0 : 1_700_000_000_000),
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A member's permission bits: the union of `@everyone`'s and its roles' (no overwrites modelled). */
export function memberPermissions(world: DiscordWorld, guildId: string, userId: string): string {
  const guild = world.guilds.get(guildId);
  if (guild === undefined) return '0';
  if (guild.ownerId === userId) return String((1n << 53n) - 1n);
  const held = new Set([guildId, ...(world.memberRoles(guildId, userId) ?? [])]);
  let bits = 0n;
  for (const role of guild.roles) if (held.has(role.id)) bits |= BigInt(role.permissions ?? 0n);
  return String(bits);
}

export function channelToApi(world: DiscordWorld, channel: FakeDiscordChannel): APIChannel {
  if (channel.type === ChannelType.DM) {
    const recipient = channel.recipientId === undefined ? [] : [userById(world, channel.recipientId)];
    return {
      id: channel.id,
      type: ChannelType.DM,
      name: null,
      flags: 0 as ChannelFlags,
      last_message_id: channel.lastMessageId,
      recipients: recipient,
    };
  }
  if (isThread(channel)) {
    const thread: APIThreadChannel = {
      id: channel.id,
      type: channel.type as ThreadChannelType,
      name: channel.name ?? '',
      guild_id: channel.guildId,
      parent_id: channel.parentId,
      owner_id: channel.ownerId,
      flags: 0 as ChannelFlags,
      last_message_id: channel.lastMessageId,
      rate_limit_per_user: channel.rateLimitPerUser,
      message_count: channel.messageCount,
      member_count: channel.memberIds.size,
      total_message_sent: channel.totalMessageSent,
      thread_metadata: {
        archived: channel.archived,
        auto_archive_duration: channel.autoArchiveDuration,
        archive_timestamp: iso(channel.createdAt),
        locked: channel.locked,
        create_timestamp: iso(channel.createdAt),
      },
      ...(channel.memberIds.has(world.botUserId)
        ? {
            member: {
              id: channel.id,
              user_id: world.botUserId,
              join_timestamp: iso(channel.createdAt),
              flags: 1,
            },
          }
        : {}),
    };
    return thread;
  }
  return {
    id: channel.id,
    type: channel.type as Exclude<GuildChannelType, ThreadChannelType>,
    name: channel.name ?? '',
    guild_id: channel.guildId,
    parent_id: channel.parentId,
    position: channel.position,
    topic: channel.topic,
    nsfw: false,
    flags: 0 as ChannelFlags,
    permission_overwrites: [],
    rate_limit_per_user: channel.rateLimitPerUser,
    last_message_id: channel.lastMessageId,
    default_auto_archive_duration: 4320,
  } as unknown as APIChannel;
}

export function attachmentToApi(attachment: FakeDiscordAttachment): APIAttachment {
  return {
    id: attachment.id,
    filename: attachment.filename,
    size: attachment.size,
    url: attachment.url,
    proxy_url: attachment.url,
    ...(attachment.contentType !== undefined ? { content_type: attachment.contentType } : {}),
    ...(attachment.description !== undefined ? { description: attachment.description } : {}),
  };
}

export function messageToApi(world: DiscordWorld, message: FakeDiscordMessage, depth = 0): APIMessage {
  const referenced =
    message.reference?.message_id !== undefined ? world.message(message.reference.message_id) : undefined;
  const thread = message.threadId !== undefined ? world.channels.get(message.threadId) : undefined;
  return {
    id: message.id,
    channel_id: message.channelId,
    author: userById(world, message.authorId),
    content: message.content,
    timestamp: iso(message.createdAt),
    edited_timestamp: message.editedAt === undefined ? null : iso(message.editedAt),
    tts: message.tts,
    mention_everyone: message.mentionEveryone,
    mentions: message.mentions.map((id) => userById(world, id)),
    mention_roles: message.mentionRoles,
    attachments: message.attachments.map(attachmentToApi),
    embeds: message.embeds,
    pinned: false,
    type: message.type,
    flags: message.flags,
    components: message.components as APIMessageTopLevelComponent[],
    ...(message.nonce !== undefined ? { nonce: message.nonce } : {}),
    ...(message.webhookId !== undefined ? { webhook_id: message.webhookId } : {}),
    ...(message.applicationId !== undefined ? { application_id: message.applicationId } : {}),
    ...(message.reference !== undefined ? { message_reference: message.reference } : {}),
    ...(message.reference !== undefined && depth === 0
      ? { referenced_message: referenced === undefined ? null : messageToApi(world, referenced, 1) }
      : {}),
    ...(thread !== undefined ? { thread: channelToApi(world, thread) } : {}),
    ...(message.interaction !== undefined
      ? {
          interaction_metadata: {
            id: message.interaction.id,
            type: message.interaction.type,
            user: userById(world, message.interaction.userId),
            authorizing_integration_owners: message.guildId !== undefined ? { 0: message.guildId } : {},
          } as APIMessage['interaction_metadata'],
        }
      : {}),
  };
}

/** Blanks what the MessageContent intent guards: content, embeds, attachments, components, poll. */
export function withoutContent<T extends APIMessage>(payload: T): T {
  const { poll: _poll, ...rest } = payload;
  return { ...rest, content: '', embeds: [], attachments: [], components: [] } as unknown as T;
}

/** Whether Discord shows content to an app lacking MessageContent: its own, DMs, or mentioning it. */
export function contentExempt(world: DiscordWorld, message: FakeDiscordMessage): boolean {
  return (
    message.authorId === world.botUserId ||
    message.guildId === undefined ||
    message.mentions.includes(world.botUserId)
  );
}

/** A MESSAGE_CREATE/UPDATE body: the message plus `guild_id`, `member`, members of mentions. */
export function gatewayMessage(
  world: DiscordWorld,
  message: FakeDiscordMessage,
): GatewayMessageCreateDispatchData {
  const base = messageToApi(world, message);
  const channel = world.channels.get(message.channelId);
  const guildId = message.guildId;
  const memberOf = (userId: string) => {
    if (guildId === undefined) return undefined;
    const full = memberToApi(world, guildId, userId);
    if (full === undefined) return undefined;
    const { user: _user, ...member } = full;
    return member;
  };
  const member = message.webhookId === undefined ? memberOf(message.authorId) : undefined;
  return {
    ...base,
    ...(guildId !== undefined ? { guild_id: guildId } : {}),
    ...(member !== undefined ? { member } : {}),
    mentions: base.mentions.map((user) => {
      const mentioned = memberOf(user.id);
      return mentioned === undefined ? user : { ...user, member: mentioned };
    }),
    ...(channel !== undefined ? { channel_type: channel.type as TextChannelType } : {}),
  };
}

export function guildToApi(world: DiscordWorld, guildId: string): APIGuild | undefined {
  const guild = world.guilds.get(guildId);
  if (guild === undefined) return undefined;
  const first = guild.channels[0]?.id ?? null;
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.Low,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.AllMembers,
    roles: guild.roles.map(roleToApi),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: first,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_members: 500_000,
  };
}

/** GUILD_CREATE: the guild with channels, active threads, roles and members (the bot's included). */
export function guildCreate(
  world: DiscordWorld,
  guildId: string,
): GatewayGuildCreateDispatchData | undefined {
  const guild = guildToApi(world, guildId);
  const spec = world.guilds.get(guildId);
  if (guild === undefined || spec === undefined) return undefined;
  const channels = [...world.channels.values()].filter((c) => c.guildId === guildId);
  return {
    ...guild,
    joined_at: iso(1_700_000_000_000),
    large: false,
    unavailable: false,
    member_count: spec.members.length,
    voice_states: [],
    members: spec.members.flatMap((m) => memberToApi(world, guildId, m.userId) ?? []),
    channels: channels
      .filter((c) => !isThread(c))
      .map((c) => channelToApi(world, c)) as GatewayGuildCreateDispatchData['channels'],
    threads: channels
      .filter((c) => isThread(c) && !c.archived)
      .map((c) => channelToApi(world, c)) as GatewayGuildCreateDispatchData['threads'],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

/** The flags a message carries once a thread was started from it. */
export const HAS_THREAD = MessageFlags.HasThread;
