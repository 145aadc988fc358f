import { randomUUID } from 'node:crypto';
import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * Routes of the two web search backends `web_search` speaks to:
 * - DuckDuckGo's HTML page at `/html/` (GET `?q=` or POST form `q=`; point `WEB_SEARCH_URL` at
 *   `<url>/html/`). The markup is the page html.duckduckgo.com serves: `div.result.results_links
 *   .results_links_deep.web-result` blocks with `h2.result__title > a.result__a` whose `href` is the
 *   redirect `//duckduckgo.com/l/?uddg=<encoded url>&amp;rut=<token>`, `a.result__url`,
 *   `a.result__snippet` (query words in `<b>`), ads as `result--ad` linking to `duckduckgo.com/y.js`,
 *   `div.no-results` when nothing matches, and the bot check ("anomaly-modal", `#challenge-form`)
 *   answered with status 202. `site:` and `-site:` operators are applied, as the engine does.
 * - Exa's `POST /search` (docs.exa.ai): `x-api-key`; body `{query, type, numResults, includeDomains,
 *   excludeDomains, contents}`; answer `{requestId, resolvedSearchType, searchType, results: [{id,
 *   title, url, publishedDate, author, highlights, highlightScores}], costDollars}`; errors
 *   `{requestId, error, tag}` (401 without a valid key, 400 for a bad body, 402 out of credits).
 */

export interface FakeWebPage {
  title: string;
  url: string;
  snippet: string;
  published?: string;
}

export interface FakeWebFailure {
  path: RegExp;
  answer: LoopbackAnswer;
  times?: number;
}

export interface FakeWebSearchWorld {
  pages: FakeWebPage[];
  /** `challenge`: the bot check page; `garbage`: a page with no results markup at all. */
  duckDuckGo?: 'results' | 'challenge' | 'garbage';
  /** Puts an ad block first, as the real page often does. */
  ads?: boolean;
  /** The valid Exa key. */
  exaKey?: string;
  /** Exa answers 402 (no credits). */
  exaOutOfCredits?: boolean;
  failures?: FakeWebFailure[];
}

export function webSearchRoutes(world: FakeWebSearchWorld): Route[] {
  const guarded =
    (handle: (req: LoopbackRequest) => LoopbackAnswer) =>
    (req: LoopbackRequest): LoopbackAnswer => {
      const failure = world.failures?.find((f) => f.path.test(req.path) && (f.times ?? 1) > 0);
      if (failure) {
        if (failure.times !== undefined) failure.times -= 1;
        return failure.answer;
      }
      return handle(req);
    };
  return [
    { method: 'GET', path: '/html/', handle: guarded((req) => duckDuckGo(world, req.query.get('q') ?? '')) },
    {
      method: 'POST',
      path: '/html/',
      handle: guarded((req) =>
        duckDuckGo(world, new URLSearchParams(req.body.toString('utf8')).get('q') ?? ''),
      ),
    },
    { method: 'POST', path: '/search', handle: guarded((req) => exaSearch(world, req)) },
  ];
}

/** How a search engine reads the query: words, `site:` and `-site:`. */
function readQuery(q: string): { words: string[]; sites: string[]; notSites: string[] } {
  const words: string[] = [];
  const sites: string[] = [];
  const notSites: string[] = [];
  for (const token of q.replace(/[()]/g, ' ').split(/\s+/).filter(Boolean)) {
    if (token === 'OR') continue;
    const site = /^(-?)site:(.+)$/.exec(token);
    if (site?.[2]) (site[1] ? notSites : sites).push(site[2].toLowerCase());
    else words.push(token.toLowerCase());
  }
  return { words, sites, notSites };
}

function onSite(url: string, site: string): boolean {
  const host = new URL(url).hostname.toLowerCase();
  return host === site || host.endsWith(`.${site}`) || host === `www.${site}`;
}

function matching(pages: FakeWebPage[], words: string[], sites: string[], notSites: string[]): FakeWebPage[] {
  return pages
    .map((page) => {
      const text = `${page.title} ${page.snippet} ${page.url}`.toLowerCase();
      return { page, hits: words.filter((word) => text.includes(word)).length };
    })
    .filter(({ hits }) => hits > 0 || words.length === 0)
    .filter(({ page }) => sites.length === 0 || sites.some((site) => onSite(page.url, site)))
    .filter(({ page }) => !notSites.some((site) => onSite(page.url, site)))
    .sort((a, b) => b.hits - a.hits)
    .map(({ page }) => page);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function bold(text: string, words: string[]): string {
  let html = escapeHtml(text);
  for (const word of words) {
    if (word.length < 2) continue;
    html = html.replace(new RegExp(`(${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')})`, 'gi'), '<b>$1</b>');
  }
  return html;
}

