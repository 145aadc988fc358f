import { ServiceError } from '../shared/service-error.js';

/** How a log read ended: the stream closed, went quiet, ran out of time, or broke mid-way. */
export type LogEnd = 'complete' | 'idle' | 'time' | 'dropped';

export interface LogTail {
  /** The last lines read (at most `keep`), oldest first, without ANSI colours or carriage-return redraws. */
  lines: string[];
  /** Every line read, the ones no longer kept included. */
  total: number;
  end: LogEnd;
}

export interface LogTailOptions {
  /** Lines kept (the tail). */
  keep: number;
  /** The stream is left after this long without a line, ms. */
  idleMs: number;
  /** The stream is left after this long in all, ms. */
  maxMs: number;
}

/** A line longer than this is cut: a progress bar redrawn without newlines must not fill the result. */
const MAX_LINE_CHARS = 500;
// Colour codes and OSC titles that uv, tqdm and pip print: escape characters are the point here.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/**
 * Reads the log stream of a job (`@huggingface/hub`'s `streamJobLogs`: one `{message}` per SSE
 * `data:` line) and keeps its tail. A running job's stream never ends, so the read stops after a
 * silence or a deadline and says which; a stream that breaks keeps what it delivered. `stop`
 * closes the HTTP request once the read is over.
 */
export async function readLogTail(
  stream: AsyncIterator<{ message: string }>,
  stop: () => void,
  options: LogTailOptions,
): Promise<LogTail> {
  const kept: string[] = [];
  let total = 0;
  const started = Date.now();
  try {
    for (;;) {
      const left = options.maxMs - (Date.now() - started);
      if (left <= 0) return { lines: kept, total, end: 'time' };
      const wait = Math.min(options.idleMs, left);
      const next = stream.next();
      const result = await raceTimeout(next, wait);
      if (result === TIMED_OUT) {
        // The pending read fails once the request is closed; nobody waits for it.
        next.catch(() => undefined);
        return { lines: kept, total, end: wait < options.idleMs ? 'time' : 'idle' };
      }
      if (result.done) return { lines: kept, total, end: 'complete' };
      for (const line of logLines(result.value.message)) {
        total += 1;
        kept.push(line);
        if (kept.length > options.keep) kept.shift();
      }
    }
  } catch (err) {
    // Before the answer: the request itself failed (404, 401, …), which the caller words.
    if (err instanceof ServiceError) throw err;
    // After it: the body broke off ("terminated", a reset socket); what came is kept.
    return { lines: kept, total, end: 'dropped' };
  } finally {
    stop();
  }
}

/** The display lines of one log message: split, colours and `\r` redraws removed, cut to size. */
export function logLines(message: string): string[] {
  const text = message.replace(ANSI, '').replace(/\n+$/, '');
  return text.split('\n').map((line) => {
    const drawn = line.replace(/\r+$/, '');
    const shown = drawn.slice(drawn.lastIndexOf('\r') + 1).trimEnd();
    return shown.length > MAX_LINE_CHARS ? `${shown.slice(0, MAX_LINE_CHARS)}…` : shown;
  });
}

const TIMED_OUT = Symbol('timed out');

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
