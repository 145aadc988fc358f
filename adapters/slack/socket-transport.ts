import { SocketModeReceiver, type Logger as SlackLogger } from '@slack/bolt';
import type { SlackTransport } from './slack-transport.js';

export interface SocketTransportOptions {
  appToken: string;
  /** `SLACK_API_URL`, for `apps.connections.open`. */
  apiUrl?: string;
  slackLogger: SlackLogger;
}

/**
 * Slack's Socket Mode. `connected()` follows the socket client's own states: true from Slack's
 * `hello` on, false from the moment the socket closes until a new one is greeted (the client
 * reconnects by itself after a delay).
 */
export function socketTransport(options: SocketTransportOptions): SlackTransport {
  const receiver = new SocketModeReceiver({
    appToken: options.appToken,
    logger: options.slackLogger,
    installerOptions: { clientOptions: options.apiUrl ? { slackApiUrl: options.apiUrl } : {} },
  });
  const client = receiver.client;
  let up = false;
  client.on('connected', () => {
    up = true;
  });
  // A late `close` of an old socket must not hide a newer one that is already open.
  client.on('close', () => {
    up = client.websocket?.isActive() ?? false;
  });
  for (const state of ['reconnecting', 'disconnecting', 'disconnected']) {
    client.on(state, () => {
      up = false;
    });
  }
  return {
    receiver,
    start: async () => {
      await receiver.start();
    },
    stop: async () => {
      up = false;
      await receiver.stop();
    },
    connected: () => up,
    port: undefined,
  };
}
