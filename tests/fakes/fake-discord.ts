import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFlags, GatewayIntentBits } from 'discord.js';
import { DiscordEvents } from './fake-discord-events.js';
import { GatewayServer } from './fake-discord-gateway.js';
import { apiError, ERRORS, readBody, writeAnswer } from './fake-discord-http.js';
import { defaultGuild, defaultUsers, DISCORD_IDS } from './fake-discord-ids.js';
import type { FakeDiscordGuildSpec, FakeDiscordUser } from './fake-discord-ids.js';
import { DiscordGatewayHandle } from './fake-discord-inbound.js';
import type { FakeDiscordGateway } from './fake-discord-gateway-api.js';
import { InteractionStore } from './fake-discord-interactions.js';
import type { FakeInteraction, FakeInteractionCallback } from './fake-discord-interactions.js';
import { messageWrites } from './fake-discord-mentions.js';
import type { FakeDiscordMessageWrite } from './fake-discord-mentions.js';
import type { DiscordFailureSpec, DiscordRateLimitSpec } from './fake-discord-ratelimit.js';
import { appRoutes } from './fake-discord-rest-app.js';
import { channelRoutes } from './fake-discord-rest-channels.js';
import { RestApi } from './fake-discord-rest.js';
import type { FakeDiscordCall } from './fake-discord-rest.js';
import { callMatches } from './fake-discord-routes.js';
import type { CallPattern, Route } from './fake-discord-routes.js';
import { guildCreate, readyPayload } from './fake-discord-shapes.js';
import { webhookRoutes } from './fake-discord-webhooks.js';
import { DiscordWorld } from './fake-discord-world.js';
import type {
  FakeDiscordChannel,
  FakeDiscordCommand,
  FakeDiscordMessage,
  FakeDiscordThread,
  FakeDiscordTyping,
} from './fake-discord-world.js';

/**
 * A loopback Discord: the REST API at `apiUrl` (give it to discord.js as `rest: { api }`) and the
 * gateway at the URL `GET /gateway/bot` returns, on one 127.0.0.1 port, plus attachment
 * downloads. The real discord.js `Client` talks to it unmodified. It keeps a model of the world
 * (guilds, channels, threads, messages with edit history, interactions and their callbacks,
 * commands) for tests to assert on, drives the gateway as users would (messages, clicks, modal
 * submits, slash commands), applies intents as Discord does, and can be scripted to fail the way
 * Discord fails (429 with the headers @discordjs/rest obeys, errors, disallowed intents).
 */

export interface FakeDiscordOptions {
  /** The bot token (`Authorization: Bot <token>` and IDENTIFY are checked against it). */
  token?: string;
  botName?: string;
  /** The users (the bot, `DISCORD_IDS.bot`, is added when missing). Default: alice, bob, otherbot. */
  users?: FakeDiscordUser[];
  /** The guilds the bot is in. Default: one guild with `#general`, `#random`, `#announcements`. */
  guilds?: FakeDiscordGuildSpec[];
  /**
   * The app's Message Content toggle (default true). Off: an IDENTIFY asking for MessageContent
   * is closed with 4014, and messages reach the app without content unless they mention it.
   */
  messageContent?: boolean;
  /** The Server Members toggle (default false: GuildMembers in IDENTIFY gets 4014). */
  guildMembers?: boolean;
  /** The Presence toggle (default false). */
  presence?: boolean;
  /** HELLO's `heartbeat_interval` (default 41250 ms, as Discord). */
  heartbeatIntervalMs?: number;
  /** How long an interaction waits for its callback before Discord drops it (default 3000 ms). */
  interactionAckTimeoutMs?: number;
}

