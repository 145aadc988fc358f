import type { Logger } from 'pino';
import { runChat } from '../../adapters/terminal/chat.js';
import { runHeadless } from '../../adapters/terminal/headless-run.js';
import type { App } from './app.js';
import type { CliArguments } from './arguments.js';
import type { Settings } from './bootstrap.js';
import { runDoctor } from './doctor.js';

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
      const adapters = chatAdaptersConfigured(settings);
      process.stderr.write(
        adapters.length === 0
          ? 'ml-intern-bot gateway: no chat adapter is configured (set SLACK_BOT_TOKEN or DISCORD_TOKEN).\n'
          : `ml-intern-bot gateway: the ${adapters.join(' and ')} adapter is not part of this build yet.\n`,
      );
      return 1;
    }
    case 'start': {
      const adapters = chatAdaptersConfigured(settings);
      app.assertModelUsable();
      await app.startWorkers();
      if (adapters.length > 0) {
        process.stderr.write(
          `ml-intern-bot: the ${adapters.join(' and ')} adapter is not part of this build yet; running workers only.\n`,
        );
        await untilSignal();
        return 0;
      }
      await runChat(app, chatOptions(args));
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
    case 'help':
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

function chatAdaptersConfigured(settings: Settings): string[] {
  const names: string[] = [];
  if (settings.environment.SLACK_BOT_TOKEN) names.push('Slack');
  if (settings.environment.DISCORD_TOKEN) names.push('Discord');
  return names;
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
