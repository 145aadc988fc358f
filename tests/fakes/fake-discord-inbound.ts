import type { APIInteraction, GatewayIdentifyData } from 'discord.js';
import { ButtonStyle, ComponentType, MessageReferenceType } from 'discord.js';
import type { DiscordEvents } from './fake-discord-events.js';
import type { GatewayServer, GatewaySession } from './fake-discord-gateway.js';
import { DISCORD_IDS } from './fake-discord-ids.js';
import type { FakeInteraction, InteractionStore } from './fake-discord-interactions.js';
import { buttonClick, modalSubmit, slashCommand } from './fake-discord-payloads.js';
import type { InteractionOptions } from './fake-discord-payloads.js';
import { channelToApi, memberPermissions, messageToApi, userById } from './fake-discord-shapes.js';
import type { DiscordWorld, FakeDiscordChannel, FakeDiscordMessage } from './fake-discord-world.js';

/** A user's message, put into the world and dispatched as MESSAGE_CREATE. */
export interface UserMessageOptions {
  /** The author's user id (default alice). */
  author?: string;
  /** A guild channel or thread (default `#general`); ignored with `dm`. */
  channelId?: string;
  /** In the bot's DM channel with the author. */
  dm?: boolean;
  content: string;
  /** Prefixes `<@bot> ` (a mention of the bot user). */
  mentionsBot?: boolean;
  /** Prefixes `<@&botRole> ` (a mention of the bot's managed role). */
  mentionsBotRole?: boolean;
  attachments?: Array<{ filename: string; content: string | Buffer; contentType?: string }>;
  /** A reply to this message (pings its author unless `pingReplied: false`). */
  replyTo?: string;
  pingReplied?: boolean;
  id?: string;
}

/** A click on a button of a message in the world. */
export interface ClickOptions {
  /** Who clicks (default alice). */
  user?: string;
  messageId: string;
  customId: string;
}

/** The submit of a modal the app showed (by a type 9 callback). */
export interface SubmitModalOptions {
  /** Text input values by `custom_id`. */
  values: Record<string, string>;
  /** The modal's `custom_id` (default: the latest modal shown). */
  customId?: string;
  /** The user; must be the one the modal was shown to (the default). */
  user?: string;
}

/** A slash command run by a user. */
export interface RunCommandOptions {
  /** Who runs it (default alice). */
  user?: string;
  /** Where (default `#general`); ignored with `dm`. */
  channelId?: string;
  dm?: boolean;
  name: string;
  subcommand?: string;
  options?: Record<string, string | number | boolean>;
}

/** The gateway side of the fake, as tests drive it. */
export interface FakeDiscordGateway {
  /** `ws://127.0.0.1:PORT` (what `GET /gateway/bot` returns). */
  readonly url: string;
  /** The latest IDENTIFY (`identify.intents` is the bitfield the client asked for). */
  readonly identify: GatewayIdentifyData | undefined;
  readonly identifies: readonly GatewayIdentifyData[];
  readonly sessions: readonly GatewaySession[];
  /** Every payload clients sent, parsed (`op` 1 heartbeats, 2 identify, 6 resume...). */
  readonly received: ReadonlyArray<{ op: number; d: unknown }>;
  /** Every dispatch per session with its seq. */
  readonly dispatched: ReadonlyArray<{ sessionId: string; s: number; t: string; d: unknown }>;
  /** Close codes the fake used (4004 bad token, 4013 invalid intents, 4014 disallowed intents...). */
  readonly closeCodes: readonly number[];
  readonly clientCloseCodes: readonly number[];
  readonly heartbeats: number;
  readonly connectionCount: number;
  readonly openConnections: number;
  /** Resolves once `count` (default 1) sessions got READY and every GUILD_CREATE. */
  ready(options?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Sends a raw dispatch, with each session's next seq, to every session; returns how many. */
  dispatch(t: string, d: unknown): number;
  sendMessage(options: UserMessageOptions): FakeDiscordMessage;
  clickButton(options: ClickOptions): FakeInteraction;
  submitModal(options: SubmitModalOptions): FakeInteraction;
  runSlashCommand(options: RunCommandOptions): FakeInteraction;
  /** op 7: the client reconnects and RESUMEs (missed events are replayed). */
  requestReconnect(): void;
  /** op 9 INVALID_SESSION. */
  invalidateSession(resumable?: boolean): void;
  /** Closes every connection with `code` (default 4000: the client resumes). */
  disconnect(code?: number): void;
}

/** The fake's gateway handle: GatewayServer's state plus helpers that act as a user would. */
export class DiscordGatewayHandle implements FakeDiscordGateway {
  constructor(
    private readonly server: GatewayServer,
    private readonly world: DiscordWorld,
    private readonly events: DiscordEvents,
    private readonly interactions: InteractionStore,
    private readonly applicationId: string,
  ) {}

