import { closeWithin } from '../queue/close-within.js';
import type { Logger } from 'pino';
import { HttpService } from '../http/http-service.js';
import { mountOpsRoutes } from '../http/ops-routes.js';
import { Readiness } from '../http/readiness.js';
import { drainQueueCounts } from '../metrics/drain-queue-counts.js';
import type { ProcessMetrics, PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { App } from './app.js';

/** The process's HTTP server with the operator endpoints; Slack's HTTP mode mounts on the same one. */
export interface OpsServer {
  readonly http: HttpService;
  readonly readiness: Readiness;
  /** The bound port, or undefined when nothing listens (no `PORT`). */
  readonly port: number | undefined;
  close(): Promise<void>;
}

/**
 * Mounts `/healthz`, `/readyz` and `/metrics` and listens on `port` when one is given (without a
 * port the routes exist but nothing listens: two workers on one host must not fight over a default).
 * The queue gauge reads the app's drain queue at each scrape.
 */
export async function startOpsServer(options: {
  app: App;
  metrics: PrometheusMetrics;
  port: number | undefined;
  logger: Logger;
  /** Other processes' metrics summed into `/metrics` (`start`'s worker children). */
  childMetrics?: () => Promise<ProcessMetrics[]>;
}): Promise<OpsServer> {
  const { app, metrics, logger } = options;
  const readiness = new Readiness(app.redis);
  const queue = drainQueueCounts({
    redis: app.redis,
    prefix: app.keys.prefix,
    queuePrefix: app.keys.queuePrefix,
  });
  metrics.observeQueue(queue.counts);
  const http = new HttpService(logger);
  const childMetrics = options.childMetrics;
  const scrape = async () => metrics.scrape(childMetrics ? await childMetrics() : []);
  mountOpsRoutes(http, { readiness, scrape, logger });
  let port: number | undefined;
  if (options.port !== undefined) {
    port = await http.listen(options.port);
    logger.info({ port }, 'serving /healthz, /readyz and /metrics');
  } else {
    logger.info('not serving /healthz, /readyz or /metrics: set PORT');
  }
  return {
    http,
    readiness,
    port,
    close: async () => {
      readiness.stop();
      await http.close();
      await closeWithin(queue.close());
    },
  };
}
