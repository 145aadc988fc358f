import type { CommandEnd } from '../output-capture.js';
import type { ExecRequest, SandboxClient } from './sandbox-client.js';

/** How a streamed command went: its end, and what the stream did. */
export interface ExecOutcome extends CommandEnd {
  /** The stream closed without an `exit` event (a cut connection, a dead server). */
  lost: boolean;
  /** Lines that were not JSON objects (skipped). */
  malformed: number;
  /** The process id of the `start` event (the command's process group). */
  pid?: number;
}

export interface ExecHandlers {
  onOutput(chunk: string): void;
  onMalformed?(line: string): void;
}

/** A stream left open this long past the command's own timeout is given up on. */
const STREAM_GRACE_MS = 30_000;

/**
 * Runs one command with `POST /v1/exec` and follows its NDJSON events. The server kills the
 * command's process group at `timeout`; an interrupt (or a stream that outlives the timeout) kills
 * it here: the `start` event's pid leads its own process group, and a background
 * `kill -KILL -<pid>` (POSIX sh: a negative pid is the group) started through `/v1/processes` ends the whole group — closing the
 * stream alone would leave the command running on the server.
 */
export async function runStreaming(
  client: SandboxClient,
  request: ExecRequest & { timeout: number },
  signal: AbortSignal,
  handlers: ExecHandlers,
): Promise<ExecOutcome> {
  const deadline = AbortSignal.timeout(request.timeout * 1_000 + STREAM_GRACE_MS);
  const stop = AbortSignal.any([signal, deadline]);
  const outcome: ExecOutcome = {
    exitCode: null,
    signal: null,
    timedOut: false,
    interrupted: false,
    lost: true,
    malformed: 0,
  };
  try {
    for await (const item of client.exec(request, stop)) {
      if (item.kind === 'malformed') {
        outcome.malformed += 1;
        handlers.onMalformed?.(item.line);
        continue;
      }
      const { event } = item;
      switch (event.event) {
        case 'start':
          if (typeof event.pid === 'number') outcome.pid = event.pid;
          break;
        case 'stdout':
        case 'stderr':
          if (typeof event.data === 'string') handlers.onOutput(event.data);
          break;
        case 'exit':
          outcome.lost = false;
          outcome.exitCode = typeof event.exit_code === 'number' ? event.exit_code : null;
          outcome.signal = typeof event.signal === 'number' ? event.signal : null;
          outcome.timedOut = event.timed_out === true;
          return outcome;
        default:
          break; // `ping` keeps the proxy's connection alive; nothing to do.
      }
    }
  } catch (err) {
    if (!stop.aborted) {
      // The stream broke: the command may still run; it is stopped below like an interrupt.
      if (outcome.pid === undefined) throw err;
    }
  }
  outcome.interrupted = signal.aborted;
  outcome.timedOut = !signal.aborted && deadline.aborted;
  if (outcome.pid !== undefined) await killGroup(client, outcome.pid);
  return outcome;
}

/** Kills a foreground command's process group (best effort: the sandbox may be gone). */
export async function killGroup(client: SandboxClient, pid: number): Promise<boolean> {
  const signal = AbortSignal.timeout(10_000);
  try {
    await client.startProcess(
      {
        cmd: `kill -KILL -${pid} 2>/dev/null || kill -KILL ${pid} 2>/dev/null; true`,
        shell: true,
        tag: 'mlib-kill',
      },
      signal,
    );
    return true;
  } catch {
    return false;
  }
}

/** A short helper command (a rename): its exit and its output, no streaming to the thread. */
export async function runToExit(
  client: SandboxClient,
  request: ExecRequest & { timeout: number },
  signal: AbortSignal,
): Promise<{ exitCode: number | null; output: string }> {
  let output = '';
  const outcome = await runStreaming(client, request, signal, {
    onOutput: (chunk) => {
      if (output.length < 10_000) output += chunk;
    },
  });
  return { exitCode: outcome.lost ? null : outcome.exitCode, output };
}
