import { count, truncate } from './format-text.js';
import type { HubPaper, HubPaperEntry } from './hub-papers-api.js';
import { arxivAbsUrl, paperPageUrl } from './papers-deps.js';

/** Summaries in lists stay short: a list is for choosing, paper_details is for reading. */
const LIST_SUMMARY_CHARS = 300;
const DETAIL_ABSTRACT_CHARS = 1500;
const MAX_AUTHORS = 10;

/** The Hub's papers as a numbered Markdown list (the reference's `_format_paper_list`). */
export function formatPaperList(
  papers: readonly HubPaperEntry[],
  heading: string,
  notes: readonly string[] = [],
): string {
  const lines = [`# ${heading}`, ...notes, `Showing ${papers.length} paper(s)`, ''];
  papers.forEach((paper, index) => {
    lines.push(`## ${index + 1}. ${paper.title ?? 'Untitled'}`);
    lines.push(`**arxiv_id:** ${paper.id} | **upvotes:** ${count(paper.upvotes)}`);
    lines.push(paperPageUrl(paper.id));
    if (paper.ai_keywords?.length) lines.push(`**Keywords:** ${paper.ai_keywords.slice(0, 5).join(', ')}`);
    if (paper.githubRepo) lines.push(`**GitHub:** ${paper.githubRepo} (${count(paper.githubStars)} stars)`);
    const summary = paper.ai_summary || paper.summary;
    if (summary) lines.push(`**Summary:** ${truncate(summary, LIST_SUMMARY_CHARS)}`);
    lines.push('');
  });
  lines.push('Next: paper_details or read_paper with an arxiv_id from above.');
  return lines.join('\n');
}

/** One paper's metadata (the reference's `_format_paper_detail`). */
export function formatPaperDetails(paper: HubPaper): string {
  const lines = [`# ${paper.title ?? 'Untitled'}`];
  lines.push(`**arxiv_id:** ${paper.id} | **upvotes:** ${count(paper.upvotes)}`);
  lines.push(paperPageUrl(paper.id), arxivAbsUrl(paper.id));
  const names = (paper.authors ?? []).map((a) => a.name ?? '').filter((name) => name.length > 0);
  if (names.length > 0) {
    const more = names.length > MAX_AUTHORS ? ` (+${names.length - MAX_AUTHORS} more)` : '';
    lines.push(`**Authors:** ${names.slice(0, MAX_AUTHORS).join(', ')}${more}`);
  }
  if (paper.publishedAt) lines.push(`**Published:** ${paper.publishedAt.slice(0, 10)}`);
  if (paper.ai_keywords?.length) lines.push(`**Keywords:** ${paper.ai_keywords.join(', ')}`);
  if (paper.githubRepo) lines.push(`**GitHub:** ${paper.githubRepo} (${count(paper.githubStars)} stars)`);
  if (paper.projectPage) lines.push(`**Project page:** ${paper.projectPage}`);
  if (paper.ai_summary) lines.push('', '## AI summary', paper.ai_summary.trim());
  if (paper.summary) lines.push('', '## Abstract', truncate(paper.summary, DETAIL_ABSTRACT_CHARS));
  lines.push(
    '',
    'Next: read_paper to read its sections, find_models / find_datasets / find_collections for linked ' +
      'resources, citation_graph for references and citations.',
  );
  return lines.join('\n');
}
