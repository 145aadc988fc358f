import { TOOL_RESULT_CHARS } from '../shared/trim-output.js';

/**
 * What both bash runtimes (local and HF sandbox) do with a command's output: keep its head and tail
 * for the result, send it to the thread in batches, and word how the command ended.
 */

/**
 * Streamed output goes to the thread at most this often, each time with at most this many of the
 * newest lines: a command that prints millions of lines sends two small events a second, not one
 * event per twenty lines (the saved output has every line).
 */
const LOG_FLUSH_MS = 500;
const LOG_FLUSH_LINES = 20;
/** A line longer than this is cut in the thread. */
const MAX_LINE_CHARS = 500;
/** Characters of head and tail kept in memory; the saved file has everything. */
const KEEP_CHARS = TOOL_RESULT_CHARS;

/** Keeps the first and last KEEP_CHARS characters of a stream, and how long it was. */
export class HeadTail {
  head = '';
  tail = '';
  total = 0;
  push(chunk: string): void {
    this.total += chunk.length;
    if (this.head.length < KEEP_CHARS) {
      const room = KEEP_CHARS - this.head.length;
      this.head += chunk.slice(0, room);
      chunk = chunk.slice(room);
    }
    if (chunk.length > 0) this.tail = (this.tail + chunk).slice(-KEEP_CHARS);
  }
  /** Head and tail within TOOL_RESULT_CHARS, saying how much was cut and where the rest is. */
  text(savedAt: string, savedWhole = true): string {
    const kept = this.head.length + this.tail.length;
    if (this.total <= TOOL_RESULT_CHARS && kept === this.total) return this.head + this.tail;
    const whole = this.total <= kept ? this.head + this.tail : undefined;
    const headPart = (whole ?? this.head).slice(0, Math.floor(TOOL_RESULT_CHARS * 0.6));
    const tailPart = (whole ?? this.tail).slice(-Math.floor(TOOL_RESULT_CHARS * 0.3));
    const cut = this.total - headPart.length - tailPart.length;
    return (
      `${headPart}\n\n[… ${cut.toLocaleString('en')} characters cut from the middle; ` +
      `${savedWhole ? 'the whole output' : 'the start of the output'} is in ${savedAt}: read it with offset/limit …]\n\n${tailPart}`
    );
  }
}

/**
 * Batches streamed output into `ctx.log` lines: every LOG_FLUSH_MS, the newest LOG_FLUSH_LINES lines,
 * with a note of how many were skipped in between.
 */
export class LogBatcher {
  private partial = '';
  private lines: string[] = [];
  private skipped = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  constructor(private readonly log: (line: string) => Promise<void>) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    // A line that never ends is kept short, so a stream without newlines cannot grow it unbounded.
    if (this.partial.length > MAX_LINE_CHARS * 2) this.partial = this.partial.slice(0, MAX_LINE_CHARS * 2);
    this.lines.push(...parts);
    if (this.lines.length > LOG_FLUSH_LINES) {
      const extra = this.lines.length - LOG_FLUSH_LINES;
      this.skipped += extra;
      this.lines.splice(0, extra);
    }
    this.timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS);
  }
  flush(final = false): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (final && this.partial !== '') {
      this.lines.push(this.partial);
      this.partial = '';
    }
    if (this.lines.length === 0) return;
    // Very long lines are cut here: the thread is for watching, the file is for reading.
    const shown = this.lines.map((l) => (l.length > MAX_LINE_CHARS ? `${l.slice(0, MAX_LINE_CHARS)}…` : l));
    const skipped = this.skipped;
    const text = (
      skipped > 0 ? [`… ${skipped.toLocaleString('en')} lines not shown …`, ...shown] : shown
    ).join('\n');
    this.lines = [];
    this.skipped = 0;
    const log = this.log;
    this.sending = this.sending.then(() => log(text)).catch(() => undefined);
  }
  async done(): Promise<void> {
    this.flush(true);
    await this.sending;
  }
}

/** How a command ended, as the result's last line says it. */
export interface CommandEnd {
  exitCode: number | null;
  signal: string | number | null;
  timedOut: boolean;
  interrupted: boolean;
}

export function commandEnding(outcome: CommandEnd, timeoutS: number): string {
  if (outcome.timedOut)
    return `Timed out after ${timeoutS} s: the command and all its processes were killed.`;
  if (outcome.interrupted) return 'Interrupted: the command and all its processes were killed.';
  if (outcome.exitCode !== null) return `Exit code ${outcome.exitCode}.`;
  return `Killed by ${outcome.signal ?? 'a signal'}.`;
}
