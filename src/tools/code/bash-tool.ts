import { execFileSync } from 'node:child_process';
import { createWriteStream, lstatSync, mkdirSync, readlinkSync, type WriteStream } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { ToolInputError } from '../shared/service-error.js';
import { commandEnding, HeadTail, LogBatcher } from './output-capture.js';
import { runProcessGroup } from './process-group.js';
import { bwrapArgs, SYSTEM_DIR_PATHS, type SystemDir } from './sandbox-local.js';

export const DEFAULT_TIMEOUT_S = 120;
export const MAX_TIMEOUT_S = 3_600;
const MB = 1024 * 1024;
/** The most of one call's output kept in its file (characters, about bytes). */
export const MAX_SAVED_CHARS = 100 * MB;
/** Where each call's whole output is kept, relative to the workspace. */
export const OUTPUTS_DIR = '.mlib/outputs';

export const NO_BWRAP_REASON =
  'bubblewrap (bwrap) is not installed, so this command would run unsandboxed on the worker';

export interface BashToolOptions {
  workspaceRoot: string;
  network: boolean;
  /** The bwrap program, or false to run unsandboxed (every call then asks for approval). */
  bwrap: string | false;
  /** Most characters of one call's output saved to its file (default {@link MAX_SAVED_CHARS}). */
  maxSavedChars?: number;
}

/** `bash`'s input in both runtimes (the reference agent's `{command, work_dir, timeout}`). */
export const bashParameters = z.object({
  command: z.string().min(1).describe('The shell command to run (bash -c), in the session workspace.'),
  work_dir: z
    .string()
    .optional()
    .describe('Working folder, relative to the workspace (or absolute inside it). Default: the workspace.'),
  timeout: z
    .union([z.number().positive(), z.string()])
    .optional()
    .describe(
      `Seconds, or "90s" / "10m" / "1h". Default ${DEFAULT_TIMEOUT_S} s, at most ${MAX_TIMEOUT_S} s.`,
    ),
});

/** Parses a timeout as seconds (`90`, `'90'`, `'90s'`, `'10m'`, `'1h'`), capped at the maximum. */
export function parseTimeoutSeconds(value: number | string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S;
  let seconds: number;
  if (typeof value === 'number') seconds = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$/i.exec(value);
    if (match === null)
      throw new ToolInputError(`timeout "${value}" is not seconds or like "90s", "10m", "1h"`);
    const unit = (match[2] ?? 's').toLowerCase();
    seconds = Number(match[1]) * (unit.startsWith('h') ? 3_600 : unit.startsWith('m') ? 60 : 1);
  }
  if (!(seconds > 0)) throw new ToolInputError('timeout must be more than 0 seconds');
  return Math.min(seconds, MAX_TIMEOUT_S);
}

/** The session's workspace folder, created when missing. */
export function sessionWorkspace(workspaceRoot: string, sessionId: string): string {
  // A session id becomes a folder name: nothing that could climb out of the root.
  if (!/^[A-Za-z0-9._:@-]+$/.test(sessionId) || sessionId === '.' || sessionId === '..') {
    throw new ToolInputError(`session id ${JSON.stringify(sessionId)} cannot name a workspace folder`);
  }
  const workspace = join(resolve(workspaceRoot), sessionId);
  mkdirSync(workspace, { recursive: true });
  return workspace;
}

function workingFolder(workspace: string, workDir: string | undefined): string {
  if (workDir === undefined || workDir === '') return workspace;
  const cwd = resolve(workspace, workDir);
  const rel = relative(workspace, cwd);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new ToolInputError(`work_dir ${workDir} is outside the workspace ${workspace}`);
  }
  mkdirSync(cwd, { recursive: true });
  return cwd;
}

/** The host's system folders, with merged-/usr symlinks recreated as symlinks. */
function hostSystemDirs(): SystemDir[] {
  const dirs: SystemDir[] = [];
  for (const path of SYSTEM_DIR_PATHS) {
    try {
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) dirs.push({ path, symlinkTo: readlinkSync(path) });
      else if (stat.isDirectory() || stat.isFile()) dirs.push({ path });
    } catch {
      // Not on this host.
    }
  }
  return dirs;
}

