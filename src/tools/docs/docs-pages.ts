import { parse } from 'node-html-parser';
import { ServiceError } from '../shared/service-error.js';
import type { ToolServices } from '../tool-services.js';
import { DOCS_SERVICE, fetchDocsText, type DocsCallOptions } from './docs-client.js';
import { markdownUrl } from './docs-urls.js';

/** Docs change with releases, not by the minute: a page or an index is kept a day. */
export const DOCS_TTL_SECONDS = 24 * 60 * 60;
/** A page longer than this is stored cut (the biggest API references are ~150 kB). */
const MAX_PAGE_CHARS = 300_000;

export interface DocsPageText {
  markdown: string;
  /** The Hub answered with HTML (no Markdown form): the text was extracted from it. */
  fromHtml?: boolean;
}

export interface PageLoad {
  services: ToolServices;
  options: DocsCallOptions;
  signal: AbortSignal;
  /** Called before a page is fetched from the Hub (not found in the cache). */
  onFetch?: () => void;
}

/** The cache key of a page, by the path it is known under. */
export function pageCacheKey(hubUrl: string, path: string): string {
  return `docs:v1:${hubUrl}:page:${path}`;
}

/**
 * A page's Markdown, from the cache or `GET <path>.md` on `HF_ENDPOINT`. `cachePath` names the page
 * in the cache (the evergreen path when the page is the current version). A failure is not cached.
 */
export async function loadDocsPage(
  requestPath: string,
  cachePath: string,
  load: PageLoad,
): Promise<DocsPageText> {
  const { services } = load;
  return services.cache.getOrLoad(pageCacheKey(services.hub.url, cachePath), DOCS_TTL_SECONDS, async () => {
    load.onFetch?.();
    const url = markdownUrl(services.hub.url, requestPath);
    const { text, contentType } = await fetchDocsText(services, url, load.signal, load.options);
    return pageText(text, contentType);
  });
}

function pageText(text: string, contentType: string): DocsPageText {
  const html = /html/i.test(contentType) || /^\s*<(?:!doctype|html)/i.test(text);
  const markdown = (html ? htmlText(text) : text).trim();
  if (!markdown) {
    throw new ServiceError(`${DOCS_SERVICE.label} sent an empty page; try again later, or another page.`);
  }
  const cut =
    markdown.length > MAX_PAGE_CHARS
      ? `${markdown.slice(0, MAX_PAGE_CHARS)}\n\n[… the page goes on; it is stored cut at ${MAX_PAGE_CHARS.toLocaleString('en')} characters …]`
      : markdown;
  return html ? { markdown: cut, fromHtml: true } : { markdown: cut };
}

/** The readable text of an HTML page: its main content without scripts, navigation and chrome. */
function htmlText(html: string): string {
  const root = parse(html);
  for (const noise of root.querySelectorAll(
    'script, style, noscript, svg, nav, header, footer, aside, form',
  )) {
    noise.remove();
  }
  const main =
    root.querySelector('main') ?? root.querySelector('article') ?? root.querySelector('body') ?? root;
  return main.structuredText.replace(/\n{3,}/g, '\n\n');
}
