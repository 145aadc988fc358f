import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * Semantic Scholar under SEMANTIC_SCHOLAR_API_URL: the Academic Graph API's
 * `GET /graph/v1/paper/{id}/citations|references` (`{offset, next?, data: [{contexts, intents,
 * isInfluential, citingPaper|citedPaper}]}`) and `GET /graph/v1/paper/search/bulk`
 * (`{total, token, data}`), and the Recommendations API's `GET /recommendations/v1/papers/forpaper/{id}`
 * and `POST /recommendations/v1/papers/` (`{recommendedPapers}`), as api.semanticscholar.org
 * documents them: ids `ARXIV:<id>`, `CorpusId:<n>`, `DOI:<doi>` or the sha; `fields` checked;
 * errors `{"error": "..."}`; the key in `x-api-key` (a wrong key is a 403 `{"message": "Forbidden"}`);
 * rate limiting a 429 with the body S2 sends (`{"message": "Too Many Requests. …", "code": "429"}`).
 */

export interface S2PaperRecord {
  paperId: string;
  corpusId: number;
  externalIds: { ArXiv?: string; DOI?: string; CorpusId: number };
  url: string;
  title: string;
  abstract?: string;
  venue: string;
  year: number;
  referenceCount: number;
  citationCount: number;
  influentialCitationCount: number;
  publicationDate: string;
  fieldsOfStudy: string[];
  tldr?: { model: string; text: string };
}

/** `citing` cites `cited`. */
export interface S2CitationRecord {
  citing: string;
  cited: string;
  contexts: string[];
  intents: string[];
  isInfluential: boolean;
}

export interface SemanticScholarWorld {
  papers: S2PaperRecord[];
  citations: S2CitationRecord[];
  /** paperId → recommended paperIds. */
  recommendations: Record<string, string[]>;
  /** When set, a request carrying another `x-api-key` is refused (no key at all is the keyless pool). */
  apiKey?: string;
  /** The next `count` requests are rate limited, with `Retry-After` when `retryAfter` is set. */
  rateLimit?: { count: number; retryAfter?: string };
  answer?: (request: LoopbackRequest) => LoopbackAnswer | undefined;
}

export function emptySemanticScholarWorld(): SemanticScholarWorld {
  return { papers: [], citations: [], recommendations: {} };
}

let corpusCounter = 200_000_000;

export function s2Paper(fields: Partial<S2PaperRecord> & { title: string; arxiv?: string }): S2PaperRecord {
  const corpusId = ++corpusCounter;
  const { arxiv, ...rest } = fields;
  const paperId = corpusId.toString(16).padStart(40, 'a');
  return {
    paperId,
    corpusId,
    externalIds: { ...(arxiv ? { ArXiv: arxiv } : {}), CorpusId: corpusId },
    url: `https://www.semanticscholar.org/paper/${paperId}`,
    venue: 'arXiv.org',
    year: 2023,
    referenceCount: 0,
    citationCount: 0,
    influentialCitationCount: 0,
    publicationDate: '2023-05-29',
    fieldsOfStudy: ['Computer Science'],
    ...rest,
  };
}

/** Fields a paper has; `tldr` only where the API offers it (the paper endpoints, not these lists). */
const PAPER_FIELDS = new Set([
  'paperId',
  'corpusId',
  'externalIds',
  'url',
  'title',
  'abstract',
  'venue',
  'year',
  'referenceCount',
  'citationCount',
  'influentialCitationCount',
  'publicationDate',
  'fieldsOfStudy',
]);
const EDGE_FIELDS = new Set(['contexts', 'intents', 'isInfluential']);

const s2Error = (status: number, error: string): LoopbackAnswer => ({ status, body: { error } });