/** The only variables a command sees: never a token of the worker. */
function scrubbedEnv(workspace: string): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    HOME: workspace,
    LANG: process.env.LANG ?? 'C.UTF-8',
    TERM: 'dumb',
  };
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((done) => stream.end(done));
}

export function bashTool(options: BashToolOptions): AnyToolSpec {
  return defineTool({
    name: 'bash',
    description:
      'Run a shell command (bash -c) in your workspace, a folder of your own that persists across calls. ' +
      (options.bwrap === false
        ? 'It runs on the worker without a sandbox, so every call needs approval. '
        : 'It runs in a sandbox: only system folders (read-only) and the workspace are visible' +
          (options.network ? '. ' : ', and there is no network. ')) +
      'The environment holds no tokens. stdout and stderr are returned together with the exit code; ' +
      'long output keeps its head and tail, and the whole output is saved to a file the result names.',
    parameters: bashParameters,
    sideEffects: true,
    needsApproval: () => (options.bwrap === false ? NO_BWRAP_REASON : undefined),
    async execute(args, ctx) {
      const timeoutS = parseTimeoutSeconds(args.timeout);
      const workspace = sessionWorkspace(options.workspaceRoot, ctx.sessionId);
      const cwd = workingFolder(workspace, args.work_dir);
      const env = scrubbedEnv(workspace);
      const outputsDir = join(workspace, OUTPUTS_DIR);
      mkdirSync(outputsDir, { recursive: true });
      const savedAt = join(outputsDir, `${ctx.toolCallId.replace(/[^A-Za-z0-9._-]/g, '_')}.log`);
      const file = createWriteStream(savedAt);
      const captured = new HeadTail();
      const batcher = new LogBatcher((line) => ctx.log(line));
      let savedChars = 0;
      const maxSaved = options.maxSavedChars ?? MAX_SAVED_CHARS;

      const launch =
        options.bwrap === false
          ? { program: '/bin/bash', args: ['-c', args.command] }
          : {
              program: options.bwrap,
              args: bwrapArgs({
                workspace,
                cwd,
                network: options.network,
                command: args.command,
                env,
                systemDirs: hostSystemDirs(),
              }),
            };
      const outcome = await runProcessGroup({
        ...launch,
        cwd,
        env,
        timeoutMs: timeoutS * 1_000,
        signal: ctx.signal,
        onOutput: (chunk) => {
          captured.push(chunk);
          batcher.push(chunk);
          // A command that prints gigabytes must not fill the worker's disk (or its memory, while
          // the file lags behind): the saved output stops at maxSaved.
          if (savedChars < maxSaved) {
            const part = chunk.slice(0, maxSaved - savedChars);
            savedChars += part.length;
            file.write(part);
          }
        },
      });
      await Promise.all([batcher.done(), closeStream(file)]);

      const body =
        captured.total === 0 ? '(no output)' : captured.text(savedAt, captured.total <= savedChars);
      const ending = commandEnding(outcome, timeoutS);
      const failed = outcome.timedOut || outcome.interrupted || outcome.exitCode !== 0;
      const saved =
        captured.total > savedChars
          ? `Saved output (its first ${savedChars.toLocaleString('en')} of ${captured.total.toLocaleString('en')} characters; the rest was not kept): ${savedAt}`
          : `Whole output: ${savedAt}`;
      return {
        output: `${body}\n\n${ending} ${saved}`,
        ...(failed ? { isError: true } : {}),
      };
    },
  });
}

let detected: string | false | undefined;

/** Finds bwrap once per process (`bwrap --version`), or false when it is missing. */
export function detectBwrap(): string | false {
  if (detected === undefined) {
    try {
      execFileSync('bwrap', ['--version'], { stdio: 'ignore', timeout: 5_000 });
      detected = 'bwrap';
    } catch {
      detected = false;
    }
  }
  return detected;
}
