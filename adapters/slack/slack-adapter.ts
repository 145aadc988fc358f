import { App } from '@slack/bolt';
import type { HttpService } from '../../src/http/http-service.js';
import { adapterContext, type AdapterOptions } from '../shared/adapter-context.js';
import { boltLogger } from './bolt-logger.js';
import type { SlackRoutes } from './http/delivery-check.js';
import { httpTransport } from './http/http-transport.js';
import { handleInbound } from './inbound-handler.js';
import { handleClick, handleFeedback } from './interaction-handler.js';
import { RedactingWebClient } from './redacting-web-client.js';
import type { SlackContext } from './slack-context.js';
import { SlackRenderer } from './slack-renderer.js';
import { socketTransport } from './socket-transport.js';

export interface SlackAdapterOptions extends AdapterOptions {
  botToken: string;
  /** Socket Mode when set (no public URL needed). */
  appToken?: string;
  /** HTTP mode (`/slack/events` on `port`) when set and there is no app token. */
  signingSecret?: string;
  /** HTTP mode without `http`: the port of the adapter's own HTTP server (0 for any free port). */
  port?: number;
  /**
   * The process's HTTP server (shared with `/healthz`, `/readyz`, `/metrics`): in HTTP mode the
   * adapter mounts `/slack/events` on it instead of listening on `port` itself.
   */
  http?: HttpService;
  /** `SLACK_API_URL`, with its trailing slash. */
  apiUrl?: string;
  /** Use Slack's streaming messages (chat.startStream) instead of post-then-edit. */
  streaming: boolean;
}

export interface RunningSlackAdapter {
  /** The HTTP port in HTTP mode (useful with port 0). */
  readonly port: number | undefined;
  botUserId: string;
  /** For `/readyz`: Socket Mode → the socket is connected now (false while it reconnects); HTTP → started. */
  connected(): boolean;
  stop(): Promise<void>;
}

const FEEDBACK_VIEW = 'mlib_feedback';

/** What the app below listens to; the HTTP endpoint forwards to Bolt only what one of these takes. */
export const SLACK_ROUTES: SlackRoutes = {
  events: ['app_mention', 'message'],
  actionIds: /^mlib_/,
  viewCallbacks: [FEEDBACK_VIEW],
};

/** The text typed into the feedback modal's inputs (empty when the view carries none). */
function feedbackText(view: unknown): string {
  const values = (view as { state?: { values?: unknown } } | undefined)?.state?.values;
  if (values === null || typeof values !== 'object') return '';
  return Object.values(values as Record<string, unknown>)
    .flatMap((block): unknown[] =>
      block !== null && typeof block === 'object' ? Object.values(block as Record<string, unknown>) : [],
    )
    .map((input) => (input as { value?: unknown } | null)?.value)
    .filter((value): value is string => typeof value === 'string')
    .join('\n')
    .trim();
}

/**
 * The Slack adapter: Bolt in Socket Mode or HTTP mode turns events into operations (inbound and
 * interaction handlers) and renders each followed session's events into its thread. Everything it
 * sends goes through one WebClient that redacts every text and counts every call.
 */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<RunningSlackAdapter> {
  const { logger } = options;
  const socketMode = options.appToken !== undefined;
  if (!socketMode && options.signingSecret === undefined) {
    throw new Error('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  }
  const shared = adapterContext(options, (id) => subscription.follow(id));
  const slackLogger = boltLogger(logger);
  const clientOptions = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  const client = new RedactingWebClient(options.botToken, {
    ...clientOptions,
    logger: slackLogger,
    redact: shared.redact,
    metrics: shared.metrics,
  });
  const auth = await client.auth.test();
  const botUserId = auth.user_id ?? '';

  const transport =
    options.appToken !== undefined
      ? socketTransport({
          appToken: options.appToken,
          ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
          slackLogger,
        })
      : httpTransport({
          signingSecret: options.signingSecret ?? '',
          routes: SLACK_ROUTES,
          logger,
          slackLogger,
          ...(options.http ? { http: options.http } : {}),
          ...(options.port !== undefined ? { port: options.port } : {}),
        });
  // Bot ids given: Bolt's authorize needs no auth.test of its own.
  const app = new App({
    token: options.botToken,
    ...(auth.bot_id ? { botId: auth.bot_id, botUserId } : {}),
    receiver: transport.receiver,
    // Bolt's per-event conversation-state middleware: nothing here reads it.
    convoStore: false,
    clientOptions,
    logger: slackLogger,
  });

  const renderer = new SlackRenderer({
    client,
    gateway: options.gateway,
    streaming: options.streaming,
    logger,
    follow: (id) => subscription.follow(id),
    unfollow: (id) => subscription.unfollow(id),
    redact: shared.redact,
  });
  const ctx: SlackContext = { ...shared, client, botUserId, botToken: options.botToken };

  // Used by the callbacks above, which only run once the app has started.
  const subscription = await options.gateway.subscribe('slack', (sessionId, events) =>
    renderer.render(sessionId, events),
  );

  // The one error handler of the adapter: log the reason, never let a bad event take the app down.
  const guarded = (what: string, work: () => Promise<void>) =>
    work().catch((err: unknown) => logger.error({ err }, `slack ${what} failed`));
  // Bolt has acknowledged the event before this runs; the work waits for the rest of this poll phase,
  // so that every other delivery already read is acknowledged before any of it (a burst of mentions
  // would otherwise see its later acks wait behind the earlier ones' Redis and Slack calls).
  const afterPendingAcks = () => new Promise<void>((resolve) => setImmediate(resolve));
  app.event('app_mention', ({ event }) =>
    guarded('app_mention', () => afterPendingAcks().then(() => handleInbound(ctx, event))),
  );
  app.event('message', ({ event }) =>
    guarded('message', () => afterPendingAcks().then(() => handleInbound(ctx, event))),
  );
  app.action(SLACK_ROUTES.actionIds, async ({ ack, body }) => {
    await ack();
    await guarded('action', () => handleClick(ctx, body));
  });
  app.view(FEEDBACK_VIEW, async ({ ack, body, view }) => {
    await ack();
    const metadata = typeof view.private_metadata === 'string' ? view.private_metadata : '';
    await guarded('feedback', () => handleFeedback(ctx, body.user.id, metadata, feedbackText(view)));
  });
  app.error((err) => {
    logger.error({ err }, 'slack app error');
    return Promise.resolve();
  });

  await transport.start();
  const port = transport.port;
  logger.info({ mode: socketMode ? 'socket' : 'http', botUserId, port }, 'slack adapter started');
  return {
    get port() {
      return transport.port;
    },
    botUserId,
    connected: () => transport.connected(),
    stop: async () => {
      await transport.stop();
      await subscription.stop();
      await renderer.flush();
    },
  };
}
