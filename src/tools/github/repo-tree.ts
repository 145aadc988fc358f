import type { ToolCache } from '../shared/tool-cache.js';
import type { GitHubApi } from './github-api.js';
import { parseAnswer, repoSchema, treeSchema } from './github-shapes.js';
import { repoId, type RepoName } from './repo-names.js';

/** A repository's files at the head of its default branch. */
export interface RepoTree {
  fullName: string;
  htmlUrl: string;
  branch: string;
  files: { path: string; size: number }[];
  /** GitHub cut the listing (repositories of ~100,000 entries or 7 MB of tree). */
  truncated: boolean;
}

/** A tree changes with every push, but a listing an hour old still finds the examples. */
const TREE_TTL_SECONDS = 3_600;
/** Far above any repository the intern reads examples from; keeps a cache entry bounded. */
const MAX_FILES = 40_000;

/**
 * The default branch (`GET /repos/{owner}/{repo}`) and every file under it
 * (`GET /repos/{owner}/{repo}/git/trees/{branch}?recursive=1`), cached in Redis per API URL.
 */
export async function loadRepoTree(
  api: GitHubApi,
  cache: ToolCache,
  apiUrl: string,
  repo: RepoName,
  signal: AbortSignal,
): Promise<RepoTree> {
  const id = repoId(repo);
  return cache.getOrLoad(`github:tree:${apiUrl}:${id.toLowerCase()}`, TREE_TTL_SECONDS, async () => {
    const what = `repository ${id}`;
    const meta = parseAnswer(
      repoSchema,
      await api.call({ what }, signal, (octokit, request) =>
        octokit.rest.repos.get({ owner: repo.owner, repo: repo.name, request }),
      ),
      what,
    );
    const treeWhat = `the file list of ${id}`;
    const tree = parseAnswer(
      treeSchema,
      await api.call({ what: treeWhat }, signal, (octokit, request) =>
        octokit.rest.git.getTree({
          owner: repo.owner,
          repo: repo.name,
          tree_sha: meta.default_branch,
          recursive: '1',
          request,
        }),
      ),
      treeWhat,
    );
    const blobs = tree.tree.filter((entry) => entry.type === 'blob');
    return {
      fullName: meta.full_name,
      htmlUrl: meta.html_url,
      branch: meta.default_branch,
      files: blobs.slice(0, MAX_FILES).map((entry) => ({ path: entry.path, size: entry.size ?? 0 })),
      truncated: Boolean(tree.truncated) || blobs.length > MAX_FILES,
    };
  });
}
