import type { EventBody } from '../../src/core/events.js';

/**
 * The platform-neutral pieces of a job card (`job_update`): elapsed time, cost so far, how the job
 * stands, and log lines made safe to show. Discord's card and the terminal's status line are drawn
 * from these, so both say the same thing about the same update.
 */

export type JobUpdate = Extract<EventBody, { type: 'job_update' }>;

/** Where a job stands: still going, ended well, or ended otherwise (ERROR, CANCELED, DELETED). */
export type JobStanding = 'running' | 'completed' | 'failed';

export function jobStanding(update: Pick<JobUpdate, 'stage' | 'final'>): JobStanding {
  if (!update.final) return 'running';
  return update.stage === 'COMPLETED' ? 'completed' : 'failed';
}

/** `45s`, `3m12s`, `2h05m`, `1d03h`: two units at most, the way a status line reads. */
export function elapsedText(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3_600) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3_600)}h${pad(Math.floor((s % 3_600) / 60))}m`;
  return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3_600))}h`;
}

/** `$0.05`, or "cost unknown" when the flavor's price is unknown: never a made-up `$0.00`. */
export function jobCostText(usd: number | null): string {
  return usd === null ? 'cost unknown' : `$${usd.toFixed(2)}`;
}

// Escape sequences (colours, cursor moves) and control characters other than tab: job logs are
// full of them (progress bars, coloured loggers) and they must not reach a chat or a terminal.
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;

/**
 * One log line as plain text: a progress bar redrawn with carriage returns keeps only its last
 * drawing, escape sequences and control characters go, tabs become spaces, the end is trimmed.
 */
export function cleanLogLine(line: string): string {
  const lastDrawing = line.replace(/\r+$/, '').split('\r').pop() ?? '';
  return lastDrawing.replace(ANSI_SEQUENCE, '').replace(/\t/g, '  ').replace(CONTROL, '').trimEnd();
}

/** The last `count` log lines that say something, cleaned. */
export function lastLogLines(logTail: readonly string[], count: number): string[] {
  return logTail
    .flatMap((l) => l.split('\n'))
    .map(cleanLogLine)
    .filter((l) => l.trim().length > 0)
    .slice(-count);
}
