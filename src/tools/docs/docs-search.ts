import MiniSearch from 'minisearch';
import type { CorpusPage } from './docs-corpus.js';
import { splitPassages } from './markdown-sections.js';

/**
 * Full-text search over a section's pages with MiniSearch (BM25): every page split into passages
 * at its headings, page titles weighing most, then headings, then text (the reference's boosts).
 * A page whose text was not read is one passage of its title and description.
 */
export interface DocsHit {
  page: CorpusPage;
  heading: string | undefined;
  anchor: string | undefined;
  snippet: string;
  lineStart: number | undefined;
  lineEnd: number | undefined;
}

interface PassageDoc {
  id: number;
  title: string;
  heading: string;
  text: string;
}

/** Text read per page for the index: enough for every guide, most of the longest references. */
const INDEXED_CHARS = 80_000;
/** One page gives at most this many hits, so one long page does not fill the results. */
const HITS_PER_PAGE = 2;
const STOP_WORDS = new Set(
  'a an and are as at be by can do does for from how i in is it of on or the this to use using what when with'.split(
    ' ',
  ),
);

export function searchDocs(pages: readonly CorpusPage[], query: string, limit: number): DocsHit[] {
  const passages: {
    page: CorpusPage;
    heading?: string;
    anchor?: string;
    text: string;
    lineStart?: number;
    lineEnd?: number;
  }[] = [];
  for (const page of pages) {
    if (page.markdown === undefined) {
      passages.push({
        page,
        text: [
          page.entry.description ?? '',
          page.entry.group ?? '',
          page.entry.path.replace(/[/_-]+/g, ' '),
        ].join('\n'),
      });
      continue;
    }
    for (const passage of splitPassages(page.markdown.slice(0, INDEXED_CHARS))) {
      passages.push({
        page,
        text: passage.text,
        lineStart: passage.lineStart,
        lineEnd: passage.lineEnd,
        ...(passage.heading !== undefined ? { heading: passage.heading } : {}),
        ...(passage.anchor !== undefined ? { anchor: passage.anchor } : {}),
      });
    }
  }
  const index = new MiniSearch<PassageDoc>({
    fields: ['title', 'heading', 'text'],
    processTerm: (term) => {
      const lower = term.toLowerCase();
      return STOP_WORDS.has(lower) ? null : lower;
    },
    searchOptions: {
      boost: { title: 3, heading: 2 },
      prefix: (term) => term.length > 3,
      fuzzy: (term) => (term.length > 5 ? 0.2 : false),
      combineWith: 'OR',
    },
  });
  index.addAll(
    passages.map((passage, id) => ({
      id,
      title: passage.page.entry.title,
      heading: passage.heading ?? '',
      text: passage.text,
    })),
  );
  const perPage = new Map<CorpusPage, number>();
  const hits: DocsHit[] = [];
  for (const result of index.search(query)) {
    const passage = passages[result.id as number];
    if (!passage) continue;
    const count = perPage.get(passage.page) ?? 0;
    if (count >= HITS_PER_PAGE) continue;
    perPage.set(passage.page, count + 1);
    hits.push({
      page: passage.page,
      heading: passage.heading,
      anchor: passage.anchor,
      snippet: snippet(passage.text, result.terms),
      lineStart: passage.lineStart,
      lineEnd: passage.lineEnd,
    });
    if (hits.length >= limit) break;
  }
  return hits;
}

/** About 300 characters of `text` around the first of `terms` it contains, on one line. */
export function snippet(text: string, terms: readonly string[], width = 300): string {
  const flat = text
    .replace(/^#{1,6}\s+.*$/m, '')
    .replace(/\[\[[^\]]+\]\]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (flat.length <= width) return flat;
  const lower = flat.toLowerCase();
  const positions = terms.map((term) => lower.indexOf(term.toLowerCase())).filter((at) => at >= 0);
  const first = positions.length > 0 ? Math.min(...positions) : 0;
  const start = Math.max(0, Math.min(first - 80, flat.length - width));
  const cut = flat.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${cut}${start + width < flat.length ? '…' : ''}`;
}
