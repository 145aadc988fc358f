import { HTTPReceiver, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from 'pino';
import { HttpService } from '../../../src/http/http-service.js';
import type { SlackTransport } from '../slack-transport.js';
import type { SlackRoutes } from './delivery-check.js';
import { SLACK_EVENTS_PATH, slackEventsEndpoint } from './events-endpoint.js';

/**
 * A delivery that reached a listener but was not acknowledged by then is answered anyway, under
 * Slack's 3 s limit (Bolt's default waits 3.0 s and answers 404). Listeners acknowledge first, so this
 * only fires when the process stalls.
 */
export const UNACKED_TIMEOUT_MS = 2_500;

export interface HttpTransportOptions {
  signingSecret: string;
  routes: SlackRoutes;
  logger: Logger;
  slackLogger: SlackLogger;
  /** The process's shared HTTP server; when absent the transport starts its own on `port`. */
  http?: HttpService;
  port?: number;
}

/**
 * Slack's HTTP mode: Bolt's HTTPReceiver never opens a server of its own; its request listener sits
 * behind the events endpoint, mounted at `/slack/events` on the process's HTTP server.
 */
export function httpTransport(options: HttpTransportOptions): SlackTransport {
  const logger = options.logger.child({ component: 'slack-http' });
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    // The events endpoint in front has checked the signature (with Bolt's own function) of everything
    // it forwards here, and nothing reaches this receiver another way: checking it twice only costs.
    signatureVerification: false,
    endpoints: SLACK_EVENTS_PATH,
    logger: options.slackLogger,
    unhandledRequestTimeoutMillis: UNACKED_TIMEOUT_MS,
    unhandledRequestHandler: ({ response }) => {
      logger.error({ status: 200, timeoutMs: UNACKED_TIMEOUT_MS }, 'slack delivery not acknowledged in time');
      if (!response.headersSent) response.writeHead(200).end();
    },
    processEventErrorHandler: ({ error, response }) => {
      // Bolt failed before the ack: the shape passed the checks but Bolt could not read it.
      if (response.headersSent) {
        logger.error({ err: error }, 'slack listener failed after its ack');
        return Promise.resolve(false);
      }
      logger.error({ err: error, status: 400 }, 'slack delivery refused: Bolt could not process it');
      response.writeHead(400).end();
      return Promise.resolve(false);
    },
  });
  const endpoint = slackEventsEndpoint({
    receiver,
    signingSecret: options.signingSecret,
    routes: options.routes,
    logger: options.logger,
  });
  const own = options.http === undefined ? new HttpService(options.logger) : undefined;
  const http = options.http ?? own!;
  let started = false;
  return {
    receiver,
    start: async () => {
      http.mount(SLACK_EVENTS_PATH, endpoint.listener);
      if (own) await own.listen(options.port ?? 3000);
      started = true;
    },
    stop: async () => {
      started = false;
      endpoint.close();
      await own?.close();
    },
    connected: () => started,
    get port() {
      return http.port;
    },
  };
}
