import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { normalizeDomain, passesFilter, withSiteOperators, type DomainFilter } from './domain-filter.js';
import { searchDuckDuckGo } from './duckduckgo-search.js';
import { searchExa } from './exa-search.js';
import { formatResults, type WebResult } from './search-result.js';

const DEFAULT_RESULTS = 5;
const MAX_RESULTS = 10;
/** The web moves, but not within the few minutes a turn asks the same question twice. */
const CACHE_TTL_SECONDS = 600;

export interface WebToolsOptions {
  /** Per-attempt deadline for the search backend, ms (default 20 s; tests pass a short one). */
  timeoutMs?: number;
}

const domains = (what: string) =>
  z.array(z.string().trim().min(1).max(253)).max(20).optional().describe(what);

const parameters = z.object({
  query: z.string().trim().min(1).max(400).describe('What to search the web for, in plain words.'),
  allowed_domains: domains(
    "Only return results from these domains and their subdomains (e.g. ['huggingface.co', 'arxiv.org']).",
  ),
  blocked_domains: domains('Never return results from these domains.'),
  num_results: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe(`How many results to return (default ${DEFAULT_RESULTS}, at most ${MAX_RESULTS}).`),
});

type Args = z.infer<typeof parameters>;

/**
 * `web_search`: the open web, for what the Hub's docs, papers and GitHub do not cover (blog posts,
 * announcements, other projects' docs). Keyless by default through an HTML results page
 * (`WEB_SEARCH_URL`, DuckDuckGo's); through Exa's API when `EXA_API_KEY` is set, as the reference
 * agent does. A read, so it never asks.
 */
export function webSearchTool(services: ToolServices, options: WebToolsOptions = {}): AnyToolSpec {
  const exa = services.webSearch.exa;
  return defineTool({
    name: 'web_search',
    description:
      'Search the web for current information outside the Hugging Face ecosystem: blog posts, ' +
      "announcements, other libraries' docs, non-arXiv references. Use it when HF docs, papers and " +
      'GitHub search are not enough. Returns a few results (title, URL, snippet); scope them with ' +
      'allowed_domains / blocked_domains.',
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args: Args, ctx) {
      const filter: DomainFilter = {
        allowed: [...new Set((args.allowed_domains ?? []).map(normalizeDomain))],
        blocked: [...new Set((args.blocked_domains ?? []).map(normalizeDomain))],
      };
      const count = args.num_results ?? DEFAULT_RESULTS;
      const engine = exa ? 'Exa' : 'keyless search page';
      const key = createHash('sha256')
        .update(JSON.stringify([engine, exa?.url ?? services.webSearch.url, args.query, filter, count]))
        .digest('hex')
        .slice(0, 32);
      const found = await services.cache.getOrLoad<WebResult[]>(`web:search:${key}`, CACHE_TTL_SECONDS, () =>
        exa
          ? searchExa(exa, args.query, count, filter, ctx.signal, options.timeoutMs)
          : searchDuckDuckGo(
              services.webSearch.url,
              withSiteOperators(args.query, filter),
              ctx.signal,
              options.timeoutMs,
            ),
      );
      const kept = dedupe(found.filter((result) => passesFilter(result.url, filter)));
      const notes: string[] = [];
      if (kept.length === 0 && found.length > 0) {
        notes.push(`All ${found.length} results were outside the domain filter; widen or drop it.`);
      }
      return { output: formatResults(args.query, engine, kept.slice(0, count), notes) };
    },
  });
}

function dedupe(results: WebResult[]): WebResult[] {
  const seen = new Set<string>();
  return results.filter((result) => {
    const key = result.url.replace(/#.*$/, '').replace(/\/$/, '');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
