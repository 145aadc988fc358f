import { GatewayDispatchEvents, GatewayIntentBits } from 'discord.js';
import type { GatewayServer } from './fake-discord-gateway.js';
import type { GatewaySession } from './fake-discord-gateway-api.js';
import { contentExempt, withoutContent } from './fake-discord-intents.js';
import { channelToApi, gatewayMessage } from './fake-discord-shapes.js';
import type { DiscordWorld, FakeDiscordChannel, FakeDiscordMessage } from './fake-discord-world.js';

/**
 * The gateway events the world's changes cause, filtered and shaped per session by its intents
 * as Discord does: guild message events need GuildMessages, DM ones DirectMessages, thread events
 * Guilds; without MessageContent a message's content, embeds, attachments and components arrive
 * empty unless the bot wrote it, it is a DM, or it mentions the bot.
 */
export class DiscordEvents {
  constructor(
    private readonly world: DiscordWorld,
    private readonly gateway: GatewayServer,
  ) {}

  private static has(session: GatewaySession, intent: GatewayIntentBits): boolean {
    return (session.intents & intent) !== 0;
  }

  private messageIntent(message: FakeDiscordMessage): GatewayIntentBits {
    return message.guildId === undefined ? GatewayIntentBits.DirectMessages : GatewayIntentBits.GuildMessages;
  }

  /** The body a session gets for a message event, or undefined when its intents exclude it. */
  messageFor(session: GatewaySession, message: FakeDiscordMessage): unknown {
    if (!DiscordEvents.has(session, this.messageIntent(message))) return undefined;
    const body = gatewayMessage(this.world, message);
    const hidden =
      !DiscordEvents.has(session, GatewayIntentBits.MessageContent) && !contentExempt(this.world, message);
    return hidden ? withoutContent(body) : body;
  }

  /** MESSAGE_CREATE (never for ephemeral messages: only their user sees them). */
  messageCreate(message: FakeDiscordMessage): number {
    if (message.ephemeral) return 0;
    return this.gateway.broadcast(GatewayDispatchEvents.MessageCreate, (s) => this.messageFor(s, message));
  }

  messageUpdate(message: FakeDiscordMessage): number {
    if (message.ephemeral) return 0;
    return this.gateway.broadcast(GatewayDispatchEvents.MessageUpdate, (s) => this.messageFor(s, message));
  }

  messageDelete(message: FakeDiscordMessage): number {
    if (message.ephemeral) return 0;
    const body = {
      id: message.id,
      channel_id: message.channelId,
      ...(message.guildId !== undefined ? { guild_id: message.guildId } : {}),
    };
    return this.gateway.broadcast(GatewayDispatchEvents.MessageDelete, (s) =>
      DiscordEvents.has(s, this.messageIntent(message)) ? body : undefined,
    );
  }

  /** THREAD_CREATE (`newly_created` for a new thread) or THREAD_UPDATE, with the Guilds intent. */
  thread(t: 'THREAD_CREATE' | 'THREAD_UPDATE', thread: FakeDiscordChannel): number {
    const body = {
      ...channelToApi(this.world, thread),
      ...(t === 'THREAD_CREATE' ? { newly_created: true } : {}),
    };
    return this.gateway.broadcast(t, (s) =>
      DiscordEvents.has(s, GatewayIntentBits.Guilds) ? body : undefined,
    );
  }

  /** INTERACTION_CREATE needs no intent. */
  interactionCreate(payload: unknown): number {
    return this.gateway.broadcast(GatewayDispatchEvents.InteractionCreate, () => payload);
  }
}
