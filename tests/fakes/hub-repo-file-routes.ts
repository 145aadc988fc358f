import { createHash } from 'node:crypto';
import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';
import {
  addCommit,
  gitBlobOid,
  newEventId,
  resolveRevision,
  type FakeAccount,
  type FakeRepo,
  type HubRepoWorld,
} from './hub-repo-world.js';
import {
  gateCheck,
  hubError,
  origin,
  readableRepo,
  REPO,
  repoPage,
  REV,
  TYPES,
  writableRepo,
} from './hub-repo-http.js';

/**
 * The file side of the fake Hub, as `@huggingface/hub` speaks it:
 * - `GET /api/{type}s/{repo}/tree/{rev}/{path}?recursive=&expand=` (listFiles): `[{type, oid, size,
 *   path, lfs?}]`, paged with `Link: <…&cursor=…>; rel="next"`;
 * - `GET /{prefix}{repo}/resolve/{rev}/{path}` (fileDownloadInfo, downloadFile): the bytes, 206 with
 *   `Content-Range` for a `Range` request, an `ETag`; 404 with `X-Error-Code: EntryNotFound`;
 * - `POST /api/{type}s/{repo}/preupload/{rev}` (`{files: [{path, size, sample}]}` → `{files: [{path,
 *   uploadMode, shouldIgnore}]}`) and `POST /api/{type}s/{repo}/commit/{rev}[?create_pr=1]` with the
 *   NDJSON body (`header`, `file` base64, `deletedFile`) → `{commitOid, commitUrl, pullRequestUrl?}`.
 * LFS uploads are not faked: the preupload answers `regular` for the small text files the tools write.
 */

const LFS_PATH =
  /\.(safetensors|bin|pt|pth|ckpt|h5|onnx|gguf|parquet|arrow|zip|gz|tar|png|jpe?g|mp3|wav|mp4)$/i;
const REGULAR_MAX_BYTES = 10 * 1000 * 1000;

function isLfs(path: string, size: number): boolean {
  return LFS_PATH.test(path) || size > REGULAR_MAX_BYTES;
}

export function hubRepoFileRoutes(world: HubRepoWorld): Route[] {
  return [
    {
      method: 'GET',
      path: new RegExp(`^/api/${TYPES}/${REPO}/tree/${REV}(?:/(?<path>.+))?$`),
      handle: (req) => tree(world, req),
    },
    {
      method: 'GET',
      path: new RegExp(`^/(?:(?<types>datasets|spaces)/)?${REPO}/resolve/${REV}/(?<path>.+)$`),
      handle: (req) => resolve(world, req),
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/${TYPES}/${REPO}/preupload/${REV}$`),
      handle: (req) => preupload(world, req),
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/${TYPES}/${REPO}/commit/${REV}$`),
      handle: (req) => commit(world, req),
    },
  ];
}

function tree(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const rev = req.params.rev ?? 'main';
  const head = resolveRevision(world, repo, rev);
  if (!head) return hubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  const folder = (req.params.path ?? '').replace(/\/+$/, '');
  const recursive = req.query.get('recursive') === 'true';
  const entries = treeEntries(head.files, folder, recursive);
  if (folder && entries.length === 0)
    return hubError(404, `${folder} does not exist on "${rev}"`, 'EntryNotFound');
  const start = Number(req.query.get('cursor') ?? '0');
  const page = entries.slice(start, start + world.treePageSize);
  const headers: Record<string, string> = {};
  if (start + page.length < entries.length) {
    const next = new URL(`${origin(req)}${req.path}`);
    for (const [key, value] of req.query) if (key !== 'cursor') next.searchParams.set(key, value);
    next.searchParams.set('cursor', String(start + page.length));
    headers.link = `<${next.href}>; rel="next"`;
  }
  return { body: page, headers };
}

function treeEntries(
  files: Map<string, Buffer>,
  folder: string,
  recursive: boolean,
): Record<string, unknown>[] {
  const prefix = folder ? `${folder}/` : '';
  const directories = new Set<string>();
  const entries: Record<string, unknown>[] = [];
  for (const [path, content] of files) {
    if (!path.startsWith(prefix)) continue;
    const rest = path.slice(prefix.length).split('/');
    for (let depth = 1; depth < rest.length && (recursive || depth === 1); depth++) {
      directories.add(prefix + rest.slice(0, depth).join('/'));
    }
    if (!recursive && rest.length > 1) continue;
    const oid = gitBlobOid(content);
    entries.push({
      type: 'file',
      oid,
      size: content.length,
      path,
      ...(isLfs(path, content.length)
        ? {
            lfs: {
              oid: createHash('sha256').update(content).digest('hex'),
              size: content.length,
              pointerSize: 134,
            },
          }
        : {}),
    });
  }
  for (const path of directories) {
    entries.push({
      type: 'directory',
      oid: createHash('sha1').update(`tree ${path}`).digest('hex'),
      size: 0,
      path,
    });
  }
  return entries.sort((a, b) => String(a.path).localeCompare(String(b.path)));
}

