import type { GatewayIdentifyData } from 'discord.js';
import type { GatewayCompression } from './fake-discord-gateway-codec.js';
import type { FakeInteraction } from './fake-discord-interactions.js';
import type { FakeDiscordMessage } from './fake-discord-world.js';

/** One gateway session (what IDENTIFY creates and RESUME continues). */
export interface GatewaySession {
  readonly id: string;
  readonly intents: number;
  readonly identify: GatewayIdentifyData;
  /** The last sequence number sent. */
  seq: number;
  /** Every dispatch of the session, for replay on RESUME. */
  readonly events: Array<{ s: number; t: string; d: unknown }>;
  /** Open while a connection carries it; false once the client closed it for good (1000/1001). */
  live: boolean;
  resumable: boolean;
  /** How the session's current connection is encoded. */
  compression: GatewayCompression;
}

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
  /** New connections (reconnects included) wait unanswered until `releaseConnections()`. */
  holdConnections(): void;
  releaseConnections(): void;
  /** Closes every connection with `code` (default 4000: the client resumes). */
  disconnect(code?: number): void;
}
