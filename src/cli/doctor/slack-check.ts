import { LogLevel, type Logger as SlackLogger } from '@slack/logger';
import { WebClient } from '@slack/web-api';
import type { Environment } from '../../config/environment.js';
import { fail, ok, skip, type Check, type CheckResult } from './check.js';
import { explainFailure, statusFailure, type ServiceSpec } from './failure-hints.js';

/** Slack's own Web API base when `SLACK_API_URL` is unset. */
const DEFAULT_SLACK_URL = 'https://slack.com/api/';

/** Web API errors that mean "this token is not valid" (Slack answers them with HTTP 200). */
const TOKEN_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'not_allowed_token_type',
]);

/** The Web API client must not print to the console: `doctor`'s report is the only output. */
const silent: SlackLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

/**
 * Slack: `auth.test` with the bot token, and the transport's credential: `apps.connections.open`
 * with the app-level token (Socket Mode), or the presence of the signing secret (HTTP mode, which
 * only Slack's own deliveries can prove).
 */
export function slackCheck(env: Environment, timeoutMs: number): Check {
  const url = env.SLACK_API_URL ?? DEFAULT_SLACK_URL;
  const spec = (tokenVar: string, name = 'Slack'): ServiceSpec => ({
    name,
    tokenVar,
    urlVar: 'SLACK_API_URL',
    url,
    tokenHelp:
      tokenVar === 'SLACK_APP_TOKEN'
        ? "generate an app-level token (xapp-…) with connections:write under your app's Basic Information"
        : "copy the Bot User OAuth Token (xoxb-…) from your app's OAuth & Permissions page",
  });
  const client = (token: string) =>
    new WebClient(token, {
      slackApiUrl: url,
      retryConfig: { retries: 0 },
      timeout: timeoutMs,
      logger: silent,
      rejectRateLimitedCalls: true,
    });
  return {
    name: 'Slack',
    target: url,
    run: async () => {
      const botToken = env.SLACK_BOT_TOKEN;
      if (!botToken) {
        if (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET)
          return [
            fail(
              'Slack',
              'SLACK_BOT_TOKEN not set, but other SLACK_ variables are',
              spec('SLACK_BOT_TOKEN').tokenHelp,
            ),
          ];
        return [skip('Slack', 'SLACK_BOT_TOKEN not set (optional: the Slack adapter)')];
      }
      const lines: CheckResult[] = [];
      try {
        const auth = await client(botToken).auth.test();
        lines.push(
          ok(
            'Slack',
            `SLACK_BOT_TOKEN accepted (bot ${auth.user ?? auth.user_id ?? '?'} in ${auth.team ?? '?'})`,
          ),
        );
      } catch (err) {
        lines.push(slackFailure(spec('SLACK_BOT_TOKEN'), err));
      }
      lines.push(
        await transportLine(env, (token) => client(token), spec('SLACK_APP_TOKEN', 'Slack Socket Mode')),
      );
      return lines;
    },
  };
}

async function transportLine(
  env: Environment,
  client: (token: string) => WebClient,
  appSpec: ServiceSpec,
): Promise<CheckResult> {
  if (env.SLACK_APP_TOKEN) {
    try {
      await client(env.SLACK_APP_TOKEN).apps.connections.open();
      return ok(appSpec.name, 'SLACK_APP_TOKEN accepted (apps.connections.open)');
    } catch (err) {
      return slackFailure(appSpec, err);
    }
  }
  if (env.SLACK_SIGNING_SECRET) {
    const port = env.PORT ?? 3000;
    return ok(
      'Slack HTTP mode',
      `SLACK_SIGNING_SECRET set; Slack must reach https://<your host>/slack/events (served on PORT ${port})`,
    );
  }
  return fail(
    'Slack transport',
    'neither SLACK_APP_TOKEN nor SLACK_SIGNING_SECRET is set',
    'set SLACK_APP_TOKEN for Socket Mode (no public URL needed) or SLACK_SIGNING_SECRET for HTTP mode on PORT',
  );
}

/** Slack reports a bad token as `{ ok: false, error: "invalid_auth" }` with HTTP 200. */
function slackFailure(spec: ServiceSpec, err: unknown): CheckResult {
  const platform =
    (err as { code?: unknown; data?: { error?: unknown } }).code === 'slack_webapi_platform_error';
  const error = (err as { data?: { error?: unknown } }).data?.error;
  if (platform && typeof error === 'string') {
    if (TOKEN_ERRORS.has(error)) return statusFailure(spec, 401, error, false);
    if (error === 'ratelimited') return statusFailure(spec, 429, error, false);
    return fail(spec.name, `Slack answered ${error}`, `see https://api.slack.com/methods for "${error}"`);
  }
  if ((err as { code?: unknown }).code === 'slack_webapi_rate_limited_error') return statusFailure(spec, 429);
  return explainFailure(spec, err);
}