function resolve(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { account, repo } = found.ok;
  const gated = gateCheck(world, req, account, repo);
  if (gated) return gated;
  const rev = req.params.rev ?? 'main';
  const head = resolveRevision(world, repo, rev);
  if (!head) return hubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  const content = head.files.get(req.params.path ?? '');
  if (!content) return hubError(404, 'Entry not found', 'EntryNotFound');
  const headers: Record<string, string> = {
    etag: `"${gitBlobOid(content)}"`,
    'x-repo-commit': head.oid,
    'accept-ranges': 'bytes',
    'content-type': isLfs(req.params.path ?? '', content.length)
      ? 'application/octet-stream'
      : 'text/plain; charset=utf-8',
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
  if (!range) return { body: content, headers };
  const from = Number(range[1]);
  const to = Math.min(range[2] ? Number(range[2]) : content.length - 1, content.length - 1);
  if (from >= content.length)
    return { status: 416, body: '', headers: { 'content-range': `bytes */${content.length}` } };
  return {
    status: 206,
    body: content.subarray(from, to + 1),
    headers: { ...headers, 'content-range': `bytes ${from}-${to}/${content.length}` },
  };
}

function preupload(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const head = resolveRevision(world, repo, req.params.rev ?? 'main');
  if (!head) return hubError(404, `Invalid rev id: ${req.params.rev}`, 'RevisionNotFound');
  const body = req.json as { files?: { path: string; size: number; sample: string }[] } | undefined;
  if (!Array.isArray(body?.files)) return hubError(400, 'files is required');
  return {
    body: {
      files: body.files.map((file) => ({
        path: file.path,
        uploadMode: isLfs(file.path, file.size) ? 'lfs' : 'regular',
        shouldIgnore: false,
        ...(head.files.has(file.path) ? { oid: gitBlobOid(head.files.get(file.path) as Buffer) } : {}),
      })),
      commitOid: head.oid,
    },
  };
}

interface CommitLine {
  key: string;
  value: { summary?: string; parentCommit?: string; path?: string; content?: string; encoding?: string };
}

function commit(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { account, repo } = found.ok;
  let lines: CommitLine[];
  try {
    lines = req.body
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as CommitLine);
  } catch {
    return hubError(400, 'Invalid NDJSON body');
  }
  const header = lines.find((line) => line.key === 'header')?.value;
  if (!header?.summary?.trim()) return hubError(400, 'A commit summary is required');
  const rev = req.params.rev ?? 'main';
  const createPr = req.query.get('create_pr') === '1';
  const pr = /^refs\/pr\/(\d+)$/.exec(rev);
  const discussion = pr
    ? repo.discussions.find((d) => d.num === Number(pr[1]) && d.isPullRequest)
    : undefined;
  if (pr && !discussion) return hubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  if (!pr && !repo.branches.has(rev)) {
    return resolveRevision(world, repo, rev)
      ? hubError(400, `Invalid rev id: ${rev} is not a branch`)
      : hubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  }
  const head = resolveRevision(world, repo, rev);
  if (!head) return hubError(404, `Invalid rev id: ${rev}`, 'RevisionNotFound');
  if (header.parentCommit && !createPr && !head.oid.startsWith(header.parentCommit)) {
    return hubError(412, 'A commit has happened since. Please refresh and try again.');
  }

  const files = new Map(head.files);
  for (const line of lines) {
    const path = line.value.path ?? '';
    if (line.key === 'file') {
      if (line.value.encoding !== 'base64') return hubError(400, `Unsupported encoding for ${path}`);
      files.set(path, Buffer.from(line.value.content ?? '', 'base64'));
    } else if (line.key === 'deletedFile') {
      if (!files.delete(path)) return hubError(404, `Entry not found: ${path}`, 'EntryNotFound');
    } else if (line.key === 'deletedFolder') {
      for (const existing of [...files.keys()])
        if (existing.startsWith(`${path.replace(/\/$/, '')}/`)) files.delete(existing);
    } else if (line.key === 'lfsFile') {
      return hubError(400, `LFS files are not supported by this fake (${path})`);
    } else if (line.key !== 'header') {
      return hubError(400, `Unknown commit operation ${line.key}`);
    }
  }
  const created = addCommit(world, repo, {
    parent: head.oid,
    title: header.summary,
    author: account.user,
    files,
  });
  let pullRequestUrl: string | undefined;
  if (createPr) {
    const num = openPullRequest(repo, account, header.summary, rev, head.oid, 'open');
    repo.prRefs.set(num, created.oid);
    commitEvent(repo, num, account, created.oid, header.summary);
    pullRequestUrl = `${repoPage(req, repo)}/discussions/${num}`;
  } else if (pr) {
    repo.prRefs.set(Number(pr[1]), created.oid);
    commitEvent(repo, Number(pr[1]), account, created.oid, header.summary);
  } else {
    repo.branches.set(rev, created.oid);
  }
  return {
    body: {
      success: true,
      commitOid: created.oid,
      commitUrl: `${repoPage(req, repo)}/commit/${created.oid}`,
      hookOutput: '',
      ...(pullRequestUrl ? { pullRequestUrl } : {}),
    },
  };
}

/** A new pull request discussion (from a commit with `create_pr=1`, or `POST .../discussions`). */
export function openPullRequest(
  repo: FakeRepo,
  account: FakeAccount,
  title: string,
  base: string,
  startOid: string,
  status: 'draft' | 'open',
  description = '',
): number {
  const num = repo.discussions.length + 1;
  const now = new Date().toISOString();
  repo.discussions.push({
    num,
    title,
    isPullRequest: true,
    status,
    author: account.user,
    createdAt: now,
    base,
    startOid,
    events: [
      {
        id: newEventId(),
        type: 'comment',
        createdAt: now,
        author: { name: account.user },
        data: {
          edited: false,
          hidden: false,
          latest: { raw: description, html: `<p>${description}</p>`, updatedAt: now },
        },
      },
    ],
  });
  return num;
}

function commitEvent(repo: FakeRepo, num: number, account: FakeAccount, oid: string, subject: string): void {
  repo.discussions
    .find((d) => d.num === num)
    ?.events.push({
      id: newEventId(),
      type: 'commit',
      createdAt: new Date().toISOString(),
      author: { name: account.user },
      data: { subject, oid },
    });
}
