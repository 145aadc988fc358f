import { z } from 'zod';
import { defineTool, type AnyToolSpec, type ToolContext } from '../../core/tool-spec.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import { loadSectionIndex, loadSectionPages, type CorpusLimits, type SectionIndex } from './docs-corpus.js';
import { searchDocs, type DocsHit } from './docs-search.js';
import { DOCS_SECTIONS, resolveSection } from './docs-sections.js';
import { PUBLIC_HUB, publicUrl } from './docs-urls.js';

const DEFAULT_RESULTS = 10;
const MAX_RESULTS = 50;

const parameters = z.object({
  endpoint: z
    .string()
    .min(1)
    .describe(
      `The documentation section: ${DOCS_SECTIONS.map((section) => `${section.name} (${section.about})`).join('; ')}.`,
    ),
  query: z
    .string()
    .optional()
    .describe(
      'Words to search the section\'s pages for ("SFTConfig packing", "push_to_hub private"). Without it, the section\'s pages are listed.',
    ),
  max_results: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`How many results (default ${DEFAULT_RESULTS}, at most ${MAX_RESULTS}).`),
});

/** `explore_hf_docs`: search (or list) one section of the Hugging Face docs. */
export function exploreHfDocsTool(services: ToolServices, limits: CorpusLimits): AnyToolSpec {
  return defineTool({
    name: 'explore_hf_docs',
    description:
      'Search one section of the Hugging Face documentation (its Markdown pages, full text) and get the best ' +
      "passages with their page URL and a snippet; without a query, list the section's pages. Then read a page " +
      'with fetch_hf_docs. Check current APIs here (trainer configs such as SFTConfig, DPOConfig, GRPOConfig; ' +
      'Hub features) before writing code: your memory of them is out of date.',
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const section = resolveSection(args.endpoint);
      const wanted = Math.min(args.max_results ?? DEFAULT_RESULTS, MAX_RESULTS);
      const capped = (args.max_results ?? 0) > MAX_RESULTS ? ` (${MAX_RESULTS} at most)` : '';
      const deps = { services, limits, signal: ctx.signal };
      const index = await loadSectionIndex(section, deps);
      const query = args.query?.trim();
      const text = query
        ? await searchSection(index, query, wanted, capped, deps, ctx)
        : listSection(index, wanted, capped);
      return {
        output: trimOutput(text, undefined, 'ask for fewer results (max_results) or a narrower query'),
      };
    },
  });
}

async function searchSection(
  index: SectionIndex,
  query: string,
  wanted: number,
  capped: string,
  deps: Parameters<typeof loadSectionPages>[1],
  ctx: ToolContext,
): Promise<string> {
  const name = index.section.name;
  const corpus = await loadSectionPages(index, {
    ...deps,
    // Progress only: a thread that cannot show it must not fail the search.
    onFirstFetch: (pages) =>
      void ctx.log(`Reading the ${name} docs (up to ${pages} pages, kept a day)…`).catch(() => undefined),
  });
  const hits = searchDocs(corpus.pages, query, wanted);
  const notes = corpus.gaps.map((gap) => `Note: ${gap}\n`).join('');
  if (hits.length === 0) {
    return (
      `No passage of the ${name} docs matches "${query}" (${corpus.pages.length} pages searched). ` +
      `Try other words, another endpoint, or call explore_hf_docs without a query to list the pages.\n${notes}`
    );
  }
  const lines = [
    `# "${query}" in the ${name} docs (${sectionLink(index)})`,
    `${hits.length} result(s)${capped} from ${corpus.pages.length} pages, best first. Read one with fetch_hf_docs {url}.`,
    notes,
    ...hits.map(formatHit),
  ];
  return lines.join('\n');
}

function formatHit(hit: DocsHit, i: number): string {
  const title =
    hit.heading && hit.heading !== hit.page.entry.title
      ? `${hit.page.entry.title} › ${hit.heading}`
      : hit.page.entry.title;
  const url = publicUrl(
    hit.page.entry.path,
    hit.heading && hit.heading !== hit.page.entry.title ? hit.anchor : undefined,
  );
  const where =
    hit.lineStart !== undefined ? ` (lines ${hit.lineStart}–${hit.lineEnd})` : ' (title only: text not read)';
  return `${i + 1}. **${title}** — ${url}${where}\n   ${hit.snippet || hit.page.entry.description || ''}\n`;
}

function listSection(index: SectionIndex, wanted: number, capped: string): string {
  const total = index.indexes.reduce((sum, llms) => sum + llms.entries.length, 0);
  const lines = [
    `# The ${index.section.name} docs (${sectionLink(index)}): ${total} pages`,
    `Showing ${Math.min(wanted, total)}${capped}; set max_results for more, or add a query to search the pages' text. Read a page with fetch_hf_docs {url}.`,
  ];
  if (index.missingRoots.length > 0) {
    lines.push(`Note: no index for ${index.missingRoots.map((root) => `/${root}`).join(', ')}.`);
  }
  let shown = 0;
  for (const llms of index.indexes) {
    if (shown >= wanted) break;
    lines.push('', `## ${llms.title}${llms.summary ? ` — ${llms.summary}` : ''}`);
    let group: string | undefined;
    for (const entry of llms.entries) {
      if (shown >= wanted) break;
      if (entry.group && entry.group !== group) {
        group = entry.group;
        // The Hub's indexes put every page under one "## Docs": a heading only when there are groups.
        if (group !== 'Docs') lines.push(`### ${group}`);
      }
      shown++;
      lines.push(
        `${shown}. ${entry.title} — ${publicUrl(entry.path)}${entry.description ? ` — ${entry.description}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

function sectionLink(index: SectionIndex): string {
  const roots = index.section.roots;
  return roots.length === 1 ? `${PUBLIC_HUB}/${roots[0]}` : `${roots.length} roots under ${PUBLIC_HUB}`;
}
