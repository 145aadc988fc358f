import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP server made of route groups, for fakes of services that share one base URL (the
 * Hub serves repos, papers, the OpenAPI description and docs from `HF_ENDPOINT`). Each fake module
 * exports routes; a test composes the groups it needs: `startLoopback([...repoRoutes(world), ...])`.
 */

export interface LoopbackRequest {
  method: string;
  /** Decoded path without the query. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The bearer token of `Authorization` (`token <t>` is accepted too, as GitHub does). */
  token: string | undefined;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
  /** Path parameters of the matching route (`:name` segments, or the regex's named groups). */
  params: Record<string, string>;
  receivedAt: number;
}

export interface LoopbackAnswer {
  status?: number;
  /** An object or array is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Delay before answering, ms (a slow service). */
  delayMs?: number;
  /** Never answer (a hung service); the socket stays open until the client gives up. */
  hang?: boolean;
}

export interface Route {
  method: string;
  /** `/api/models/:org/:name` (`:rest*` takes the rest of the path), or a regex with named groups. */
  path: string | RegExp;
  handle(request: LoopbackRequest): LoopbackAnswer | Promise<LoopbackAnswer>;
}

export interface Loopback {
  readonly url: string;
  readonly requests: readonly LoopbackRequest[];
  close(): Promise<void>;
}

function compile(path: string | RegExp): RegExp {
  if (path instanceof RegExp) return path;
  const pattern = path
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':') && segment.endsWith('*')) return `(?<${segment.slice(1, -1)}>.+)`;
      if (segment.startsWith(':')) return `(?<${segment.slice(1)}>[^/]+)`;
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${pattern}$`);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, answer: LoopbackAnswer): void {
  const body = answer.body;
  const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
  const payload = body === undefined ? '' : isRaw ? body : JSON.stringify(body);
  const type = isRaw ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8';
  res.writeHead(answer.status ?? 200, {
    'content-type': type,
    'content-length': Buffer.byteLength(payload),
    ...answer.headers,
  });
  res.end(payload);
}

export async function startLoopback(routes: readonly Route[]): Promise<Loopback> {
  const compiled = routes.map((route) => ({ route, pattern: compile(route.path) }));
  const requests: LoopbackRequest[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://loopback');
      const body = await readBody(req);
      const match = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '');
      const base = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: req.headers,
        token: match?.[1],
        body,
        json: parseJson(body),
        receivedAt: Date.now(),
      };
      for (const { route, pattern } of compiled) {
        if (route.method !== base.method) continue;
        const found = pattern.exec(base.path);
        if (!found) continue;
        const request: LoopbackRequest = { ...base, params: { ...found.groups } };
        requests.push(request);
        const answer = await route.handle(request);
        if (answer.hang) return;
        if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
        send(res, answer);
        return;
      }
      requests.push({ ...base, params: {} });
      send(res, { status: 404, body: { error: `no route ${base.method} ${base.path}` } });
    })().catch((err: unknown) => {
      send(res, { status: 500, body: { error: err instanceof Error ? err.message : String(err) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