export interface FakeDiscord {
  /** `http://127.0.0.1:PORT/api`: @discordjs/rest appends `/v10` and the route. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly token: string;
  readonly botUserId: string;
  readonly applicationId: string;
  readonly world: DiscordWorld;
  readonly gateway: FakeDiscordGateway;
  /** Every REST call in arrival order (scripted failures included). */
  readonly calls: readonly FakeDiscordCall[];
  /** Every message in creation order (deleted ones flagged, ephemeral ones marked). */
  readonly messages: readonly FakeDiscordMessage[];
  readonly threads: readonly FakeDiscordThread[];
  readonly typing: readonly FakeDiscordTyping[];
  readonly commands: readonly FakeDiscordCommand[];
  readonly interactions: readonly FakeInteraction[];
  readonly interactionCallbacks: readonly FakeInteractionCallback[];
  channel(id: string): FakeDiscordChannel | undefined;
  message(id: string): FakeDiscordMessage | undefined;
  /** A channel's (or thread's) live messages, oldest first, ephemeral ones excluded. */
  channelMessages(channelId: string): FakeDiscordMessage[];
  interaction(id: string): FakeInteraction | undefined;
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<FakeInteractionCallback>;
  /**
   * Every request that created or edited a message (channel messages, interaction responses,
   * follow-ups), with its `allowed_mentions` and whom Discord would have notified.
   */
  messageWrites(): FakeDiscordMessageWrite[];
  /** Calls matching `"POST /channels/:id/messages"`, `"/users/@me"`, `"PATCH"` or a RegExp on `"METHOD /path"`. */
  callsTo(pattern: CallPattern): FakeDiscordCall[];
  /** The first matching call (already made or still to come) whose predicate holds. */
  waitForCall(
    pattern: CallPattern,
    predicate?: (call: FakeDiscordCall) => boolean,
    timeoutMs?: number,
  ): Promise<FakeDiscordCall>;
  /** Fails the next matching call(s): by default a 429 with `retry-after` that discord.js waits out. */
  failNext(pattern: CallPattern, spec?: DiscordFailureSpec): void;
  /** Limits matching routes per bucket; the headers announce it, so a well-behaved client never hits it. */
  rateLimit(pattern: CallPattern, spec: DiscordRateLimitSpec): void;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = `${Buffer.from(DISCORD_IDS.bot).toString('base64url')}.GfAkE0.fake-discord-bot-token-0123456789abcd`;

/** Starts the fake on a random 127.0.0.1 port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const token = options.token ?? DEFAULT_TOKEN;
  const botName = options.botName ?? 'ml-intern';
  const users = [...(options.users ?? defaultUsers(botName))];
  if (!users.some((u) => u.id === DISCORD_IDS.bot)) {
    users.unshift({ id: DISCORD_IDS.bot, username: botName, bot: true });
  }
  const messageContent = options.messageContent ?? true;
  const allowedPrivileged =
    (messageContent ? GatewayIntentBits.MessageContent : 0) |
    (options.guildMembers === true ? GatewayIntentBits.GuildMembers : 0) |
    (options.presence === true ? GatewayIntentBits.GuildPresences : 0);
  // An unverified app's portal toggles show up as the `*Limited` application flags.
  const applicationFlags =
    (messageContent ? ApplicationFlags.GatewayMessageContentLimited : 0) |
    (options.guildMembers === true ? ApplicationFlags.GatewayGuildMembersLimited : 0) |
    (options.presence === true ? ApplicationFlags.GatewayPresenceLimited : 0);

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const gatewayUrl = `ws://127.0.0.1:${port}`;
  const world = new DiscordWorld(DISCORD_IDS.bot, baseUrl, users, options.guilds ?? [defaultGuild(botName)]);
  const gatewayServer = new GatewayServer(gatewayUrl, {
    token,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
    allowedPrivileged,
    ready: (session, resumeUrl) =>
      readyPayload(world, session, resumeUrl, { id: DISCORD_IDS.application, flags: applicationFlags }),
    guildCreates: (session) =>
      (session.intents & GatewayIntentBits.Guilds) === 0
        ? []
        : [...world.guilds.keys()].flatMap((id) => guildCreate(world, id) ?? []),
  });
  const events = new DiscordEvents(world, gatewayServer);
  const deps = { world, events, applicationId: DISCORD_IDS.application, messageContent };
  const interactions = new InteractionStore(deps, options.interactionAckTimeoutMs ?? 3000);
  const routes: Route[] = [
    ...appRoutes({
      ...deps,
      gatewayUrl,
      applicationName: botName,
      applicationFlags,
      sessionsStarted: () => gatewayServer.sessions.length,
    }),
    ...channelRoutes(deps),
    ...interactions.routes(),
    ...webhookRoutes(deps, interactions),
  ];
  const rest = new RestApi(routes, token);

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    const api = /^\/api\/v(\d+)(\/.*)$/.exec(url.pathname);
    if (api?.[1] !== undefined && api[2] !== undefined) {
      // Paths are kept decoded (`@original` arrives as `%40original`) so patterns read naturally.
      const path = api[2]
        .split('/')
        .map((segment) => decodeURIComponent(segment))
        .join('/');
      return rest.answer(req, res, url, api[1], path, raw);
    }
    const file = /^\/attachments\/(\d+)\//.exec(url.pathname);
    const attachment = file?.[1] === undefined ? undefined : world.attachments.get(file[1]);
    if (attachment !== undefined && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': attachment.contentType ?? 'application/octet-stream',
        'content-length': attachment.size,
      });
      res.end(attachment.bytes);
      return;
    }
    writeAnswer(res, ERRORS.notFound());
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) writeAnswer(res, apiError(500, 0, `500: Internal Server Error (${String(err)})`));
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => gatewayServer.handleUpgrade(req, socket, head));

  return {
    apiUrl: `${baseUrl}/api`,
    url: baseUrl,
    token,
    botUserId: DISCORD_IDS.bot,
    applicationId: DISCORD_IDS.application,
    world,
    gateway: new DiscordGatewayHandle(gatewayServer, world, events, interactions, DISCORD_IDS.application),
    calls: rest.calls,
    messages: world.messages,
    get threads() {
      return world.threads;
    },
    typing: world.typing,
    commands: world.commands,
    interactions: interactions.all,
    interactionCallbacks: interactions.callbacks,
    channel: (id) => world.channels.get(id),
    message: (id) => world.message(id),
    channelMessages: (channelId) =>
      world.messages.filter((m) => m.channelId === channelId && !m.deleted && !m.ephemeral),
    interaction: (id) => interactions.get(id),
    waitForCallback: (id, timeoutMs) => interactions.waitForCallback(id, timeoutMs),
    messageWrites: () => messageWrites(rest.calls, world),
    callsTo: (pattern) => rest.calls.filter((c) => callMatches(pattern, c.method, c.path)),
    waitForCall: (pattern, predicate, timeoutMs) => rest.waitForCall(pattern, predicate, timeoutMs),
    failNext: (pattern, spec = {}) => rest.limiter.failNext(pattern, spec),
    rateLimit: (pattern, spec) => rest.limiter.rateLimit(pattern, spec),
    close: async () => {
      await gatewayServer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export { DISCORD_IDS, EVERYONE_PERMISSIONS, snowflake } from './fake-discord-ids.js';
export type {
  FakeDiscordChannelSpec,
  FakeDiscordGuildSpec,
  FakeDiscordMemberSpec,
  FakeDiscordRole,
  FakeDiscordUser,
} from './fake-discord-ids.js';
export type { FakeDiscordUpload } from './fake-discord-http.js';
export type { FakeDiscordCall } from './fake-discord-rest.js';
export type { FakeDiscordMessageWrite } from './fake-discord-mentions.js';
export type { GatewaySession } from './fake-discord-gateway-api.js';
export type { GatewayCompression } from './fake-discord-gateway-codec.js';
export type {
  ClickOptions,
  FakeDiscordGateway,
  RunCommandOptions,
  SubmitModalOptions,
  UserMessageOptions,
} from './fake-discord-gateway-api.js';
export type { FakeInteraction, FakeInteractionCallback } from './fake-discord-interactions.js';
export type { DiscordFailureSpec, DiscordRateLimitSpec } from './fake-discord-ratelimit.js';
export type { CallPattern } from './fake-discord-routes.js';
export { MAX_FILE_BYTES } from './fake-discord-validate.js';
export { TOKEN_TTL_MS } from './fake-discord-webhooks.js';
export type {
  DiscordWorld,
  FakeDiscordAttachment,
  FakeDiscordChannel,
  FakeDiscordCommand,
  FakeDiscordEdit,
  FakeDiscordMessage,
  FakeDiscordThread,
  FakeDiscordTyping,
} from './fake-discord-world.js';
export {
  buttonClick,
  commandOptions,
  messagePayload,
  modalSubmit,
  slashCommand,
} from './fake-discord-payloads.js';
export type {
  ButtonClickOptions,
  InteractionOptions,
  MemberInfo,
  MessagePayloadOptions,
  ModalSubmitOptions,
  SlashCommandOptions,
} from './fake-discord-payloads.js';
