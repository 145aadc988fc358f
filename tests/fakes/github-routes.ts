import { createHash } from 'node:crypto';
import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * Routes of a loopback GitHub REST API for the github_* tools, mount them at `GITHUB_API_URL`.
 * Shapes follow docs.github.com/rest (and what api.github.com answers):
 * - `GET /repos/{owner}/{repo}`: the repository (`full_name`, `html_url`, `default_branch`, …).
 * - `GET /repos/{owner}/{repo}/git/trees/{sha}?recursive=1`: `{sha, url, tree: [{path, mode, type,
 *   sha, size?, url}], truncated}`; blobs carry `size`, trees do not.
 * - `GET /repos/{owner}/{repo}/contents/{path}`: a file as `{type: "file", encoding: "base64",
 *   content (base64 wrapped every 60 characters), size, name, path, sha (the git blob SHA), url,
 *   git_url, html_url, download_url, _links}`; files over 1 MB with `encoding: "none"` and empty
 *   content; the raw media type (`Accept: application/vnd.github.raw` or `.v3.raw`) answers the bytes;
 *   a directory as an array of entries.
 * - `GET /search/code`: 401 "Requires authentication" without a token (GitHub's rule); `{total_count,
 *   incomplete_results, items: [{name, path, sha, url, git_url, html_url, repository, score}]}`, with
 *   `text_matches: [{object_type, property, fragment, matches}]` under the text-match media type; an
 *   `org:` qualifier naming a user, or an unknown owner, is a 422 "Validation Failed".
 * - `GET /search/repositories`: `{total_count, incomplete_results, items: [repository]}`, `sort=stars`.
 * - Errors: `{message, documentation_url, status}`; every answer has `x-ratelimit-limit`, `-remaining`,
 *   `-reset`, `-used`, `-resource`; an exhausted budget is a 403 with `x-ratelimit-remaining: 0`
 *   (GitHub's primary rate limit); a wrong token is a 401 "Bad credentials"; no `User-Agent` is a 403.
 */

export interface FakeGitHubRepo {
  /** `owner/name`. */
  fullName: string;
  description?: string | null;
  stars?: number;
  language?: string | null;
  updatedAt?: string;
  archived?: boolean;
  /** Seen only with the valid token (404 otherwise), as GitHub hides private repositories. */
  private?: boolean;
  defaultBranch?: string;
  /** Path → content at the default branch. */
  files: Record<string, string | Buffer>;
  /** Other branches or tags: ref → (path → content). */
  refs?: Record<string, Record<string, string | Buffer>>;
  /** Path → target, listed as `type: "symlink"`. */
  symlinks?: Record<string, string>;
}

/** A canned answer for requests that `path` matches, used `times` times (default: always). */
export interface FakeGitHubFailure {
  path: RegExp;
  answer: LoopbackAnswer;
  times?: number;
}

export interface FakeGitHubWorld {
  repos: FakeGitHubRepo[];
  /** Owners that are users, not organizations (`org:` does not name them). */
  users?: string[];
  /** The valid token; another one is a 401, none is anonymous (public data only). */
  token?: string;
  /** Requests left before the primary rate limit (403, `x-ratelimit-remaining: 0`); unlimited when unset. */
  remaining?: number;
  /** GitHub cuts very large trees; `truncated: true` when set. */
  treeTruncated?: boolean;
  failures?: FakeGitHubFailure[];
}

const DOCS = 'https://docs.github.com/rest';
const LARGE_FILE_BYTES = 1_000_000;
const RESET_AT = Math.floor(Date.now() / 1000) + 1800;

export function githubRoutes(world: FakeGitHubWorld): Route[] {
  const guarded =
    (resource: string, handle: (req: LoopbackRequest) => LoopbackAnswer) =>
    (req: LoopbackRequest): LoopbackAnswer =>
      withRateHeaders(world, resource, req, () => gate(world, req) ?? handle(req));
  return [
    { method: 'GET', path: '/repos/:owner/:repo', handle: guarded('core', (req) => getRepo(world, req)) },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/git/trees/:sha*',
      handle: guarded('core', (req) => getTree(world, req)),
    },
    {
      method: 'GET',
      path: /^\/repos\/(?<owner>[^/]+)\/(?<repo>[^/]+)\/contents(?:\/(?<path>.*))?$/,
      handle: guarded('core', (req) => getContents(world, req)),
    },
    { method: 'GET', path: '/search/code', handle: guarded('code_search', (req) => searchCode(world, req)) },
    {
      method: 'GET',
      path: '/search/repositories',
      handle: guarded('search', (req) => searchRepos(world, req)),
    },
  ];
}

/** GitHub's primary rate limit, used up (403 with `x-ratelimit-remaining: 0`). */
export function rateLimitExhausted(resetAt = RESET_AT): LoopbackAnswer {
  return {
    status: 403,
    headers: {
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetAt),
      'x-ratelimit-used': '60',
      'x-ratelimit-resource': 'core',
    },
    body: {
      message:
        "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
      documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
    },
  };
}

/** A secondary rate limit: 403 (or 429) with `retry-after`. */
export function secondaryRateLimit(retryAfterSeconds: number, status: 403 | 429 = 403): LoopbackAnswer {
  return {
    status,
    headers: { 'retry-after': String(retryAfterSeconds), 'x-ratelimit-remaining': '4000' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    },
  };
}

function gate(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer | undefined {
  const failure = world.failures?.find(
    (candidate) => candidate.path.test(req.path) && (candidate.times ?? 1) > 0,
  );
  if (failure) {
    if (failure.times !== undefined) failure.times -= 1;
    return failure.answer;
  }
  if (!req.headers['user-agent']) {
    return error(
      403,
      'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
    );
  }
  if (req.token !== undefined && req.token !== world.token) return error(401, 'Bad credentials');
  if (world.remaining !== undefined) {
    if (world.remaining <= 0) return rateLimitExhausted();
    world.remaining -= 1;
  }
  return undefined;
}

function withRateHeaders(
  world: FakeGitHubWorld,
  resource: string,
  req: LoopbackRequest,
  answer: () => LoopbackAnswer,
): LoopbackAnswer {
  const result = answer();
  const limit = req.token ? '5000' : resource === 'core' ? '60' : '10';
  return {
    ...result,
    headers: {
      'x-github-api-version-selected': '2022-11-28',
      'x-ratelimit-limit': limit,
      'x-ratelimit-remaining': String(world.remaining ?? Number(limit) - 1),
      'x-ratelimit-reset': String(RESET_AT),
      'x-ratelimit-used': '1',
      'x-ratelimit-resource': resource,
      ...result.headers,
    },
  };
}

function error(status: number, message: string, extra: Record<string, unknown> = {}): LoopbackAnswer {
  return { status, body: { message, ...extra, documentation_url: DOCS, status: String(status) } };
}

function visibleRepo(world: FakeGitHubWorld, req: LoopbackRequest, owner: string, name: string) {
  const repo = world.repos.find(
    (candidate) => candidate.fullName.toLowerCase() === `${owner}/${name}`.toLowerCase(),
  );
  if (!repo) return undefined;
  if (repo.private && req.token !== world.token) return undefined;
  return repo;
}

function repoJson(repo: FakeGitHubRepo) {
  const [owner = '', name = ''] = repo.fullName.split('/');
  const updated = repo.updatedAt ?? '2026-11-20T10:00:00Z';
  return {
    id: hashNumber(repo.fullName),
    node_id: `R_${hashNumber(repo.fullName)}`,
    name,
    full_name: repo.fullName,
    private: Boolean(repo.private),
    owner: { login: owner, type: 'Organization', html_url: `https://github.com/${owner}` },
    html_url: `https://github.com/${repo.fullName}`,
    description: repo.description ?? null,
    fork: false,
    url: `https://api.github.com/repos/${repo.fullName}`,
    created_at: '2020-03-26T12:00:00Z',
    updated_at: updated,
    pushed_at: updated,
    stargazers_count: repo.stars ?? 0,
    watchers_count: repo.stars ?? 0,
    language: repo.language ?? null,
    forks_count: Math.floor((repo.stars ?? 0) / 10),
    open_issues_count: 3,
    archived: Boolean(repo.archived),
    topics: [],
    visibility: repo.private ? 'private' : 'public',
    default_branch: repo.defaultBranch ?? 'main',
    score: 1,
  };
}

