import { parse } from 'node-html-parser';
import type { WebResult } from './search-result.js';

/**
 * DuckDuckGo's HTML results page (html.duckduckgo.com/html/), as it is served: each result is a
 * `div.result` (ads carry `result--ad`) with the title link `a.result__a`, whose `href` is a redirect
 * `//duckduckgo.com/l/?uddg=<encoded target>&rut=…`, and the snippet in `.result__snippet`. An empty
 * search shows `.no-results`; a suspected bot gets the "anomaly" challenge page instead (status 202).
 */
export type DuckDuckGoPage =
  { kind: 'results'; results: WebResult[] } | { kind: 'challenge' } | { kind: 'unreadable' };

export function readDuckDuckGoPage(html: string): DuckDuckGoPage {
  const root = parse(html);
  if (root.querySelector('.anomaly-modal, #challenge-form, .anomaly-modal__title'))
    return { kind: 'challenge' };
  const blocks = root.querySelectorAll('.result');
  const results: WebResult[] = [];
  for (const block of blocks) {
    if (block.classList.contains('result--ad')) continue;
    const link = block.querySelector('a.result__a');
    const url = link ? targetUrl(link.getAttribute('href')) : undefined;
    if (!link || !url) continue;
    results.push({ title: link.text, url, snippet: block.querySelector('.result__snippet')?.text ?? '' });
  }
  if (results.length > 0) return { kind: 'results', results };
  // No result: an honest empty page still has its results column or says so.
  const empty = root.querySelector('.no-results, #links, .serp__results');
  return empty ? { kind: 'results', results: [] } : { kind: 'unreadable' };
}

/** The page a result links to: the `uddg` target of DuckDuckGo's redirect, or a direct http(s) link. */
function targetUrl(href: string | undefined): string | undefined {
  if (!href) return undefined;
  let url: URL;
  try {
    url = new URL(href, 'https://duckduckgo.com/');
  } catch {
    return undefined;
  }
  if (/(^|\.)duckduckgo\.com$/.test(url.hostname)) {
    // `/l/?uddg=` is the redirect to a result; `/y.js` (ads) and anything else is not a result.
    const target = url.pathname === '/l/' ? url.searchParams.get('uddg') : null;
    return target && isWebUrl(target) ? target : undefined;
  }
  return isWebUrl(url.href) ? url.href : undefined;
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
