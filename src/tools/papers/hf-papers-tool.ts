import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import { citationGraph } from './operations/citation-graph.js';
import { findCollections, findDatasets, findModels } from './operations/linked-resources.js';
import { paperDetails } from './operations/paper-details.js';
import { readPaper } from './operations/read-paper.js';
import { recommend } from './operations/recommend.js';
import { search } from './operations/search.js';
import { trending } from './operations/trending.js';
import { papersParameters, type PaperOperation, type PapersArgs } from './parameters.js';
import type { PapersDeps, PapersToolOptions } from './papers-deps.js';

type Operation = (deps: PapersDeps, args: PapersArgs, signal: AbortSignal) => Promise<string>;

const OPERATIONS: Record<PaperOperation, Operation> = {
  trending,
  search,
  paper_details: paperDetails,
  read_paper: readPaper,
  citation_graph: citationGraph,
  recommend,
  find_datasets: findDatasets,
  find_models: findModels,
  find_collections: findCollections,
};

/** What to do when a result was cut, per operation. */
function howToSeeMore(args: PapersArgs): string {
  if (args.operation === 'read_paper') {
    return args.section
      ? 'read one of its subsections (e.g. section="4.2") to see the cut part'
      : 'read the sections one by one with section';
  }
  return 'ask for a smaller limit';
}

const DESCRIPTION =
  'Find ML research papers, read them, trace their citations and find what the Hub links to them. ' +
  'Combines Hugging Face Papers, arXiv and Semantic Scholar.\n\n' +
  'Typical flows: search → read_paper → find_datasets / find_models → hf_inspect_dataset; ' +
  'search → paper_details → citation_graph → read_paper.\n\n' +
  'Operations:\n' +
  "- trending: trending daily papers (or one day's with date), optionally only those mentioning query\n" +
  '- search: papers matching query on the Hub (ML-tuned); date_from, date_to, categories, min_citations ' +
  'or sort_by search Semantic Scholar with those filters instead\n' +
  '- paper_details: authors, abstract, AI summary, keywords, GitHub and project links of arxiv_id\n' +
  "- read_paper: the paper's text from arXiv; without section, the abstract and its sections; with " +
  'section (number or title), that section in full\n' +
  '- citation_graph: references and citations of arxiv_id, with influence flags and citing sentences\n' +
  '- recommend: similar papers to arxiv_id, or to positive_ids and unlike negative_ids\n' +
  '- find_datasets, find_models: Hub repos whose card cites arxiv_id (sort: downloads, likes, trending)\n' +
  '- find_collections: Hub collections that include arxiv_id';

/** `hf_papers`: the reference agent's papers tool; every operation only reads, so it never asks. */
export function hfPapersTool(services: ToolServices, options: PapersToolOptions = {}): AnyToolSpec {
  const deps: PapersDeps = { services, timeoutMs: options.timeoutMs };
  return defineTool({
    name: 'hf_papers',
    description: DESCRIPTION,
    parameters: papersParameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const output = await OPERATIONS[args.operation](deps, args, ctx.signal);
      return { output: trimOutput(output, undefined, howToSeeMore(args)) };
    },
  });
}
