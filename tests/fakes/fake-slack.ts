import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CHAT_METHODS } from './fake-slack-chat.js';
import { CONVERSATION_METHODS } from './fake-slack-conversations.js';
import { createFile, FILE_METHODS, handleDownload, handleSignin, handleUpload } from './fake-slack-files.js';
import type { NewFile } from './fake-slack-files.js';
import { parseApiArgs, readBody, sendJson, tokenOf } from './fake-slack-http.js';
import { DEFAULT_IDENTITY } from './fake-slack-ids.js';
import type { SlackIdentity } from './fake-slack-ids.js';
import type { ApiResult, MethodSpec } from './fake-slack-method.js';
import { fail, ok } from './fake-slack-method.js';
import { ResponseUrls } from './fake-slack-response-url.js';
import { CallScript } from './fake-slack-script.js';
import type { FailureSpec, RateLimitSpec } from './fake-slack-script.js';
import type { ResponseTarget } from './fake-slack-response-url.js';
import { SocketModeServer } from './fake-slack-socket.js';
import type { FakeSlackSocket } from './fake-slack-socket.js';
import { DEFAULT_STREAM_TTL_MS, STREAM_METHODS } from './fake-slack-streams.js';
import { VIEW_METHODS } from './fake-slack-views.js';
import { FakeWorkspace } from './fake-slack-workspace.js';
import type { FakeMessage, FakeUser } from './fake-slack-workspace.js';

/**
 * A loopback Slack: the Web API at `apiUrl` (give it to `WebClient`/Bolt as `slackApiUrl`), Socket
 * Mode at the URL `apps.connections.open` returns, file upload and download URLs, and
 * `response_url`s — all on one 127.0.0.1 port. The real SDKs talk to it unmodified. It keeps a
 * model of the workspace (messages, threads, edits, reactions, streams, views, files) for tests
 * to assert on, and can be scripted to fail the way Slack fails (429 with Retry-After, errors,
 * streams that expire).
 */

export interface FakeSlackOptions {
  /** The bot token every bot method checks (default `xoxb-fake-bot-token`). */
  botToken?: string;
  /** The app-level token `apps.connections.open` checks (default `xapp-1-fake-app-token`). */
  appToken?: string;
  identity?: Partial<SlackIdentity>;
  /** How long a stream stays open after `chat.startStream` (default 5 minutes, as Slack). */
  streamTtlMs?: number;
}

/** One Web API call as the fake received and answered it. */
export interface FakeCall {
  method: string;
  /** The parsed arguments (JSON-encoded form values decoded), without `token`. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** `Date.now()` on arrival. */
  at: number;
  /** The HTTP status answered (200 unless a failure was scripted). */
  status: number;
  response: Record<string, unknown>;
}

