import { z } from 'zod';
import { callServiceJson, type ServiceInfo } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';
import type { DomainFilter } from './domain-filter.js';
import type { WebResult } from './search-result.js';

const EXA_SERVICE: ServiceInfo = {
  label: 'Exa',
  authHint:
    'Set EXA_API_KEY to a valid Exa API key (dashboard.exa.ai), or unset it to use the keyless search page.',
  forbiddenHint: 'The Exa key lacks access to search, or the plan does not allow it.',
  notFoundHint: 'Check EXA_API_URL (the default is https://api.exa.ai).',
};

/** Highlights: Exa's own passages of each page that answer the query, cheap and short. */
const HIGHLIGHT_CHARS = 500;

/**
 * `POST {EXA_API_URL}/search` (docs.exa.ai, "Search"): `{query, type, numResults, includeDomains,
 * excludeDomains, contents: {highlights}}` with the key in `x-api-key`; the answer is
 * `{requestId, resolvedSearchType, results: [{title, url, publishedDate, author, score, highlights,
 * summary, text}]}`. The reference agent asks the same through Exa's Python SDK.
 */
const exaAnswer = z.object({
  results: z.array(
    z.object({
      title: z.string().nullish(),
      url: z.string(),
      publishedDate: z.string().nullish(),
      author: z.string().nullish(),
      summary: z.string().nullish(),
      highlights: z.array(z.string()).nullish(),
      text: z.string().nullish(),
    }),
  ),
});

export async function searchExa(
  exa: { url: string; key: string },
  query: string,
  count: number,
  filter: DomainFilter,
  signal: AbortSignal,
  timeoutMs: number | undefined,
): Promise<WebResult[]> {
  const body: Record<string, unknown> = {
    query,
    type: 'auto',
    numResults: count,
    contents: { highlights: { maxCharacters: HIGHLIGHT_CHARS } },
  };
  if (filter.allowed.length > 0) body.includeDomains = filter.allowed;
  // Exa takes one of the two lists; blocked domains are filtered afterwards when both are given.
  else if (filter.blocked.length > 0) body.excludeDomains = filter.blocked;
  let data: unknown;
  try {
    data = await callServiceJson(EXA_SERVICE, `${exa.url.replace(/\/+$/, '')}/search`, {
      method: 'post',
      json: body,
      headers: { 'x-api-key': exa.key },
      signal,
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    });
  } catch (err) {
    if (err instanceof ServiceError && err.status === 402) {
      throw new ServiceError(
        'Exa refused the search (402): the account of EXA_API_KEY is out of credits or over its budget. Top it up at dashboard.exa.ai, or unset EXA_API_KEY to use the keyless search page.',
        { status: 402, cause: err },
      );
    }
    throw err;
  }
  const parsed = exaAnswer.safeParse(data);
  if (!parsed.success) {
    throw new ServiceError('Exa sent an answer without a results list; try again later.');
  }
  return parsed.data.results.map((result) => ({
    title: result.title ?? '',
    url: result.url,
    snippet: snippetOf(result),
    published: result.publishedDate ? result.publishedDate.slice(0, 10) : undefined,
  }));
}

/** The reference's preference: summary, then highlights, then the page text. */
function snippetOf(result: z.infer<typeof exaAnswer>['results'][number]): string {
  if (result.summary) return result.summary;
  const highlights = (result.highlights ?? []).map((text) => text.trim()).filter(Boolean);
  if (highlights.length > 0) return highlights.join(' … ');
  return result.text ?? '';
}
