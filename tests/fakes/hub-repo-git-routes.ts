import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';
import { openPullRequest } from './hub-repo-file-routes.js';
import {
  addCommit,
  changesBetween,
  diffText,
  newEventId,
  resolveRevision,
  type FakeAccount,
  type FakeDiscussion,
  type FakeEvent,
  type FakeRepo,
  type HubRepoWorld,
} from './hub-repo-world.js';
import { hubError, ownsNamespace, readableRepo, REPO, REV, TYPES, writableRepo } from './hub-repo-http.js';

/**
 * Refs and branches/tags, as `@huggingface/hub` (`createBranch`, `deleteBranch`) and `hf_api.py`
 * (`list_repo_refs`, `create_tag`, `delete_tag`) call them:
 * - `GET /api/{type}s/{repo}/refs[?include_prs=1]` → `{branches, tags, converts, pullRequests?}` of
 *   `{name, ref, targetCommit}`;
 * - `POST|DELETE /api/{type}s/{repo}/branch/{branch}` (`{startingPoint?, emptyBranch?, overwrite?}`),
 *   409 when it exists;
 * - `POST /api/{type}s/{repo}/tag/{revision}` (`{tag, message?}`), `DELETE /api/{type}s/{repo}/tag/{tag}`.
 */
export function hubRepoRefRoutes(world: HubRepoWorld): Route[] {
  return [
    { method: 'GET', path: new RegExp(`^/api/${TYPES}/${REPO}/refs$`), handle: (req) => refs(world, req) },
    {
      method: 'POST',
      path: new RegExp(`^/api/${TYPES}/${REPO}/branch/(?<name>.+)$`),
      handle: (req) => createBranch(world, req),
    },
    {
      method: 'DELETE',
      path: new RegExp(`^/api/${TYPES}/${REPO}/branch/(?<name>.+)$`),
      handle: (req) => deleteBranch(world, req),
    },
    {
      method: 'POST',
      path: new RegExp(`^/api/${TYPES}/${REPO}/tag/${REV}$`),
      handle: (req) => createTag(world, req),
    },
    {
      method: 'DELETE',
      path: new RegExp(`^/api/${TYPES}/${REPO}/tag/(?<name>.+)$`),
      handle: (req) => deleteTag(world, req),
    },
  ];
}

function refs(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const ref = (name: string, full: string, targetCommit: string) => ({ name, ref: full, targetCommit });
  return {
    body: {
      branches: [...repo.branches].map(([name, oid]) => ref(name, `refs/heads/${name}`, oid)),
      tags: [...repo.tags].map(([name, tag]) => ref(name, `refs/tags/${name}`, tag.oid)),
      converts: [],
      ...(req.query.get('include_prs') === '1'
        ? { pullRequests: [...repo.prRefs].map(([num, oid]) => ref(`refs/pr/${num}`, `refs/pr/${num}`, oid)) }
        : {}),
    },
  };
}

