import type { Logger } from 'pino';
import { startDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { startSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import type { Environment } from '../config/environment.js';
import type { Metrics } from '../core/metrics.js';
import type { App } from './app.js';
import type { Settings } from './bootstrap.js';
import type { OpsServer } from './ops-server.js';

/** A running chat adapter, as the command line and `/readyz` see it. */
export interface RunningAdapter {
  connected(): boolean;
  stop(): Promise<void>;
}

/** Slack in HTTP mode: a bot token and a signing secret, no app-level token. */
export function slackHttpMode(env: Environment): boolean {
  return !!env.SLACK_BOT_TOKEN && !env.SLACK_APP_TOKEN && !!env.SLACK_SIGNING_SECRET;
}

/** The adapters whose tokens are set, by the name `/readyz` reports. */
export function configuredAdapters(env: Environment): Array<'slack' | 'discord'> {
  return [
    ...(env.SLACK_BOT_TOKEN ? (['slack'] as const) : []),
    ...(env.DISCORD_TOKEN ? (['discord'] as const) : []),
  ];
}

/**
 * Starts every chat adapter whose tokens are set, each counting its API calls in `metrics` and
 * redacting what it sends with the process's redactor. Slack in HTTP mode mounts `/slack/events` on
 * the ops server, so Slack and the operator endpoints share `PORT`. Each adapter is registered with
 * `/readyz` as soon as it runs.
 */
export async function startChatAdapters(
  settings: Settings,
  app: App,
  logger: Logger,
  metrics: Metrics,
  ops: OpsServer,
): Promise<RunningAdapter[]> {
  const env = settings.environment;
  const shared = {
    gateway: app,
    access: settings.config.access,
    approvers: settings.config.approval.approvers,
    logger,
    metrics,
    redact: settings.redact,
  };
  for (const name of configuredAdapters(env)) ops.readiness.expect(name);
  const adapters: RunningAdapter[] = [];
  if (env.SLACK_BOT_TOKEN) {
    const slack = await startSlackAdapter({
      ...shared,
      botToken: env.SLACK_BOT_TOKEN,
      ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
      ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
      ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
      ...(slackHttpMode(env) ? { http: ops.http } : {}),
      streaming: settings.config.slack.streaming,
      maxFileBytes: settings.config.slack.maxFileBytes,
    });
    ops.readiness.attach('slack', slack);
    adapters.push(slack);
  }
  if (env.DISCORD_TOKEN) {
    const discord = await startDiscordAdapter({
      ...shared,
      token: env.DISCORD_TOKEN,
      ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
      maxFileBytes: settings.config.discord.maxFileBytes,
    });
    ops.readiness.attach('discord', discord);
    adapters.push(discord);
  }
  return adapters;
}

/** Stops the adapters in reverse start order. */
export async function stopAll(adapters: readonly RunningAdapter[]): Promise<void> {
  for (const adapter of [...adapters].reverse()) await adapter.stop();
}
