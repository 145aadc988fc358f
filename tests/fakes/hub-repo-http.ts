import type { LoopbackAnswer, LoopbackRequest } from './loopback-http.js';
import {
  repoKey,
  type FakeAccount,
  type FakeRepo,
  type FakeRepoType,
  type HubRepoWorld,
} from './hub-repo-world.js';

/**
 * What every fake repo endpoint does first, as the Hub does it: read the bearer token, find the
 * repo (a private one is "not found" to others), and check the right to write. Error bodies are
 * the Hub's `{"error": …}` with its `X-Error-Code` header (`RepoNotFound`, `GatedRepo`,
 * `RevisionNotFound`, `EntryNotFound`: the codes `huggingface_hub`'s `hf_raise_for_status` reads).
 */

export const TYPES = '(?<types>models|datasets|spaces)';
export const REPO = '(?<repo>(?:[^/]+/)?[^/]+)';
// The loopback decodes `%2F`, so a PR ref arrives as three segments; other revisions are one.
export const REV = '(?<rev>refs/(?:pr|convert)/[^/]+|[^/]+)';

export function hubError(status: number, message: string, code?: string): LoopbackAnswer {
  return {
    status,
    body: { error: message },
    headers: code ? { 'x-error-code': code, 'x-error-message': message } : {},
  };
}

export type Outcome<T> = { ok: T } | { answer: LoopbackAnswer };

/** The caller's account; none without a token; a 401 for a token the Hub does not know. */
export function caller(world: HubRepoWorld, req: LoopbackRequest): Outcome<FakeAccount | undefined> {
  if (req.token === undefined) return { ok: undefined };
  const account = world.accounts.get(req.token);
  if (!account) return { answer: hubError(401, 'Invalid credentials in Authorization header') };
  return { ok: account };
}

export function typeOf(types: string | undefined): FakeRepoType {
  return types === 'datasets' ? 'dataset' : types === 'spaces' ? 'space' : 'model';
}

export function ownsNamespace(account: FakeAccount | undefined, repoId: string): boolean {
  const namespace = repoId.includes('/') ? repoId.split('/')[0] : undefined;
  return (
    account !== undefined &&
    namespace !== undefined &&
    (namespace === account.user || account.orgs.includes(namespace))
  );
}

/** The repo of the path, when this caller may see it (401 for nobody, 404 for someone, as the Hub). */
export function visibleRepo(
  world: HubRepoWorld,
  req: LoopbackRequest,
  account: FakeAccount | undefined,
): Outcome<FakeRepo> {
  const type = typeOf(req.params.types);
  const repo = world.repos.get(repoKey(type, req.params.repo ?? ''));
  if (!repo || (repo.private && !ownsNamespace(account, repo.id))) {
    return { answer: hubError(account ? 404 : 401, 'Repository not found', 'RepoNotFound') };
  }
  return { ok: repo };
}

/** Reading file contents of a gated repo needs its conditions accepted (the tree stays public). */
export function gateCheck(
  world: HubRepoWorld,
  req: LoopbackRequest,
  account: FakeAccount | undefined,
  repo: FakeRepo,
): LoopbackAnswer | undefined {
  if (!repo.gated || ownsNamespace(account, repo.id)) return undefined;
  if (account && req.token && world.gateAccepted.has(`${req.token}|${repoKey(repo.type, repo.id)}`))
    return undefined;
  return account
    ? hubError(
        403,
        `Access to ${repo.type} ${repo.id} is restricted and you are not in the authorized list. Visit https://huggingface.co/${repo.id} to ask for access.`,
        'GatedRepo',
      )
    : hubError(
        401,
        `Access to ${repo.type} ${repo.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
        'GatedRepo',
      );
}

/** The caller and the repo, and the right to change it (a write token of its namespace). */
export function writableRepo(
  world: HubRepoWorld,
  req: LoopbackRequest,
): Outcome<{ account: FakeAccount; repo: FakeRepo }> {
  const who = caller(world, req);
  if ('answer' in who) return who;
  if (!who.ok) return { answer: hubError(401, 'Invalid username or password.') };
  const found = visibleRepo(world, req, who.ok);
  if ('answer' in found) return found;
  if (!ownsNamespace(who.ok, found.ok.id) || who.ok.role !== 'write') {
    return { answer: hubError(403, `You don't have the rights to write to ${found.ok.type} ${found.ok.id}`) };
  }
  return { ok: { account: who.ok, repo: found.ok } };
}

/** The caller and the repo for a read. */
export function readableRepo(
  world: HubRepoWorld,
  req: LoopbackRequest,
): Outcome<{ account: FakeAccount | undefined; repo: FakeRepo }> {
  const who = caller(world, req);
  if ('answer' in who) return who;
  const found = visibleRepo(world, req, who.ok);
  if ('answer' in found) return found;
  return { ok: { account: who.ok, repo: found.ok } };
}

export function origin(req: LoopbackRequest): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

export function repoPage(req: LoopbackRequest, repo: FakeRepo): string {
  return `${origin(req)}/${repo.type === 'model' ? '' : `${repo.type}s/`}${repo.id}`;
}