  get url() {
    return this.server.url;
  }
  get identify() {
    return this.server.identify;
  }
  get identifies() {
    return this.server.identifies;
  }
  get sessions() {
    return this.server.sessions;
  }
  get received() {
    return this.server.received;
  }
  get dispatched() {
    return this.server.dispatched;
  }
  get closeCodes() {
    return this.server.closeCodes;
  }
  get clientCloseCodes() {
    return this.server.clientCloseCodes;
  }
  get heartbeats() {
    return this.server.heartbeats;
  }
  get connectionCount() {
    return this.server.connectionCount;
  }
  get openConnections() {
    return this.server.openConnections;
  }

  ready(options?: { count?: number; timeoutMs?: number }): Promise<void> {
    return this.server.ready(options);
  }

  private requireSession(what: string): void {
    if (this.server.sessions.length === 0)
      throw new Error(`fake-discord: ${what} before any client identified`);
  }

  dispatch(t: string, d: unknown): number {
    this.requireSession(t);
    return this.server.broadcast(t, () => d);
  }

  requestReconnect(): void {
    this.server.requestReconnect();
  }
  invalidateSession(resumable?: boolean): void {
    this.server.invalidateSession(resumable);
  }
  disconnect(code?: number): void {
    this.server.disconnect(code);
  }

  private channelOrThrow(id: string): FakeDiscordChannel {
    const channel = this.world.channels.get(id);
    if (channel === undefined) throw new Error(`fake-discord: no channel ${id}`);
    return channel;
  }

  sendMessage(options: UserMessageOptions): FakeDiscordMessage {
    this.requireSession('MESSAGE_CREATE');
    const author = options.author ?? DISCORD_IDS.alice;
    const channel =
      options.dm === true
        ? this.world.dmChannel(author)
        : this.channelOrThrow(options.channelId ?? DISCORD_IDS.general);
    const botRole =
      channel.guildId === undefined
        ? undefined
        : this.world.guilds.get(channel.guildId)?.roles.find((r) => r.botId === this.world.botUserId)?.id;
    const prefix = `${options.mentionsBot === true ? `<@${this.world.botUserId}> ` : ''}${
      options.mentionsBotRole === true && botRole !== undefined ? `<@&${botRole}> ` : ''
    }`;
    const replied = options.replyTo === undefined ? undefined : this.world.message(options.replyTo);
    if (options.replyTo !== undefined && replied === undefined)
      throw new Error(`fake-discord: no message ${options.replyTo} to reply to`);
    const message = this.world.addMessage({
      ...(options.id !== undefined ? { id: options.id } : {}),
      channelId: channel.id,
      authorId: author,
      content: `${prefix}${options.content}`,
      attachments: (options.attachments ?? []).map((a) =>
        this.world.addAttachment({
          filename: a.filename,
          bytes: typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content,
          ...(a.contentType !== undefined ? { contentType: a.contentType } : {}),
        }),
      ),
      ...(replied !== undefined
        ? {
            reference: {
              type: MessageReferenceType.Default,
              message_id: replied.id,
              channel_id: replied.channelId,
              guild_id: channel.guildId,
            },
            repliedUser: options.pingReplied !== false,
          }
        : {}),
    });
    this.events.messageCreate(message);
    return message;
  }

  /** The common part of an interaction by `userId` in `channel`, from the world. */
  private context(userId: string, channel: FakeDiscordChannel): InteractionOptions {
    const guildId = channel.guildId;
    return {
      user: userById(this.world, userId),
      channelId: channel.id,
      channel: channelToApi(this.world, channel),
      applicationId: this.applicationId,
      appPermissions:
        guildId === undefined ? '0' : memberPermissions(this.world, guildId, this.world.botUserId),
      ...(guildId !== undefined
        ? {
            guildId,
            member: {
              roles: this.world.memberRoles(guildId, userId) ?? [],
              permissions: memberPermissions(this.world, guildId, userId),
            },
          }
        : {}),
    };
  }

  private deliver(
    payload: APIInteraction,
    extra: Parameters<InteractionStore['register']>[1],
  ): FakeInteraction {
    const interaction = this.interactions.register(payload, extra);
    this.events.interactionCreate(payload);
    return interaction;
  }

