import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFlags, GatewayIntentBits } from 'discord.js';
import { DiscordEvents } from './fake-discord-events.js';
import { GatewayServer } from './fake-discord-gateway.js';
import { apiError, ERRORS, parseBody, readBody, writeAnswer } from './fake-discord-http.js';
import type { FakeDiscordUpload, RouteAnswer } from './fake-discord-http.js';
import { defaultGuild, defaultUsers, DISCORD_IDS } from './fake-discord-ids.js';
import type { FakeDiscordGuildSpec, FakeDiscordUser } from './fake-discord-ids.js';
import { DiscordGatewayHandle } from './fake-discord-inbound.js';
import type { FakeDiscordGateway } from './fake-discord-inbound.js';
import { InteractionStore } from './fake-discord-interactions.js';
import type { FakeInteraction, FakeInteractionCallback } from './fake-discord-interactions.js';
import { RateLimiter } from './fake-discord-ratelimit.js';
import type { DiscordFailureSpec, DiscordRateLimitSpec } from './fake-discord-ratelimit.js';
import { appRoutes } from './fake-discord-rest-app.js';
import { channelRoutes } from './fake-discord-rest-channels.js';
import { callMatches, findRoute, majorParameter } from './fake-discord-routes.js';
import type { CallPattern, Route } from './fake-discord-routes.js';
import { guildCreate, userById } from './fake-discord-shapes.js';
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

/** One REST call as the fake received and answered it. */
export interface FakeDiscordCall {
  method: string;
  /** The path after `/api/v10`, e.g. `/channels/123/messages`. */
  path: string;
  /** The matched route's template (`/channels/:channelId/messages`), undefined for a 404. */
  route: string | undefined;
  query: Record<string, string>;
  /** The JSON body (a multipart request's `payload_json`). */
  body: unknown;
  files: FakeDiscordUpload[];
  authorization: string | undefined;
  /** `X-Audit-Log-Reason`, decoded. */
  reason: string | undefined;
  /** `Date.now()` on arrival. */
  at: number;
  status: number;
  response: unknown;
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
  const users = options.users ?? defaultUsers(botName);
  if (!users.some((u) => u.id === DISCORD_IDS.bot))
    users.unshift({ id: DISCORD_IDS.bot, username: botName, bot: true });
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
    ready: (session, resumeUrl) => ({
      v: 10,
      user: { ...userById(world, world.botUserId), verified: true, mfa_enabled: false, email: null },
      guilds: [...world.guilds.keys()].map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: resumeUrl,
      ...(session.identify.shard !== undefined ? { shard: session.identify.shard } : {}),
      application: { id: DISCORD_IDS.application, flags: applicationFlags },
      private_channels: [],
      relationships: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['fake-local'],
      user_settings: {},
      auth: {},
      _trace: ['["fake-gateway",{}]'],
    }),
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
  const limiter = new RateLimiter();
  const calls: FakeDiscordCall[] = [];
  let waiters: Array<{
    pattern: CallPattern;
    predicate: (c: FakeDiscordCall) => boolean;
    resolve: (c: FakeDiscordCall) => void;
  }> = [];

  const answerApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    version: string,
    path: string,
    raw: Buffer,
  ) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const reason = req.headers['x-audit-log-reason'];
    const call: FakeDiscordCall = {
      method,
      path,
      route: undefined,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      authorization: req.headers.authorization,
      reason: typeof reason === 'string' ? decodeURIComponent(reason) : undefined,
      at: Date.now(),
      status: 0,
      response: undefined,
    };
    calls.push(call);
    const later: Array<() => void> = [];
    const found = findRoute(routes, method, path);
    let answer: RouteAnswer;
    if (!['9', '10'].includes(version)) answer = apiError(400, 50041, 'Invalid API version');
    else if (found === undefined) answer = ERRORS.notFound();
    else if (found === 'method-not-allowed') answer = ERRORS.methodNotAllowed();
    else {
      const { route, params } = found;
      call.route = route.template;
      const major = majorParameter(params);
      const parsed = await parseBody(req, raw).catch(() => undefined);
      if (parsed !== undefined) [call.body, call.files] = [parsed.body, parsed.files];
      if (route.auth === 'bot' && req.headers.authorization !== `Bot ${token}`)
        answer = ERRORS.unauthorized();
      else if (parsed === undefined) answer = apiError(400, 50109, 'The request body contains invalid JSON.');
      else {
        answer =
          limiter.check(method, path, route.template, major) ??
          (await route.handle({
            params,
            query: url.searchParams,
            body: parsed.body,
            files: parsed.files,
            later: (fn) => later.push(fn),
          }));
        if (answer.status !== 429)
          answer = {
            ...answer,
            headers: { ...limiter.headers(method, path, route.template, major), ...answer.headers },
          };
      }
    }
    writeAnswer(res, answer);
    [call.status, call.response] = [answer.status, answer.body];
    for (const fn of later) fn();
    waiters = waiters.filter((w) => {
      if (!callMatches(w.pattern, call.method, call.path) || !w.predicate(call)) return true;
      w.resolve(call);
      return false;
    });
  };

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
      return answerApi(req, res, url, api[1], path, raw);
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
    calls,
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
    callsTo: (pattern) => calls.filter((c) => callMatches(pattern, c.method, c.path)),
    waitForCall: (pattern, predicate = () => true, timeoutMs = 5000) => {
      const done = calls.find(
        (c) => c.status !== 0 && callMatches(pattern, c.method, c.path) && predicate(c),
      );
      if (done !== undefined) return Promise.resolve(done);
      return new Promise<FakeDiscordCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`fake-discord: no call matching ${String(pattern)} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          pattern,
          predicate,
          resolve: (call: FakeDiscordCall) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        waiters.push(waiter);
      });
    },
    failNext: (pattern, spec = {}) => limiter.failNext(pattern, spec),
    rateLimit: (pattern, spec) => limiter.rateLimit(pattern, spec),
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
export type { GatewaySession } from './fake-discord-gateway.js';
export type { GatewayCompression } from './fake-discord-gateway-codec.js';
export type {
  ClickOptions,
  FakeDiscordGateway,
  RunCommandOptions,
  SubmitModalOptions,
  UserMessageOptions,
} from './fake-discord-inbound.js';
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
