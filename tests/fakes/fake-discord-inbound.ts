import type { APIInteraction } from 'discord.js';
import { ButtonStyle, ComponentType, MessageReferenceType } from 'discord.js';
import type { DiscordEvents } from './fake-discord-events.js';
import type { GatewayServer } from './fake-discord-gateway.js';
import type {
  ClickOptions,
  FakeDiscordGateway,
  RunCommandOptions,
  SubmitModalOptions,
  UserMessageOptions,
} from './fake-discord-gateway-api.js';
import { DISCORD_IDS } from './fake-discord-ids.js';
import type { FakeInteraction, InteractionStore } from './fake-discord-interactions.js';
import { buttonClick, modalSubmit, slashCommand } from './fake-discord-payloads.js';
import type { InteractionOptions } from './fake-discord-payloads.js';
import { memberPermissions, userById } from './fake-discord-people.js';
import { channelToApi, messageToApi } from './fake-discord-shapes.js';
import type { DiscordWorld, FakeDiscordChannel, FakeDiscordMessage } from './fake-discord-world.js';

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
  holdConnections(): void {
    this.server.holdConnections();
  }
  releaseConnections(): void {
    this.server.releaseConnections();
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
