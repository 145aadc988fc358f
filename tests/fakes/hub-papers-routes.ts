import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * The Hub's papers API and the listings that link repos and collections to a paper, under
 * HF_ENDPOINT. Shapes follow huggingface_hub (`PaperInfo`, `list_daily_papers`, `list_papers`,
 * `paper_info`, `list_models`/`list_datasets` with `filter`, `list_collections` with `item`), the
 * `huggingface/skills` huggingface-papers skill (query parameters and their bounds) and
 * `@huggingface/hub`'s `ApiCollectionInfo` (the listing keeps 4 items per collection).
 */

export interface HubAuthorRecord {
  _id: string;
  name: string;
  hidden: boolean;
}

/** The body of `GET /api/papers/{id}`, and the `paper` of daily-papers and search entries. */
export interface HubPaperRecord {
  id: string;
  authors: HubAuthorRecord[];
  mediaUrls: string[];
  publishedAt: string;
  submittedOnDailyAt?: string;
  title: string;
  summary: string;
  upvotes: number;
  discussionId: string;
  ai_summary?: string;
  ai_keywords?: string[];
  githubRepo?: string;
  githubStars?: number;
  projectPage?: string;
}

/** A paper's appearance in the daily feed (`date` is the feed's day). */
export interface DailyPaperRecord {
  paperId: string;
  date: string;
  numComments: number;
  submitter: string;
}

/** `GET /api/models` and `GET /api/datasets` entries (the default listing's fields). */
export interface HubRepoRecord {
  _id: string;
  id: string;
  author: string;
  likes: number;
  downloads: number;
  trendingScore: number;
  private: boolean;
  tags: string[];
  createdAt: string;
  pipeline_tag?: string;
  library_name?: string;
  /** Datasets: the start of the card, tabs and blank lines included as the Hub sends it. */
  description?: string;
}

export interface HubCollectionRecord {
  slug: string;
  title: string;
  description?: string;
  lastUpdated: string;
  gating: boolean;
  owner: {
    _id: string;
    avatarUrl: string;
    fullname: string;
    name: string;
    type: 'user' | 'org';
    isPro: boolean;
  };
  items: { _id: string; position: number; type: 'paper' | 'model' | 'dataset' | 'space'; id: string }[];
  theme: string;
  private: boolean;
  upvotes: number;
  isUpvotedByUser: boolean;
}

export interface HubPapersWorld {
  papers: HubPaperRecord[];
  daily: DailyPaperRecord[];
  models: HubRepoRecord[];
  datasets: HubRepoRecord[];
  collections: HubCollectionRecord[];
  /** When set, a request with any other bearer token gets the Hub's 401 (no token is fine: public). */
  validTokens?: string[];
  /** Scripted answers (failures, hangs), tried before the world's. */
  answer?: (request: LoopbackRequest) => LoopbackAnswer | undefined;
}

export function emptyHubPapersWorld(): HubPapersWorld {
  return { papers: [], daily: [], models: [], datasets: [], collections: [] };
}

let nextObjectId = 0x65a0_0000;
const objectId = (): string => (nextObjectId++).toString(16).padStart(24, '6');

export function hubPaper(fields: Partial<HubPaperRecord> & { id: string; title: string }): HubPaperRecord {
  return {
    authors: [
      { _id: objectId(), name: 'Ada Lovelace', hidden: false },
      { _id: objectId(), name: 'Alan Turing', hidden: false },
    ],
    mediaUrls: [],
    publishedAt: '2024-01-22T18:59:59.000Z',
    summary: `Abstract of ${fields.title}.`,
    upvotes: 0,
    discussionId: objectId(),
    ...fields,
  };
}

export function hubRepo(id: string, fields: Partial<HubRepoRecord> = {}): HubRepoRecord {
  return {
    _id: objectId(),
    id,
    author: id.split('/')[0] ?? id,
    likes: 0,
    downloads: 0,
    trendingScore: 0,
    private: false,
    tags: [],
    createdAt: '2024-02-01T10:00:00.000Z',
    ...fields,
  };
}

export function hubCollection(
  slug: string,
  fields: Partial<HubCollectionRecord> & { title: string; items: HubCollectionRecord['items'] },
): HubCollectionRecord {
  const owner = slug.split('/')[0] ?? 'someone';
  return {
    slug,
    lastUpdated: '2024-03-01T09:00:00.000Z',
    gating: false,
    owner: {
      _id: objectId(),
      avatarUrl: `/avatars/${owner}.svg`,
      fullname: owner,
      name: owner,
      type: 'user',
      isPro: false,
    },
    theme: 'blue',
    private: false,
    upvotes: 0,
    isUpvotedByUser: false,
    ...fields,
  };
}

export function collectionItem(type: HubCollectionRecord['items'][number]['type'], id: string, position = 0) {
  return { _id: objectId(), position, type, id };
}

const hubError = (status: number, error: string): LoopbackAnswer => ({ status, body: { error } });