function resolve(world: SemanticScholarWorld, id: string): S2PaperRecord | undefined {
  const [prefix, ...rest] = id.split(':');
  const value = rest.join(':');
  if (rest.length === 0) return world.papers.find((paper) => paper.paperId === id);
  switch (prefix?.toUpperCase()) {
    case 'ARXIV':
      return world.papers.find((paper) => paper.externalIds.ArXiv === value);
    case 'CORPUSID':
      return world.papers.find((paper) => String(paper.corpusId) === value);
    case 'DOI':
      return world.papers.find((paper) => paper.externalIds.DOI === value);
    default:
      return undefined;
  }
}

function project(paper: S2PaperRecord, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = { paperId: paper.paperId };
  for (const field of fields) out[field] = (paper as unknown as Record<string, unknown>)[field] ?? null;
  return out;
}

/** `fields` split into edge fields and paper fields, or the 400 S2 answers for an unknown one. */
function fieldsOf(
  request: LoopbackRequest,
  edge: boolean,
): { edge: string[]; paper: string[] } | LoopbackAnswer {
  const asked = (request.query.get('fields') ?? 'title').split(',').filter(Boolean);
  const unknown = asked.filter((field) => !PAPER_FIELDS.has(field) && !(edge && EDGE_FIELDS.has(field)));
  if (unknown.length > 0) return s2Error(400, `Unrecognized or unsupported fields: [${unknown.join(', ')}]`);
  return {
    edge: asked.filter((field) => edge && EDGE_FIELDS.has(field)),
    paper: asked.filter((field) => PAPER_FIELDS.has(field)),
  };
}

function limitOf(request: LoopbackRequest, fallback: number, max: number): number | LoopbackAnswer {
  const raw = request.query.get('limit');
  if (raw === null) return fallback;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1) return s2Error(400, 'Unacceptable query params: [limit]');
  if (limit > max) return s2Error(400, `Limit must be <= ${max}`);
  return limit;
}

const isAnswer = (value: unknown): value is LoopbackAnswer =>
  typeof value === 'object' && value !== null && 'status' in value;

function gate(world: SemanticScholarWorld, handle: (request: LoopbackRequest) => LoopbackAnswer) {
  return (request: LoopbackRequest): LoopbackAnswer => {
    const scripted = world.answer?.(request);
    if (scripted) return scripted;
    const key = request.headers['x-api-key'];
    if (key !== undefined && key !== world.apiKey) return { status: 403, body: { message: 'Forbidden' } };
    if (world.rateLimit && world.rateLimit.count > 0) {
      world.rateLimit.count -= 1;
      return {
        status: 429,
        headers: world.rateLimit.retryAfter ? { 'retry-after': world.rateLimit.retryAfter } : {},
        body: {
          message:
            'Too Many Requests. Please wait and try again or apply for a key for higher rate limits. https://www.semanticscholar.org/product/api#api-key-form',
          code: '429',
        },
      };
    }
    return handle(request);
  };
}

function edges(world: SemanticScholarWorld, request: LoopbackRequest): LoopbackAnswer {
  const id = request.params.id ?? '';
  const paper = resolve(world, id);
  if (!paper) return s2Error(404, `Paper with id ${id} not found`);
  const fields = fieldsOf(request, true);
  if (isAnswer(fields)) return fields;
  const limit = limitOf(request, 100, 1000);
  if (isAnswer(limit)) return limit;
  const offset = Number(request.query.get('offset') ?? 0);
  const citations = request.params.kind === 'citations';
  const links = world.citations.filter((link) => (citations ? link.cited : link.citing) === paper.paperId);
  const data = links.slice(offset, offset + limit).map((link) => {
    const other = world.papers.find((p) => p.paperId === (citations ? link.citing : link.cited));
    const entry: Record<string, unknown> = {};
    for (const field of fields.edge) entry[field] = link[field as keyof S2CitationRecord];
    entry[citations ? 'citingPaper' : 'citedPaper'] = other
      ? project(other, fields.paper)
      : { paperId: null, title: 'An unresolved reference' };
    return entry;
  });
  return { body: { offset, ...(offset + limit < links.length ? { next: offset + limit } : {}), data } };
}

