import { ServiceError } from '../shared/service-error.js';
import type { ToolServices } from '../tool-services.js';
import { DOCS_SERVICE, fetchDocsText, type DocsCallOptions } from './docs-client.js';
import { DOCS_TTL_SECONDS, loadDocsPage } from './docs-pages.js';
import type { DocsSection } from './docs-sections.js';
import { canonicalPath } from './docs-urls.js';
import { parseLlmsTxt, type LlmsEntry, type LlmsIndex } from './llms-index.js';

/** How far a search goes fetching pages before it answers with what it has. */
export interface CorpusLimits extends DocsCallOptions {
  /** Pages whose text is read per section; the rest are searched by title. Default 300. */
  maxPages?: number;
  /** Time spent fetching pages in one call; the pages not reached are fetched by the next. Default 40 s. */
  budgetMs?: number;
}

const PAGE_CONCURRENCY = 6;
const DEFAULT_MAX_PAGES = 300;
const DEFAULT_BUDGET_MS = 40_000;

export interface SectionIndex {
  section: DocsSection;
  indexes: LlmsIndex[];
  /** Roots of a composite section that serve no index (404). */
  missingRoots: string[];
}

export interface CorpusPage {
  entry: LlmsEntry;
  root: string;
  /** Undefined when the page was not read (past the limits, or its fetch failed). */
  markdown?: string;
}

export interface SectionCorpus {
  pages: CorpusPage[];
  /** Why some pages are searched by title only, for the result's note. */
  gaps: string[];
}

interface Deps {
  services: ToolServices;
  limits: CorpusLimits;
  signal: AbortSignal;
}

type CachedIndex = LlmsIndex | { missing: true };

/**
 * The `llms.txt` of every root of `section`, each cached a day (a 404 too: a library without an
 * index stays without one). A library that serves none at `/docs/<lib>/llms.txt` is looked up at
 * `/docs/<lib>/main/llms.txt`, where some keep it.
 */
export async function loadSectionIndex(section: DocsSection, deps: Deps): Promise<SectionIndex> {
  const { services } = deps;
  const found = await Promise.all(
    section.roots.map((root) =>
      services.cache.getOrLoad<CachedIndex>(
        `docs:v1:${services.hub.url}:llms:${root}`,
        DOCS_TTL_SECONDS,
        () => loadRootIndex(root, deps),
      ),
    ),
  );
  const indexes = found.filter((index): index is LlmsIndex => !('missing' in index));
  const missingRoots = section.roots.filter((_, i) => 'missing' in (found[i] ?? { missing: true }));
  if (indexes.length === 0) {
    throw new ServiceError(
      `${DOCS_SERVICE.label} have no Markdown index for "${section.name}" (404 at /${section.roots[0]}/llms.txt). Use fetch_hf_docs on a page URL you know (https://huggingface.co/${section.roots[0]}/…), or web_search.`,
      { status: 404 },
    );
  }
  return { section, indexes, missingRoots };
}

async function loadRootIndex(root: string, deps: Deps): Promise<CachedIndex> {
  const hub = deps.services.hub.url.replace(/\/+$/, '');
  const candidates = root.startsWith('docs/')
    ? [`/${root}/llms.txt`, `/${root}/main/llms.txt`]
    : [`/${root}/llms.txt`];
  for (const path of candidates) {
    let answer;
    try {
      answer = await fetchDocsText(deps.services, `${hub}${path}`, deps.signal, deps.limits);
    } catch (err) {
      if (err instanceof ServiceError && err.status === 404) continue;
      throw err;
    }
    const index = parseLlmsTxt(root, answer.text, deps.services.hub.url);
    if (index.entries.length === 0) {
      throw new ServiceError(
        `${DOCS_SERVICE.label} sent an index for ${root} that lists no pages (${answer.text.length} bytes, ${answer.contentType || 'no content type'}); try again later.`,
      );
    }
    return index;
  }
  return { missing: true };
}

/**
 * The pages of `index` with their Markdown, read from the cache or fetched (a few at a time) within
 * the limits. Pages past the limits, or whose fetch failed, keep only their title and description;
 * a rate limit stops the fetching at once. Every page is cached on its own, so the next search
 * fetches only what this one did not reach.
 */
export async function loadSectionPages(
  index: SectionIndex,
  deps: Deps & { onFirstFetch?: (pages: number) => void },
): Promise<SectionCorpus> {
  const pages: CorpusPage[] = index.indexes.flatMap((llms) =>
    llms.entries.map((entry) => ({ entry, root: llms.root })),
  );
  const limit = Math.min(pages.length, deps.limits.maxPages ?? DEFAULT_MAX_PAGES);
  const deadline = Date.now() + (deps.limits.budgetMs ?? DEFAULT_BUDGET_MS);
  let next = 0;
  let failed = 0;
  let stop: string | undefined;
  let announced = false;
  const onFetch = (): void => {
    if (announced) return;
    announced = true;
    deps.onFirstFetch?.(limit);
  };
  const worker = async (): Promise<void> => {
    while (next < limit && stop === undefined && !deps.signal.aborted) {
      if (Date.now() > deadline) {
        stop = 'the time for reading pages ran out';
        break;
      }
      const page = pages[next++] as CorpusPage;
      try {
        const text = await loadDocsPage(page.entry.path, canonicalPath(page.entry.path), {
          services: deps.services,
          options: deps.limits,
          signal: deps.signal,
          onFetch,
        });
        page.markdown = text.markdown;
      } catch (err) {
        if (err instanceof ServiceError && err.status === 429) stop = 'the docs are rate limiting';
        else failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PAGE_CONCURRENCY, limit) }, worker));
  if (deps.signal.aborted) throw new ServiceError('Stopped: the turn was interrupted.');
  const unread = pages.filter((page) => page.markdown === undefined).length;
  const gaps: string[] = [];
  if (unread > 0) {
    const reasons = [
      ...(pages.length > limit ? [`only the first ${limit} pages are read`] : []),
      ...(stop ? [`${stop} (a later search reads more)`] : []),
      ...(failed > 0 ? [`${failed} failed to load`] : []),
    ];
    gaps.push(`${unread} of ${pages.length} pages are searched by title only: ${reasons.join('; ')}.`);
  }
  if (index.missingRoots.length > 0) {
    gaps.push(`No index for ${index.missingRoots.map((root) => `/${root}`).join(', ')}.`);
  }
  return { pages, gaps };
}
