import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { HTTPModuleFunctions, type BufferedIncomingMessage, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { checkDelivery, type SlackRoutes } from './delivery-check.js';

/** The path Slack's request URL points at (Events API and interactivity share it). */
export const SLACK_EVENTS_PATH = '/slack/events';

export interface SlackEventsEndpointOptions {
  /** Bolt's receiver, handed only the deliveries a listener takes. */
  receiver: HTTPReceiver;
  signingSecret: string;
  routes: SlackRoutes;
  logger: Logger;
}

export interface SlackEventsEndpoint {
  /** Mount at {@link SLACK_EVENTS_PATH}. */
  listener: RequestListener;
  /** After this every request is answered 503 (Slack retries it later, maybe on another gateway). */
  close(): void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function isUtf8(bytes: Buffer): boolean {
  try {
    utf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number, json?: unknown): void {
  if (res.headersSent) return;
  if (json === undefined) {
    res.writeHead(status).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
}

/**
 * Slack's HTTP-mode request URL, in front of Bolt's HTTPReceiver: the body is read and its signature
 * checked with Bolt's own functions, then sorted by {@link checkDelivery}. Only what a listener takes
 * reaches Bolt; everything else is answered at once (Bolt would crash on some, 500 on others, and
 * answer the rest 404 after 3 s), with a log line giving the reason. Unsigned, badly signed or stale
 * requests are refused 401 as Bolt refuses them.
 */
export function slackEventsEndpoint(options: SlackEventsEndpointOptions): SlackEventsEndpoint {
  const logger = options.logger.child({ component: 'slack-http' });
  let closed = false;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const retryNum = HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req);
    const refuse = (status: number, reason: string) => {
      logger.warn({ status, reason, retryNum }, 'slack delivery refused');
      answer(res, status);
    };
    if (closed) return refuse(503, 'the Slack adapter is stopping');
    if (req.method !== 'POST') return refuse(405, `method ${req.method ?? '?'} on the events URL`);

    let buffered: BufferedIncomingMessage;
    try {
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: options.signingSecret, bodyLimit: HTTPModuleFunctions.defaultBodyLimit },
        req,
      );
    } catch (err) {
      if (HTTPModuleFunctions.isRawBodyError(err)) {
        const tooLarge = err.type === 'entity.too.large' || err.statusCode === 413;
        return refuse(tooLarge ? 413 : 400, tooLarge ? 'body over 4 MB' : `body unreadable (${err.type})`);
      }
      const raw = (req as Partial<BufferedIncomingMessage>).rawBody;
      const why = err instanceof Error ? err.message : String(err);
      const hint = raw !== undefined && !isUtf8(raw) ? ' (the body is not valid UTF-8)' : '';
      return refuse(401, `${why}${hint}`);
    }

    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered) as unknown;
    } catch {
      return refuse(400, 'body is not valid JSON');
    }

    const verdict = checkDelivery(body, options.routes);
    if (verdict.kind === 'forward') {
      // The body is buffered on the request: Bolt reuses it (and checks the signature again).
      options.receiver.requestListener(buffered, res);
      return;
    }
    if (verdict.status === 400) return refuse(400, verdict.reason);
    logger[verdict.level]({ status: 200, reason: verdict.reason, retryNum }, 'slack delivery ignored');
    answer(res, 200, verdict.json);
  };

  return {
    listener: (req, res) => {
      handle(req, res).catch((err: unknown) => {
        logger.error({ err }, 'slack delivery failed');
        answer(res, 400);
      });
    },
    close: () => {
      closed = true;
    },
  };
}
