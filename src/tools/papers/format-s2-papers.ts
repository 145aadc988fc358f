import { count, truncate } from './format-text.js';
import { arxivAbsUrl } from './papers-deps.js';
import type { CitationEdge, S2Paper } from './semantic-scholar-api.js';

/** Semantic Scholar's papers, citation edges and graphs as Markdown (the reference's layouts). */

function arxivOf(paper: S2Paper | null | undefined): string | undefined {
  const value = paper?.externalIds?.ArXiv;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function formatS2PaperList(
  papers: readonly S2Paper[],
  heading: string,
  notes: readonly string[] = [],
): string {
  const lines = [`# ${heading}`, ...notes, `Showing ${papers.length} result(s)`, ''];
  papers.forEach((paper, index) => {
    const arxiv = arxivOf(paper);
    lines.push(`### ${index + 1}. ${paper.title ?? '(untitled)'}`);
    const meta = [`Year: ${paper.year ?? '?'}`, `Citations: ${count(paper.citationCount)}`];
    if (paper.venue) meta.push(`Venue: ${paper.venue}`);
    if (arxiv) meta.push(`arxiv_id: ${arxiv}`);
    lines.push(meta.join(' | '));
    if (arxiv) lines.push(arxivAbsUrl(arxiv));
    if (paper.tldr?.text) lines.push(`**TL;DR:** ${truncate(paper.tldr.text, 300)}`);
    lines.push('');
  });
  lines.push('Next: paper_details or read_paper with an arxiv_id from above.');
  return lines.join('\n');
}

function formatEdge(edge: CitationEdge, withContext: boolean): string {
  const paper = edge.citingPaper ?? edge.citedPaper;
  const arxiv = arxivOf(paper);
  let line = `- **${paper?.title ?? '(untitled)'}** (${paper?.year ?? '?'}, ${count(paper?.citationCount)} cites)`;
  if (edge.isInfluential) line += ' **[influential]**';
  if (arxiv) line += ` arxiv:${arxiv}`;
  const parts = [line];
  if (withContext) {
    if (edge.intents?.length) parts.push(`  Intent: ${edge.intents.join(', ')}`);
    for (const context of (edge.contexts ?? []).slice(0, 2)) {
      if (context) parts.push(`  > ${truncate(context, 200)}`);
    }
  }
  return parts.join('\n');
}

export interface GraphPart {
  edges: CitationEdge[] | undefined;
  /** Why this direction is missing, when it failed and the other did not. */
  failure?: string | undefined;
}

export function formatCitationGraph(
  arxivId: string,
  references: GraphPart | undefined,
  citations: GraphPart | undefined,
): string {
  const lines = [`# Citation graph of ${arxivId}`, arxivAbsUrl(arxivId), ''];
  const part = (title: string, graph: GraphPart | undefined, withContext: boolean): void => {
    if (!graph) return;
    if (graph.edges === undefined) {
      lines.push(`## ${title}`, `Not available: ${graph.failure ?? 'unknown failure'}`, '');
      return;
    }
    lines.push(`## ${title} (${graph.edges.length})`);
    if (graph.edges.length === 0) lines.push(`No ${title.toLowerCase()} found.`);
    for (const edge of graph.edges) lines.push(formatEdge(edge, withContext));
    lines.push('');
  };
  part('References', references, false);
  part('Citations', citations, true);
  lines.push('Next: paper_details or read_paper with an arxiv id from above.');
  return lines.join('\n');
}
