import { randomBytes } from 'node:crypto';
import type { LoopbackAnswer, LoopbackRequest, Route } from './loopback-http.js';
import { hubRepoFileRoutes } from './hub-repo-file-routes.js';
import { hubRepoDiscussionRoutes, hubRepoRefRoutes } from './hub-repo-git-routes.js';
import { caller, hubError, origin, REPO, TYPES, writableRepo } from './hub-repo-http.js';
import { addRepo, repoKey, type FakeRepoType, type HubRepoWorld } from './hub-repo-world.js';

export {
  addAccount,
  addRepo,
  createHubRepoWorld,
  fileAt,
  resolveRevision,
  type FakeRepo,
  type HubRepoWorld,
} from './hub-repo-world.js';

/**
 * The fake Hub's repo endpoints (files, commits, refs, branches, tags, discussions, repo creation
 * and settings) over one in-memory {@link HubRepoWorld}, for `startLoopback([...hubRepoRoutes(world)])`
 * with `HF_ENDPOINT` at the loopback. Every route is an exact Hub path; nothing catches the rest.
 */
export function hubRepoRoutes(world: HubRepoWorld): Route[] {
  return [
    ...hubRepoFileRoutes(world),
    ...hubRepoRefRoutes(world),
    ...hubRepoDiscussionRoutes(world),
    { method: 'POST', path: '/api/repos/create', handle: (req) => createRepo(world, req) },
    {
      method: 'PUT',
      path: new RegExp(`^/api/${TYPES}/${REPO}/settings$`),
      handle: (req) => updateSettings(world, req),
    },
  ];
}

/**
 * `POST /api/repos/create` as `@huggingface/hub`'s `createRepo` sends it (`{name, organization,
 * visibility, type, sdk}`; `hf_api.py` sends `private` and may leave `organization` out, meaning the
 * caller's own account) → `{url, name, id}`; 409 with the Hub's words when it exists.
 */
function createRepo(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const who = caller(world, req);
  if ('answer' in who) return who.answer;
  const account = who.ok;
  if (!account) return hubError(401, 'Invalid username or password.');
  const body = (req.json ?? {}) as {
    name?: string;
    organization?: string;
    type?: FakeRepoType;
    visibility?: 'public' | 'private';
    private?: boolean;
    sdk?: string;
  };
  if (!body.name || !/^[\w.-]+$/.test(body.name)) return hubError(400, 'Invalid repo name');
  const type = body.type ?? 'model';
  const namespace = body.organization ?? account.user;
  if (namespace !== account.user && !account.orgs.includes(namespace)) {
    return hubError(403, `You don't have the rights to create a ${type} under the namespace "${namespace}"`);
  }
  if (account.role !== 'write') return hubError(403, 'You need a token with write access to create a repo');
  if (type === 'space' && !body.sdk) return hubError(400, 'sdk is required for a Space');
  const id = `${namespace}/${body.name}`;
  const url = `${origin(req)}/${type === 'model' ? '' : `${type}s/`}${id}`;
  if (world.repos.has(repoKey(type, id))) {
    return { status: 409, body: { error: `You already created this ${type} repo`, url } };
  }
  addRepo(world, {
    type,
    id,
    private: body.visibility ? body.visibility === 'private' : (body.private ?? false),
    ...(body.sdk ? { sdk: body.sdk } : {}),
  });
  return { body: { url, name: id, id: randomBytes(12).toString('hex') } };
}

/** `PUT /api/{type}s/{repo}/settings` (`update_repo_settings`: `{private?, gated?: 'auto'|'manual'|false}`). */
function updateSettings(world: HubRepoWorld, req: LoopbackRequest): LoopbackAnswer {
  const found = writableRepo(world, req);
  if ('answer' in found) return found.answer;
  const { repo } = found.ok;
  const body = (req.json ?? {}) as { private?: unknown; gated?: unknown };
  if (body.private !== undefined && typeof body.private !== 'boolean')
    return hubError(400, 'private must be a boolean');
  if (body.gated !== undefined && body.gated !== false && body.gated !== 'auto' && body.gated !== 'manual') {
    return hubError(400, "gated must be 'auto', 'manual' or false");
  }
  if (typeof body.private === 'boolean') repo.private = body.private;
  if (body.gated !== undefined) repo.gated = body.gated;
  return { body: { private: repo.private, gated: repo.gated } };
}
