import { z } from 'zod';
import { callServiceJson } from '../shared/service-client.js';
import { answerOfShape } from './answer-shape.js';
import { hubRequest } from './hub-papers-api.js';
import { HUB_PAPERS_SERVICE, type PapersDeps } from './papers-deps.js';

/**
 * What the Hub links to a paper: repos whose card cites it carry the tag `arxiv:<id>`
 * (`GET /api/models|datasets?filter=arxiv:<id>`), and collections list it as the item
 * `papers/<id>` (`GET /api/collections?item=papers/<id>`, huggingface_hub's `list_collections`).
 */

const repoShape = z.object({
  id: z.string(),
  downloads: z.number().nullish(),
  likes: z.number().nullish(),
  tags: z.array(z.string()).nullish(),
  pipeline_tag: z.string().nullish(),
  library_name: z.string().nullish(),
  /** Datasets only: the start of the card, with the Hub's tabs and blank lines. */
  description: z.string().nullish(),
});

export type LinkedRepo = z.infer<typeof repoShape>;

const collectionShape = z.object({
  slug: z.string(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  upvotes: z.number().nullish(),
  owner: z.object({ name: z.string().nullish() }).nullish(),
  /** The listing keeps at most 4 items per collection. */
  items: z.array(z.object({ type: z.string().nullish(), id: z.string().nullish() })).nullish(),
});

export type PaperCollection = z.infer<typeof collectionShape>;

export type RepoSort = 'downloads' | 'likes' | 'trending';

/** The tool's sort names → the Hub's `sort` keys (the reference's SORT_MAP). */
const SORT_KEYS: Record<RepoSort, string> = {
  downloads: 'downloads',
  likes: 'likes',
  trending: 'trendingScore',
};

export async function listLinkedRepos(
  deps: PapersDeps,
  kind: 'models' | 'datasets',
  bareId: string,
  options: { sort: RepoSort; limit: number },
  signal: AbortSignal,
): Promise<LinkedRepo[]> {
  const body = await callServiceJson(
    HUB_PAPERS_SERVICE,
    `${deps.services.hub.url}/api/${kind}`,
    hubRequest(deps, signal, {
      filter: `arxiv:${bareId}`,
      sort: SORT_KEYS[options.sort],
      direction: -1,
      limit: options.limit,
    }),
  );
  return answerOfShape(z.array(repoShape), body, HUB_PAPERS_SERVICE, `the ${kind} list`);
}

export async function listPaperCollections(
  deps: PapersDeps,
  bareId: string,
  limit: number,
  signal: AbortSignal,
): Promise<PaperCollection[]> {
  const body = await callServiceJson(
    HUB_PAPERS_SERVICE,
    `${deps.services.hub.url}/api/collections`,
    hubRequest(deps, signal, { item: `papers/${bareId}`, limit }),
  );
  return answerOfShape(z.array(collectionShape), body, HUB_PAPERS_SERVICE, 'the collections list');
}
