import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** What the user did at a prompt: typed a line, closed the input (Ctrl+D, EOF), or pressed Ctrl+C. */
export type LineResult = { kind: 'line'; text: string } | { kind: 'eof' } | { kind: 'interrupt' };

/**
 * Lines from the user, one prompt at a time, over node:readline. Lines that arrive while nobody
 * asks (typed during a turn, or piped all at once) wait in order for the next prompt, which is what
 * lets piped stdin drive the chat one turn at a time. On a non-TTY input the prompt and the line
 * are echoed together, so the output reads as a transcript.
 */
export class LineSource {
  private readonly rl: Interface;
  /** Input nobody asked for yet: lines, and a Ctrl+C that came between two prompts. */
  private readonly queue: LineResult[] = [];
  private closed = false;
  private waiter: ((result: LineResult) => void) | undefined;
  /**
   * Called on Ctrl+C while no prompt is waiting; returns whether it was handled (a turn was running).
   * An unhandled one waits for the next prompt, like a line.
   */
  onBusyInterrupt: () => boolean = () => false;

  constructor(
    input: Readable,
    private readonly output: Writable,
    private readonly terminal: boolean,
  ) {
    this.rl = createInterface({
      input,
      ...(terminal ? { output } : {}),
      terminal,
      crlfDelay: Infinity,
      historySize: terminal ? 100 : 0,
    });
    this.rl.on('line', (line) => this.deliver({ kind: 'line', text: line }));
    this.rl.on('close', () => {
      this.closed = true;
      this.deliver({ kind: 'eof' });
    });
    // Only a terminal sends Ctrl+C as a key; readline turns it into this event.
    this.rl.on('SIGINT', () => {
      if (!this.waiter && this.onBusyInterrupt()) return;
      // Drop the half-typed line so the next prompt starts empty.
      this.rl.write(null, { ctrl: true, name: 'e' });
      this.rl.write(null, { ctrl: true, name: 'u' });
      this.output.write('^C\n');
      this.deliver({ kind: 'interrupt' });
    });
  }

  /** Shows `prompt` and resolves with the next line (or the user's Ctrl+C / Ctrl+D). */
  next(prompt: string): Promise<LineResult> {
    const queued = this.queue.shift();
    if (queued !== undefined) {
      if (queued.kind === 'line') this.output.write(`${prompt}${queued.text}\n`);
      return Promise.resolve(queued);
    }
    if (this.closed) return Promise.resolve({ kind: 'eof' });
    return new Promise((resolve) => {
      this.waiter = (result) => {
        if (result.kind === 'line' && !this.terminal) this.output.write(`${prompt}${result.text}\n`);
        resolve(result);
      };
      if (this.terminal) {
        this.rl.setPrompt(prompt);
        this.rl.prompt();
      }
    });
  }

  /** Shows the prompt again (keeping what was typed) after something was printed above it. */
  redraw(): void {
    if (this.terminal && this.waiter && !this.closed) this.rl.prompt(true);
  }

  close(): void {
    this.rl.close();
  }

  private deliver(result: LineResult): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = undefined;
      waiter(result);
    } else if (result.kind !== 'eof') {
      this.queue.push(result);
    }
  }
}