/** A list entry as `/api/daily_papers` and `/api/papers/search` send it. */
function listEntry(world: HubPapersWorld, paper: HubPaperRecord): Record<string, unknown> {
  const daily = world.daily.find((entry) => entry.paperId === paper.id);
  return {
    paper: {
      ...paper,
      ...(daily ? { submittedOnDailyBy: user(daily.submitter) } : {}),
    },
    publishedAt: paper.publishedAt,
    title: paper.title,
    summary: paper.summary,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${paper.id}.png`,
    numComments: daily?.numComments ?? 0,
    ...(daily ? { submittedBy: user(daily.submitter) } : {}),
    isAuthorParticipating: false,
  };
}

function user(name: string): Record<string, unknown> {
  return {
    _id: objectId(),
    avatarUrl: `/avatars/${name}.svg`,
    fullname: name,
    name,
    type: 'user',
    isPro: false,
    isHf: false,
    isMod: false,
  };
}

function intParam(request: LoopbackRequest, name: string, fallback: number): number | undefined {
  const raw = request.query.get(name);
  if (raw === null) return fallback;
  return /^\d+$/.test(raw) ? Number(raw) : undefined;
}

/** Runs the scripted answer and the token check before the world answers. */
function guarded(world: HubPapersWorld, handle: (request: LoopbackRequest) => LoopbackAnswer) {
  return (request: LoopbackRequest): LoopbackAnswer => {
    const scripted = world.answer?.(request);
    if (scripted) return scripted;
    if (world.validTokens && request.token !== undefined && !world.validTokens.includes(request.token)) {
      return hubError(401, 'Invalid credentials in Authorization header');
    }
    return handle(request);
  };
}

function listRepos(repos: HubRepoRecord[], request: LoopbackRequest): LoopbackAnswer {
  const limit = intParam(request, 'limit', 1000);
  if (limit === undefined || limit > 1000)
    return hubError(400, '"limit" must be a number between 1 and 1000');
  const filters = request.query.getAll('filter').flatMap((value) => value.split(','));
  const search = request.query.get('search')?.toLowerCase();
  const author = request.query.get('author');
  let found = repos.filter(
    (repo) =>
      filters.every((filter) => repo.tags.includes(filter) || repo.pipeline_tag === filter) &&
      (!search || repo.id.toLowerCase().includes(search)) &&
      (!author || repo.author === author),
  );
  const sort = request.query.get('sort');
  if (sort) {
    if (!['downloads', 'likes', 'trendingScore', 'createdAt'].includes(sort)) {
      return hubError(400, `Invalid sort parameter: ${sort}`);
    }
    const key = sort as 'downloads' | 'likes' | 'trendingScore' | 'createdAt';
    found = [...found].sort((a, b) => (a[key] < b[key] ? 1 : a[key] > b[key] ? -1 : 0));
  }
  return { body: found.slice(0, limit) };
}

export function hubPapersRoutes(world: HubPapersWorld): Route[] {
  return [
    {
      method: 'GET',
      path: '/api/daily_papers',
      handle: guarded(world, (request) => {
        const limit = intParam(request, 'limit', 50);
        if (limit === undefined || limit < 1 || limit > 100) {
          return hubError(400, '"limit" must be a number between 1 and 100');
        }
        const page = intParam(request, 'p', 0) ?? 0;
        const date = request.query.get('date');
        const sort = request.query.get('sort') ?? 'publishedAt';
        const days = date ? world.daily.filter((entry) => entry.date === date) : world.daily;
        let papers = days
          .map((entry) => world.papers.find((paper) => paper.id === entry.paperId))
          .filter((paper): paper is HubPaperRecord => paper !== undefined);
        papers =
          sort === 'trending'
            ? [...papers].sort((a, b) => b.upvotes - a.upvotes)
            : [...papers].sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
        return {
          body: papers.slice(page * limit, (page + 1) * limit).map((paper) => listEntry(world, paper)),
        };
      }),
    },
    {
      method: 'GET',
      path: '/api/papers/search',
      handle: guarded(world, (request) => {
        const q = request.query.get('q');
        if (!q) return hubError(400, 'Missing required parameter: q');
        if (q.length > 250)
          return hubError(400, '"q" length must be less than or equal to 250 characters long');
        const limit = intParam(request, 'limit', 120);
        if (limit === undefined || limit < 1 || limit > 120) {
          return hubError(400, '"limit" must be a number between 1 and 120');
        }
        const words = q.toLowerCase().split(/\s+/).filter(Boolean);
        const found = world.papers.filter((paper) => {
          const text =
            `${paper.title} ${paper.summary} ${paper.authors.map((a) => a.name).join(' ')}`.toLowerCase();
          return words.every((word) => text.includes(word));
        });
        return { body: found.slice(0, limit).map((paper) => listEntry(world, paper)) };
      }),
    },
    {
      method: 'GET',
      path: '/api/papers/:id',
      handle: guarded(world, (request) => {
        const paper = world.papers.find((candidate) => candidate.id === request.params.id);
        return paper ? { body: paper } : hubError(404, 'Paper not found');
      }),
    },
    { method: 'GET', path: '/api/models', handle: guarded(world, (r) => listRepos(world.models, r)) },
    { method: 'GET', path: '/api/datasets', handle: guarded(world, (r) => listRepos(world.datasets, r)) },
    {
      method: 'GET',
      path: '/api/collections',
      handle: guarded(world, (request) => {
        const limit = intParam(request, 'limit', 100);
        if (limit === undefined || limit < 1 || limit > 100) {
          return hubError(400, '"limit" must be a number between 1 and 100');
        }
        const items = request.query.getAll('item');
        const owner = request.query.get('owner');
        const found = world.collections.filter(
          (collection) =>
            items.every((item) => collection.items.some((entry) => `${entry.type}s/${entry.id}` === item)) &&
            (!owner || collection.owner.name === owner),
        );
        return {
          body: [...found]
            .sort((a, b) => b.upvotes - a.upvotes)
            .slice(0, limit)
            .map((collection) => ({ ...collection, items: collection.items.slice(0, 4) })),
        };
      }),
    },
  ];
}