function redirect(url: string): string {
  return `//duckduckgo.com/l/?uddg=${encodeURIComponent(url)}&amp;rut=${randomUUID().replace(/-/g, '')}`;
}

function resultBlock(page: FakeWebPage, words: string[]): string {
  const link = redirect(page.url);
  const display = page.url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  const host = new URL(page.url).hostname;
  return `
            <div class="result results_links results_links_deep web-result ">
          <div class="links_main links_deep result__body"> <!-- This is the visible part -->
          <h2 class="result__title">
            <a rel="nofollow" class="result__a" href="${link}">${bold(page.title, words)}</a>
          </h2>
            <div class="result__extras">
              <div class="result__extras__url">
                <span class="result__icon">
                  <a rel="nofollow" href="${link}">
                    <img class="result__icon__img" width="16" height="16" alt=""
                      src="//external-content.duckduckgo.com/ip3/${host}.ico" name="i15" />
                  </a>
                </span>
                <a class="result__url" href="${link}">
                  ${escapeHtml(display)}
                </a>
              </div>
            </div>
                  <a class="result__snippet" href="${link}">${bold(page.snippet, words)}</a>
            <div class="clear"></div>
          </div>
        </div>`;
}

const AD_BLOCK = `
            <div class="result results_links results_links_deep result--ad result--ad--small">
          <div class="links_main links_deep result__body">
          <h2 class="result__title">
            <a rel="nofollow" class="result__a" href="https://duckduckgo.com/y.js?ad_domain=gpu-cloud.example&amp;ad_provider=bingv7aa&amp;ad_type=txad&amp;u3=https%3A%2F%2Fwww.bing.com%2Faclick">Rent GPUs Cheap - Train Any Model Today</a>
          </h2>
                  <a class="result__snippet" href="https://duckduckgo.com/y.js?ad_domain=gpu-cloud.example">Sponsored. H100s by the minute.</a>
            <div class="clear"></div>
          </div>
        </div>`;

function page(q: string, body: string): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta http-equiv="content-type" content="text/html; charset=UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0, maximum-scale=3.0, user-scalable=1" />
  <meta name="referrer" content="origin" />
  <title>${escapeHtml(q)} at DuckDuckGo</title>
  <link title="DuckDuckGo (HTML)" type="application/opensearchdescription+xml" rel="search" href="//duckduckgo.com/opensearch_html_v2.xml" />
  <link rel="stylesheet" href="//duckduckgo.com/dist/h.d5b1b6bdb4e7c7d4ad4d.css" type="text/css"/>
</head>
<body class="body--html">
  <a name="top" id="top"></a>
  <form action="/html/" method="post">
    <input type="text" name="state_hidden" id="state_hidden" />
  </form>
  <div>
    <div class="site-wrapper-border"></div>
    <div id="header" class="header cw header--html">
        <a title="DuckDuckGo" href="/html/" class="header__logo-wrap"></a>
    <form name="x" class="header__form" action="/html/" method="post">
      <div class="search search--header">
          <input name="q" autocomplete="off" class="search__input" id="search_form_input_homepage" type="text" value="${escapeHtml(q)}" />
          <input name="b" id="search_button_homepage" class="search__button search__button--html" value="" title="Search" alt="Search" type="submit" />
      </div>
    </form>
    </div>
<!-- Web results are present -->
  <div>
  <div class="serp__results">
  <div id="links" class="results">
