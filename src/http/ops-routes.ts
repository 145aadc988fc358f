import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { HttpService } from './http-service.js';
import type { Readiness } from './readiness.js';

/** The paths operators and orchestrators probe; they share `PORT` with Slack's `/slack/events`. */
export const OPS_PATHS = { health: '/healthz', ready: '/readyz', metrics: '/metrics' } as const;

export interface OpsRoutesOptions {
  readiness: Readiness;
  /** The Prometheus text of a scrape. */
  scrape: () => Promise<{ contentType: string; body: string }>;
  logger: Logger;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };

/**
 * Mounts `/healthz` (200 while the process runs: a liveness probe), `/readyz` (200 when Redis and
 * every configured adapter are connected, else 503 with a one-line reason: a readiness probe) and
 * `/metrics` (Prometheus text format) on the process's HTTP server.
 */
export function mountOpsRoutes(http: HttpService, options: OpsRoutesOptions): void {
  /** A failed probe answers 500 and logs why (never the stack to the caller). */
  const asyncRoute =
    (handler: AsyncHandler): RequestListener =>
    (req, res) => {
      handler(req, res).catch((err: unknown) => {
        options.logger.error({ err, path: req.url }, 'ops endpoint failed');
        if (!res.headersSent) res.writeHead(500, TEXT);
        res.end('internal error\n');
      });
    };
  http.mount(OPS_PATHS.health, (req, res) => {
    if (allowed(req, res)) res.writeHead(200, TEXT).end('ok\n');
  });
  http.mount(
    OPS_PATHS.ready,
    asyncRoute(async (req, res) => {
      if (!allowed(req, res)) return;
      const state = await options.readiness.check();
      if (state.ready) res.writeHead(200, TEXT).end('ready\n');
      else res.writeHead(503, TEXT).end(`not ready: ${state.reason}\n`);
    }),
  );
  http.mount(
    OPS_PATHS.metrics,
    asyncRoute(async (req, res) => {
      if (!allowed(req, res)) return;
      const { contentType, body } = await options.scrape();
      res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
    }),
  );
}

type AsyncHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Probes are GET (or HEAD); anything else is a 405 naming what is allowed. */
function allowed(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return true;
  res.writeHead(405, { ...TEXT, allow: 'GET, HEAD' }).end('method not allowed\n');
  return false;
}
