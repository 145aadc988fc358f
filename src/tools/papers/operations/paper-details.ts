import { formatPaperDetails } from '../format-hub-papers.js';
import { getHubPaper } from '../hub-papers-api.js';
import type { PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { requireArxivId } from './required-args.js';

/** The Hub's page data of one paper: authors, abstract, AI summary, GitHub and project links. */
export async function paperDetails(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const { bare } = requireArxivId(args);
  return formatPaperDetails(await getHubPaper(deps, bare, signal));
}
