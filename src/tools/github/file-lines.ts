import { ToolInputError } from '../shared/service-error.js';

/** Lines shown when no range is asked for (the reference's 300). */
export const DEFAULT_LINES = 300;
/** Room for the numbered lines inside a result of ~8,000 characters, the header and footer aside. */
const LINES_BUDGET_CHARS = 7_300;
/** A minified line is cut, not allowed to eat the whole budget. */
const MAX_LINE_CHARS = 400;

export interface LineSlice {
  /** 1-based, inclusive. */
  first: number;
  last: number;
  total: number;
  /** The numbered lines, ready to put in a code fence. */
  text: string;
  /** Fewer lines than asked for were shown to keep the result under its cap. */
  cutForSize: boolean;
}

/** The file's lines; a final newline does not count as an extra empty line. */
export function splitLines(content: string): string[] {
  const lines = content.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Lines `lineStart`–`lineEnd` (default: 300 from `lineStart`, or from 1), numbered, stopping early
 * when they would overflow the result (the caller says where to continue).
 */
export function sliceLines(lines: string[], lineStart?: number, lineEnd?: number): LineSlice {
  const total = lines.length;
  const first = lineStart ?? 1;
  if (lineEnd !== undefined && lineEnd < first) {
    throw new ToolInputError(`line_end (${lineEnd}) is before line_start (${first}).`);
  }
  if (first > total) {
    throw new ToolInputError(
      `The file has ${total} line${total === 1 ? '' : 's'}; line_start ${first} is past its end.`,
    );
  }
  const wanted = Math.min(total, lineEnd ?? first + DEFAULT_LINES - 1);
  const width = String(wanted).length;
  const out: string[] = [];
  let used = 0;
  let last = first - 1;
  for (let n = first; n <= wanted; n++) {
    const raw = lines[n - 1] ?? '';
    const text =
      raw.length > MAX_LINE_CHARS
        ? `${raw.slice(0, MAX_LINE_CHARS)}… [${raw.length - MAX_LINE_CHARS} more characters]`
        : raw;
    const line = `${String(n).padStart(width)} | ${text}`;
    if (used + line.length + 1 > LINES_BUDGET_CHARS && out.length > 0) break;
    out.push(line);
    used += line.length + 1;
    last = n;
  }
  return { first, last, total, text: out.join('\n'), cutForSize: last < wanted };
}

/** A fence longer than any run of backticks in the text, so the file cannot close it early. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((run) => run[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Text, or undefined for bytes that are not (a NUL in the first 8 kB, as git decides). */
export function decodeText(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  return bytes.toString('utf8');
}
