import { ToolInputError } from '../../shared/service-error.js';
import { parseArxivIdList } from '../arxiv-id.js';
import { formatS2PaperList } from '../format-s2-papers.js';
import { limitOf, type PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { recommendForPaper, recommendFromExamples } from '../semantic-scholar-api.js';
import { requireArxivId } from './required-args.js';

/** Papers like one paper (`arxiv_id`), or like some and unlike others (`positive_ids`, `negative_ids`). */
export async function recommend(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const limit = limitOf(args);
  const positive = parseArxivIdList(args.positive_ids);
  let papers;
  let basis: string;
  if (args.arxiv_id || positive.length === 0) {
    if (!args.arxiv_id) {
      throw new ToolInputError("'arxiv_id' or 'positive_ids' is required for recommend.");
    }
    const { bare } = requireArxivId(args);
    papers = await recommendForPaper(deps, bare, limit, signal);
    basis = bare;
  } else {
    const negative = parseArxivIdList(args.negative_ids);
    papers = await recommendFromExamples(
      deps,
      positive.map((id) => id.bare),
      negative.map((id) => id.bare),
      limit,
      signal,
    );
    basis = positive.map((id) => id.bare).join(', ');
  }
  if (papers.length === 0) return `No recommendations found for ${basis}.`;
  return formatS2PaperList(papers.slice(0, limit), `Papers recommended from ${basis} (Semantic Scholar)`);
}
