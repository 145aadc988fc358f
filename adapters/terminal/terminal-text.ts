/**
 * Small text helpers for terminal output: colours that vanish when the output is not a TTY, and
 * one-line, width-bounded renderings of untrusted text (model and tool output may hold escapes).
 */

/** The default line width when the output does not report its columns. */
export const DEFAULT_WIDTH = 100;

/** ANSI styles; each is the identity when colour is off, so callers never branch on it. */
export interface Styles {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
}

export function stylesFor(color: boolean): Styles {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text.length > 0 ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
  };
}

// Control characters other than tab and newline: a tool's output must not move the cursor, clear the
// screen or change colours in the user's terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;

/** Removes escape sequences and control characters, keeping newlines and tabs. */
export function sanitize(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** Cuts `text` to at most `width` characters, marking the cut with `…`. */
export function truncate(text: string, width: number): string {
  const chars = Array.from(text);
  if (chars.length <= width) return text;
  return `${chars.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Sanitised text on one line: newlines and tabs become spaces, runs of spaces collapse. */
export function oneLine(text: string): string {
  return sanitize(text).replace(/\s+/g, ' ').trim();
}

/** `key=value` pairs of a tool call's arguments, on one line; strings with spaces are quoted. */
export function formatArgs(args: Record<string, unknown>, separator = ' '): string {
  return Object.entries(args)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(separator);
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    const flat = oneLine(value);
    return /[\s="]/.test(flat) || flat.length === 0 ? JSON.stringify(flat) : flat;
  }
  return oneLine(JSON.stringify(value) ?? String(value));
}

/** An integer with thousands separators (`12,345`), the same on every machine's locale. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
