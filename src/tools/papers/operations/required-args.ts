import { ToolInputError } from '../../shared/service-error.js';
import { parseArxivId, type ArxivId } from '../arxiv-id.js';
import type { PapersArgs } from '../parameters.js';

/** The arXiv id an operation needs, checked; a missing one says which operation wanted it. */
export function requireArxivId(args: PapersArgs): ArxivId {
  if (!args.arxiv_id) {
    throw new ToolInputError(
      `'arxiv_id' is required for ${args.operation}; search or trending give paper ids.`,
    );
  }
  return parseArxivId(args.arxiv_id);
}

export function requireQuery(args: PapersArgs): string {
  const query = args.query?.trim();
  if (!query) throw new ToolInputError(`'query' is required for ${args.operation}.`);
  return query;
}
