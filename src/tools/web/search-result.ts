import { trimOutput } from '../shared/trim-output.js';

/** One web result, whichever engine found it. */
export interface WebResult {
  title: string;
  url: string;
  snippet: string;
  /** Exa's `publishedDate` (YYYY-MM-DD), when known. */
  published?: string | undefined;
}

const TITLE_CHARS = 160;
const SNIPPET_CHARS = 400;

export function cleanText(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1).trimEnd()}…` : flat;
}

/** The reference's layout: a numbered bold title, the URL, the snippet. */
export function formatResults(query: string, engine: string, results: WebResult[], notes: string[]): string {
  if (results.length === 0) {
    return [`No web results for '${query}' (${engine}).`, ...notes].join('\n');
  }
  const lines = [`Web search results for '${query}' (${engine}):`, ''];
  results.forEach((result, index) => {
    lines.push(`${index + 1}. **${cleanText(result.title, TITLE_CHARS) || '(untitled)'}**`);
    lines.push(`   URL: ${result.url}`);
    if (result.published) lines.push(`   published: ${result.published}`);
    const snippet = cleanText(result.snippet, SNIPPET_CHARS);
    if (snippet) lines.push(`   ${snippet}`);
    lines.push('');
  });
  lines.push(...notes);
  return trimOutput(
    lines.join('\n').trimEnd(),
    undefined,
    'search again with fewer results or a narrower query',
  );
}
