import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { findExamplesTool } from './find-examples-tool.js';
import { GitHubApi, type GitHubApiOptions } from './github-api.js';
import { listReposTool } from './list-repos-tool.js';
import { readFileTool } from './read-file-tool.js';

export type { GitHubApiOptions } from './github-api.js';

/**
 * The GitHub tools of the reference agent: `github_find_examples`, `github_list_repos`,
 * `github_read_file`. Read-only, so none asks for approval. One Octokit serves all three, at
 * `services.github.url` with `services.github.token` (unauthenticated when unset).
 */
export function githubTools(services: ToolServices, options: GitHubApiOptions = {}): AnyToolSpec[] {
  const api = new GitHubApi(services.github, services.logger, options);
  return [findExamplesTool(services, api), listReposTool(services, api), readFileTool(api)];
}