function getRepo(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer {
  const repo = visibleRepo(world, req, req.params.owner ?? '', req.params.repo ?? '');
  if (!repo) return error(404, 'Not Found');
  return { body: repoJson(repo) };
}

function filesAt(repo: FakeGitHubRepo, ref: string | undefined): Record<string, string | Buffer> | undefined {
  if (!ref || ref === (repo.defaultBranch ?? 'main') || ref === 'HEAD') return repo.files;
  return repo.refs?.[ref];
}

function getTree(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer {
  const repo = visibleRepo(world, req, req.params.owner ?? '', req.params.repo ?? '');
  if (!repo) return error(404, 'Not Found');
  const files = filesAt(repo, req.params.sha);
  if (!files) return error(404, 'Not Found');
  const recursive = req.query.has('recursive');
  const folders = new Set<string>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const entries = [
    ...[...folders].map((path) => ({
      path,
      mode: '040000',
      type: 'tree',
      sha: blobSha(path),
      url: `https://api.github.com/repos/${repo.fullName}/git/trees/${blobSha(path)}`,
    })),
    ...Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: blobSha(content),
      size: Buffer.byteLength(content),
      url: `https://api.github.com/repos/${repo.fullName}/git/blobs/${blobSha(content)}`,
    })),
  ]
    .filter((entry) => recursive || !entry.path.includes('/'))
    .sort((a, b) => a.path.localeCompare(b.path));
  return {
    body: {
      sha: blobSha(repo.fullName),
      url: `https://api.github.com/repos/${repo.fullName}/git/trees/${req.params.sha ?? ''}`,
      tree: entries,
      truncated: Boolean(world.treeTruncated),
    },
  };
}

