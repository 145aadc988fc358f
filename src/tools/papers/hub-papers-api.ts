import { z } from 'zod';
import { callServiceJson, type ServiceRequest } from '../shared/service-client.js';
import { answerOfShape } from './answer-shape.js';
import { HUB_PAPERS_SERVICE, type PapersDeps } from './papers-deps.js';

/**
 * The Hub's papers API (`GET /api/daily_papers`, `/api/papers/search`, `/api/papers/{id}`), as
 * huggingface_hub's `list_daily_papers`, `list_papers` and `paper_info` call it. Papers are public;
 * the token is sent when there is one, as the `hf` CLI does (it raises the rate limit).
 */

const author = z.object({ name: z.string().nullish(), hidden: z.boolean().nullish() });

/** The paper object: the body of `/api/papers/{id}` and the `paper` of a list entry. */
export const hubPaperShape = z.object({
  id: z.string(),
  title: z.string().nullish(),
  summary: z.string().nullish(),
  authors: z.array(author).nullish(),
  publishedAt: z.string().nullish(),
  upvotes: z.number().nullish(),
  ai_summary: z.string().nullish(),
  ai_keywords: z.array(z.string()).nullish(),
  githubRepo: z.string().nullish(),
  githubStars: z.number().nullish(),
  projectPage: z.string().nullish(),
});

export type HubPaper = z.infer<typeof hubPaperShape>;

/** A daily-papers or search entry: `{paper, title, summary, numComments, …}`; a flat paper is accepted too. */
const listEntry = z.union([
  z.object({ paper: hubPaperShape, title: z.string().nullish(), numComments: z.number().nullish() }),
  hubPaperShape,
]);

export type HubPaperEntry = HubPaper & { numComments?: number | null | undefined };

const paperList = z.array(listEntry);

function flatten(entry: z.infer<typeof listEntry>): HubPaperEntry {
  if ('paper' in entry) {
    return { ...entry.paper, title: entry.paper.title ?? entry.title, numComments: entry.numComments };
  }
  return entry;
}

/** The request options every Hub call shares. */
export function hubRequest(
  deps: PapersDeps,
  signal: AbortSignal,
  searchParams?: Record<string, string | number>,
): ServiceRequest {
  return {
    signal,
    token: deps.services.hub.token,
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
    ...(searchParams ? { searchParams } : {}),
  };
}

/** Daily papers: one day's when `date` is set, else the Hub's trending list. */
export async function listDailyPapers(
  deps: PapersDeps,
  options: { date?: string | undefined; limit: number },
  signal: AbortSignal,
): Promise<HubPaperEntry[]> {
  // `sort=trending` with a date would ignore the day; without one it is the trending list.
  const searchParams: Record<string, string | number> = options.date
    ? { date: options.date, limit: options.limit }
    : { sort: 'trending', limit: options.limit };
  const body = await callServiceJson(
    HUB_PAPERS_SERVICE,
    `${deps.services.hub.url}/api/daily_papers`,
    hubRequest(deps, signal, searchParams),
  );
  return answerOfShape(paperList, body, HUB_PAPERS_SERVICE, 'the daily papers').map(flatten);
}

/** The Hub's paper search (title, authors and content; `q` at most 250 characters). */
export async function searchHubPapers(
  deps: PapersDeps,
  query: string,
  limit: number,
  signal: AbortSignal,
): Promise<HubPaperEntry[]> {
  const body = await callServiceJson(
    HUB_PAPERS_SERVICE,
    `${deps.services.hub.url}/api/papers/search`,
    hubRequest(deps, signal, { q: query, limit }),
  );
  return answerOfShape(paperList, body, HUB_PAPERS_SERVICE, 'the paper search').map(flatten);
}

/** One paper's page data; a paper the Hub has not indexed is a 404. */
export async function getHubPaper(deps: PapersDeps, bareId: string, signal: AbortSignal): Promise<HubPaper> {
  const body = await callServiceJson(
    HUB_PAPERS_SERVICE,
    `${deps.services.hub.url}/api/papers/${encodeURIComponent(bareId)}`,
    hubRequest(deps, signal),
  );
  return answerOfShape(hubPaperShape, body, HUB_PAPERS_SERVICE, `paper ${bareId}`);
}
