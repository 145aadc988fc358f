import { createHash, randomBytes } from 'node:crypto';

/**
 * The state behind the fake Hub's repo endpoints: accounts (tokens), repos with branches, tags and
 * pull-request refs pointing at commits, each commit a full snapshot of the files, and discussions.
 * Small on purpose: enough for a test to upload, then list, then read, then open and merge a PR.
 */

export type FakeRepoType = 'model' | 'dataset' | 'space';

export interface FakeAccount {
  user: string;
  orgs: string[];
  /** A `write` token can commit to the repos of its user and orgs; a `read` one cannot. */
  role: 'read' | 'write';
}

export interface FakeCommit {
  oid: string;
  repoKey: string;
  parent: string | undefined;
  title: string;
  author: string;
  date: string;
  files: Map<string, Buffer>;
}

export interface FakeEvent {
  id: string;
  type: 'comment' | 'commit' | 'status-change' | 'title-change';
  createdAt: string;
  author: { name: string };
  data: Record<string, unknown>;
}

export interface FakeDiscussion {
  num: number;
  title: string;
  isPullRequest: boolean;
  status: 'draft' | 'open' | 'closed' | 'merged';
  author: string;
  createdAt: string;
  events: FakeEvent[];
  /** Pull requests: the branch they merge into and the commit they started from. */
  base?: string;
  startOid?: string;
  mergeCommitId?: string;
}

export interface FakeRepo {
  type: FakeRepoType;
  id: string;
  private: boolean;
  gated: false | 'auto' | 'manual';
  sdk?: string;
  branches: Map<string, string>;
  tags: Map<string, { oid: string; message?: string }>;
  prRefs: Map<number, string>;
  discussions: FakeDiscussion[];
}

export interface HubRepoWorld {
  /** Bearer token → account. */
  accounts: Map<string, FakeAccount>;
  /** `model:org/name` → repo. */
  repos: Map<string, FakeRepo>;
  commits: Map<string, FakeCommit>;
  /** `token|repoKey` of gated repos whose conditions the token's user accepted. */
  gateAccepted: Set<string>;
  /** Entries per page of the tree listing (the Hub pages at 1,000; tests lower it to see the Link header). */
  treePageSize: number;
}

export function createHubRepoWorld(options: { treePageSize?: number } = {}): HubRepoWorld {
  return {
    accounts: new Map(),
    repos: new Map(),
    commits: new Map(),
    gateAccepted: new Set(),
    treePageSize: options.treePageSize ?? 1_000,
  };
}

export function repoKey(type: FakeRepoType, id: string): string {
  return `${type}:${id}`;
}

export function addAccount(
  world: HubRepoWorld,
  token: string,
  account: { user: string; orgs?: string[]; role?: 'read' | 'write' },
): FakeAccount {
  const created = { user: account.user, orgs: account.orgs ?? [], role: account.role ?? 'write' };
  world.accounts.set(token, created);
  return created;
}

/** A repo with `main` holding `files` (and the `.gitattributes` the Hub puts in every new repo). */
export function addRepo(
  world: HubRepoWorld,
  spec: {
    type?: FakeRepoType;
    id: string;
    private?: boolean;
    gated?: false | 'auto' | 'manual';
    sdk?: string;
    files?: Record<string, string | Buffer>;
  },
): FakeRepo {
  const type = spec.type ?? 'model';
  const repo: FakeRepo = {
    type,
    id: spec.id,
    private: spec.private ?? false,
    gated: spec.gated ?? false,
    ...(spec.sdk ? { sdk: spec.sdk } : {}),
    branches: new Map(),
    tags: new Map(),
    prRefs: new Map(),
    discussions: [],
  };
  world.repos.set(repoKey(type, spec.id), repo);
  const files = new Map<string, Buffer>([
    ['.gitattributes', Buffer.from('*.safetensors filter=lfs diff=lfs merge=lfs -text\n')],
  ]);
  for (const [path, content] of Object.entries(spec.files ?? {})) files.set(path, Buffer.from(content));
  repo.branches.set(
    'main',
    addCommit(world, repo, { parent: undefined, title: 'initial commit', author: 'system', files }).oid,
  );
  return repo;
}

export function addCommit(
  world: HubRepoWorld,
  repo: FakeRepo,
  commit: { parent: string | undefined; title: string; author: string; files: Map<string, Buffer> },
): FakeCommit {
  const oid = createHash('sha1').update(randomBytes(16)).digest('hex');
  const created: FakeCommit = {
    ...commit,
    oid,
    repoKey: repoKey(repo.type, repo.id),
    date: new Date().toISOString(),
  };
  world.commits.set(oid, created);
  return created;
}

/**
 * A revision as the Hub resolves it: a branch, a tag, `refs/pr/N`, or a commit id (7 to 40 hex
 * characters) of this repo.
 */
export function resolveRevision(
  world: HubRepoWorld,
  repo: FakeRepo,
  revision: string,
): FakeCommit | undefined {
  const pr = /^refs\/pr\/(\d+)$/.exec(revision);
  const oid =
    repo.branches.get(revision) ??
    repo.tags.get(revision)?.oid ??
    (pr ? repo.prRefs.get(Number(pr[1])) : undefined) ??
    (/^[0-9a-f]{7,40}$/.test(revision)
      ? [...world.commits.values()].find(
          (c) => c.repoKey === repoKey(repo.type, repo.id) && c.oid.startsWith(revision),
        )?.oid
      : undefined);
  return oid ? world.commits.get(oid) : undefined;
}

/** The text of a file at a revision, for assertions. */
export function fileAt(
  world: HubRepoWorld,
  repo: FakeRepo,
  revision: string,
  path: string,
): string | undefined {
  return resolveRevision(world, repo, revision)?.files.get(path)?.toString('utf8');
}

/** Git's blob id: sha1 of `blob <size>\0<content>`. */
export function gitBlobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** What a pull request changed: its head against the commit it started from. */
export function changesBetween(
  from: Map<string, Buffer>,
  to: Map<string, Buffer>,
): { set: Map<string, Buffer>; removed: string[] } {
  const set = new Map<string, Buffer>();
  for (const [path, content] of to) if (!from.get(path)?.equals(content)) set.set(path, content);
  const removed = [...from.keys()].filter((path) => !to.has(path));
  return { set, removed };
}

/** A unified-looking diff of those changes (whole files, as the Hub's `?diff=1` shows small ones). */
export function diffText(from: Map<string, Buffer>, to: Map<string, Buffer>): string {
  const { set, removed } = changesBetween(from, to);
  const parts: string[] = [];
  for (const [path, content] of set) {
    const old = from.get(path);
    const minus = old
      ? old
          .toString('utf8')
          .split('\n')
          .map((l) => `-${l}`)
      : [];
    const plus = content
      .toString('utf8')
      .split('\n')
      .map((l) => `+${l}`);
    parts.push(
      `diff --git a/${path} b/${path}`,
      `--- ${old ? `a/${path}` : '/dev/null'}`,
      `+++ b/${path}`,
      '@@',
      ...minus,
      ...plus,
    );
  }
  for (const path of removed) parts.push(`diff --git a/${path} b/${path}`, `--- a/${path}`, '+++ /dev/null');
  return parts.join('\n');
}

export function newEventId(): string {
  return randomBytes(12).toString('hex');
}
