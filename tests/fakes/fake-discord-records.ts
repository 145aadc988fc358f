import type { APIApplicationCommand, APIEmbed, APIMessageReference, InteractionType } from 'discord.js';
import type { ChannelType, MessageType } from 'discord.js';

/** The records the fake keeps about messages, channels, typing and commands (see `DiscordWorld`). */

/** A file attached to a message, with its bytes (served back at `url`). */
export interface FakeDiscordAttachment {
  id: string;
  filename: string;
  contentType: string | undefined;
  description: string | undefined;
  size: number;
  bytes: Buffer;
  url: string;
}

/** One edit of a message: when, through which API, the fields it sent, what the text was before. */
export interface FakeDiscordEdit {
  at: number;
  via: 'rest' | 'interaction' | 'webhook';
  changes: Record<string, unknown>;
  previousContent: string;
}

/** A message as the fake keeps it (deleted ones stay, flagged). */
export interface FakeDiscordMessage {
  id: string;
  channelId: string;
  /** Undefined in DMs. */
  guildId: string | undefined;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  /** Top-level components as sent (action rows of buttons, or Components V2 blocks). */
  components: unknown[];
  attachments: FakeDiscordAttachment[];
  flags: number;
  type: MessageType;
  tts: boolean;
  nonce: string | number | undefined;
  reference: APIMessageReference | undefined;
  /** User ids mentioned (`<@id>`, and the replied-to author unless `replied_user: false`). */
  mentions: string[];
  mentionRoles: string[];
  mentionEveryone: boolean;
  createdAt: number;
  editedAt: number | undefined;
  edits: FakeDiscordEdit[];
  /** Every text the message had, oldest first (the current one last). */
  contentHistory: string[];
  deleted: boolean;
  deletedAt: number | undefined;
  /** Ephemeral interaction responses are seen by one user only and never dispatched. */
  ephemeral: boolean;
  /** For interaction responses and follow-ups: the interaction's id, type and user. */
  interaction: { id: string; type: InteractionType; userId: string; name?: string } | undefined;
  webhookId: string | undefined;
  applicationId: string | undefined;
  /** The thread started from this message (its id equals the message's). */
  threadId: string | undefined;
  /** Emoji the bot reacted with and has not removed. */
  reactions: string[];
}

/** A channel: guild text/announcement/category, a thread, or a DM. */
export interface FakeDiscordChannel {
  id: string;
  type: ChannelType;
  name: string | null;
  guildId: string | undefined;
  parentId: string | null;
  topic: string | null;
  position: number;
  /** DMs: the other user. */
  recipientId: string | undefined;
  /** Threads: who created it, from which message (undefined when created without one). */
  ownerId: string | undefined;
  startMessageId: string | undefined;
  archived: boolean;
  locked: boolean;
  autoArchiveDuration: number;
  createdAt: number;
  lastMessageId: string | null;
  messageCount: number;
  totalMessageSent: number;
  rateLimitPerUser: number;
  /** Threads: user ids that joined. */
  memberIds: Set<string>;
}

/** A thread (type 10, 11 or 12) always has a parent. */
export type FakeDiscordThread = FakeDiscordChannel & { parentId: string };

/** A `POST /channels/:id/typing`. */
export interface FakeDiscordTyping {
  channelId: string;
  at: number;
}

/** A registered application command (global when `guild_id` is absent). */
export type FakeDiscordCommand = APIApplicationCommand;

/** What a new message needs; everything else has Discord's defaults. */
export interface NewMessage {
  id?: string;
  channelId: string;
  authorId: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: unknown[];
  attachments?: FakeDiscordAttachment[];
  flags?: number;
  type?: MessageType;
  tts?: boolean;
  nonce?: string | number;
  reference?: APIMessageReference;
  repliedUser?: boolean;
  ephemeral?: boolean;
  interaction?: FakeDiscordMessage['interaction'];
  webhookId?: string;
  applicationId?: string;
}
