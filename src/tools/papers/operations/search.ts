import { ServiceError } from '../../shared/service-error.js';
import { formatPaperList } from '../format-hub-papers.js';
import { formatS2PaperList } from '../format-s2-papers.js';
import { searchHubPapers } from '../hub-papers-api.js';
import { limitOf, type PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { bulkSearchPapers } from '../semantic-scholar-api.js';
import { requireQuery } from './required-args.js';

/**
 * The Hub's paper search (tuned for ML), or, when a filter the Hub lacks is set (dates, field of
 * study, citation count, order), Semantic Scholar's bulk search. When Semantic Scholar fails, the
 * Hub's results come back without the filters, and the result says so (the reference falls back
 * the same way, silently).
 */
export async function search(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const query = requireQuery(args);
  const limit = limitOf(args);
  const notes: string[] = [];
  if (hasS2Filters(args)) {
    try {
      const found = await bulkSearchPapers(
        deps,
        query,
        {
          dateFrom: args.date_from,
          dateTo: args.date_to,
          categories: args.categories,
          minCitations: args.min_citations,
          sortBy: args.sort_by,
        },
        limit,
        signal,
      );
      if (found.papers.length === 0) return `No papers found for '${query}' with these filters.`;
      return formatS2PaperList(found.papers, `Papers matching '${query}' (Semantic Scholar)`, [
        `${found.total.toLocaleString('en')} match in all.`,
      ]);
    } catch (err) {
      if (!(err instanceof ServiceError) || signal.aborted) throw err;
      notes.push(
        `The filtered search failed: ${err.message} These are the Hub's results, without the filters.`,
      );
    }
  }
  const papers = await searchHubPapers(deps, query, limit, signal);
  if (papers.length === 0) return [...notes, `No papers found for '${query}'.`].join('\n');
  return formatPaperList(papers.slice(0, limit), `Papers matching '${query}'`, notes);
}

function hasS2Filters(args: PapersArgs): boolean {
  return Boolean(
    args.date_from ||
    args.date_to ||
    args.categories ||
    args.min_citations !== undefined ||
    (args.sort_by && args.sort_by !== 'relevance'),
  );
}
