import { ChannelType, MessageFlags, MessageType } from 'discord.js';
import { snowflake } from './fake-discord-ids.js';
import type { FakeDiscordGuildSpec, FakeDiscordUser } from './fake-discord-ids.js';
import type {
  FakeDiscordAttachment,
  FakeDiscordChannel,
  FakeDiscordCommand,
  FakeDiscordEdit,
  FakeDiscordMessage,
  FakeDiscordThread,
  FakeDiscordTyping,
  NewMessage,
} from './fake-discord-records.js';

export type {
  FakeDiscordAttachment,
  FakeDiscordChannel,
  FakeDiscordCommand,
  FakeDiscordEdit,
  FakeDiscordMessage,
  FakeDiscordThread,
  FakeDiscordTyping,
  NewMessage,
} from './fake-discord-records.js';

const THREAD_TYPES: ReadonlySet<ChannelType> = new Set([
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
  ChannelType.AnnouncementThread,
]);

/** Whether a channel is a thread. */
export function isThread(channel: FakeDiscordChannel): channel is FakeDiscordThread {
  return THREAD_TYPES.has(channel.type);
}

const CONTENT_TYPES: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  py: 'text/x-python; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  yaml: 'application/x-yaml; charset=utf-8',
  yml: 'application/x-yaml; charset=utf-8',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  pdf: 'application/pdf',
};

/** The `content_type` Discord derives for an upload without one, from its extension. */
export function guessContentType(filename: string): string | undefined {
  return CONTENT_TYPES[filename.split('.').pop()?.toLowerCase() ?? ''];
}

/** Parses `<@id>`, `<@!id>`, `<@&id>` and `@everyone`/`@here` out of a text, as Discord does. */
export function parseMentions(content: string): { users: string[]; roles: string[]; everyone: boolean } {
  const users = [...content.matchAll(/<@!?(\d+)>/g)].map((m) => m[1] ?? '');
  const roles = [...content.matchAll(/<@&(\d+)>/g)].map((m) => m[1] ?? '');
  return {
    users: [...new Set(users)],
    roles: [...new Set(roles)],
    everyone: /@(everyone|here)\b/.test(content),
  };
}

/**
 * The state of the fake Discord: users, guilds, channels (threads and DMs included), messages
 * with their edit history, typing, reactions and registered commands. Tests assert on it; the
 * REST routes and the gateway helpers read and change it.
 */
export class DiscordWorld {
  readonly users = new Map<string, FakeDiscordUser>();
  readonly guilds = new Map<string, FakeDiscordGuildSpec>();
  readonly channels = new Map<string, FakeDiscordChannel>();
  readonly messages: FakeDiscordMessage[] = [];
  readonly typing: FakeDiscordTyping[] = [];
  readonly commands: FakeDiscordCommand[] = [];
  readonly attachments = new Map<string, FakeDiscordAttachment>();

  constructor(
    readonly botUserId: string,
    readonly baseUrl: string,
    users: FakeDiscordUser[],
    guilds: FakeDiscordGuildSpec[],
  ) {
    for (const user of users) this.users.set(user.id, user);
    for (const guild of guilds) {
      this.guilds.set(guild.id, guild);
      for (const spec of guild.channels) {
        this.addChannel({
          id: spec.id,
          type: spec.type ?? ChannelType.GuildText,
          name: spec.name,
          guildId: guild.id,
          parentId: spec.parentId ?? null,
          topic: spec.topic ?? null,
          position: spec.position ?? 0,
        });
      }
    }
  }

