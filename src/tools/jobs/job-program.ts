import { ToolInputError } from '../shared/service-error.js';
import type { HfJobsArgs } from './jobs-schema.js';

/** The image a Python script runs in (the reference agent's and `huggingface_hub`'s `run_uv_job`'s). */
export const UV_IMAGE = 'ghcr.io/astral-sh/uv:python3.12-bookworm';
/** The image of a command that names none (the reference agent's default). */
export const DEFAULT_COMMAND_IMAGE = 'python:3.12';

/**
 * Set on every job so its logs read as lines, not redrawn progress bars (the reference agent's
 * defaults, less `HF_HUB_ENABLE_HF_TRANSFER`, which changes downloads rather than output and needs a
 * dependency). The model's `env` overrides them.
 */
export const QUIET_ENV: Readonly<Record<string, string>> = {
  HF_HUB_DISABLE_PROGRESS_BARS: '1',
  TQDM_DISABLE: '1',
  TRANSFORMERS_VERBOSITY: 'warning',
  UV_NO_PROGRESS: '1',
};

/** Where an inline script is written inside the job before `uv run` runs it. */
export const INLINE_SCRIPT_PATH = '/tmp/mlib_job_script.py';

/**
 * The command line of the job carries an inline script base64-encoded (one argument of at most
 * 128 KiB on Linux); past this size the script must come from a URL.
 */
export const MAX_INLINE_SCRIPT_BYTES = 90_000;

/** Variable names that would hold the token: it goes to the job as a secret, never in the environment. */
const TOKEN_VARIABLES = new Set([
  'HF_TOKEN',
  'HUGGINGFACE_HUB_TOKEN',
  'HUGGING_FACE_HUB_TOKEN',
  'HF_API_TOKEN',
]);

/** What runs: image, command and environment, built from the model's arguments. */
export interface JobProgram {
  kind: 'python' | 'docker';
  dockerImage: string;
  command: string[];
  environment: Record<string, string>;
  /** `env` names left out because the token goes as a secret (said in the result). */
  droppedEnv: string[];
}

/**
 * `run`'s two forms. A script (inline or a URL) with `dependencies` runs as
 * `uv run --with <dep>… <script>` in the uv image; an inline one travels base64-encoded and is
 * decoded into a file by the command, so no quote, `$` or newline in it meets a shell. A command runs
 * as given in its Docker image.
 */
export function jobProgram(args: HfJobsArgs, token: string | undefined): JobProgram {
  const { environment, dropped } = jobEnvironment(args.env, token);
  if (args.script !== undefined && args.command !== undefined) {
    throw new ToolInputError('Give either script (Python mode) or command (Docker mode), not both.');
  }
  if (args.script !== undefined) {
    const dependencies = (args.dependencies ?? []).map((dep) => dep.trim()).filter(Boolean);
    for (const dep of dependencies) {
      if (/[\n\r\0]/.test(dep))
        throw new ToolInputError(`dependency ${JSON.stringify(dep)} holds a line break.`);
    }
    const image = args.image ?? UV_IMAGE;
    return {
      kind: 'python',
      dockerImage: image,
      command: scriptCommand(args.script, dependencies),
      environment,
      droppedEnv: dropped,
    };
  }
  if (args.command !== undefined) {
    if (args.dependencies?.length) {
      throw new ToolInputError(
        'dependencies apply to a script only: with a command, install them in the command or pick an image that has them.',
      );
    }
    const command = typeof args.command === 'string' ? ['/bin/sh', '-c', args.command] : args.command;
    return {
      kind: 'docker',
      dockerImage: args.image ?? DEFAULT_COMMAND_IMAGE,
      command,
      environment,
      droppedEnv: dropped,
    };
  }
  throw new ToolInputError(
    'run needs script (Python code or a URL, with dependencies) or command (a Docker command, with image).',
  );
}

function scriptCommand(script: string, dependencies: readonly string[]): string[] {
  const withDeps = dependencies.flatMap((dep) => ['--with', dep]);
  const trimmed = script.trim();
  if (/^https?:\/\/\S+$/.test(trimmed)) return ['uv', 'run', ...withDeps, trimmed];
  const bytes = Buffer.byteLength(script, 'utf8');
  if (bytes > MAX_INLINE_SCRIPT_BYTES) {
    throw new ToolInputError(
      `The script is ${bytes.toLocaleString('en')} bytes, over the ${MAX_INLINE_SCRIPT_BYTES.toLocaleString('en')} an inline script can be: upload it to a Hub repo (hf_repo_files) and pass its resolve URL as script.`,
    );
  }
  const encoded = Buffer.from(script, 'utf8').toString('base64');
  const uvRun = ['uv', 'run', ...withDeps, INLINE_SCRIPT_PATH].map(shellQuote).join(' ');
  // `exec`: a cancel's SIGTERM reaches uv and the script, not an idle shell.
  return ['/bin/sh', '-c', `printf %s '${encoded}' | base64 -d > ${INLINE_SCRIPT_PATH} && exec ${uvRun}`];
}

/** The quiet-output defaults, then the model's variables; never one that carries the token. */
function jobEnvironment(
  env: HfJobsArgs['env'],
  token: string | undefined,
): { environment: Record<string, string>; dropped: string[] } {
  const environment: Record<string, string> = { ...QUIET_ENV };
  const dropped: string[] = [];
  for (const [name, raw] of Object.entries(env ?? {})) {
    const value = String(raw);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new ToolInputError(
        `env name ${JSON.stringify(name)} is not a variable name (letters, digits, _).`,
      );
    }
    if (TOKEN_VARIABLES.has(name.toUpperCase()) || (token && value.includes(token))) {
      dropped.push(name);
      continue;
    }
    environment[name] = value;
  }
  return { environment, dropped };
}

/** One word for `/bin/sh`: single-quoted unless it is plainly safe. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_./:=@%+,-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
