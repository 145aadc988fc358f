import type { Receiver } from '@slack/bolt';

/**
 * How Slack's deliveries reach the Bolt app: Socket Mode or HTTP mode. The adapter builds the app on
 * `receiver` and starts and stops the transport itself (never `app.start()`, which in HTTP mode
 * would open a second server).
 */
export interface SlackTransport {
  readonly receiver: Receiver;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** For `/readyz`: Socket Mode → the socket is connected now; HTTP mode → started. */
  connected(): boolean;
  /** The HTTP port in HTTP mode (useful with port 0); undefined in Socket Mode. */
  readonly port: number | undefined;
}
