import { ToolInputError } from '../shared/service-error.js';

/** Seconds per unit of a job timeout: the units `huggingface_hub`'s `_create_job_spec` reads. */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3_600, d: 86_400 };

/**
 * A job timeout in seconds: `"90s"`, `"30m"`, `"1.5h"`, `"1d"`, or a bare number of seconds
 * (`"3600"`, as the Jobs API and `hf jobs --timeout` read it). Anything else is the model's mistake:
 * a {@link ToolInputError} with examples, before anything is launched.
 */
export function parseTimeout(value: string | number): number {
  const text = String(value).trim().toLowerCase();
  const match = /^(\d+(?:\.\d+)?|\.\d+)\s*([smhd]?)$/.exec(text);
  const seconds = match ? Number(match[1]) * (UNIT_SECONDS[match[2] || 's'] ?? 1) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds < 1) {
    throw new ToolInputError(
      `timeout ${JSON.stringify(String(value))} is not a duration: give a number with s, m, h or d ("90s", "30m", "2h", "1d") or a bare number of seconds ("3600").`,
    );
  }
  return Math.round(seconds);
}

/** `parseTimeout`, or `undefined` for a timeout it refuses (approval cards show "no estimate"). */
export function tryParseTimeout(value: string | number): number | undefined {
  try {
    return parseTimeout(value);
  } catch {
    return undefined;
  }
}

/** `"2h"`, `"1h 30m"`, `"45m"`, `"90s"`, `"1d 2h"`: a timeout as people write it. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.round(totalSeconds));
  if (seconds < 60) return `${seconds}s`;
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  // Two units at most, and no seconds from an hour up: "1m 30s", "2h 15m", "1d 2h".
  return (seconds >= 3_600 ? parts.filter((p) => !p.endsWith('s')) : parts).slice(0, 2).join(' ');
}