${body}
        <div class="nav-link">
        <form action="/html/" method="post">
          <input type="submit" class='btn btn--alt' value="Next" />
          <input type="hidden" name="q" value="${escapeHtml(q)}" />
          <input type="hidden" name="s" value="10" />
          <input type="hidden" name="dc" value="11" />
        </form>
        </div>
        <div class=" feedback-btn">
          <a rel="nofollow" href="//duckduckgo.com/feedback.html" target="_new">Feedback</a>
        </div>
        <div class="clear"></div>
  </div>
  </div> <!-- links wrapper //-->
  </div>
  </div>
</body>
</html>`;
}

const CHALLENGE_PAGE = `<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="utf-8"><title>DuckDuckGo</title></head>
<body>
  <div class="anomaly-modal__mask">
    <div class="anomaly-modal__modal" data-testid="anomaly-modal">
      <div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
      <div class="anomaly-modal__description">Please complete the following challenge to confirm this search was made by a human.</div>
      <form id="challenge-form" action="//duckduckgo.com/anomaly.js?sv=html&amp;cc=botnet&amp;ti=1" method="POST">
        <div class="anomaly-modal__puzzle"></div>
        <button class="btn btn--primary anomaly-modal__submit" type="submit">Submit</button>
      </form>
    </div>
  </div>
</body>
</html>`;

const HTML = { 'content-type': 'text/html; charset=UTF-8' };

function duckDuckGo(world: FakeWebSearchWorld, q: string): LoopbackAnswer {
  if (world.duckDuckGo === 'challenge') return { status: 202, body: CHALLENGE_PAGE, headers: HTML };
  if (world.duckDuckGo === 'garbage') {
    return {
      status: 200,
      body: '<html><body><p>Service update in progress.</p></body></html>',
      headers: HTML,
    };
  }
  const { words, sites, notSites } = readQuery(q);
  const found = matching(world.pages, words, sites, notSites).slice(0, 10);
  const blocks =
    found.length === 0
      ? `            <div class="result results_links results_links_deep result--no-result">
          <div class="no-results">No  results.</div>
        </div>`
      : `${world.ads ? AD_BLOCK : ''}${found.map((p) => resultBlock(p, words)).join('\n')}`;
  return { status: 200, body: page(q, blocks), headers: HTML };
}

function exaError(status: number, error: string, tag: string): LoopbackAnswer {
  return { status, body: { requestId: randomUUID().replace(/-/g, ''), error, tag } };
}

function exaSearch(world: FakeWebSearchWorld, req: LoopbackRequest): LoopbackAnswer {
  const key = req.headers['x-api-key'];
  if (!key || key !== world.exaKey) return exaError(401, 'Invalid API key', 'INVALID_API_KEY');
  if (world.exaOutOfCredits) {
    return exaError(402, 'You have run out of credits. Top up at dashboard.exa.ai.', 'NO_MORE_CREDITS');
  }
  const body = req.json as
    { query?: unknown; numResults?: unknown; includeDomains?: unknown; excludeDomains?: unknown } | undefined;
  if (!body || typeof body.query !== 'string' || body.query.length === 0) {
    return exaError(400, 'Invalid request body: query is required', 'INVALID_REQUEST_BODY');
  }
  const numResults = typeof body.numResults === 'number' ? body.numResults : 10;
  if (numResults > 100) return exaError(400, 'numResults must be at most 100', 'INVALID_NUM_RESULTS');
  const include = Array.isArray(body.includeDomains) ? (body.includeDomains as string[]) : [];
  const exclude = Array.isArray(body.excludeDomains) ? (body.excludeDomains as string[]) : [];
  const { words } = readQuery(body.query);
  const found = matching(world.pages, words, include, exclude).slice(0, numResults);
  return {
    body: {
      requestId: randomUUID().replace(/-/g, ''),
      resolvedSearchType: 'neural',
      searchType: 'auto',
      results: found.map((p, index) => ({
        id: p.url,
        title: p.title,
        url: p.url,
        publishedDate: p.published ? `${p.published}T00:00:00.000Z` : null,
        author: null,
        highlights: [p.snippet],
        highlightScores: [0.9 - index * 0.05],
      })),
      costDollars: { total: 0.006, search: { neural: 0.005 }, contents: { highlights: 0.001 } },
    },
  };
}
