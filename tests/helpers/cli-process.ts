import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** tsx's loader by absolute URL, so the child runs TypeScript from any working directory. */
const TSX = import.meta.resolve('tsx');
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/**
 * What every child gets unless a test sets it: the default skill source (GitHub) and the Hub (whose
 * MCP server the default config connects when HF_TOKEN is set) point at a closed port, so no test
 * reaches the internet; a dead source or server is then skipped at once.
 */
export const HERMETIC: Record<string, string> = {
  GITHUB_API_URL: 'http://127.0.0.1:9',
  HF_ENDPOINT: 'http://127.0.0.1:9',
};

/** A working directory without a `.env`, so only the test's variables reach the child. */
export function cliWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'mlib-cli-'));
}

function start(
  args: readonly string[],
  env: Record<string, string>,
  cwd: string,
  preload: readonly string[] = [],
): ChildProcess {
  const imports = preload.flatMap((path) => ['--import', path]);
  return spawn(process.execPath, ['--import', TSX, ...imports, MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, LOG_LEVEL: 'warn', ...HERMETIC, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the real command line to its end; resolves with its exit code and output. */
export async function runCli(
  args: readonly string[],
  env: Record<string, string>,
  cwd = cliWorkDir(),
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = start(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** One JSON log line of the child (stderr). */
export type LogLine = Record<string, unknown> & { msg?: string };

/** A long-running command (`worker`, `gateway`, `start`) and its JSON log lines. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly logs: readonly LogLine[];
  /** The first log line matching `predicate`, already written or still to come. */
  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a command; `preload` are modules imported before main (node `--import`). */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  options: { cwd?: string; preload?: readonly string[] } = {},
): CliProcess {
  const child = start(args, { LOG_LEVEL: 'info', ...env }, options.cwd ?? cliWorkDir(), options.preload);
  const logs: LogLine[] = [];
  let waiters: Array<{ predicate: (l: LogLine) => boolean; resolve: (l: LogLine) => void }> = [];
  let pending = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const text of lines) {
      let line: LogLine;
      try {
        line = JSON.parse(text) as LogLine;
      } catch {
        line = { msg: text, raw: true };
      }
      logs.push(line);
      waiters = waiters.filter((w) => (w.predicate(line) ? (w.resolve(line), false) : true));
    }
  });
  child.stdout?.resume();
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    logs,
    waitForLog: (predicate, timeoutMs = 20_000) => {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise<LogLine>((resolve, reject) => {
        const timer = setTimeout(() => {
          const tail = logs
            .slice(-5)
            .map((l) => JSON.stringify(l))
            .join('\n');
          reject(new Error(`log line not seen in ${timeoutMs} ms; last lines:\n${tail}`));
        }, timeoutMs);
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(
            new Error(
              `the command exited (${code}) before the log line; last lines:\n${logs
                .slice(-5)
                .map((l) => JSON.stringify(l))
                .join('\n')}`,
            ),
          );
        });
      });
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
