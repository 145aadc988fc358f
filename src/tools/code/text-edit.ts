import { ToolInputError } from '../shared/service-error.js';

export type EditMode = 'replace' | 'append_after' | 'prepend_before';

export interface EditRequest {
  oldStr: string;
  newStr: string;
  mode?: EditMode;
  replaceAll?: boolean;
}

export interface EditOutcome {
  text: string;
  replacements: number;
  /** Set when the match was found only by ignoring whitespace: the model should check the result. */
  note?: string;
}

interface Span {
  start: number;
  end: number;
}

/**
 * The edit tool's logic, without files: an exact match first (unique unless `replaceAll`), then a
 * careful fallback that compares whole lines ignoring trailing whitespace, then ignoring indentation
 * too, and applies only when that finds exactly one place. Throws ToolInputError with what to do.
 */
export function applyEdit(text: string, request: EditRequest): EditOutcome {
  const { oldStr, newStr } = request;
  const mode = request.mode ?? 'replace';
  if (oldStr === '') throw new ToolInputError('old_str must not be empty.');
  if (mode === 'replace' && oldStr === newStr) {
    throw new ToolInputError('old_str and new_str must differ.');
  }
  const exact = exactSpans(text, oldStr);
  if (exact.length > 1 && request.replaceAll !== true) {
    throw new ToolInputError(
      `old_str occurs ${exact.length} times in the file. Add surrounding lines to make it unique, or set replace_all to true.`,
    );
  }
  if (exact.length > 0) {
    return { text: splice(text, exact, mode, newStr), replacements: exact.length };
  }
  for (const [normalise, what] of FALLBACKS) {
    const spans = lineSpans(text, oldStr, normalise);
    if (spans.length > 1) {
      throw new ToolInputError(
        `old_str was not found exactly, and ignoring ${what} it matches ${spans.length} places. Copy the exact text from a fresh read, with more surrounding lines.`,
      );
    }
    const [span] = spans;
    if (span !== undefined) {
      const line = lineNumberAt(text, span.start);
      return {
        text: splice(text, spans, mode, newStr),
        replacements: 1,
        note: `(old_str matched only when ignoring ${what}, at line ${line}; read the result to check its indentation)`,
      };
    }
  }
  throw new ToolInputError(notFoundMessage(oldStr));
}

type Normalise = (line: string) => string;

const FALLBACKS: ReadonlyArray<readonly [Normalise, string]> = [
  [(line) => line.trimEnd(), 'trailing whitespace'],
  [(line) => line.trim(), 'indentation and trailing whitespace'],
];

function exactSpans(text: string, needle: string): Span[] {
  const spans: Span[] = [];
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    spans.push({ start: at, end: at + needle.length });
  }
  return spans;
}

/**
 * Whole-line matches of `needle` under `normalise`. A needle ending in a newline also takes the
 * line break after its last line; otherwise the last line's own break (and a CR of CRLF) stays.
 */
function lineSpans(text: string, needle: string, normalise: Normalise): Span[] {
  const takesBreak = needle.endsWith('\n');
  const wanted = (takesBreak ? needle.slice(0, -1) : needle).split('\n').map(normalise);
  if (wanted.every((line) => line === '')) return [];
  const lines = text.split('\n');
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  const spans: Span[] = [];
  for (let i = 0; i + wanted.length <= lines.length; i++) {
    if (!wanted.every((line, k) => normalise(lines[i + k] ?? '') === line)) continue;
    const last = i + wanted.length - 1;
    const lastLine = lines[last] ?? '';
    const end = takesBreak
      ? Math.min(text.length, (starts[last] ?? 0) + lastLine.length + 1)
      : (starts[last] ?? 0) + lastLine.replace(/\r$/, '').length;
    spans.push({ start: starts[i] ?? 0, end });
  }
  return spans;
}

/** Rebuilds the text with each span replaced, or with new_str put after or before it. */
function splice(text: string, spans: readonly Span[], mode: EditMode, newStr: string): string {
  let out = '';
  let from = 0;
  for (const { start, end } of spans) {
    const matched = text.slice(start, end);
    const put = mode === 'replace' ? newStr : mode === 'append_after' ? matched + newStr : newStr + matched;
    out += text.slice(from, start) + put;
    from = end;
  }
  return out + text.slice(from);
}

function lineNumberAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function notFoundMessage(oldStr: string): string {
  const base = 'old_str was not found in the file (not even ignoring whitespace).';
  if (/^\s*\d+\t/m.test(oldStr)) {
    return `${base} It seems to include the line-number prefixes of read's output: leave them out.`;
  }
  return `${base} Read the file again and copy the exact text to change.`;
}