  clickButton(options: ClickOptions): FakeInteraction {
    this.requireSession('INTERACTION_CREATE');
    const message = this.world.message(options.messageId);
    if (message === undefined || message.deleted)
      throw new Error(`fake-discord: no message ${options.messageId} to click on`);
    // Discord only lets users click buttons that are on the message and enabled.
    const buttons = (message.components as Array<{ type?: number; components?: unknown[] }>)
      .filter((row) => row.type === ComponentType.ActionRow)
      .flatMap(
        (row) =>
          (row.components ?? []) as Array<{
            type?: number;
            custom_id?: string;
            disabled?: boolean;
            style?: number;
          }>,
      )
      .filter((c) => c.type === ComponentType.Button && c.style !== ButtonStyle.Link);
    const button = buttons.find((b) => b.custom_id === options.customId);
    if (button === undefined) {
      const ids = buttons.map((b) => b.custom_id).join(', ');
      throw new Error(
        `fake-discord: message ${message.id} has no button ${options.customId} (has: ${ids || 'none'})`,
      );
    }
    if (button.disabled === true) throw new Error(`fake-discord: button ${options.customId} is disabled`);
    const userId = options.user ?? DISCORD_IDS.alice;
    const channel = this.channelOrThrow(message.channelId);
    const payload = buttonClick({
      ...this.context(userId, channel),
      messageId: message.id,
      customId: options.customId,
      message: messageToApi(this.world, message),
    });
    return this.deliver(payload, { messageId: message.id, customId: options.customId });
  }

  submitModal(options: SubmitModalOptions): FakeInteraction {
    this.requireSession('INTERACTION_CREATE');
    const opener = [...this.interactions.all]
      .reverse()
      .find(
        (i) =>
          i.modal !== undefined && (options.customId === undefined || i.modal.custom_id === options.customId),
      );
    if (opener?.modal === undefined)
      throw new Error(`fake-discord: no modal ${options.customId ?? ''} was shown`);
    const userId = options.user ?? opener.userId;
    if (userId !== opener.userId)
      throw new Error(`fake-discord: the modal was shown to ${opener.userId}, not ${userId}`);
    const rows = (opener.modal.components ?? []) as Array<{
      type?: number;
      components?: unknown[];
      component?: unknown;
    }>;
    const inputs = rows
      .flatMap((row) => (row.component !== undefined ? [row.component] : (row.components ?? [])))
      .filter(
        (c): c is { type: number; custom_id: string; required?: boolean } =>
          (c as { type?: number }).type === ComponentType.TextInput,
      );
    for (const key of Object.keys(options.values)) {
      if (!inputs.some((i) => i.custom_id === key))
        throw new Error(`fake-discord: the modal has no text input ${key}`);
    }
    const missing = inputs.find((i) => i.required !== false && options.values[i.custom_id] === undefined);
    if (missing !== undefined)
      throw new Error(`fake-discord: required input ${missing.custom_id} has no value`);
    const channel = this.channelOrThrow(opener.channelId);
    const message = opener.messageId === undefined ? undefined : this.world.message(opener.messageId);
    const customId = String(opener.modal.custom_id);
    const payload = modalSubmit({
      ...this.context(userId, channel),
      customId,
      values: options.values,
      layout: rows.some((r) => r.type === ComponentType.Label) ? 'label' : 'row',
      ...(message !== undefined ? { message: messageToApi(this.world, message) } : {}),
    });
    return this.deliver(payload, {
      customId,
      ...(message !== undefined ? { messageId: message.id } : {}),
    });
  }

  runSlashCommand(options: RunCommandOptions): FakeInteraction {
    this.requireSession('INTERACTION_CREATE');
    const userId = options.user ?? DISCORD_IDS.alice;
    const channel =
      options.dm === true
        ? this.world.dmChannel(userId)
        : this.channelOrThrow(options.channelId ?? DISCORD_IDS.general);
    // The registered command's id when there is one (guild commands win over global ones).
    const command =
      this.world.commands.find(
        (c) => c.name === options.name && c.guild_id !== undefined && c.guild_id === channel.guildId,
      ) ?? this.world.commands.find((c) => c.name === options.name && c.guild_id === undefined);
    const payload = slashCommand({
      ...this.context(userId, channel),
      name: options.name,
      ...(command !== undefined ? { commandId: command.id } : {}),
      ...(options.subcommand !== undefined ? { subcommand: options.subcommand } : {}),
      ...(options.options !== undefined ? { options: options.options } : {}),
    });
    return this.deliver(payload, { commandName: options.name });
  }
}
