import { pino, type Logger } from 'pino';
import { eventually } from './slack-harness.js';

/** One JSON log line, parsed. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface CapturedLogger {
  logger: Logger;
  readonly lines: readonly LogLine[];
  /**
   * Waits for a line matching `match` (the positive signal that something was refused or ignored),
   * among the lines from index `after` on (default: all).
   */
  waitFor(
    match: (line: LogLine) => boolean,
    options?: { after?: number; timeoutMs?: number },
  ): Promise<LogLine>;
}

/** A real pino logger whose lines a test reads (for the log line of a refusal). */
export function capturedLogger(level = 'debug'): CapturedLogger {
  const lines: LogLine[] = [];
  const logger = pino(
    { level },
    {
      write: (chunk: string) => {
        for (const text of chunk.split('\n')) if (text !== '') lines.push(JSON.parse(text) as LogLine);
      },
    },
  );
  return {
    logger,
    lines,
    waitFor: (match, options = {}) =>
      eventually(() => lines.slice(options.after ?? 0).find(match), options.timeoutMs ?? 5_000),
  };
}