/** A user's message already in the workspace (what an event would be about). */
export interface NewUserMessage {
  channel: string;
  user: string;
  text: string;
  ts?: string;
  threadTs?: string;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/`, with the trailing slash `slackApiUrl` expects. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly botToken: string;
  readonly appToken: string;
  readonly identity: SlackIdentity;
  /** Every Web API call, in arrival order. */
  readonly calls: readonly FakeCall[];
  /** Every message, in the order they were posted (deleted ones flagged, not removed). */
  readonly messages: readonly FakeMessage[];
  /** The full workspace model: ephemerals, statuses, views, files, users, response_url posts. */
  readonly workspace: FakeWorkspace;
  readonly socket: FakeSlackSocket;
  /** The message at channel + ts. */
  message(channel: string, ts: string): FakeMessage | undefined;
  /** A thread's parent and replies in ts order, without deleted messages. */
  thread(channel: string, threadTs: string): FakeMessage[];
  /** The thread's current assistant status (`''` when cleared or never set). */
  threadStatus(channel: string, threadTs: string): string;
  callsOf(method: string): FakeCall[];
  /** The first call of `method` matching `predicate`, already made or still to come. */
  waitForCall(method: string, predicate?: (call: FakeCall) => boolean, timeoutMs?: number): Promise<FakeCall>;
  failNext(method: string, spec: FailureSpec): void;
  rateLimit(method: string, spec: RateLimitSpec): void;
  /** Ends every open stream as Slack does after ~5 minutes: appends then fail. */
  expireStreams(): void;
  /** Puts a user's message into the workspace (the HTTP-mode counterpart of `socket.sendEventsApi`). */
  addUserMessage(message: NewUserMessage): FakeMessage;
  /** Records the message an `event_callback` body carries, if it is a user's message. */
  recordEvent(body: unknown): void;
  /** Stores a file and returns its Slack file object (for a message's `files`). */
  addFile(file: NewFile): Record<string, unknown>;
  addUser(user: FakeUser): void;
  /** A `response_url` whose posts the fake records and applies to `target`. */
  responseUrl(target?: ResponseTarget): string;
  close(): Promise<void>;
}

/** Starts the fake on a random 127.0.0.1 port. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = options.botToken ?? 'xoxb-fake-bot-token';
  const appToken = options.appToken ?? 'xapp-1-fake-app-token';
  const identity: SlackIdentity = { ...DEFAULT_IDENTITY, ...options.identity };
  const streamTtlMs = options.streamTtlMs ?? DEFAULT_STREAM_TTL_MS;
  const workspace = new FakeWorkspace(identity);
  const calls: FakeCall[] = [];
  const script = new CallScript();
  let waiters: Array<{
    method: string;
    predicate: (c: FakeCall) => boolean;
    resolve: (c: FakeCall) => void;
  }> = [];

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const recordEvent = (body: unknown): void => workspace.recordUserEvent(body);
  const sockets = new SocketModeServer(`ws://127.0.0.1:${port}`, identity.appId, recordEvent);
  const responses = new ResponseUrls(workspace, baseUrl);
  const methods: Record<string, MethodSpec> = {
    'auth.test': {
      token: 'bot',
      handle: () =>
        ok({
          url: `https://${identity.teamDomain}.slack.com/`,
          team: identity.teamName,
          user: identity.botName,
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        }),
    },
    'apps.connections.open': { token: 'app', handle: (ctx) => ok({ url: ctx.openSocketUrl() }) },
    ...CHAT_METHODS,
    ...STREAM_METHODS,
    ...VIEW_METHODS,
    ...FILE_METHODS,
    ...CONVERSATION_METHODS,
  };

  const answer = async (
    req: IncomingMessage,
    method: string,
    raw: Buffer,
  ): Promise<[number, ApiResult, Record<string, string>]> => {
    let parsed: Awaited<ReturnType<typeof parseApiArgs>>;
    try {
      parsed = await parseApiArgs(req, raw);
    } catch {
      return [200, fail('invalid_json'), {}];
    }
    const token = tokenOf(req, parsed.args);
    delete parsed.args.token;
    const call: FakeCall = { method, args: parsed.args, token, at: Date.now(), status: 200, response: {} };
    calls.push(call);
    const result = script.take(method) ?? [200, dispatch(method, token, parsed), {}];
    [call.status, call.response] = result;
    waiters = waiters.filter((w) => {
      if (w.method !== method || !w.predicate(call)) return true;
      w.resolve(call);
      return false;
    });
    return result;
  };

