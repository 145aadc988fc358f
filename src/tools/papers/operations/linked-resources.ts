import { formatCollections, formatDatasets, formatModels, noneLinked } from '../format-linked-repos.js';
import { listLinkedRepos, listPaperCollections } from '../hub-linked-repos-api.js';
import { limitOf, type PapersArgs } from '../parameters.js';
import type { PapersDeps } from '../papers-deps.js';
import { requireArxivId } from './required-args.js';

/** Datasets whose card cites the paper. */
export async function findDatasets(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const { bare } = requireArxivId(args);
  const sort = args.sort ?? 'downloads';
  const datasets = await listLinkedRepos(deps, 'datasets', bare, { sort, limit: limitOf(args) }, signal);
  return datasets.length === 0 ? noneLinked('datasets', bare) : formatDatasets(datasets, bare, sort);
}

/** Models whose card cites the paper. */
export async function findModels(deps: PapersDeps, args: PapersArgs, signal: AbortSignal): Promise<string> {
  const { bare } = requireArxivId(args);
  const sort = args.sort ?? 'downloads';
  const models = await listLinkedRepos(deps, 'models', bare, { sort, limit: limitOf(args) }, signal);
  return models.length === 0 ? noneLinked('models', bare) : formatModels(models, bare, sort);
}

/** Collections that include the paper. */
export async function findCollections(
  deps: PapersDeps,
  args: PapersArgs,
  signal: AbortSignal,
): Promise<string> {
  const { bare } = requireArxivId(args);
  const limit = limitOf(args);
  const collections = (await listPaperCollections(deps, bare, limit, signal)).slice(0, limit);
  return collections.length === 0 ? noneLinked('collections', bare) : formatCollections(collections, bare);
}
