import type {
  APIApplicationCommandInteractionDataBasicOption,
  APIAttachment,
  APIBaseInteraction,
  APIChannel,
  APIChatInputApplicationCommandInteraction,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIModalSubmissionComponent,
  APIModalSubmitInteraction,
  APIUser,
  GatewayMessageCreateDispatchData,
  GuildMemberFlags,
  InteractionType,
  MessageFlags,
} from 'discord.js';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType as IT,
  Locale,
  MessageType,
} from 'discord.js';
import { defaultUsers, DISCORD_IDS, interactionToken, snowflake } from './fake-discord-ids.js';
import { MEMBERS_JOINED_AT, userToApi } from './fake-discord-people.js';

/**
 * Gateway payloads in Discord's shapes (typed against discord-api-types), for tests that craft a
 * dispatch by hand or map inbound payloads without a fake. The fake's own helpers
 * (`fake.gateway.sendMessage`, `clickButton`...) build theirs from its world instead.
 */

/** A guild member's part of a payload (roles; `@everyone` implied). */
export interface MemberInfo {
  roles: string[];
  nick?: string | null;
  /** Permission bits (decimal string) for interactions; default `'0'`. */
  permissions?: string;
}

export interface MessagePayloadOptions {
  /** The author, or a user id (`DISCORD_IDS.alice`...). */
  author: APIUser | string;
  channelId: string;
  /** Absent for DMs. */
  guildId?: string;
  /** Guild messages: the author's member (default no roles). */
  member?: MemberInfo;
  content: string;
  /** Prefixes `<@botId> ` and lists the bot in `mentions`, as a real mention does. */
  mentionsBot?: boolean;
  /** The bot user mentioned (default: the fake's default bot). */
  bot?: APIUser;
  attachments?: APIAttachment[];
  id?: string;
  /** The channel's type (default GuildText with a guild, DM without). */
  channelType?: ChannelType;
}

const iso = (): string => new Date().toISOString();
const defaultBot: APIUser = userToApi({ id: DISCORD_IDS.bot, username: 'ml-intern', bot: true });

/** A user given as an object, or as an id: a default user's, else a placeholder. */
function resolveUser(user: APIUser | string): APIUser {
  if (typeof user !== 'string') return user;
  const known = defaultUsers('ml-intern').find((u) => u.id === user);
  return userToApi(known ?? { id: user, username: `user-${user.slice(-4)}` });
}

function memberPart(member: MemberInfo | undefined) {
  return {
    roles: member?.roles ?? [],
    nick: member?.nick ?? null,
    joined_at: MEMBERS_JOINED_AT,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    premium_since: null,
    avatar: null,
    communication_disabled_until: null,
  };
}

