import { Octokit } from '@octokit/rest';
import type { Logger } from 'pino';
import { ServiceError } from '../tools/shared/service-error.js';
import type { SkillFolder, SkillSourceReader } from './skill.js';
import { findSkillFolders, joinPath } from './skill-folders.js';
import type { SkillSource } from './skill-source.js';
import { readSkillFolders } from './read-skill-folders.js';

type GitHubSource = Extract<SkillSource, { kind: 'github' }>;

/**
 * Skills in a GitHub repository: one git-trees call (`GET /repos/{o}/{r}/git/trees/{ref}?recursive=1`)
 * lists every file, so every `SKILL.md` under the source's path is found without walking folders;
 * then each `SKILL.md` through the contents API. The skills' other files are only listed, and
 * fetched (contents API) when `load_skill` asks for one. Without `@ref` the tree is `HEAD`'s and the
 * contents the default branch's, which are the same commit.
 */
export class GitHubSkillReader implements SkillSourceReader {
  private readonly octokit: Octokit;

  constructor(
    private readonly source: GitHubSource,
    endpoint: { url: string; token?: string | undefined },
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.octokit = new Octokit({
      baseUrl: endpoint.url.replace(/\/+$/, ''),
      ...(endpoint.token ? { auth: endpoint.token } : {}),
      userAgent: 'ml-intern-bot',
      log: {
        debug: () => undefined,
        info: () => undefined,
        warn: (message: string) => logger.warn({ source: source.text }, message),
        error: (message: string) => logger.warn({ source: source.text }, message),
      },
    });
  }

  async list(signal: AbortSignal): Promise<SkillFolder[]> {
    const { owner, repo, ref, path } = this.source;
    const where = `${owner}/${repo}${ref ? `@${ref}` : ''}`;
    let tree: Awaited<ReturnType<Octokit['rest']['git']['getTree']>>['data'];
    try {
      ({ data: tree } = await this.octokit.rest.git.getTree({
        owner,
        repo,
        tree_sha: ref ?? 'HEAD',
        recursive: '1',
        request: { signal },
      }));
    } catch (err) {
      throw gitHubError(err, `the file tree of ${where}`, signal);
    }
    if (!Array.isArray(tree?.tree)) {
      throw new ServiceError(`GitHub sent a file tree of ${where} without its "tree" list.`);
    }
    if (tree.truncated) {
      // GitHub cuts trees past 100,000 entries; what it sent is still usable.
      this.logger.warn(
        { source: this.source.text },
        'GitHub truncated the file tree; some skills may be missing',
      );
    }
    const prefix = path === '' ? '' : `${path}/`;
    const files = tree.tree
      .flatMap((entry) => (entry.type === 'blob' && typeof entry.path === 'string' ? [entry.path] : []))
      .filter((file) => file.startsWith(prefix))
      .map((file) => file.slice(prefix.length));
    const rootName = path === '' ? repo : (path.split('/').pop() ?? repo);
    return readSkillFolders(findSkillFolders(files, rootName), (file, s) => this.read(file, s), signal);
  }

  async read(file: string, signal: AbortSignal): Promise<Buffer> {
    const { owner, repo, ref } = this.source;
    const fullPath = joinPath(this.source.path, file);
    const what = `${fullPath} in ${owner}/${repo}${ref ? `@${ref}` : ''}`;
    let data: unknown;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({
        owner,
        repo,
        path: fullPath,
        ...(ref ? { ref } : {}),
        request: { signal },
      }));
    } catch (err) {
      throw gitHubError(err, what, signal);
    }
    return fileBytes(data, what);
  }
}

/** The bytes of a contents-API answer for one file (`{type: 'file', encoding: 'base64', content}`). */
function fileBytes(data: unknown, what: string): Buffer {
  if (Array.isArray(data)) throw new ServiceError(`${what} is a folder on GitHub, not a file.`);
  const file = data as { type?: unknown; encoding?: unknown; content?: unknown; size?: unknown };
  if (file.type !== 'file') {
    throw new ServiceError(`${what} is a ${String(file.type)} on GitHub, not a file.`);
  }
  // Past 1 MB the contents API leaves `content` empty and says `encoding: "none"`.
  if (file.encoding === 'none' || (file.content === '' && Number(file.size) > 0)) {
    throw new ServiceError(
      `${what} is too large to read through GitHub's contents API (${String(file.size)} bytes).`,
    );
  }
  if (typeof file.content !== 'string' || (file.encoding !== 'base64' && file.encoding !== undefined)) {
    throw new ServiceError(
      `GitHub sent ${what} in a form this does not read (encoding ${String(file.encoding)}).`,
    );
  }
  return Buffer.from(file.content, 'base64');
}

/**
 * An Octokit failure as a {@link ServiceError} that says what to do (no token in it: Octokit's
 * messages hold GitHub's words and the documentation link only).
 */
export function gitHubError(err: unknown, what: string, signal?: AbortSignal): ServiceError {
  if (signal?.aborted) {
    return new ServiceError(`GitHub did not answer in time for ${what}; try again later.`, { cause: err });
  }
  const status =
    typeof (err as { status?: unknown })?.status === 'number'
      ? (err as { status: number }).status
      : undefined;
  const answered = (err as { response?: unknown })?.response !== undefined;
  const said =
    err instanceof Error
      ? err.message.replace(/\s+-\s+https:\/\/docs\.github\.com\S*/, '').slice(0, 200)
      : String(err);
  if (!answered || status === undefined) {
    return new ServiceError(
      `Could not reach GitHub for ${what} (${said}); check GITHUB_API_URL and the network.`,
      {
        cause: err,
      },
    );
  }
  const options = { status, cause: err };
  if (status === 401) {
    return new ServiceError(
      `GitHub refused the token for ${what} (401: ${said}). Set GITHUB_TOKEN to a valid token.`,
      options,
    );
  }
  if (status === 403 || status === 429) {
    return new ServiceError(
      `GitHub refused ${what} (${status}: ${said}). Anonymous calls are limited to 60 an hour: set GITHUB_TOKEN, or wait.`,
      options,
    );
  }
  if (status === 404 || status === 422) {
    return new ServiceError(
      `Not found on GitHub: ${what} (${status}). Check the owner, the repository, the ref and the path; a private repository needs GITHUB_TOKEN.`,
      options,
    );
  }
  return new ServiceError(`GitHub failed on ${what} (${status}: ${said}); try again later.`, options);
}
