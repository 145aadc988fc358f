import type { Writable } from 'node:stream';
import type { AgentEvent, EventBody, Todo } from '../../src/core/events.js';
import {
  DEFAULT_WIDTH,
  formatArgs,
  formatCount,
  oneLine,
  sanitize,
  stylesFor,
  truncate,
  type Styles,
} from './terminal-text.js';
import { attachmentLabel } from '../shared/attachment-file.js';
import { costText } from '../shared/cost-text.js';
import {
  elapsedText,
  jobCostText,
  jobStanding,
  lastLogLines,
  type JobUpdate,
} from '../shared/job-update-text.js';

/** Lines of a tool's output shown under its call; the rest is summarised as a count. */
const OUTPUT_EXCERPT_LINES = 4;
/** A running job's status line is shown at most this often, as often as a chat's job card is edited. */
export const JOB_LINE_INTERVAL_MS = 10_000;

export interface EventRendererOptions {
  /** Where notices, tool lines and plans go. */
  out: Writable;
  /** Where the assistant's own text goes (stdout of a headless run); defaults to `out`. */
  textOut?: Writable;
  /** ANSI colours: only when the output is a TTY. */
  color: boolean;
  /** Line width that tool lines and excerpts are cut to. */
  width?: number;
  /** Also show usage after each turn and the quieter lifecycle events. */
  verbose?: boolean;
}

/**
 * Turns agent events into terminal text, one event at a time, in stream order. An operation's end is
 * its `operation_complete` event, never inferred from the others.
 */
export interface EventRenderer {
  render(event: AgentEvent | EventBody): void;
  /** Ends a streamed line that is still open, so that what follows starts on its own line. */
  breakLine(): void;
}

/**
 * A renderer for the terminal. The state it keeps is whether streamed assistant text left a line
 * open, so that notices never start in the middle of the answer, and what each job's status line
 * last showed, so that a job prints a line on a stage change, at its end, and otherwise at most every
 * {@link JOB_LINE_INTERVAL_MS} (timed by the updates themselves: no timers).
 */
export function createEventRenderer(options: EventRendererOptions): EventRenderer {
  const { out, color } = options;
  const textOut = options.textOut ?? out;
  const width = Math.max(20, options.width ?? DEFAULT_WIDTH);
  const verbose = options.verbose ?? false;
  const s = stylesFor(color);
  let lineOpen = false;
  const jobs = new JobLines();

  const writeText = (text: string) => {
    if (text.length === 0) return;
    textOut.write(text);
    lineOpen = !text.endsWith('\n');
  };
  const breakLine = () => {
    if (lineOpen) textOut.write('\n');
    lineOpen = false;
  };
  const notice = (...lines: string[]) => {
    // Only break the answer's line when notices share its stream; stdout of a headless run stays clean.
    if (textOut === out) breakLine();
    for (const line of lines) out.write(`${line}\n`);
  };
  const fit = (text: string, indent = 0) => truncate(text, width - indent);

  const render = (event: AgentEvent | EventBody): void => {
    switch (event.type) {
      case 'assistant_chunk':
        writeText(sanitize(event.text));
        return;
      case 'assistant_message':
        breakLine();
        writeText(sanitize(event.text));
        breakLine();
        return;
      case 'assistant_stream_end':
        breakLine();
        return;
      case 'tool_call':
        notice(toolCallLine(s, event.tool, event.args, width));
        return;
      case 'tool_output':
        notice(...toolOutputLines(s, event.output, event.ok, width));
        return;
      case 'tool_log':
        notice(s.dim(`  · ${fit(oneLine(event.log), 4)}`));
        return;
      case 'tool_state_change':
        if (verbose || event.state === 'abandoned' || event.state === 'cancelled') {
          notice(s.dim(`  · ${event.tool} ${event.state.replace('_', ' ')}`));
        }
        return;
      case 'approval_required':
        notice(
          ...event.calls.map((c) =>
            s.yellow(fit(`⚠ ${c.tool} needs approval${c.reason ? `: ${oneLine(c.reason)}` : ''}`)),
          ),
        );
        return;
      case 'plan_update':
        notice(...planLines(s, event.todos, width));
        return;
      case 'turn_complete':
        if (verbose) notice(s.dim(fit(usageLine(event))));
        return;
      case 'error':
        notice(s.red(`✗ ${oneLine(event.message)}`) + s.dim(` (${event.code})`));
        return;
      case 'interrupted':
        notice(s.yellow('■ Interrupted.'));
        return;
      case 'compacted':
        notice(
          s.dim(
            `· Context compacted: ${formatCount(event.oldTokens)} → ${formatCount(event.newTokens)} tokens.`,
          ),
        );
        return;
      case 'undo_complete':
        notice(
          s.dim(
            event.removed > 0
              ? `· Undone: removed ${event.removed} message${event.removed === 1 ? '' : 's'}.`
              : '· Nothing to undo.',
          ),
        );
        return;
      case 'shutdown':
        notice(s.dim(event.replacedBy ? `· New session ${event.replacedBy}.` : '· This session has ended.'));
        return;
      case 'processing':
        if (verbose) notice(s.dim(`· processing ${event.opType}`));
        return;
      case 'ready':
        if (verbose) notice(s.dim('· session ready'));
        return;
      case 'job_update':
        if (jobs.due(event)) notice(jobStatusLine(s, event, width));
        return;
      case 'attachment':
        // A terminal cannot show the picture; the line says it exists and how big it is.
        notice(s.dim(fit(`  [image: ${oneLine(attachmentLabel(event))}]`)));
        return;
      case 'operation_complete':
        // The operation is over: whatever it streamed ends here, and the next prompt starts clean.
        breakLine();
        if (verbose) notice(s.dim(`· ${event.opType} ${event.outcome.replace('_', ' ')}`));
        return;
    }
  };
  return { render, breakLine };
}

