import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { findProjectRoot } from '../config/project-root.js';
import { ConfigError, MlInternError } from '../core/errors.js';
import { PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import { HELP, isAppCommand, parseCliArguments, type AppCommand, type CliArguments } from './arguments.js';
import { connectApp, loadSettings, loggerFor, shutdownGraceMs, type Settings } from './bootstrap.js';
import { runAppCommand, runStandaloneCommand } from './commands.js';
import { installProcessHandlers } from './process-handlers.js';

/**
 * The command line's one error handler: configuration and usage errors exit 2, known errors print
 * their one-line message and exit 1, anything else exits 1 with a short note (details in the log).
 * Only the commands that run turns or adapters connect to Redis (and may start a private one);
 * `doctor`, `manifest` and `register-commands` never do.
 */
async function main(argv: readonly string[]): Promise<number> {
  let args: CliArguments;
  let settings: Settings;
  try {
    args = parseCliArguments(argv);
    if (args.command === 'help') {
      process.stdout.write(`${HELP}\n`);
      return 0;
    }
    if (args.command === 'manifest') {
      process.stdout.write(readFileSync(join(findProjectRoot(), 'configs', 'slack-manifest.yaml'), 'utf8'));
      return 0;
    }
    settings = loadSettings(args);
  } catch (err) {
    return reportStartupError(err);
  }
  // The terminal chat owns the screen, so its logs go to a file; everything else logs to stderr
  // (a container's log stream), including `start` with chat adapters configured.
  const env = settings.environment;
  const terminalChat =
    args.command === 'chat' || (args.command === 'start' && !env.SLACK_BOT_TOKEN && !env.DISCORD_TOKEN);
  const logger = loggerFor(settings, terminalChat);
  installProcessHandlers(logger);
  try {
    const command = args.command;
    if (!isAppCommand(command)) {
      return await runStandaloneCommand(args, settings, args.config ?? env.ML_INTERN_CONFIG);
    }
    return await runWithApp({ ...args, command }, settings, logger);
  } catch (err) {
    if (err instanceof MlInternError) {
      logger.debug({ code: err.code }, err.message);
      process.stderr.write(`ml-intern-bot: ${settings.redact(err.userMessage)}\n`);
      return err.code === 'no_api_key' ? 2 : 1;
    }
    logger.error({ err }, 'fatal error');
    process.stderr.write('ml-intern-bot: unexpected error; see the log for details.\n');
    return 1;
  }
}

/** Finds (or starts) Redis, builds the app with Prometheus metrics, runs the command, then closes both. */
async function runWithApp(
  args: CliArguments & { command: AppCommand },
  settings: Settings,
  logger: Logger,
): Promise<number> {
  const metrics = new PrometheusMetrics();
  const { app, redis } = await connectApp(settings, logger, metrics);
  try {
    return await runAppCommand({ args, settings, app, logger, metrics });
  } finally {
    await app.close(shutdownGraceMs(settings));
    await redis.stop();
  }
}

function reportStartupError(err: unknown): number {
  if (err instanceof ConfigError || (err instanceof MlInternError && err.code === 'usage')) {
    process.stderr.write(`ml-intern-bot: ${err.message}\n`);
    return 2;
  }
  if (err instanceof MlInternError) {
    process.stderr.write(`ml-intern-bot: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(
    `ml-intern-bot: could not start: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  return 2;
}

// Exit explicitly: open sockets of libraries must not keep a finished command alive.
process.exit(await main(process.argv.slice(2)));
