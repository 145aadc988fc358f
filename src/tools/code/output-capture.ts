import { TOOL_RESULT_CHARS } from '../shared/trim-output.js';

/**
 * What both bash runtimes (local and HF sandbox) do with a command's output: keep its head and tail
 * for the result, send it to the thread in batches, and word how the command ended.
 */

/** Streamed output is sent to the thread at most this often, or every this many lines. */
const LOG_FLUSH_MS = 500;
const LOG_FLUSH_LINES = 20;
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
  text(savedAt: string): string {
    const kept = this.head.length + this.tail.length;
    if (this.total <= TOOL_RESULT_CHARS && kept === this.total) return this.head + this.tail;
    const whole = this.total <= kept ? this.head + this.tail : undefined;
    const headPart = (whole ?? this.head).slice(0, Math.floor(TOOL_RESULT_CHARS * 0.6));
    const tailPart = (whole ?? this.tail).slice(-Math.floor(TOOL_RESULT_CHARS * 0.3));
    const cut = this.total - headPart.length - tailPart.length;
    return (
      `${headPart}\n\n[… ${cut.toLocaleString('en')} characters cut from the middle; ` +
      `the whole output is in ${savedAt}: read it with offset/limit …]\n\n${tailPart}`
    );
  }
}

/** Batches streamed output into `ctx.log` lines: every LOG_FLUSH_MS or LOG_FLUSH_LINES lines. */
export class LogBatcher {
  private partial = '';
  private lines: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  constructor(private readonly log: (line: string) => Promise<void>) {}
  push(chunk: string): void {
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length >= LOG_FLUSH_LINES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), LOG_FLUSH_MS);
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
    const text = this.lines.map((l) => (l.length > 500 ? `${l.slice(0, 500)}…` : l)).join('\n');
    this.lines = [];
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
