import type { Logger } from 'pino';
import { runChat } from '../../adapters/terminal/chat.js';
import { runHeadless } from '../../adapters/terminal/headless-run.js';
import { registerCommands } from '../../adapters/discord/slash-commands.js';
import { availableParallelism } from 'node:os';
import type { ProcessMetrics, PrometheusMetrics } from '../metrics/prometheus-metrics.js';
import type { App } from './app.js';
import type { AppCommand, CliArguments } from './arguments.js';
import { shutdownGraceMs, type Settings } from './bootstrap.js';
import { configuredAdapters, slackHttpMode, startChatAdapters, stopAll } from './chat-adapters.js';
import { runDoctor } from './doctor.js';
import { startOpsServer, type OpsServer } from './ops-server.js';
import { isPoolChild, poolChildArguments, servePoolParent } from './worker-child.js';
import { WorkerPool } from './worker-pool.js';

/** What an app command runs with: a connected app and the Prometheus metrics it counts into. */
export interface AppCommandContext {
  args: CliArguments & { command: AppCommand };
  settings: Settings;
  app: App;
  logger: Logger;
  metrics: PrometheusMetrics;
}

/** Runs a command that needs no Redis and no app (`doctor`, `register-commands`); returns the exit code. */
export async function runStandaloneCommand(
  args: CliArguments,
  settings: Settings,
  configPath: string | undefined,
): Promise<number> {
  switch (args.command) {
    case 'doctor':
      return runDoctor(settings, process.stdout, { configPath });
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
    default:
      return 0;
  }
}

/** Runs one command on a connected app; returns the exit code. */
export async function runAppCommand(ctx: AppCommandContext): Promise<number> {
  const { args, settings, app, logger } = ctx;
  switch (args.command) {
    case 'worker':
      await app.assertModelUsable();
      if (isPoolChild()) {
        // A worker of `start`: the parent serves the ops endpoints and sums in this one's metrics.
        await app.startWorkers();
        logger.info({ concurrency: settings.config.worker.concurrency }, 'worker process started');
        await servePoolParent(ctx.metrics);
        logger.info('worker process stopping');
        return 0;
      }
      return withOps(ctx, async () => {
        await app.startWorkers();
        logger.info({ concurrency: settings.config.worker.concurrency }, 'worker started');
        process.stderr.write('ml-intern-bot worker: taking operations (SIGTERM or Ctrl+C to stop)\n');
        await untilSignal();
        logger.info('worker stopping');
        return 0;
      });
    case 'gateway':
      if (configuredAdapters(settings.environment).length === 0) {
        process.stderr.write(
          'ml-intern-bot gateway: no chat adapter is configured (set SLACK_BOT_TOKEN or DISCORD_TOKEN).\n',
        );
        return 1;
      }
      return withOps(ctx, async (ops) => {
        const adapters = await startChatAdapters(settings, app, logger, ctx.metrics, ops);
        await untilSignal();
        ops.readiness.stop();
        await stopAll(adapters);
        return 0;
      });
    case 'start':
      await app.assertModelUsable();
      if (configuredAdapters(settings.environment).length === 0) {
        // The terminal chat: one person, so its turns share the process.
        return withOps(ctx, async () => {
          await app.startWorkers();
          await runChat(app, chatOptions(args));
          return 0;
        });
      }
      return startGatewayAndWorkers(ctx);
    case 'chat':
      await app.assertModelUsable(args.model ?? settings.config.model);
      await app.startWorkers();
      await runChat(app, chatOptions(args));
      return 0;
    case 'run':
      await app.assertModelUsable();
      await app.startWorkers();
      return runHeadlessCommand(app, args);
  }
}

/**
 * `start` with chat adapters: the adapters here, the turns in worker processes (one per core unless
 * `worker.processes` says otherwise), so that acknowledging a Slack event never waits behind a
 * running turn on this event loop. Still one command and one Ctrl+C: stopping stops the children.
 */
async function startGatewayAndWorkers(ctx: AppCommandContext): Promise<number> {
  const { settings, app, logger, metrics, args } = ctx;
  const pool = new WorkerPool({
    processes: settings.config.worker.processes || availableParallelism(),
    entry: process.argv[1] ?? '',
    args: poolChildArguments(args),
    execArgv: process.execArgv,
    env: { ...process.env, REDIS_URL: app.options.redisUrl },
    logger,
    stopGraceMs: shutdownGraceMs(settings) + 5_000,
  });
  return withOps(
    ctx,
    async (ops) => {
      ops.readiness.expect('workers');
      try {
        // Both at once: the adapters can take (and queue) messages while the workers still load.
        const [workers, started] = await Promise.allSettled([
          pool.start(),
          startChatAdapters(settings, app, logger, metrics, ops),
        ]);
        if (started.status === 'rejected') throw started.reason;
        const adapters = started.value;
        try {
          if (workers.status === 'rejected') throw workers.reason;
          ops.readiness.attach('workers', pool);
          logger.info({ processes: pool.pids.length, workerPids: pool.pids }, 'worker processes started');
          process.stderr.write('ml-intern-bot: running (SIGTERM or Ctrl+C to stop)\n');
          await untilSignal();
          ops.readiness.stop();
        } finally {
          await stopAll(adapters);
        }
      } finally {
        await pool.stop();
      }
      return 0;
    },
    () => pool.childMetrics(),
  );
}

/**
 * Runs `work` with the ops server up: `/healthz`, `/readyz` and `/metrics` on `PORT` (Slack's HTTP
 * mode without a `PORT` keeps its old default, 3000, and shares it).
 */
async function withOps(
  ctx: AppCommandContext,
  work: (ops: OpsServer) => Promise<number>,
  childMetrics?: () => Promise<ProcessMetrics[]>,
): Promise<number> {
  const env = ctx.settings.environment;
  const ops = await startOpsServer({
    app: ctx.app,
    metrics: ctx.metrics,
    port: env.PORT ?? (slackHttpMode(env) ? 3000 : undefined),
    logger: ctx.logger,
    ...(childMetrics ? { childMetrics } : {}),
  });
  // Not ready until the chat adapters this command will start are up: a probe must not see the
  // process ready in the moment between the ops server listening and the adapters registering.
  if (ctx.args.command === 'start' || ctx.args.command === 'gateway') {
    for (const name of configuredAdapters(env)) ops.readiness.expect(name);
  }
  try {
    return await work(ops);
  } finally {
    await ops.close();
  }
}

async function runHeadlessCommand(app: App, args: CliArguments): Promise<number> {
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
