import { formatPaperList } from '../format-hub-papers.js';
import { listDailyPapers, type HubPaperEntry } from '../hub-papers-api.js';
import { limitOf, type PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';

/** The daily-papers API answers at most 100 per page. */
const MAX_DAILY_PAGE = 100;

/**
 * Trending papers (or one day's), optionally kept to those that mention `query`. The Hub cannot
 * filter daily papers by topic, so, like the reference, this reads three times the limit (at least
 * 30) and filters here.
 */
export async function trending(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const limit = limitOf(args);
  const query = args.query?.trim().toLowerCase();
  const fetchCount = query ? Math.min(MAX_DAILY_PAGE, Math.max(limit * 3, 30)) : limit;
  const listed = await listDailyPapers(deps, { date: args.date, limit: fetchCount }, signal);
  const papers = (query ? listed.filter((paper) => mentions(paper, query)) : listed).slice(0, limit);
  if (papers.length === 0) {
    return `No trending papers found${query ? ` matching '${args.query}'` : ''}${args.date ? ` for ${args.date}` : ''}.`;
  }
  const heading = args.date ? `Daily papers of ${args.date}` : 'Trending papers';
  return formatPaperList(papers, heading, query ? [`Filtered by: '${args.query}'`] : []);
}

function mentions(paper: HubPaperEntry, query: string): boolean {
  const fields = [paper.title ?? '', paper.summary ?? '', ...(paper.ai_keywords ?? [])];
  return fields.some((field) => field.toLowerCase().includes(query));
}
