import type {
  APIAttachment,
  ApplicationFlags,
  APIChannel,
  APIGuild,
  APIMessage,
  APIMessageTopLevelComponent,
  APIThreadChannel,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayReadyDispatchData,
  GuildChannelType,
  GuildSystemChannelFlags,
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
} from 'discord.js';
import { MEMBERS_JOINED_AT, memberToApi, roleToApi, userById } from './fake-discord-people.js';
import type {
  DiscordWorld,
  FakeDiscordAttachment,
  FakeDiscordChannel,
  FakeDiscordMessage,
} from './fake-discord-world.js';
import { isThread } from './fake-discord-world.js';

/** The world's objects in Discord's wire shapes (discord-api-types), as REST and the gateway send them. */

const iso = (ms: number): string => new Date(ms).toISOString();

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
    joined_at: MEMBERS_JOINED_AT,
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

/**
 * READY: the bot user, every guild as unavailable (GUILD_CREATEs follow), the session id and
 * resume URL, and the application's id and flags (discord.js builds `client.application` from it).
 * Fields discord.js ignores but Discord sends are included so the payload looks like the real one.
 */
export function readyPayload(
  world: DiscordWorld,
  session: { id: string; identify: { shard?: [number, number] } },
  resumeUrl: string,
  application: { id: string; flags: ApplicationFlags },
): GatewayReadyDispatchData & Record<string, unknown> {
  return {
    v: 10,
    user: { ...userById(world, world.botUserId), verified: true, mfa_enabled: false, email: null },
    guilds: [...world.guilds.keys()].map((id) => ({ id, unavailable: true })),
    session_id: session.id,
    session_type: 'normal',
    resume_gateway_url: resumeUrl,
    ...(session.identify.shard !== undefined ? { shard: session.identify.shard } : {}),
    application: { id: application.id, flags: application.flags, flags_new: String(application.flags) },
    private_channels: [],
    relationships: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['fake-local'],
    user_settings: {},
    auth: {},
    _trace: ['["fake-gateway",{}]'],
  };
}
