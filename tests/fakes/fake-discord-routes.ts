import type { FakeDiscordUpload, RouteAnswer } from './fake-discord-http.js';

/** What a route handler gets. */
export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body (or a multipart request's `payload_json`); undefined when there is none. */
  body: unknown;
  files: FakeDiscordUpload[];
  /**
   * Runs `fn` once the response is written: the gateway events a call causes (MESSAGE_CREATE for a
   * posted message...) go out after the HTTP answer, as Discord's usually do.
   */
  later(fn: () => void): void;
}

/** One REST route: method, template with `:params`, whether it needs `Authorization: Bot`. */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  auth: 'bot' | 'none';
  handle(ctx: RouteContext): RouteAnswer | Promise<RouteAnswer>;
}

/** A call's pattern: a RegExp on `"METHOD /path"`, or `"METHOD /a/:x/b"`, `"/a/:x/b"`, `"METHOD"`. */
export type CallPattern = string | RegExp;

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

/** Whether `pattern`'s path (`:x` matching any one segment) matches `path`. */
function pathMatches(patternPath: string, path: string): boolean {
  const want = segments(patternPath);
  const have = segments(path);
  return want.length === have.length && want.every((seg, i) => seg.startsWith(':') || seg === have[i]);
}

/** Whether a call (method + decoded path relative to `/api/v10`) matches a pattern. */
export function callMatches(pattern: CallPattern, method: string, path: string): boolean {
  if (pattern instanceof RegExp) return pattern.test(`${method} ${path}`);
  const match = /^\s*([A-Za-z]+)?\s*(\/\S*)?\s*$/.exec(pattern);
  if (match === null) throw new Error(`fake-discord: bad call pattern ${JSON.stringify(pattern)}`);
  const [, wantMethod, wantPath] = match;
  if (wantMethod !== undefined && wantMethod.toUpperCase() !== method) return false;
  return wantPath === undefined || pathMatches(wantPath, path);
}

/** The route for a call: the one with the most literal segments wins (`/users/@me` over `/users/:id`). */
export function findRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
  const have = segments(path);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  let pathKnown = false;
  for (const route of routes) {
    if (!pathMatches(route.template, path)) continue;
    pathKnown = true;
    if (route.method !== method) continue;
    const want = segments(route.template);
    const params: Record<string, string> = {};
    want.forEach((seg, i) => {
      if (seg.startsWith(':')) params[seg.slice(1)] = have[i] ?? '';
    });
    const literals = want.filter((s) => !s.startsWith(':')).length;
    if (best === undefined || literals > best.literals) best = { route, params, literals };
  }
  if (best !== undefined) return { route: best.route, params: best.params };
  return pathKnown ? 'method-not-allowed' : undefined;
}

/**
 * The rate-limit bucket's major parameter, as Discord (and @discordjs/rest) key buckets: the
 * channel, guild or webhook a route is about.
 */
export function majorParameter(params: Record<string, string>): string {
  return (
    params.channelId ??
    params.guildId ??
    (params.token !== undefined ? `${params.appId}/${params.token}` : 'global')
  );
}
