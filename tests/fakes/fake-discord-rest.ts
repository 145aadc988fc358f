import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiError, ERRORS, parseBody, writeAnswer } from './fake-discord-http.js';
import type { FakeDiscordUpload, RouteAnswer } from './fake-discord-http.js';
import { RateLimiter } from './fake-discord-ratelimit.js';
import { callMatches, findRoute, majorParameter } from './fake-discord-routes.js';
import type { CallPattern, Route } from './fake-discord-routes.js';

/** One REST call as the fake received and answered it. */
export interface FakeDiscordCall {
  method: string;
  /** The decoded path after `/api/v10`, e.g. `/channels/123/messages`, `/webhooks/1/tok/messages/@original`. */
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
  /** The HTTP status answered (0 while the call is being handled). */
  status: number;
  response: unknown;
}

interface Waiter {
  pattern: CallPattern;
  predicate: (call: FakeDiscordCall) => boolean;
  resolve: (call: FakeDiscordCall) => void;
}

/**
 * The REST dispatcher: records each call, checks `Authorization: Bot <token>` on bot routes,
 * applies scripted failures and buckets, runs the route, sends `x-ratelimit-*` headers, and runs
 * the gateway echoes the route queued once the answer is written.
 */
export class RestApi {
  readonly calls: FakeDiscordCall[] = [];
  readonly limiter = new RateLimiter();
  private waiters: Waiter[] = [];

  constructor(
    private readonly routes: readonly Route[],
    private readonly token: string,
  ) {}

  /** Answers one API request; `version` is the `N` of `/api/vN`, `path` what follows, decoded. */
  async answer(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    version: string,
    path: string,
    raw: Buffer,
  ): Promise<void> {
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
    this.calls.push(call);
    const later: Array<() => void> = [];
    const answer = await this.run(req, call, url, version, raw, later);
    writeAnswer(res, answer);
    [call.status, call.response] = [answer.status, answer.body];
    for (const fn of later) fn();
    this.waiters = this.waiters.filter((w) => {
      if (!callMatches(w.pattern, call.method, call.path) || !w.predicate(call)) return true;
      w.resolve(call);
      return false;
    });
  }

  private async run(
    req: IncomingMessage,
    call: FakeDiscordCall,
    url: URL,
    version: string,
    raw: Buffer,
    later: Array<() => void>,
  ): Promise<RouteAnswer> {
    // @discordjs/rest builds `${api}/v${version}${route}`: only v9 and v10 are alive.
    if (!['9', '10'].includes(version)) return apiError(400, 50041, 'Invalid API version');
    const found = findRoute(this.routes, call.method, call.path);
    if (found === undefined) return ERRORS.notFound();
    if (found === 'method-not-allowed') return ERRORS.methodNotAllowed();
    const { route, params } = found;
    call.route = route.template;
    const parsed = await parseBody(req, raw).catch(() => undefined);
    if (parsed !== undefined) [call.body, call.files] = [parsed.body, parsed.files];
    // Interaction callbacks and webhooks carry their credential in the path (discord.js sends no header).
    if (route.auth === 'bot' && req.headers.authorization !== `Bot ${this.token}`)
      return ERRORS.unauthorized();
    if (parsed === undefined) return apiError(400, 50109, 'The request body contains invalid JSON.');
    const major = majorParameter(params);
    const refused = this.limiter.check(call.method, call.path, route.template, major);
    if (refused !== undefined) return refused;
    const answer = await route.handle({
      params,
      query: url.searchParams,
      body: parsed.body,
      files: parsed.files,
      later: (fn) => later.push(fn),
    });
    const headers = this.limiter.headers(call.method, call.path, route.template, major);
    return { ...answer, headers: { ...headers, ...answer.headers } };
  }

  /** The first answered call matching `pattern` and `predicate`, already made or still to come. */
  waitForCall(
    pattern: CallPattern,
    predicate: (call: FakeDiscordCall) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<FakeDiscordCall> {
    const done = this.calls.find(
      (c) => c.status !== 0 && callMatches(pattern, c.method, c.path) && predicate(c),
    );
    if (done !== undefined) return Promise.resolve(done);
    return new Promise<FakeDiscordCall>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`fake-discord: no call matching ${String(pattern)} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        pattern,
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          resolve(call);
        },
      };
      this.waiters.push(waiter);
    });
  }
}
