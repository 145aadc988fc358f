import { spawn } from 'node:child_process';

/** How a command run ended. */
export interface RunOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  interrupted: boolean;
}

export interface RunOptions {
  program: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal: AbortSignal;
  /** Each chunk of stdout or stderr, in the order it arrives. */
  onOutput: (chunk: string) => void;
}

/** After a kill, how long to wait for the pipes to close before giving up on them. */
const CLOSE_GRACE_MS = 2_000;

/**
 * Runs a program in a process group of its own and, on timeout or interrupt, kills the whole group
 * with SIGKILL: a command's background children die with it instead of outliving the call.
 */
export function runProcessGroup(options: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    let timedOut = false;
    let interrupted = false;
    let settled = false;
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const child = spawn(options.program, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      detached: true, // its own process group, so that -pid reaches every child
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', options.onOutput);
    child.stderr.on('data', options.onOutput);

    let graceTimer: NodeJS.Timeout | undefined;
    const killTree = (): void => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // The group is already gone.
        }
      }
      // A child that escaped the group may still hold the pipes open: do not wait for it forever.
      graceTimer ??= setTimeout(
        () => finish(exited?.code ?? null, exited?.signal ?? 'SIGKILL'),
        CLOSE_GRACE_MS,
      );
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, options.timeoutMs);
    const onAbort = (): void => {
      interrupted = true;
      killTree();
    };
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    const finish = (exitCode: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      options.signal.removeEventListener('abort', onAbort);
      // Whatever is left of the group (children of a command that exited) goes with it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      resolve({ exitCode, signal, timedOut, interrupted });
    };
    child.on('error', (err) => {
      options.onOutput(`failed to start ${options.program}: ${err.message}\n`);
      finish(127, null);
    });
    // The command itself ended: its leftover background children go now, so they cannot hold the
    // pipes (and the call) open until the timeout.
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      killTree();
    });
    child.on('close', (code, signal) =>
      finish(code ?? exited?.code ?? null, signal ?? exited?.signal ?? null),
    );
  });
}
