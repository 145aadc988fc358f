import type { Writable } from 'node:stream';
import type { AgentGateway } from '../../src/core/agent-gateway.js';
import type { PendingCallSummary } from '../../src/core/events.js';
import { MAX_USER_TEXT_CHARS, type ApprovalDecision } from '../../src/core/operations.js';
import { createEventRenderer } from './event-renderer.js';
import { untilOperationEnds } from './operation-end.js';
import { SessionFollower } from './session-follower.js';
import { formatCount } from './terminal-text.js';

/** Feedback the model gets for each call a headless run refuses. */
export const HEADLESS_REFUSAL = 'headless run without --yes';

export interface HeadlessRunOptions {
  prompt: string;
  /** Approve every tool call (the session runs in yolo mode). */
  yes: boolean;
  stream?: boolean;
  maxIterations?: number;
  model?: string;
  /** Receives the assistant's text only, so that `run "…" > answer.md` keeps just the answer. */
  stdout: Writable;
  /** Tool lines, plans and notices. */
  stderr: Writable;
  /** Session owner; `terminal` by default. */
  owner?: string;
  /** Colours on stderr (only when it is a TTY). */
  color?: boolean;
  /** A usage line on stderr after the turn. */
  verbose?: boolean;
  /** Aborting it interrupts the turn (the caller wires SIGINT to it); the run then exits 1. */
  signal?: AbortSignal;
  /** Test seam: how long one event read blocks. */
  blockMs?: number;
}

/**
 * Runs one prompt to the end of its turn in a new session and returns the exit code: 0 when its
 * `operation_complete` says `done`, 1 for any other outcome (`error`, `max_iterations`,
 * `interrupted`, …) or when the events stop without one. Without `yes`, calls
 * that need approval are refused with feedback so the model can carry on without them.
 */
export async function runHeadless(gateway: AgentGateway, options: HeadlessRunOptions): Promise<number> {
  const { prompt, yes, stderr } = options;
  const owner = options.owner ?? 'terminal';
  const problem = promptProblem(prompt);
  if (problem) {
    stderr.write(`${problem}\n`);
    return 1;
  }
  const sessionId = await gateway.startSession({
    owner,
    platform: 'terminal',
    yolo: yes,
    ...(options.model !== undefined ? { model: options.model } : {}),
    ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}),
    ...(options.stream !== undefined ? { stream: options.stream } : {}),
  });
  const renderer = createEventRenderer({
    out: stderr,
    textOut: options.stdout,
    color: options.color ?? false,
    verbose: options.verbose ?? false,
  });
  const reader = gateway.openEventReader('terminal-run');
  const follower = new SessionFollower(reader, sessionId, {
    ...(options.blockMs !== undefined ? { blockMs: options.blockMs } : {}),
  });
  let interrupting: Promise<unknown> | undefined;
  const onAbort = () => {
    stderr.write('Interrupting…\n');
    interrupting = gateway.submit(sessionId, { type: 'interrupt' }, owner).catch(() => {
      stderr.write('Could not send the interrupt.\n');
    });
  };
  try {
    let envelope = await gateway.submit(sessionId, { type: 'user_input', text: prompt.trim() }, owner);
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    const events = follower[Symbol.asyncIterator]();
    for (;;) {
      const end = await untilOperationEnds(events, envelope.id, (event) => renderer.render(event));
      if (end?.outcome !== 'awaiting_approval' || end.pending.length === 0) {
        renderer.breakLine();
        return end?.outcome === 'done' ? 0 : 1;
      }
      envelope = await gateway.submit(
        sessionId,
        { type: 'exec_approval', decisions: decide(end.pending, yes, stderr) },
        owner,
      );
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    follower.stop();
    await interrupting;
    reader.close();
  }
}

/** Approves everything under `--yes` (yolo makes this a fallback), refuses everything otherwise. */
function decide(calls: readonly PendingCallSummary[], yes: boolean, stderr: Writable): ApprovalDecision[] {
  const names = [...new Set(calls.map((c) => c.tool))].join(', ');
  if (yes) {
    stderr.write(`Approved (--yes): ${names}\n`);
    return calls.map((c) => ({ toolCallId: c.toolCallId, approved: true }));
  }
  stderr.write(`Refused ${names}: ${HEADLESS_REFUSAL} (rerun with --yes to allow).\n`);
  return calls.map((c) => ({ toolCallId: c.toolCallId, approved: false, feedback: HEADLESS_REFUSAL }));
}

function promptProblem(prompt: string): string | undefined {
  const text = prompt.trim();
  if (text.length === 0) return 'The prompt is empty.';
  if (text.length > MAX_USER_TEXT_CHARS) {
    return `The prompt is too long (${formatCount(text.length)} characters; the limit is ${formatCount(MAX_USER_TEXT_CHARS)}).`;
  }
  return undefined;
}
