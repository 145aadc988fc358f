import { z } from 'zod';

/** The operations of the reference agent's `hf_papers` that DESIGN.md's contract keeps. */
export const PAPER_OPERATIONS = [
  'trending',
  'search',
  'paper_details',
  'read_paper',
  'citation_graph',
  'recommend',
  'find_datasets',
  'find_models',
  'find_collections',
] as const;

export type PaperOperation = (typeof PAPER_OPERATIONS)[number];

export const DEFAULT_LIMIT = 10;
/** The reference caps every list at 50: more would not fit a result anyway. */
export const MAX_LIMIT = 50;

/** Dates as Semantic Scholar's `publicationDateOrYear` takes them: `2024`, `2024-03` or `2024-03-05`. */
const partialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'use YYYY, YYYY-MM or YYYY-MM-DD');

/** One flat object, as the reference has it: `operation` picks the action, the rest is per operation. */
export const papersParameters = z.object({
  operation: z
    .enum(PAPER_OPERATIONS)
    .describe(
      'What to do: trending (daily papers), search, paper_details, read_paper, citation_graph, recommend, ' +
        'find_datasets, find_models, find_collections.',
    ),
  query: z
    .string()
    .min(1)
    .max(250)
    .optional()
    .describe('Search words. Required for search; optional for trending (keeps the papers that mention it).'),
  arxiv_id: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "arXiv id such as '2305.18290' (an arXiv or huggingface.co/papers URL works too). Required for " +
        'paper_details, read_paper, citation_graph, find_datasets, find_models, find_collections; ' +
        'for recommend unless positive_ids is given. Get ids from search or trending first.',
    ),
  section: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe(
      "read_paper: the section to read, by number or title ('4', '4.2', 'A', 'Experiments'). " +
        'Without it, read_paper returns the abstract and the list of sections.',
    ),
  limit: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`How many results to return (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
    .optional()
    .describe('trending: the daily papers of this day (YYYY-MM-DD) instead of the current trending list.'),
  direction: z
    .enum(['citations', 'references', 'both'])
    .optional()
    .describe('citation_graph: papers citing this one, papers it cites, or both (default both).'),
  sort: z
    .enum(['downloads', 'likes', 'trending'])
    .optional()
    .describe('find_datasets and find_models: order of the linked repos (default downloads).'),
  date_from: partialDate
    .optional()
    .describe('search: published on or after this date (YYYY[-MM[-DD]]); searches Semantic Scholar.'),
  date_to: partialDate
    .optional()
    .describe('search: published on or before this date (YYYY[-MM[-DD]]); searches Semantic Scholar.'),
  categories: z
    .string()
    .max(200)
    .optional()
    .describe(
      "search: field of study, e.g. 'Computer Science' (comma-separated); searches Semantic Scholar.",
    ),
  min_citations: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('search: only papers cited at least this often; searches Semantic Scholar.'),
  sort_by: z
    .enum(['relevance', 'citationCount', 'publicationDate'])
    .optional()
    .describe('search: order of Semantic Scholar results (default relevance); searches Semantic Scholar.'),
  positive_ids: z
    .string()
    .max(1000)
    .optional()
    .describe('recommend: comma-separated arXiv ids of papers like the ones wanted (instead of arxiv_id).'),
  negative_ids: z
    .string()
    .max(1000)
    .optional()
    .describe('recommend: comma-separated arXiv ids of papers unlike the ones wanted (with positive_ids).'),
});

export type PapersArgs = z.infer<typeof papersParameters>;

/** The limit asked for, within 1..MAX_LIMIT. */
export function limitOf(args: PapersArgs): number {
  return Math.min(args.limit ?? DEFAULT_LIMIT, MAX_LIMIT);
}