  addChannel(
    init: Partial<FakeDiscordChannel> & Pick<FakeDiscordChannel, 'id' | 'type'>,
  ): FakeDiscordChannel {
    const channel: FakeDiscordChannel = {
      name: null,
      guildId: undefined,
      parentId: null,
      topic: null,
      position: 0,
      recipientId: undefined,
      ownerId: undefined,
      startMessageId: undefined,
      archived: false,
      locked: false,
      autoArchiveDuration: 4320,
      createdAt: Date.now(),
      lastMessageId: null,
      messageCount: 0,
      totalMessageSent: 0,
      rateLimitPerUser: 0,
      memberIds: new Set(),
      ...init,
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The DM channel between the bot and a user, created on first use (one per user, as Discord). */
  dmChannel(userId: string): FakeDiscordChannel {
    for (const channel of this.channels.values()) {
      if (channel.type === ChannelType.DM && channel.recipientId === userId) return channel;
    }
    return this.addChannel({ id: snowflake(), type: ChannelType.DM, recipientId: userId });
  }

  /** Threads, in creation order. */
  get threads(): FakeDiscordThread[] {
    return [...this.channels.values()].filter(isThread);
  }

  message(id: string, channelId?: string): FakeDiscordMessage | undefined {
    return this.messages.find((m) => m.id === id && (channelId === undefined || m.channelId === channelId));
  }

  /** A member's role ids (without `@everyone`), or undefined when the user is not in the guild. */
  memberRoles(guildId: string, userId: string): string[] | undefined {
    return this.guilds.get(guildId)?.members.find((m) => m.userId === userId)?.roles ?? undefined;
  }

  /** Stores a file; its URL on the fake serves the bytes back (as Discord's CDN would). */
  addAttachment(file: {
    filename: string;
    bytes: Buffer;
    contentType?: string;
    description?: string;
  }): FakeDiscordAttachment {
    const id = snowflake();
    const attachment: FakeDiscordAttachment = {
      id,
      filename: file.filename,
      contentType: file.contentType ?? guessContentType(file.filename),
      description: file.description,
      size: file.bytes.length,
      bytes: file.bytes,
      url: `${this.baseUrl}/attachments/${id}/${encodeURIComponent(file.filename)}`,
    };
    this.attachments.set(id, attachment);
    return attachment;
  }

  addMessage(init: NewMessage): FakeDiscordMessage {
    const channel = this.channels.get(init.channelId);
    const content = init.content ?? '';
    const parsed = parseMentions(content);
    const mentions = [...parsed.users];
    const replied =
      init.reference?.message_id !== undefined ? this.message(init.reference.message_id) : undefined;
    if (replied !== undefined && init.repliedUser !== false && !mentions.includes(replied.authorId)) {
      mentions.push(replied.authorId);
    }
    const now = Date.now();
    const message: FakeDiscordMessage = {
      id: init.id ?? snowflake(now),
      channelId: init.channelId,
      guildId: channel?.guildId,
      authorId: init.authorId,
      content,
      embeds: init.embeds ?? [],
      components: init.components ?? [],
      attachments: init.attachments ?? [],
      flags: init.flags ?? 0,
      type: init.type ?? (init.reference !== undefined ? MessageType.Reply : MessageType.Default),
      tts: init.tts ?? false,
      nonce: init.nonce,
      reference: init.reference,
      mentions,
      mentionRoles: parsed.roles,
      mentionEveryone: parsed.everyone,
      createdAt: now,
      editedAt: undefined,
      edits: [],
      contentHistory: [content],
      deleted: false,
      deletedAt: undefined,
      ephemeral: init.ephemeral ?? ((init.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      interaction: init.interaction,
      webhookId: init.webhookId,
      applicationId: init.applicationId,
      threadId: undefined,
      reactions: [],
    };
    this.messages.push(message);
    if (channel !== undefined && !message.ephemeral) {
      channel.lastMessageId = message.id;
      if (isThread(channel)) {
        channel.messageCount += 1;
        channel.totalMessageSent += 1;
      }
    }
    return message;
  }

  /** Applies an edit (fields absent stay, as a PATCH does) and records it. */
  editMessage(
    message: FakeDiscordMessage,
    changes: Partial<Pick<FakeDiscordMessage, 'content' | 'embeds' | 'components' | 'attachments' | 'flags'>>,
    raw: Record<string, unknown>,
    via: FakeDiscordEdit['via'],
  ): void {
    const at = Date.now();
    message.edits.push({ at, via, changes: raw, previousContent: message.content });
    if (changes.content !== undefined) {
      message.content = changes.content;
      const parsed = parseMentions(changes.content);
      message.mentions = parsed.users;
      message.mentionRoles = parsed.roles;
      message.mentionEveryone = parsed.everyone;
    }
    if (changes.embeds !== undefined) message.embeds = changes.embeds;
    if (changes.components !== undefined) message.components = changes.components;
    if (changes.attachments !== undefined) message.attachments = changes.attachments;
    if (changes.flags !== undefined) message.flags = changes.flags;
    message.contentHistory.push(message.content);
    message.editedAt = at;
  }
}