function recommended(
  world: SemanticScholarWorld,
  request: LoopbackRequest,
  ids: string[],
  exclude: string[],
) {
  const fields = fieldsOf(request, false);
  if (isAnswer(fields)) return fields;
  const limit = limitOf(request, 100, 500);
  if (isAnswer(limit)) return limit;
  const seen = new Set<string>();
  const papers: Record<string, unknown>[] = [];
  for (const id of ids) {
    for (const candidate of world.recommendations[id] ?? []) {
      const paper = world.papers.find((p) => p.paperId === candidate);
      if (!paper || seen.has(candidate) || exclude.includes(candidate) || ids.includes(candidate)) continue;
      seen.add(candidate);
      papers.push(project(paper, fields.paper));
    }
  }
  return { body: { recommendedPapers: papers.slice(0, limit) } };
}

export function semanticScholarRoutes(world: SemanticScholarWorld): Route[] {
  return [
    {
      method: 'GET',
      path: '/graph/v1/paper/search/bulk',
      handle: gate(world, (request) => {
        const query = request.query.get('query');
        if (!query) return s2Error(400, "Missing required parameter: 'query'");
        const fields = fieldsOf(request, false);
        if (isAnswer(fields)) return fields;
        const words = query.toLowerCase().split(/\s+/).filter(Boolean);
        const minCitations = Number(request.query.get('minCitationCount') ?? 0);
        const [from, to] = (request.query.get('publicationDateOrYear') ?? ':').split(':');
        const study = request.query.get('fieldsOfStudy')?.split(',');
        let found = world.papers.filter(
          (paper) =>
            words.every((word) => paper.title.toLowerCase().includes(word)) &&
            paper.citationCount >= minCitations &&
            (!from || paper.publicationDate >= from) &&
            (!to || paper.publicationDate.slice(0, to.length) <= to) &&
            (!study || study.some((name) => paper.fieldsOfStudy.includes(name))),
        );
        const sort = request.query.get('sort');
        if (sort === 'citationCount:desc')
          found = [...found].sort((a, b) => b.citationCount - a.citationCount);
        if (sort === 'publicationDate:desc') {
          found = [...found].sort((a, b) => b.publicationDate.localeCompare(a.publicationDate));
        }
        return {
          body: {
            total: found.length,
            token: null,
            data: found.map((paper) => project(paper, fields.paper)),
          },
        };
      }),
    },
    {
      method: 'GET',
      path: /^\/graph\/v1\/paper\/(?<id>.+)\/(?<kind>citations|references)$/,
      handle: gate(world, (request) => edges(world, request)),
    },
    {
      method: 'GET',
      path: /^\/recommendations\/v1\/papers\/forpaper\/(?<id>.+)$/,
      handle: gate(world, (request) => {
        const id = request.params.id ?? '';
        const paper = resolve(world, id);
        if (!paper) return s2Error(404, `Paper with id ${id} not found`);
        const from = request.query.get('from') ?? 'recent';
        if (!['recent', 'all-cs'].includes(from)) return s2Error(400, 'Unacceptable query params: [from]');
        return recommended(world, request, [paper.paperId], []);
      }),
    },
    {
      method: 'POST',
      path: /^\/recommendations\/v1\/papers\/?$/,
      handle: gate(world, (request) => {
        const body = request.json as { positivePaperIds?: unknown; negativePaperIds?: unknown } | undefined;
        if (!Array.isArray(body?.positivePaperIds)) return s2Error(400, 'positivePaperIds is required');
        const ids = (body.positivePaperIds as string[]).map((id) => resolve(world, id));
        if (ids.some((paper) => !paper)) return s2Error(404, 'Some paper ids were not found');
        const negatives = Array.isArray(body.negativePaperIds) ? (body.negativePaperIds as string[]) : [];
        const excluded = negatives
          .map((id) => resolve(world, id)?.paperId)
          .filter((id): id is string => id !== undefined);
        return recommended(
          world,
          request,
          ids.map((paper) => paper?.paperId ?? ''),
          excluded,
        );
      }),
    },
  ];
}