function createBranch(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { account, repo } = found.ok;
  const name = req.params.name ?? '';
  const body = (req.json ?? {}) as { startingPoint?: string; emptyBranch?: boolean; overwrite?: boolean };
  if (/^refs\//.test(name)) return hubError(400, `Invalid reference for a branch: ${name}`);
  if (repo.branches.has(name) && !body.overwrite) return hubError(409, 'Reference already exists');
  if (body.emptyBranch) {
    repo.branches.set(
      name,
      addCommit(world, repo, { parent: undefined, title: 'empty', author: account.user, files: new Map() })
        .oid,
    );
    return { body: {} };
  }
  const start = resolveRevision(world, repo, body.startingPoint ?? 'main');
  if (!start) return hubError(404, `Invalid rev id: ${body.startingPoint}`, 'RevisionNotFound');
  repo.branches.set(name, start.oid);
  return { body: {} };
}

function deleteBranch(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const name = req.params.name ?? '';
  if (name === 'main') return hubError(400, 'Cannot delete the default branch');
  if (!found.ok.repo.branches.delete(name))
    return hubError(404, `Invalid rev id: ${name}`, 'RevisionNotFound');
  return { body: {} };
}

function createTag(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const body = (req.json ?? {}) as { tag?: string; message?: string };
  if (!body.tag) return hubError(400, 'tag is required');
  if (repo.tags.has(body.tag)) return hubError(409, 'Tag already exists');
  const target = resolveRevision(world, repo, req.params.rev ?? 'main');
  if (!target) return hubError(404, `Invalid rev id: ${req.params.rev}`, 'RevisionNotFound');
  repo.tags.set(body.tag, { oid: target.oid, ...(body.message ? { message: body.message } : {}) });
  return { body: {} };
}

function deleteTag(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const name = req.params.name ?? '';
  if (!found.ok.repo.tags.delete(name)) return hubError(404, `Invalid rev id: ${name}`, 'RevisionNotFound');
  return { body: {} };
}

/**
 * Discussions and pull requests, as `hf_api.py` calls them (`get_repo_discussions`,
 * `create_discussion`, `get_discussion_details`, `comment_discussion`, `change_discussion_status`,
 * `merge_pull_request`), and `community.py`'s event shapes.
 */
export function hubRepoDiscussionRoutes(world: HubRepoWorld): Route[] {
  const base = `^/api/${TYPES}/${REPO}/discussions`;
  return [
    { method: 'GET', path: new RegExp(`${base}$`), handle: (req) => listDiscussions(world, req) },
    { method: 'POST', path: new RegExp(`${base}$`), handle: (req) => createDiscussion(world, req) },
    {
      method: 'GET',
      path: new RegExp(`${base}/(?<num>\\d+)$`),
      handle: (req) => discussionDetails(world, req),
    },
    {
      method: 'POST',
      path: new RegExp(`${base}/(?<num>\\d+)/(?<action>comment|status|merge)$`),
      handle: (req) => changeDiscussion(world, req),
    },
  ];
}

const PAGE = 50;

function summary(repo: FakeRepo, d: FakeDiscussion): Record<string, unknown> {
  return {
    num: d.num,
    title: d.title,
    status: d.status,
    isPullRequest: d.isPullRequest,
    createdAt: d.createdAt,
    author: { name: d.author },
    repo: { name: repo.id, type: repo.type },
    numComments: d.events.filter((e) => e.type === 'comment').length,
    pinned: false,
  };
}

function listDiscussions(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const status = req.query.get('status');
  const type = req.query.get('type');
  const author = req.query.get('author');
  const matching = [...repo.discussions]
    .reverse()
    .filter(
      (d) => !status || (status === 'open' ? ['open', 'draft'] : ['closed', 'merged']).includes(d.status),
    )
    .filter((d) => !type || type === 'all' || (type === 'pull_request') === d.isPullRequest)
    .filter((d) => !author || d.author === author);
  const start = Number(req.query.get('p') ?? '0') * PAGE;
  return {
    body: {
      discussions: matching.slice(start, start + PAGE).map((d) => summary(repo, d)),
      count: matching.length,
      start,
      numClosedDiscussions: repo.discussions.filter((d) => d.status === 'closed' || d.status === 'merged')
        .length,
    },
  };
}

function signedIn(
  world: HubRepoWorld,
  req: LoopbackRequest,
): { account: FakeAccount; repo: FakeRepo } | LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  if (!found.ok.account) return hubError(401, 'Invalid username or password.');
  return { account: found.ok.account, repo: found.ok.repo };
}

function createDiscussion(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = signedIn(world, req);
  if (!('account' in found)) return found;
  const { account, repo } = found;
  const body = (req.json ?? {}) as { title?: string; description?: string; pullRequest?: boolean };
  const title = body.title?.trim() ?? '';
  if (title.length < 3 || title.length > 200)
    return hubError(400, 'Title must be between 3 and 200 characters');
  if (body.pullRequest) {
    const head = resolveRevision(world, repo, 'main');
    if (!head) return hubError(404, 'Invalid rev id: main', 'RevisionNotFound');
    const num = openPullRequest(repo, account, title, 'main', head.oid, 'draft', body.description ?? '');
    repo.prRefs.set(num, head.oid);
    return { body: { num, isPullRequest: true } };
  }
  const now = new Date().toISOString();
  const num = repo.discussions.length + 1;
  repo.discussions.push({
    num,
    title,
    isPullRequest: false,
    status: 'open',
    author: account.user,
    createdAt: now,
    events: [commentEvent(account, body.description ?? '')],
  });
  return { body: { num, isPullRequest: false } };
}