  const dispatch = (
    method: string,
    token: string | undefined,
    parsed: Awaited<ReturnType<typeof parseApiArgs>>,
  ): ApiResult => {
    const spec = methods[method];
    if (spec === undefined) return fail('unknown_method', { req_method: method });
    if (token === undefined) return fail('not_authed');
    const kind = token === botToken ? 'bot' : token === appToken ? 'app' : undefined;
    if (kind === undefined) return fail('invalid_auth');
    if (kind !== spec.token) return fail('not_allowed_token_type');
    return spec.handle({
      args: parsed.args,
      parts: parsed.parts,
      workspace,
      identity,
      baseUrl,
      streamTtlMs,
      openSocketUrl: () => sockets.issueUrl(),
    });
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? '/', baseUrl).pathname;
    const raw = await readBody(req);
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(path);
    if (api?.[1] !== undefined) {
      const [status, body, headers] = await answer(req, api[1], raw);
      sendJson(res, status, body, headers);
      return;
    }
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(path);
    if (upload?.[1] !== undefined) return handleUpload(req, res, raw, workspace, upload[1]);
    if (path.startsWith('/files-pri/')) return handleDownload(req, res, workspace, botToken, baseUrl);
    if (path === '/signin') return handleSignin(res);
    const response = /^\/response\/([0-9a-f-]+)$/.exec(path);
    if (response?.[1] !== undefined && req.method === 'POST') return responses.handle(res, response[1], raw);
    sendJson(res, 404, { ok: false, error: 'not_found' });
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    route(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(err) });
      else res.destroy();
    });
  });
  server.on('upgrade', (req, socket, head) => sockets.handleUpgrade(req, socket, head));

  return {
    apiUrl: `${baseUrl}/api/`,
    url: baseUrl,
    botToken,
    appToken,
    identity,
    calls,
    messages: workspace.messages,
    workspace,
    socket: sockets,
    message: (channel, ts) => workspace.get(channel, ts),
    thread: (channel, threadTs) => workspace.thread(channel, threadTs),
    threadStatus: (channel, threadTs) => workspace.statusOf(channel, threadTs),
    callsOf: (method) => calls.filter((c) => c.method === method),
    waitForCall: (method, predicate = () => true, timeoutMs = 5000) => {
      const done = calls.find((c) => c.method === method && predicate(c));
      if (done !== undefined) return Promise.resolve(done);
      return new Promise<FakeCall>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(new Error(`fake-slack: no matching ${method} call within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = {
          method,
          predicate,
          resolve: (call: FakeCall) => {
            clearTimeout(timer);
            resolve(call);
          },
        };
        waiters.push(waiter);
      });
    },
    failNext: (method, spec) => script.failNext(method, spec),
    rateLimit: (method, spec) => script.rateLimit(method, spec),
    expireStreams: () => {
      for (const m of workspace.messages) if (m.stream?.state === 'in_progress') m.stream.state = 'expired';
    },
    addUserMessage: (m) => workspace.add({ ...m }),
    recordEvent,
    addFile: (file) => workspace.fileToSlack(createFile(workspace, baseUrl, { ...file, uploaded: true })),
    addUser: (user) => {
      workspace.users.set(user.id, user);
    },
    responseUrl: (target) => responses.create(target),
    close: async () => {
      await sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

export { DEFAULT_IDENTITY, nextTs } from './fake-slack-ids.js';
export type { SlackIdentity } from './fake-slack-ids.js';
export type { NewFile } from './fake-slack-files.js';
export type { ResponseTarget } from './fake-slack-response-url.js';
export type { FailureSpec, RateLimitSpec } from './fake-slack-script.js';
export type {
  EventsApiSendOptions,
  FakeSlackSocket,
  SocketEnvelope,
  SocketSendOptions,
} from './fake-slack-socket.js';
export type {
  FakeChunk,
  FakeEphemeral,
  FakeFile,
  FakeMessage,
  FakeReaction,
  FakeStatus,
  FakeStream,
  FakeUser,
  FakeView,
  FakeWorkspace,
} from './fake-slack-workspace.js';
export {
  appMention,
  blockAction,
  channelMessage,
  dmMessage,
  eventCallback,
  richTextBlocks,
  slashCommand,
  viewSubmission,
  VERIFICATION_TOKEN,
} from './fake-slack-payloads.js';
export type {
  BlockActionOptions,
  EventCallbackOptions,
  SlashCommandOptions,
  UserMessageEvent,
  UserMessageOptions,
  ViewStateValues,
  ViewSubmissionOptions,
} from './fake-slack-payloads.js';
export { encodeSlackBody, signedRequest, slackSignature } from './fake-slack-signed.js';
export type { SignedRequestOptions, SignedResponse } from './fake-slack-signed.js';
