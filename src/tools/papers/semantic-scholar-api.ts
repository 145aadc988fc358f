import { z } from 'zod';
import { callServiceJson, type ServiceRequest } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';
import { answerOfShape } from './answer-shape.js';
import { SEMANTIC_SCHOLAR_SERVICE, type PapersDeps } from './papers-deps.js';

/**
 * Semantic Scholar's Academic Graph (`/graph/v1`) and Recommendations (`/recommendations/v1`) APIs.
 * Keyless callers share one rate limit, so 429 is common: answers are cached in Redis for an hour
 * (the reference keeps an in-process cache for the same reason), the client waits out a short
 * `Retry-After`, and a 429 that remains tells the model to wait or to set SEMANTIC_SCHOLAR_API_KEY.
 */

const s2Paper = z.object({
  paperId: z.string().nullish(),
  title: z.string().nullish(),
  year: z.number().nullish(),
  venue: z.string().nullish(),
  citationCount: z.number().nullish(),
  /** `{ArXiv: "2106.15928", DOI: "…", CorpusId: 235658325}`. */
  externalIds: z.record(z.string(), z.union([z.string(), z.number()]).nullish()).nullish(),
  tldr: z.object({ text: z.string().nullish() }).nullish(),
});

export type S2Paper = z.infer<typeof s2Paper>;

/** An entry of `/citations` (with `citingPaper`) or `/references` (with `citedPaper`). */
const citationEdge = z.object({
  contexts: z.array(z.string()).nullish(),
  intents: z.array(z.string()).nullish(),
  isInfluential: z.boolean().nullish(),
  citingPaper: s2Paper.nullish(),
  citedPaper: s2Paper.nullish(),
});

export type CitationEdge = z.infer<typeof citationEdge>;

const edgePage = z.object({ data: z.array(citationEdge).nullish() });
const recommendations = z.object({ recommendedPapers: z.array(s2Paper).nullish() });
const bulkSearch = z.object({ total: z.number().nullish(), data: z.array(s2Paper).nullish() });

const CACHE_TTL_SECONDS = 3600;
const EDGE_FIELDS = 'title,externalIds,year,citationCount,contexts,intents,isInfluential';
const LIST_FIELDS = 'title,externalIds,year,citationCount,venue';

/** `ARXIV:<id>`; the slash of a pre-2007 id is escaped so that it stays one path segment. */
export function s2ArxivId(bareId: string): string {
  return `ARXIV:${bareId.replace('/', '%2F')}`;
}

export async function paperEdges(
  deps: PapersDeps,
  bareId: string,
  kind: 'citations' | 'references',
  limit: number,
  signal: AbortSignal,
): Promise<CitationEdge[]> {
  const page = await cachedGet(
    deps,
    `/graph/v1/paper/${s2ArxivId(bareId)}/${kind}`,
    { fields: EDGE_FIELDS, limit: String(limit) },
    edgePage,
    `the ${kind} of ${bareId}`,
    signal,
  );
  return page.data ?? [];
}

export async function recommendForPaper(
  deps: PapersDeps,
  bareId: string,
  limit: number,
  signal: AbortSignal,
): Promise<S2Paper[]> {
  const answer = await cachedGet(
    deps,
    `/recommendations/v1/papers/forpaper/${s2ArxivId(bareId)}`,
    { fields: LIST_FIELDS, limit: String(limit), from: 'recent' },
    recommendations,
    `recommendations for ${bareId}`,
    signal,
  );
  return answer.recommendedPapers ?? [];
}

/** Recommendations from examples: `POST /recommendations/v1/papers/` (not retried, so not cached either). */
export async function recommendFromExamples(
  deps: PapersDeps,
  positive: string[],
  negative: string[],
  limit: number,
  signal: AbortSignal,
): Promise<S2Paper[]> {
  const body = await s2Call(deps, '/recommendations/v1/papers/', signal, {
    method: 'post',
    json: { positivePaperIds: positive.map(s2ArxivId), negativePaperIds: negative.map(s2ArxivId) },
    searchParams: { fields: LIST_FIELDS, limit: String(limit) },
  });
  const answer = answerOfShape(recommendations, body, SEMANTIC_SCHOLAR_SERVICE, 'the recommendations');
  return answer.recommendedPapers ?? [];
}

export interface BulkSearchFilters {
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  categories?: string | undefined;
  minCitations?: number | undefined;
  sortBy?: 'relevance' | 'citationCount' | 'publicationDate' | undefined;
}

/** `GET /graph/v1/paper/search/bulk`: the search with filters the Hub's search lacks. */
export async function bulkSearchPapers(
  deps: PapersDeps,
  query: string,
  filters: BulkSearchFilters,
  limit: number,
  signal: AbortSignal,
): Promise<{ total: number; papers: S2Paper[] }> {
  const params: Record<string, string> = { query, fields: `${LIST_FIELDS},publicationDate` };
  if (filters.dateFrom || filters.dateTo) {
    params.publicationDateOrYear = `${filters.dateFrom ?? ''}:${filters.dateTo ?? ''}`;
  }
  if (filters.categories) params.fieldsOfStudy = filters.categories;
  if (filters.minCitations !== undefined) params.minCitationCount = String(filters.minCitations);
  if (filters.sortBy && filters.sortBy !== 'relevance') params.sort = `${filters.sortBy}:desc`;
  const answer = await cachedGet(
    deps,
    '/graph/v1/paper/search/bulk',
    params,
    bulkSearch,
    'the paper search',
    signal,
  );
  // The bulk search has no `limit`: it answers up to 1,000 papers a page.
  const papers = (answer.data ?? []).slice(0, limit);
  return { total: answer.total ?? papers.length, papers };
}

async function cachedGet<T>(
  deps: PapersDeps,
  path: string,
  params: Record<string, string>,
  shape: z.ZodType<T>,
  what: string,
  signal: AbortSignal,
): Promise<T> {
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b)));
  return deps.services.cache.getOrLoad(
    `papers:s2:${path}?${query.toString()}`,
    CACHE_TTL_SECONDS,
    async () => {
      const body = await s2Call(deps, path, signal, { searchParams: params });
      return answerOfShape(shape, body, SEMANTIC_SCHOLAR_SERVICE, what);
    },
  );
}

async function s2Call(
  deps: PapersDeps,
  path: string,
  signal: AbortSignal,
  request: ServiceRequest,
): Promise<unknown> {
  const key = deps.services.semanticScholar.key;
  try {
    return await callServiceJson(SEMANTIC_SCHOLAR_SERVICE, `${deps.services.semanticScholar.url}${path}`, {
      ...request,
      signal,
      // The key goes in `x-api-key`, and only when there is one: an empty header is refused.
      ...(key ? { headers: { 'x-api-key': key } } : {}),
      ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
    });
  } catch (err) {
    if (err instanceof ServiceError && err.status === 429) {
      const hint = key
        ? ' The limit of SEMANTIC_SCHOLAR_API_KEY is reached.'
        : ' Without SEMANTIC_SCHOLAR_API_KEY every keyless caller shares one limit: set it for a limit of your own.';
      throw new ServiceError(`${err.message}${hint}`, { status: 429, cause: err });
    }
    throw err;
  }
}