function discussionDetails(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = readableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const d = repo.discussions.find((x) => x.num === Number(req.params.num));
  if (!d) return hubError(404, 'Discussion not found');
  const details: Record<string, unknown> = { ...summary(repo, d), events: d.events };
  if (d.isPullRequest) {
    const head = world.commits.get(repo.prRefs.get(d.num) ?? '');
    const start = world.commits.get(d.startOid ?? '');
    details.changes = {
      base: `refs/heads/${d.base ?? 'main'}`,
      ...(d.mergeCommitId ? { mergeCommitId: d.mergeCommitId } : {}),
    };
    details.filesWithConflicts = [];
    if (req.query.get('diff') === '1' && head && start) details.diff = diffText(start.files, head.files);
  }
  return { body: details };
}

function changeDiscussion(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const action = req.params.action;
  const found = action === 'merge' ? writableRepo(world, req) : undefined;
  const access = found ? ('answer' in found ? found.answer : found.ok) : signedIn(world, req);
  if (!('account' in access)) return access;
  const { account, repo } = access;
  const d = repo.discussions.find((x) => x.num === Number(req.params.num));
  if (!d) return hubError(404, 'Discussion not found');
  const body = (req.json ?? {}) as { comment?: string; status?: string };
  if (action === 'comment') {
    if (!body.comment?.trim()) return hubError(400, 'comment is required');
    const event = commentEvent(account, body.comment);
    d.events.push(event);
    return { body: { newMessage: event } };
  }
  if (action === 'status') {
    if (body.status !== 'open' && body.status !== 'closed')
      return hubError(400, 'status must be open or closed');
    if (d.author !== account.user && !(ownsNamespace(account, repo.id) && account.role === 'write')) {
      return hubError(403, 'Only the author or the repo owners can change the status');
    }
    if (d.status === 'merged') return hubError(400, 'This pull request is already merged');
    if (body.comment?.trim()) d.events.push(commentEvent(account, body.comment));
    d.status = body.status;
    const event = statusEvent(account, body.status);
    d.events.push(event);
    return { body: { newStatus: event } };
  }
  // merge
  if (!d.isPullRequest) return hubError(400, 'This discussion is not a pull request');
  if (d.status !== 'open' && d.status !== 'draft') return hubError(400, `This pull request is ${d.status}`);
  const base = resolveRevision(world, repo, d.base ?? 'main');
  const head = world.commits.get(repo.prRefs.get(d.num) ?? '');
  const start = world.commits.get(d.startOid ?? '');
  if (!base || !head || !start) return hubError(500, 'Broken pull request');
  const { set, removed } = changesBetween(start.files, head.files);
  const files = new Map(base.files);
  for (const [path, content] of set) files.set(path, content);
  for (const path of removed) files.delete(path);
  const merged = addCommit(world, repo, {
    parent: base.oid,
    title: `Merge PR #${d.num}: ${d.title}`,
    author: account.user,
    files,
  });
  repo.branches.set(d.base ?? 'main', merged.oid);
  if (body.comment?.trim()) d.events.push(commentEvent(account, body.comment));
  d.status = 'merged';
  d.mergeCommitId = merged.oid;
  d.events.push(statusEvent(account, 'merged'));
  return { body: {} };
}

function commentEvent(account: FakeAccount, raw: string): FakeEvent {
  const now = new Date().toISOString();
  return {
    id: newEventId(),
    type: 'comment',
    createdAt: now,
    author: { name: account.user },
    data: { edited: false, hidden: false, latest: { raw, html: `<p>${raw}</p>`, updatedAt: now } },
  };
}

function statusEvent(account: FakeAccount, status: string): FakeEvent {
  return {
    id: newEventId(),
    type: 'status-change',
    createdAt: new Date().toISOString(),
    author: { name: account.user },
    data: { status },
  };
}
