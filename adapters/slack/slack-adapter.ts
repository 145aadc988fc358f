import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import type { HttpService } from '../../src/http/http-service.js';
import { adapterContext, type AdapterOptions } from '../shared/adapter-context.js';
import { boltLogger } from './bolt-logger.js';
import { handleInbound } from './inbound-handler.js';
import { handleClick, handleFeedback } from './interaction-handler.js';
import type { SlackContext } from './slack-context.js';
import { SlackRenderer } from './slack-renderer.js';

export interface SlackAdapterOptions extends AdapterOptions {
  botToken: string;
  /** Socket Mode when set (no public URL needed). */
  appToken?: string;
  /** HTTP mode (`/slack/events` on `port`) when set and there is no app token. */
  signingSecret?: string;
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
  port: number | undefined;
  botUserId: string;
  stop(): Promise<void>;
}

/**
 * The Slack adapter: Bolt in Socket Mode or HTTP mode turns events into operations (inbound and
 * interaction handlers) and renders each followed session's events into its thread.
 */
export async function startSlackAdapter(options: SlackAdapterOptions): Promise<RunningSlackAdapter> {
  const { logger } = options;
  const socketMode = options.appToken !== undefined;
  if (!socketMode && options.signingSecret === undefined) {
    throw new Error('Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode)');
  }
  const clientOptions = options.apiUrl ? { slackApiUrl: options.apiUrl } : {};
  const app = socketMode
    ? new App({
        token: options.botToken,
        appToken: options.appToken,
        socketMode: true,
        clientOptions,
        logger: boltLogger(logger),
      })
    : new App({
        token: options.botToken,
        signingSecret: options.signingSecret ?? '',
        endpoints: '/slack/events',
        clientOptions,
        logger: boltLogger(logger),
      });
  const auth = await app.client.auth.test();
  const botUserId = auth.user_id ?? '';

  const renderer = new SlackRenderer({
    client: app.client,
    gateway: options.gateway,
    streaming: options.streaming,
    logger,
    follow: (id) => subscription.follow(id),
    unfollow: (id) => subscription.unfollow(id),
  });
  const ctx: SlackContext = {
    ...adapterContext(options, (id) => subscription.follow(id)),
    client: app.client,
    botUserId,
    botToken: options.botToken,
  };

  // Used by the callbacks above, which only run once the app has started.
  const subscription = await options.gateway.subscribe('slack', (sessionId, events) =>
    renderer.render(sessionId, events),
  );

  // The one error handler of the adapter: log the reason, never let a bad event take the app down.
  const guarded = (what: string, work: () => Promise<void>) =>
    work().catch((err: unknown) => logger.error({ err }, `slack ${what} failed`));
  app.event('app_mention', ({ event }) => guarded('app_mention', () => handleInbound(ctx, event)));
  app.event('message', ({ event }) => guarded('message', () => handleInbound(ctx, event)));
  app.action(/^mlib_/, async ({ ack, body }) => {
    await ack();
    await guarded('action', () => handleClick(ctx, body));
  });
  app.view('mlib_feedback', async ({ ack, body, view }) => {
    await ack();
    const feedback = Object.values(view.state.values)
      .flatMap((block) => Object.values(block))
      .map((input) => input.value ?? '')
      .join('\n')
      .trim();
    await guarded('feedback', () => handleFeedback(ctx, body.user.id, view.private_metadata, feedback));
  });
  app.error((err) => {
    logger.error({ err }, 'slack app error');
    return Promise.resolve();
  });

  let port: number | undefined;
  if (socketMode) {
    await app.start();
  } else {
    const server = (await app.start(options.port ?? 3000)) as { address(): AddressInfo | string | null };
    const address = server.address();
    port = typeof address === 'object' && address ? address.port : options.port;
  }
  logger.info({ mode: socketMode ? 'socket' : 'http', botUserId, port }, 'slack adapter started');
  return {
    port,
    botUserId,
    stop: async () => {
      await app.stop();
      await subscription.stop();
      await renderer.flush();
    },
  };
}
