import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import { loadConfig, loadDotEnv } from '../config/load-config.js';
import { readEnvironment, type Environment } from '../config/environment.js';
import { collectSecrets } from '../config/secrets.js';
import { findProjectRoot } from '../config/project-root.js';
import type { Config } from '../config/schema.js';
import type { Metrics } from '../core/metrics.js';
import { createRedactor } from '../core/redact.js';
import { chooseModel } from '../config/model-choice.js';
import { parseModelName } from '../llm/model-name.js';
import { endpointsFrom } from '../tools/tool-services.js';
import { App } from './app.js';
import type { CliArguments } from './arguments.js';
import { ensureRedis, type RedisEndpoint } from './local-redis.js';
import { createLogger } from './logger.js';

/** Everything a command needs, validated before anything connects. */
export interface Settings {
  root: string;
  environment: Environment;
  config: Config;
  systemPrompt: string;
  redact: (text: string) => string;
  /** Set when `openModel` replaced an `anthropic/` model for want of its key (logged at start). */
  modelReplaced?: { from: string; reason: string } | undefined;
}

/**
 * Reads `.env`, the environment and the config, and applies command-line overrides. Throws
 * ConfigError (exit 2) naming every bad field; connects to nothing.
 */
export function loadSettings(args: CliArguments, env: NodeJS.ProcessEnv = process.env): Settings {
  const root = findProjectRoot();
  loadDotEnv(process.cwd());
  const environment = readEnvironment(env);
  const overrides: Record<string, unknown> = {};
  if (args.model !== undefined) overrides.model = args.model;
  if (args.maxIterations !== undefined) overrides.maxIterations = args.maxIterations;
  if (!args.stream) overrides.stream = false;
  if (args.yes) overrides.approval = { yolo: true };
  const loaded = loadConfig(env, { ...(args.config ? { overridesPath: args.config } : {}), overrides });
  const choice = chooseModel(loaded, environment, args.model !== undefined);
  const config = { ...loaded, model: choice.model };
  parseModelName(config.model);
  const promptPath = isAbsolute(config.systemPrompt) ? config.systemPrompt : join(root, config.systemPrompt);
  const redact = createRedactor(collectSecrets(environment, env, config));
  return {
    root,
    environment,
    config,
    systemPrompt: readFileSync(promptPath, 'utf8'),
    redact,
    modelReplaced: choice.replaced,
  };
}

/** Finds (or starts) Redis and builds the app. */
export async function connectApp(
  settings: Settings,
  logger: Logger,
  metrics?: Metrics,
): Promise<{ app: App; redis: RedisEndpoint }> {
  const redis = await ensureRedis({
    redisUrl: settings.environment.REDIS_URL,
    projectRoot: settings.root,
    log: { info: (m) => logger.info(m), warn: (m) => logger.warn(m) },
  });
  if (settings.modelReplaced) {
    logger.info(
      { model: settings.config.model, instead: settings.modelReplaced.from },
      `using ${settings.config.model}: ${settings.modelReplaced.reason}`,
    );
  }
  const app = new App({
    config: settings.config,
    redisUrl: redis.url,
    logger,
    systemPrompt: settings.systemPrompt,
    anthropic: {
      ...(settings.environment.ANTHROPIC_API_KEY ? { apiKey: settings.environment.ANTHROPIC_API_KEY } : {}),
      ...(settings.environment.ANTHROPIC_BASE_URL
        ? { baseURL: settings.environment.ANTHROPIC_BASE_URL }
        : {}),
    },
    hfRouter: { token: settings.environment.HF_TOKEN, baseURL: settings.environment.HF_ROUTER_URL },
    openai: { apiKey: settings.environment.OPENAI_API_KEY, baseURL: settings.environment.OPENAI_BASE_URL },
    services: endpointsFrom(settings.environment),
    projectRoot: settings.root,
    redact: settings.redact,
    ...(metrics ? { metrics } : {}),
  });
  return { app, redis };
}

/** How long a stopping process gives its running turns to finish before they are handed on. */
export function shutdownGraceMs(settings: Settings): number {
  return Math.max(5_000, settings.config.worker.lockMs * 2);
}

export function loggerFor(settings: Settings, toFile: boolean): Logger {
  return createLogger({
    level: settings.environment.LOG_LEVEL,
    redact: settings.redact,
    ...(toFile ? { file: join(settings.root, '.data', 'logs', 'ml-intern-bot.log') } : {}),
  });
}