/** When each job's status line was last shown, and at which stage. */
class JobLines {
  private readonly shown = new Map<string, { stage: string; at: number }>();

  /** Whether this update gets a line: its job's first, a new stage, the end, or 10 s after the last. */
  due(update: JobUpdate & { at?: number }): boolean {
    // A stored event carries its time; a bare body carries its job's elapsed time, as good a clock.
    const at = update.at ?? update.elapsedSeconds * 1000;
    const last = this.shown.get(update.jobId);
    const due = !last || update.final || last.stage !== update.stage || at - last.at >= JOB_LINE_INTERVAL_MS;
    if (due) this.shown.set(update.jobId, { stage: update.stage, at });
    if (update.final) this.shown.delete(update.jobId);
    return due;
  }
}

const JOB_MARKS = { running: '⧗', completed: '✓', failed: '✗' } as const;

/**
 * `⧗ job <id> RUNNING · 3m12s · a10g-small · $0.05 · <last log line>` (`✓ … COMPLETED`, `✗ … ERROR`
 * at the end), cut to the width. The job's message, when the Hub gave one, stands in for the log line.
 */
export function jobStatusLine(s: Styles, update: JobUpdate, width: number): string {
  const standing = jobStanding(update);
  const facts = [
    `${JOB_MARKS[standing]} job ${oneLine(update.jobId)} ${oneLine(update.stage)}`,
    elapsedText(update.elapsedSeconds),
    oneLine(update.flavor),
    jobCostText(update.costSoFarUsd),
  ];
  const detail = update.message ? oneLine(update.message) : oneLine(lastLogLines(update.logTail, 1)[0] ?? '');
  const line = truncate([...facts, ...(detail ? [detail] : [])].join(' · '), width);
  if (standing === 'completed') return s.green(line);
  return standing === 'failed' ? s.red(line) : s.cyan(line);
}

/** `▸ tool key=value …`, cut to the width. */
export function toolCallLine(s: Styles, tool: string, args: Record<string, unknown>, width: number): string {
  const head = `▸ ${oneLine(tool)}`;
  const rest = formatArgs(args);
  const line = truncate(rest.length > 0 ? `${head} ${rest}` : head, width);
  return line.length > head.length ? s.cyan(head) + s.dim(line.slice(head.length)) : s.cyan(line);
}

function toolOutputLines(s: Styles, output: string, ok: boolean, width: number): string[] {
  const lines = sanitize(output)
    .split('\n')
    .map((l) => l.replace(/\t/g, '  ').trimEnd())
    .filter((l) => l.length > 0);
  const shown = lines.slice(0, OUTPUT_EXCERPT_LINES).map((l, i) => {
    const prefix = i === 0 ? (ok ? '  ⎿ ' : '  ✗ ') : '    ';
    const text = `${prefix}${truncate(l, width - prefix.length)}`;
    return ok ? s.dim(text) : s.red(text);
  });
  if (shown.length === 0) return [s.dim(ok ? '  ⎿ (no output)' : '  ✗ (failed, no output)')];
  const hidden = lines.length - shown.length;
  if (hidden > 0) shown.push(s.dim(`    … ${hidden} more line${hidden === 1 ? '' : 's'}`));
  return shown;
}

const PLAN_MARKS: Record<Todo['status'], string> = { pending: '☐', in_progress: '◐', completed: '☑' };

function planLines(s: Styles, todos: readonly Todo[], width: number): string[] {
  if (todos.length === 0) return [s.dim('Plan cleared.')];
  return [
    s.bold('Plan'),
    ...todos.map((t) => {
      const line = truncate(`  ${PLAN_MARKS[t.status]} ${oneLine(t.content)}`, width);
      if (t.status === 'completed') return s.dim(line);
      return t.status === 'in_progress' ? s.yellow(line) : line;
    }),
  ];
}

function usageLine(event: Extract<EventBody, { type: 'turn_complete' }>): string {
  const u = event.usage;
  const cache =
    u.cacheReadTokens + u.cacheWriteTokens > 0 ? ` · cache ${formatCount(u.cacheReadTokens)} read` : '';
  return `· ${formatCount(u.inputTokens)} in · ${formatCount(u.outputTokens)} out${cache} · ${costText(event.costUsd, event.costUnknown)}`;
}
