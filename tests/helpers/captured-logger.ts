import { pino, type Logger } from 'pino';
import { eventually } from './slack-harness.js';

/** One JSON log line, parsed. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface CapturedLogger {
  logger: Logger;
  readonly lines: readonly LogLine[];
  /** Waits for a line matching `match` (the positive signal that something was refused or ignored). */
  waitFor(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
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
    waitFor: (match, timeoutMs = 5_000) => eventually(() => lines.find(match), timeoutMs),
  };
}
