import { callService, type ServiceInfo } from '../shared/service-client.js';
import { ServiceError } from '../shared/service-error.js';
import { readDuckDuckGoPage } from './duckduckgo-page.js';
import type { WebResult } from './search-result.js';

/** A results page is ~30 kB; anything far larger is not one, and is not read whole. */
const MAX_PAGE_CHARS = 2_000_000;
const EXA_HINT = 'or set EXA_API_KEY to search through Exa instead';

export function duckDuckGoService(pageUrl: string): ServiceInfo {
  return {
    label: `the web search page (${hostOf(pageUrl)})`,
    forbiddenHint: `It may be refusing automated searches: wait a few minutes, ${EXA_HINT}.`,
    notFoundHint: 'Check WEB_SEARCH_URL (the default is https://html.duckduckgo.com/html/).',
  };
}

/**
 * The keyless search: `GET <WEB_SEARCH_URL>?q=<query>` for DuckDuckGo's HTML page, parsed. The page
 * gives one page of results; the caller keeps the first few.
 */
export async function searchDuckDuckGo(
  pageUrl: string,
  query: string,
  signal: AbortSignal,
  timeoutMs: number | undefined,
): Promise<WebResult[]> {
  const service = duckDuckGoService(pageUrl);
  const response = await callService(service, pageUrl, {
    searchParams: { q: query },
    headers: { accept: 'text/html', 'user-agent': 'Mozilla/5.0 (compatible; ml-intern-bot)' },
    signal,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const html = (await response.text()).slice(0, MAX_PAGE_CHARS);
  const page = readDuckDuckGoPage(html);
  if (response.status === 202 || page.kind === 'challenge') {
    throw new ServiceError(
      `${service.label} asked for a CAPTCHA (it limits automated searches); wait a few minutes, ${EXA_HINT}.`,
      { status: response.status },
    );
  }
  if (page.kind === 'unreadable') {
    throw new ServiceError(
      `${service.label} sent a page this tool cannot read (${html.length} characters, no results list); try again later, ${EXA_HINT}.`,
    );
  }
  return page.results;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
