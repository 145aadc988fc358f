import type { Logger } from 'pino';
import { runChat } from '../../adapters/terminal/chat.js';
import { runHeadless } from '../../adapters/terminal/headless-run.js';
import type { App } from './app.js';
import type { CliArguments } from './arguments.js';
import type { Settings } from './bootstrap.js';
import { runDoctor } from './doctor.js';
import { startSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { startDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { registerCommands } from '../../adapters/discord/slash-commands.js';

/** Runs one command on a connected app; returns the exit code. */
export async function runCommand(
  args: CliArguments,
  settings: Settings,
  app: App,
  logger: Logger,
): Promise<number> {
  switch (args.command) {
    case 'doctor':
      return runDoctor(settings, app, process.stdout);
    case 'worker':
      app.assertModelUsable();
      await app.startWorkers();
      logger.info({ concurrency: settings.config.worker.concurrency }, 'worker started');
      process.stderr.write('ml-intern-bot worker: taking operations (SIGTERM or Ctrl+C to stop)\n');
      await untilSignal();
      logger.info('worker stopping');
      return 0;
    case 'gateway': {
      const adapters = await startChatAdapters(settings, app, logger);
      if (adapters.length === 0) {
        process.stderr.write(
          'ml-intern-bot gateway: no chat adapter is configured (set SLACK_BOT_TOKEN or DISCORD_TOKEN).\n',
        );
        return 1;
      }
      await untilSignal();
      await stopAll(adapters);
      return 0;
    }
    case 'start': {
      app.assertModelUsable();
      await app.startWorkers();
      const adapters = await startChatAdapters(settings, app, logger);
      if (adapters.length === 0) {
        await runChat(app, chatOptions(args));
        return 0;
      }
      process.stderr.write('ml-intern-bot: running (SIGTERM or Ctrl+C to stop)\n');
      await untilSignal();
      await stopAll(adapters);
      return 0;
    }
    case 'chat':
      app.assertModelUsable(args.model ?? settings.config.model);
      await app.startWorkers();
      await runChat(app, chatOptions(args));
      return 0;
    case 'run': {
      app.assertModelUsable();
      await app.startWorkers();
      const abort = new AbortController();
      const onSigint = () => abort.abort();
      process.once('SIGINT', onSigint);
      try {
        return await runHeadless(app, {
          prompt: args.prompt ?? '',
          yes: args.yes,
          stream: args.stream,
          stdout: process.stdout,
          stderr: process.stderr,
          signal: abort.signal,
          ...(args.model ? { model: args.model } : {}),
          ...(args.maxIterations ? { maxIterations: args.maxIterations } : {}),
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
    }
    case 'register-commands': {
      const token = settings.environment.DISCORD_TOKEN;
      if (!token) {
        process.stderr.write('ml-intern-bot register-commands: set DISCORD_TOKEN first.\n');
        return 2;
      }
      const where = await registerCommands({
        token,
        ...(settings.environment.DISCORD_API_URL ? { apiUrl: settings.environment.DISCORD_API_URL } : {}),
        ...(settings.config.discord.commandGuild ? { guildId: settings.config.discord.commandGuild } : {}),
      });
      process.stdout.write(`Registered /intern for ${where}.\n`);
      return 0;
    }
    case 'help':
    case 'manifest':
      return 0;
  }
}

function chatOptions(args: CliArguments) {
  return {
    input: process.stdin,
    output: process.stdout,
    color: process.stdout.isTTY,
    stream: args.stream,
    ...(args.model ? { model: args.model } : {}),
    ...(args.maxIterations ? { maxIterations: args.maxIterations } : {}),
  };
}

/** Starts every chat adapter whose tokens are set. */
async function startChatAdapters(
  settings: Settings,
  app: App,
  logger: Logger,
): Promise<Array<{ stop(): Promise<void> }>> {
  const env = settings.environment;
  const adapters: Array<{ stop(): Promise<void> }> = [];
  if (env.SLACK_BOT_TOKEN) {
    adapters.push(
      await startSlackAdapter({
        gateway: app,
        botToken: env.SLACK_BOT_TOKEN,
        ...(env.SLACK_APP_TOKEN ? { appToken: env.SLACK_APP_TOKEN } : {}),
        ...(env.SLACK_SIGNING_SECRET ? { signingSecret: env.SLACK_SIGNING_SECRET } : {}),
        ...(env.SLACK_API_URL ? { apiUrl: env.SLACK_API_URL } : {}),
        ...(env.PORT !== undefined ? { port: env.PORT } : {}),
        access: settings.config.access,
        approvers: settings.config.approval.approvers,
        streaming: settings.config.slack.streaming,
        maxFileBytes: settings.config.slack.maxFileBytes,
        logger,
      }),
    );
  }
  if (env.DISCORD_TOKEN) {
    adapters.push(
      await startDiscordAdapter({
        gateway: app,
        token: env.DISCORD_TOKEN,
        ...(env.DISCORD_API_URL ? { apiUrl: env.DISCORD_API_URL } : {}),
        access: settings.config.access,
        approvers: settings.config.approval.approvers,
        maxFileBytes: settings.config.discord.maxFileBytes,
        logger,
      }),
    );
  }
  return adapters;
}

async function stopAll(adapters: ReadonlyArray<{ stop(): Promise<void> }>): Promise<void> {
  for (const adapter of adapters) await adapter.stop();
}

/** Resolves on the first SIGTERM or SIGINT (graceful shutdown follows in the caller). */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGTERM', done);
      process.off('SIGINT', done);
      resolve();
    };
    process.once('SIGTERM', done);
    process.once('SIGINT', done);
  });
}
