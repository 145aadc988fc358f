import type { AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { repoFilesTool } from './files-tool.js';
import { repoGitTool } from './git-tool.js';
import { DEFAULT_REPO_TOOL_OPTIONS, type RepoToolOptions } from './repo-tool-options.js';

export type { RepoToolOptions } from './repo-tool-options.js';

/** The Hub repo tools: `hf_repo_files` (list, read, upload, delete) and `hf_repo_git` (refs, PRs, repos). */
export function reposTools(services: ToolServices, options: Partial<RepoToolOptions> = {}): AnyToolSpec[] {
  const resolved = { ...DEFAULT_REPO_TOOL_OPTIONS, ...options };
  return [repoFilesTool(services, resolved), repoGitTool(services, resolved)];
}