function contentEntry(
  repo: FakeGitHubRepo,
  ref: string,
  path: string,
  type: string,
  content?: string | Buffer,
) {
  const sha = blobSha(content ?? path);
  const api = `https://api.github.com/repos/${repo.fullName}/contents/${path}?ref=${ref}`;
  const html = `https://github.com/${repo.fullName}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${path}`;
  return {
    type,
    size: content === undefined ? 0 : Buffer.byteLength(content),
    name: path.split('/').pop() ?? path,
    path,
    sha,
    url: api,
    git_url: `https://api.github.com/repos/${repo.fullName}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
    html_url: html,
    download_url:
      type === 'file' ? `https://raw.githubusercontent.com/${repo.fullName}/${ref}/${path}` : null,
    _links: { self: api, git: `https://api.github.com/repos/${repo.fullName}/git/blobs/${sha}`, html },
  };
}

function getContents(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer {
  const repo = visibleRepo(world, req, req.params.owner ?? '', req.params.repo ?? '');
  if (!repo) return error(404, 'Not Found');
  const ref = req.query.get('ref') ?? repo.defaultBranch ?? 'main';
  const files = filesAt(repo, ref);
  if (!files) return error(404, `No commit found for the ref ${ref}`);
  const path = (req.params.path ?? '').replace(/\/+$/, '');
  const raw = /application\/vnd\.github(\.v3)?\.raw/.test(String(req.headers.accept ?? ''));
  const content = files[path];
  if (content !== undefined) {
    if (raw) return { body: Buffer.from(content), headers: { 'content-type': 'application/vnd.github.raw' } };
    const entry = contentEntry(repo, ref, path, 'file', content);
    const large = Buffer.byteLength(content) > LARGE_FILE_BYTES;
    return {
      body: {
        ...entry,
        content: large ? '' : wrap60(Buffer.from(content).toString('base64')),
        encoding: large ? 'none' : 'base64',
      },
    };
  }
  const target = repo.symlinks?.[path];
  if (target !== undefined) return { body: { ...contentEntry(repo, ref, path, 'symlink', target), target } };
  const prefix = path ? `${path}/` : '';
  const children = new Map<string, ReturnType<typeof contentEntry>>();
  for (const [filePath, fileContent] of Object.entries(files)) {
    if (!filePath.startsWith(prefix)) continue;
    const rest = filePath.slice(prefix.length);
    const [first = '', ...more] = rest.split('/');
    const childPath = `${prefix}${first}`;
    if (!children.has(childPath)) {
      children.set(
        childPath,
        more.length > 0
          ? contentEntry(repo, ref, childPath, 'dir')
          : contentEntry(repo, ref, childPath, 'file', fileContent),
      );
    }
  }
  for (const [linkPath, linkTarget] of Object.entries(repo.symlinks ?? {})) {
    if (linkPath.startsWith(prefix) && !linkPath.slice(prefix.length).includes('/')) {
      children.set(linkPath, contentEntry(repo, ref, linkPath, 'symlink', linkTarget));
    }
  }
  if (children.size === 0) return error(404, 'Not Found');
  return { body: [...children.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** `q` split into free terms and `qualifier:value` pairs, as GitHub's search reads it. */
function parseQuery(q: string): { terms: string[]; qualifiers: Map<string, string> } {
  const terms: string[] = [];
  const qualifiers = new Map<string, string>();
  for (const token of q.split(/\s+/).filter(Boolean)) {
    const match = /^(repo|org|user|path|language):(.+)$/.exec(token);
    if (match?.[1] && match[2]) qualifiers.set(match[1], match[2].toLowerCase());
    else terms.push(token.toLowerCase());
  }
  return { terms, qualifiers };
}

const CANNOT_SEARCH = {
  message:
    'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
  resource: 'Search',
  field: 'q',
  code: 'invalid',
};

function ownerProblem(world: FakeGitHubWorld, qualifiers: Map<string, string>): LoopbackAnswer | undefined {
  const owners = new Set(world.repos.map((repo) => repo.fullName.split('/')[0]?.toLowerCase()));
  const users = new Set((world.users ?? []).map((user) => user.toLowerCase()));
  const org = qualifiers.get('org');
  const user = qualifiers.get('user');
  const repo = qualifiers.get('repo');
  const bad =
    (org !== undefined && (!owners.has(org) || users.has(org))) ||
    (user !== undefined && !owners.has(user)) ||
    (repo !== undefined && !world.repos.some((candidate) => candidate.fullName.toLowerCase() === repo));
  if (!bad) return undefined;
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors: [CANNOT_SEARCH],
      documentation_url: `${DOCS}/search/search`,
      status: '422',
    },
  };
}

function inScope(repo: FakeGitHubRepo, qualifiers: Map<string, string>): boolean {
  const fullName = repo.fullName.toLowerCase();
  const owner = fullName.split('/')[0];
  const repoQualifier = qualifiers.get('repo');
  if (repoQualifier !== undefined && fullName !== repoQualifier) return false;
  const ownerQualifier = qualifiers.get('org') ?? qualifiers.get('user');
  return ownerQualifier === undefined || owner === ownerQualifier;
}

function searchCode(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer {
  if (!req.token) {
    return error(401, 'Requires authentication', {
      errors: [
        {
          message: 'Must be authenticated to access the code search API',
          resource: 'Search',
          field: 'q',
          code: 'invalid',
        },
      ],
    });
  }
  const { terms, qualifiers } = parseQuery(req.query.get('q') ?? '');
  const problem = ownerProblem(world, qualifiers);
  if (problem) return problem;
  const textMatch = String(req.headers.accept ?? '').includes('text-match');
  const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
  const items: Record<string, unknown>[] = [];
  for (const repo of world.repos) {
    if (!inScope(repo, qualifiers) || (repo.private && req.token !== world.token)) continue;
    for (const [path, content] of Object.entries(repo.files)) {
      const text = typeof content === 'string' ? content : '';
      const haystack = `${path}\n${text}`.toLowerCase();
      if (terms.length === 0 || !terms.every((term) => haystack.includes(term))) continue;
      const sha = blobSha(content);
      const line = text
        .split('\n')
        .find((candidate) => terms.some((term) => candidate.toLowerCase().includes(term)));
      items.push({
        name: path.split('/').pop(),
        path,
        sha,
        url: `https://api.github.com/repositories/${hashNumber(repo.fullName)}/contents/${path}?ref=${sha}`,
        git_url: `https://api.github.com/repositories/${hashNumber(repo.fullName)}/git/blobs/${sha}`,
        html_url: `https://github.com/${repo.fullName}/blob/${sha}/${path}`,
        repository: repoJson(repo),
        score: 1,
        ...(textMatch
          ? {
              text_matches: line
                ? [
                    {
                      object_url: '',
                      object_type: 'FileContent',
                      property: 'content',
                      fragment: line,
                      matches: [],
                    },
                  ]
                : [],
            }
          : {}),
      });
    }
  }
  return { body: { total_count: items.length, incomplete_results: false, items: items.slice(0, perPage) } };
}

function searchRepos(world: FakeGitHubWorld, req: LoopbackRequest): LoopbackAnswer {
  const { terms, qualifiers } = parseQuery(req.query.get('q') ?? '');
  const problem = ownerProblem(world, qualifiers);
  if (problem) return problem;
  const perPage = Math.min(100, Number(req.query.get('per_page') ?? 30));
  const found = world.repos
    .filter((repo) => inScope(repo, qualifiers) && (!repo.private || req.token === world.token))
    .filter((repo) => {
      const haystack = `${repo.fullName} ${repo.description ?? ''}`.toLowerCase();
      return terms.every((term) => haystack.includes(term));
    })
    .sort((a, b) => (req.query.get('sort') === 'stars' ? (b.stars ?? 0) - (a.stars ?? 0) : 0));
  return {
    body: {
      total_count: found.length,
      incomplete_results: false,
      items: found.slice(0, perPage).map(repoJson),
    },
  };
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
function blobSha(content: string | Buffer): string {
  const bytes = Buffer.from(content);
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function hashNumber(text: string): number {
  return Number.parseInt(createHash('sha1').update(text).digest('hex').slice(0, 8), 16);
}

function wrap60(base64: string): string {
  return `${base64.replace(/.{60}/g, '$&\n')}\n`;
}