/** A MESSAGE_CREATE body from a user. */
export function messagePayload(options: MessagePayloadOptions): GatewayMessageCreateDispatchData {
  const bot = options.bot ?? defaultBot;
  const content = options.mentionsBot === true ? `<@${bot.id}> ${options.content}` : options.content;
  const guild = options.guildId !== undefined;
  return {
    id: options.id ?? snowflake(),
    channel_id: options.channelId,
    author: resolveUser(options.author),
    content,
    timestamp: iso(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: options.mentionsBot === true ? [guild ? { ...bot, member: memberPart(undefined) } : bot] : [],
    mention_roles: [],
    attachments: options.attachments ?? [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
    flags: 0 as MessageFlags,
    components: [],
    channel_type: (options.channelType ??
      (guild ? ChannelType.GuildText : ChannelType.DM)) as GatewayMessageCreateDispatchData['channel_type'],
    ...(guild ? { guild_id: options.guildId, member: memberPart(options.member) } : {}),
  };
}

/** What every interaction builder takes. */
export interface InteractionOptions {
  /** Who acted, or a user id (`DISCORD_IDS.alice`...). */
  user: APIUser | string;
  channelId: string;
  /** Absent for DMs (the payload then carries `user` instead of `member`). */
  guildId?: string;
  member?: MemberInfo;
  /** The channel object (discord.js reads `channel.id`; default `{ id, type }`). */
  channel?: Partial<APIChannel> & Pick<APIChannel, 'id' | 'type'>;
  applicationId?: string;
  id?: string;
  token?: string;
  /** The bot's permissions in the channel (decimal string). */
  appPermissions?: string;
}

type Base<T extends InteractionType> = Omit<APIBaseInteraction<T, never>, 'data'>;

function base<T extends InteractionType>(
  options: InteractionOptions,
  type: T,
): Base<T> & { channel: NonNullable<Base<T>['channel']>; channel_id: string } {
  const guildId = options.guildId;
  const member: APIInteractionGuildMember | undefined =
    guildId === undefined
      ? undefined
      : {
          ...memberPart(options.member),
          user: resolveUser(options.user),
          permissions: options.member?.permissions ?? '0',
        };
  return {
    id: options.id ?? snowflake(),
    application_id: options.applicationId ?? DISCORD_IDS.application,
    type,
    token: options.token ?? interactionToken(),
    version: 1,
    app_permissions: options.appPermissions ?? '0',
    locale: Locale.EnglishUS,
    entitlements: [],
    // A guild-installed app: key 0 (GuildInstall) names the guild, or "0" in the bot's DMs.
    authorizing_integration_owners: { 0: guildId ?? '0' },
    context: guildId === undefined ? InteractionContextType.BotDM : InteractionContextType.Guild,
    attachment_size_limit: 10 * 1024 * 1024,
    channel: options.channel ?? {
      id: options.channelId,
      type: guildId === undefined ? ChannelType.DM : ChannelType.GuildText,
    },
    channel_id: options.channelId,
    ...(guildId !== undefined && member !== undefined
      ? {
          guild_id: guildId,
          guild: { id: guildId, features: [], locale: Locale.EnglishUS },
          guild_locale: Locale.EnglishUS,
          member,
        }
      : { user: resolveUser(options.user) }),
  };
}

export interface ButtonClickOptions extends InteractionOptions {
  messageId: string;
  customId: string;
  /** The message the button is on (default: a minimal bot message with that id). */
  message?: APIMessage;
}

/** An INTERACTION_CREATE for a button click (type 3 MESSAGE_COMPONENT, `component_type` 2). */
export function buttonClick(options: ButtonClickOptions): APIMessageComponentButtonInteraction {
  const message: APIMessage = options.message ?? {
    id: options.messageId,
    channel_id: options.channelId,
    author: defaultBot,
    content: '',
    timestamp: iso(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: MessageType.Default,
  };
  return {
    ...base(options, IT.MessageComponent),
    data: { custom_id: options.customId, component_type: ComponentType.Button },
    message,
  };
}

export interface ModalSubmitOptions extends InteractionOptions {
  customId: string;
  /** Text input values by their `custom_id`. */
  values: Record<string, string>;
  /**
   * How the modal was built: `row` (action rows of text inputs, the classic layout) or `label`
   * (Label components, type 18); submissions mirror it.
   */
  layout?: 'row' | 'label';
  /** When the modal was opened from a component: that message. */
  message?: APIMessage;
}

/** An INTERACTION_CREATE for a modal submit (type 5). */
export function modalSubmit(options: ModalSubmitOptions): APIModalSubmitInteraction {
  let nextId = 1;
  const components: APIModalSubmissionComponent[] = Object.entries(options.values).map(
    ([customId, value]) => {
      const input = { type: ComponentType.TextInput as const, id: nextId + 1, custom_id: customId, value };
      const parent = nextId;
      nextId += 2;
      return options.layout === 'label'
        ? { type: ComponentType.Label, id: parent, component: input }
        : { type: ComponentType.ActionRow, id: parent, components: [input] };
    },
  );
  return {
    ...base(options, IT.ModalSubmit),
    data: { custom_id: options.customId, components },
    ...(options.message !== undefined ? { message: options.message } : {}),
  };
}

export interface SlashCommandOptions extends InteractionOptions {
  name: string;
  /** The registered command's id (default: a new snowflake). */
  commandId?: string;
  subcommand?: string;
  /** Option values by name: strings, integers, numbers, booleans. */
  options?: Record<string, string | number | boolean>;
}

/** Option objects from plain values (string 3, integer 4, boolean 5, number 10). */
export function commandOptions(
  values: Record<string, string | number | boolean>,
): APIApplicationCommandInteractionDataBasicOption[] {
  return Object.entries(values).map(([name, value]) => {
    if (typeof value === 'string') return { name, type: ApplicationCommandOptionType.String, value };
    if (typeof value === 'boolean') return { name, type: ApplicationCommandOptionType.Boolean, value };
    return Number.isInteger(value)
      ? { name, type: ApplicationCommandOptionType.Integer, value }
      : { name, type: ApplicationCommandOptionType.Number, value };
  });
}

/** An INTERACTION_CREATE for a slash command (type 2, command type 1 CHAT_INPUT). */
export function slashCommand(options: SlashCommandOptions): APIChatInputApplicationCommandInteraction {
  const values = commandOptions(options.options ?? {});
  const data = {
    id: options.commandId ?? snowflake(),
    name: options.name,
    type: ApplicationCommandType.ChatInput as const,
    ...(options.guildId !== undefined ? { guild_id: options.guildId } : {}),
    ...(options.subcommand !== undefined
      ? {
          options: [
            {
              name: options.subcommand,
              type: ApplicationCommandOptionType.Subcommand as const,
              options: values,
            },
          ],
        }
      : values.length > 0
        ? { options: values }
        : {}),
  };
  return { ...base(options, IT.ApplicationCommand), data };
}
