import { parseArgs } from 'node:util';
import { MlInternError } from '../core/errors.js';

export const COMMANDS = [
  'start',
  'gateway',
  'worker',
  'chat',
  'run',
  'doctor',
  'manifest',
  'register-commands',
] as const;
export type Command = (typeof COMMANDS)[number];

/**
 * The commands that run turns or chat adapters, and so need Redis and the app. The others (`doctor`,
 * `manifest`, `register-commands`) never connect to Redis, let alone start a private one.
 */
export const APP_COMMANDS = [
  'start',
  'gateway',
  'worker',
  'chat',
  'run',
] as const satisfies readonly Command[];
export type AppCommand = (typeof APP_COMMANDS)[number];

export function isAppCommand(command: Command | 'help'): command is AppCommand {
  return (APP_COMMANDS as readonly string[]).includes(command);
}

export interface CliArguments {
  command: Command | 'help';
  prompt?: string;
  /** `manifest <platform>` */
  platform?: string;
  model?: string;
  maxIterations?: number;
  stream: boolean;
  yes: boolean;
  config?: string;
}

export const HELP = `ml-intern-bot: an autonomous ML engineer for Slack, Discord and the terminal

Usage: ml-intern-bot <command> [options]

Commands:
  start              chat adapters + workers in one process (no chat tokens: the terminal chat)
  gateway            chat adapters only; turns run on separate workers
  worker             workers only: take operations from the queue and run agent turns
  chat               interactive terminal chat (runs its own workers)
  run "<prompt>"     headless: one turn, the answer on stdout; exit 0 on success, 1 on error
  doctor             check the config, Redis and each credential against its service;
                     one line each (✓ or ✗ with the fix); exit 1 when a check fails
  manifest slack     print the Slack app manifest (scopes, events, interactivity)
  register-commands discord
                     register the /intern slash command (config discord.commandGuild, else global)

Options:
  --model <id>            model, as anthropic/<model-id> (default: config "model")
  --max-iterations <n>    most LLM calls in one turn (default: config "maxIterations", 300)
  --no-stream             one message per answer instead of streamed chunks
  --yes                   run: approve every tool call without asking
  --config <path>         JSON config merged over configs/default.json (or ML_INTERN_CONFIG)
  -h, --help              this help

Environment: REDIS_URL, ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, HF_TOKEN, HF_ENDPOINT, GITHUB_TOKEN,
GITHUB_API_URL, SLACK_BOT_TOKEN, SLACK_APP_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL, DISCORD_TOKEN,
DISCORD_API_URL, PORT, ML_INTERN_CONFIG, LOG_LEVEL (a .env file in the working directory is read).
PORT: start, gateway and worker serve /healthz, /readyz and /metrics there (Slack HTTP mode too).

Exit codes: 0 success, 1 failure, 2 invalid configuration or usage.`;

/** Parses argv (without node and the script). Throws `usage` errors with a one-line message. */
export function parseCliArguments(argv: readonly string[]): CliArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      allowNegative: true,
      options: {
        model: { type: 'string' },
        'max-iterations': { type: 'string' },
        stream: { type: 'boolean', default: true },
        yes: { type: 'boolean', short: 'y', default: false },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw usage(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const [name, ...rest] = positionals;
  if (values.help || name === undefined || name === 'help')
    return { command: 'help', stream: true, yes: false };
  if (!(COMMANDS as readonly string[]).includes(name)) throw usage(`unknown command "${name}"`);
  const command = name as Command;
  const result: CliArguments = { command, stream: values.stream, yes: values.yes };
  if (command === 'run') {
    const prompt = rest.join(' ').trim();
    if (prompt === '') throw usage('run needs a prompt: ml-intern-bot run "<prompt>"');
    result.prompt = prompt;
  } else if (command === 'register-commands') {
    if (rest.length !== 1 || rest[0] !== 'discord')
      throw usage('register-commands takes one platform: discord');
    result.platform = rest[0];
  } else if (command === 'manifest') {
    if (rest.length !== 1 || rest[0] !== 'slack')
      throw usage('manifest takes one platform: ml-intern-bot manifest slack');
    result.platform = rest[0];
  } else if (rest.length > 0) {
    throw usage(`unexpected argument "${rest[0]}"`);
  }
  if (values.model !== undefined) result.model = values.model;
  if (values.config !== undefined) result.config = values.config;
  if (values['max-iterations'] !== undefined) {
    const n = Number(values['max-iterations']);
    if (!Number.isInteger(n) || n < 1) throw usage('--max-iterations must be a positive whole number');
    result.maxIterations = n;
  }
  return result;
}

function usage(message: string): MlInternError {
  return new MlInternError('usage', `${message}. See ml-intern-bot --help.`);
}
