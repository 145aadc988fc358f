import { createHash } from 'node:crypto';
import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';

/**
 * GitHub's REST API as far as skill sources use it, for `startLoopback` (point `GITHUB_API_URL` at
 * it): `GET /repos/{o}/{r}/git/trees/{tree_sha}[?recursive=…]` and `GET /repos/{o}/{r}/contents/{path}[?ref=…]`.
 * Shapes from docs.github.com/rest/git/trees#get-a-tree and /rest/repos/contents#get-repository-content:
 * a tree is `{sha, url, tree: [{path, mode, type: blob|tree, sha, size (blobs), url}], truncated}`, and
 * `recursive` set to any value lists every level; a file is `{type: "file", encoding: "base64",
 * content (base64 wrapped at 60 columns), size, name, path, sha, url, git_url, html_url,
 * download_url, _links}`, a folder an array of entries; misses are 404 `{message: "Not Found",
 * documentation_url, status: "404"}`. `HEAD` and branch names are accepted for `tree_sha`, as GitHub does.
 */
export interface GitHubSkillsRepo {
  defaultBranch: string;
  /** Branch (or tag) → its files, path → content. */
  refs: Record<string, Record<string, string>>;
}

export interface GitHubSkillsWorld {
  /** `owner/repo` → the repository. */
  repos: Record<string, GitHubSkillsRepo>;
  /** When set, every call answers 403 "API rate limit exceeded", as GitHub does to anonymous callers past 60 an hour. */
  rateLimited?: boolean;
}

const API = 'https://api.github.com';

export function gitHubSkillsRoutes(world: GitHubSkillsWorld): Route[] {
  return [
    {
      method: 'GET',
      path: '/repos/:owner/:repo/git/trees/:sha',
      handle: (req) => guarded(world, req, () => tree(world, req)),
    },
    {
      method: 'GET',
      path: '/repos/:owner/:repo/contents/:path*',
      handle: (req) => guarded(world, req, () => contents(world, req)),
    },
  ];
}

const rateHeaders = (remaining: number): Record<string, string> => ({
  'x-ratelimit-limit': '60',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-resource': 'core',
  'x-github-api-version-selected': '2022-11-28',
});

function guarded(
  world: GitHubSkillsWorld,
  req: LoopbackRequest,
  answer: () => LoopbackAnswer,
): LoopbackAnswer {
  if (!req.headers['user-agent']) {
    return {
      status: 403,
      body: {
        message:
          'Request forbidden by administrative rules. Please make sure your request has a User-Agent header',
      },
    };
  }
  if (world.rateLimited) {
    return {
      status: 403,
      headers: rateHeaders(0),
      body: {
        message:
          "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)",
        documentation_url: 'https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting',
      },
    };
  }
  const result = answer();
  return { ...result, headers: { ...rateHeaders(59), ...result.headers } };
}

function notFound(doc: string): LoopbackAnswer {
  return {
    status: 404,
    body: { message: 'Not Found', documentation_url: `https://docs.github.com/rest/${doc}`, status: '404' },
  };
}

function filesAt(world: GitHubSkillsWorld, req: LoopbackRequest, ref: string | undefined) {
  const id = `${req.params.owner}/${req.params.repo}`;
  const repo = world.repos[id];
  if (!repo) return undefined;
  const name = ref === undefined || ref === 'HEAD' ? repo.defaultBranch : ref;
  const files = repo.refs[name];
  return files ? { id, ref: name, files } : undefined;
}

/** Git's own object id of a blob: sha1 of `blob <size>\0<content>`. */
function blobSha(content: string): string {
  const bytes = Buffer.from(content, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function fakeSha(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

function tree(world: GitHubSkillsWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = filesAt(world, req, req.params.sha);
  if (!found) return notFound('git/trees#get-a-tree');
  const recursive = req.query.has('recursive');
  const entries = new Map<string, Record<string, unknown>>();
  for (const [path, content] of Object.entries(found.files).sort(([a], [b]) => a.localeCompare(b))) {
    const segments = path.split('/');
    for (let depth = 1; depth < segments.length; depth++) {
      const dir = segments.slice(0, depth).join('/');
      const sha = fakeSha(`${found.id}:${found.ref}:${dir}`);
      entries.set(dir, {
        path: dir,
        mode: '040000',
        type: 'tree',
        sha,
        url: `${API}/repos/${found.id}/git/trees/${sha}`,
      });
    }
    const sha = blobSha(content);
    entries.set(path, {
      path,
      mode: '100644',
      type: 'blob',
      sha,
      size: Buffer.byteLength(content),
      url: `${API}/repos/${found.id}/git/blobs/${sha}`,
    });
  }
  const tree = [...entries.values()].filter((entry) => recursive || !String(entry.path).includes('/'));
  const sha = fakeSha(`${found.id}:${found.ref}`);
  return { body: { sha, url: `${API}/repos/${found.id}/git/trees/${sha}`, tree, truncated: false } };
}

function contents(world: GitHubSkillsWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = filesAt(world, req, req.query.get('ref') ?? undefined);
  if (!found) return notFound('repos/contents#get-repository-content');
  const path = (req.params.path ?? '').replace(/\/+$/, '');
  const content = found.files[path];
  if (content !== undefined) return { body: fileEntry(found.id, found.ref, path, content) };
  const inside = Object.keys(found.files).filter((file) => file.startsWith(`${path}/`));
  if (inside.length === 0) return notFound('repos/contents#get-repository-content');
  const names = [...new Set(inside.map((file) => file.slice(path.length + 1).split('/')[0] ?? ''))];
  return {
    body: names.map((name) => {
      const full = `${path}/${name}`;
      const file = found.files[full];
      return file === undefined
        ? { type: 'dir', name, path: full, sha: fakeSha(full), size: 0 }
        : { ...fileEntry(found.id, found.ref, full, file), content: undefined, encoding: undefined };
    }),
  };
}

function fileEntry(id: string, ref: string, path: string, content: string): Record<string, unknown> {
  const sha = blobSha(content);
  const base64 = Buffer.from(content, 'utf8').toString('base64');
  const url = `${API}/repos/${id}/contents/${path}?ref=${ref}`;
  return {
    type: 'file',
    encoding: 'base64',
    size: Buffer.byteLength(content),
    name: path.split('/').pop(),
    path,
    content: `${base64.replace(/.{60}/g, '$&\n')}\n`,
    sha,
    url,
    git_url: `${API}/repos/${id}/git/blobs/${sha}`,
    html_url: `https://github.com/${id}/blob/${ref}/${path}`,
    download_url: `https://raw.githubusercontent.com/${id}/${ref}/${path}`,
    _links: {
      self: url,
      git: `${API}/repos/${id}/git/blobs/${sha}`,
      html: `https://github.com/${id}/blob/${ref}/${path}`,
    },
  };
}
