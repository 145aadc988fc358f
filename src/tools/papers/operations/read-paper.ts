import { ServiceError, ToolInputError } from '../../shared/service-error.js';
import { fetchPaperHtml } from '../arxiv-html-api.js';
import { findSection, sectionLabel, sectionWithSubsections } from '../find-section.js';
import { formatAbstractOnly, formatPaperSection, formatPaperToc } from '../format-read-paper.js';
import { getHubPaper } from '../hub-papers-api.js';
import type { PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { requireArxivId } from './required-args.js';

/**
 * A paper's text from arXiv's HTML: without `section`, the abstract and the sections (numbers,
 * titles, a preview of each); with `section`, that section and its subsections. A paper arXiv has
 * no HTML for falls back to its abstract on the Hub, as the reference does.
 */
export async function readPaper(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const arxivId = requireArxivId(args);
  const paper = await fetchPaperHtml(deps, arxivId.id, signal);
  if (!paper || paper.sections.length === 0) return abstractOnly(deps, arxivId.id, arxivId.bare, signal);
  if (!args.section) return formatPaperToc(paper, arxivId.id);
  const index = findSection(paper.sections, args.section);
  if (index === undefined) {
    const available = paper.sections.map(
      (section) => `${'  '.repeat(section.level - 1)}- ${sectionLabel(section)}`,
    );
    throw new ToolInputError(
      `No section '${args.section}' in ${arxivId.id}. Its sections are:\n${available.join('\n')}`,
    );
  }
  return formatPaperSection(sectionWithSubsections(paper.sections, index), arxivId.id);
}

async function abstractOnly(
  deps: PapersDeps,
  id: string,
  bare: string,
  signal: AbortSignal,
): Promise<string> {
  try {
    const paper = await getHubPaper(deps, bare, signal);
    return formatAbstractOnly(id, paper.title ?? '', paper.summary ?? '');
  } catch (err) {
    if (err instanceof ServiceError && err.status === 404) {
      throw new ServiceError(
        `arXiv has no HTML version of ${id} and Hugging Face Papers does not know it either: check the id ` +
          `(search finds papers by title), or read the PDF at https://arxiv.org/pdf/${id}.`,
        { status: 404, cause: err },
      );
    }
    throw err;
  }
}
