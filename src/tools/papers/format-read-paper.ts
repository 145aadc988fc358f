import type { ParsedPaper, PaperSection } from './arxiv-html-parser.js';
import { sectionLabel } from './find-section.js';
import { truncate } from './format-text.js';
import { arxivAbsUrl, arxivPdfUrl } from './papers-deps.js';

/** Room the previews of the table of contents share, so that every title fits in one result. */
const PREVIEWS_BUDGET = 4000;
const MAX_PREVIEW = 280;

/** Abstract and table of contents (the reference's `_format_read_paper_toc`). */
export function formatPaperToc(paper: ParsedPaper, arxivId: string): string {
  const lines = [`# ${paper.title || arxivId}`, arxivAbsUrl(arxivId), ''];
  if (paper.abstract) lines.push('## Abstract', paper.abstract, '');
  lines.push('## Sections');
  const preview = Math.min(MAX_PREVIEW, Math.floor(PREVIEWS_BUDGET / Math.max(1, paper.sections.length)));
  for (const section of paper.sections) {
    const indent = '  '.repeat(Math.max(0, section.level - 1));
    const text =
      preview >= 40 ? `: ${section.text ? truncate(section.text, preview) : '(no text of its own)'}` : '';
    lines.push(`${indent}- **${sectionLabel(section)}**${text}`);
  }
  lines.push(
    '',
    'Next: read_paper with section set to a number or a title (section="4", section="Experiments") to read it.',
  );
  return lines.join('\n');
}

/** One section with its subsections, each under its own heading. */
export function formatPaperSection(parts: readonly PaperSection[], arxivId: string): string {
  const [head, ...subsections] = parts;
  if (!head) return '';
  const lines = [`# ${sectionLabel(head)}`, arxivAbsUrl(arxivId), ''];
  lines.push(head.text || '(This section has no text of its own.)');
  for (const sub of subsections) {
    lines.push('', `${'#'.repeat(Math.min(6, 1 + sub.level - head.level))} ${sectionLabel(sub)}`);
    if (sub.text) lines.push(sub.text);
  }
  return lines.join('\n');
}

/** When arXiv has no HTML: the abstract from the Hub, and where the PDF is. */
export function formatAbstractOnly(arxivId: string, title: string, abstract: string): string {
  return [
    `# ${title || arxivId}`,
    arxivAbsUrl(arxivId),
    '',
    '## Abstract',
    abstract || '(no abstract)',
    '',
    'arXiv has no HTML version of this paper, so only the abstract is shown.',
    `PDF: ${arxivPdfUrl(arxivId)}`,
  ].join('\n');
}
