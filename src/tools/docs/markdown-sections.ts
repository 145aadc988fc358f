/**
 * Markdown split at its headings (fenced code is never mistaken for a heading), as the reference's
 * `chunk_markdown` does: passages of about 1,800 characters, each under the heading it belongs to.
 * A heading's anchor is the id the docs give it: `## SFTConfig[[trl.SFTConfig]]` → `trl.SFTConfig`,
 * else its slug (`## Train on completions only` → `train-on-completions-only`).
 */
export interface Passage {
  /** The heading text without its `[[anchor]]`; undefined before the first heading. */
  heading: string | undefined;
  anchor: string | undefined;
  text: string;
  lineStart: number;
  lineEnd: number;
}

interface Heading {
  level: number;
  text: string;
  anchor: string;
}

const MAX_PASSAGE_CHARS = 1_800;

export function parseHeading(line: string): Heading | undefined {
  const match = /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
  if (!match?.[1] || !match[2]) return undefined;
  const raw = match[2];
  const explicit = /\[\[([^\]]+)\]\]/.exec(raw)?.[1];
  const text = raw
    .replace(/\[\[[^\]]+\]\]/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .trim();
  return { level: match[1].length, text, anchor: explicit ?? slug(text) };
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s+/g, '-');
}

/** Each line with the heading it is (outside code fences), or undefined. */
function headingsOf(lines: readonly string[]): (Heading | undefined)[] {
  let fence: string | undefined;
  return lines.map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker) {
      if (fence === undefined) fence = marker[0];
      else if (marker[0] === fence) fence = undefined;
      return undefined;
    }
    return fence === undefined ? parseHeading(line) : undefined;
  });
}

export function splitPassages(markdown: string): Passage[] {
  const lines = markdown.split(/\r?\n/);
  const headings = headingsOf(lines);
  const passages: Passage[] = [];
  let current: Heading | undefined;
  let buffer: { line: string; number: number }[] = [];
  let size = 0;
  const flush = (): void => {
    const text = buffer
      .map((item) => item.line)
      .join('\n')
      .trim();
    if (text && buffer[0] && buffer[buffer.length - 1]) {
      passages.push({
        heading: current?.text,
        anchor: current?.anchor,
        text,
        lineStart: buffer[0].number,
        lineEnd: (buffer[buffer.length - 1] as { number: number }).number,
      });
    }
    buffer = [];
    size = 0;
  };
  lines.forEach((line, i) => {
    const heading = headings[i];
    if (heading) {
      flush();
      current = heading;
    } else if (size + line.length + 1 > MAX_PASSAGE_CHARS && buffer.length > 0) {
      flush();
    }
    buffer.push({ line, number: i + 1 });
    size += line.length + 1;
  });
  flush();
  return passages;
}

/**
 * The part of `markdown` under the heading whose anchor (or slug, or text) is `fragment`, up to the
 * next heading of the same or a higher level; undefined when no heading matches.
 */
export function sectionOf(
  markdown: string,
  fragment: string,
): { text: string; heading: string; lineStart: number; lineEnd: number } | undefined {
  const lines = markdown.split(/\r?\n/);
  const headings = headingsOf(lines);
  const wanted = fragment.toLowerCase();
  const start = headings.findIndex(
    (h) => h !== undefined && (h.anchor.toLowerCase() === wanted || slug(h.text) === slug(fragment)),
  );
  const heading = headings[start];
  if (start < 0 || !heading) return undefined;
  let end = lines.length;
  for (let i = start + 1; i < lines.length; i++) {
    const other = headings[i];
    if (other && other.level <= heading.level) {
      end = i;
      break;
    }
  }
  return {
    text: lines.slice(start, end).join('\n').trim(),
    heading: heading.text,
    lineStart: start + 1,
    lineEnd: end,
  };
}
