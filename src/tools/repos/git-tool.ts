import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import { trimOutput } from '../shared/trim-output.js';
import type { ToolServices } from '../tool-services.js';
import {
  closePullRequest,
  commentPullRequest,
  createPullRequest,
  getPullRequest,
  listPullRequests,
  mergePullRequest,
} from './git-discussions.js';
import {
  createRepoBranch,
  createRepoTag,
  deleteRepoBranch,
  deleteRepoTag,
  listRepoRefs,
} from './git-refs.js';
import { createHubRepo, describeSettings, updateHubRepo } from './git-repo-settings.js';
import { repoGitParameters, type RepoGitArgs } from './git-schema.js';
import { hubAccess, type HubAccess } from './hub-access.js';
import { repoRef, type RepoRef } from './repo-ref.js';
import type { RepoToolOptions } from './repo-tool-options.js';

const DESCRIPTION = [
  'Git-like operations on Hugging Face repos: branches, tags, pull requests, and creating or configuring repos.',
  '',
  'Operations:',
  '- Branches: create_branch {branch, from_rev?}, delete_branch {branch}, list_refs (branches, tags, PR refs).',
  '- Tags: create_tag {tag, revision?, tag_message?}, delete_tag {tag}.',
  '- Pull requests: create_pr {title, description?} (an empty draft), list_prs {status?}, get_pr {pr_num},',
  '  merge_pr {pr_num, comment?}, close_pr {pr_num, comment?}, comment_pr {pr_num, comment}.',
  '- Repos: create_repo {private? (default true), space_sdk? (spaces)}, update_repo {private?, gated?}.',
  '',
  'PR workflow: create_pr, then hf_repo_files upload with revision "refs/pr/N" to add commits, then merge_pr.',
  '(hf_repo_files upload with create_pr opens a PR with the file in one step.)',
  'delete_branch, delete_tag, merge_pr, create_repo and update_repo wait for a human to approve.',
].join('\n');

type Handler = (access: HubAccess, repo: RepoRef, args: RepoGitArgs) => Promise<string>;

const HANDLERS: Record<RepoGitArgs['operation'], Handler> = {
  create_branch: createRepoBranch,
  delete_branch: deleteRepoBranch,
  create_tag: createRepoTag,
  delete_tag: deleteRepoTag,
  list_refs: (access, repo) => listRepoRefs(access, repo),
  create_pr: createPullRequest,
  list_prs: listPullRequests,
  get_pr: getPullRequest,
  merge_pr: mergePullRequest,
  close_pr: closePullRequest,
  comment_pr: commentPullRequest,
  create_repo: createHubRepo,
  update_repo: updateHubRepo,
};

/** `hf_repo_git`: refs, pull requests and repo settings. Deleting, merging and repo changes ask first. */
export function repoGitTool(services: ToolServices, options: RepoToolOptions): AnyToolSpec {
  return defineTool({
    name: 'hf_repo_git',
    description: DESCRIPTION,
    parameters: repoGitParameters,
    // A merge or a deletion interrupted mid-call may have happened: never replay it blindly.
    sideEffects: true,
    needsApproval: (args) => approvalReason(args),
    async execute(args, ctx) {
      const repo = repoRef(args.repo_id, args.repo_type);
      const access = hubAccess(services.hub, options.timeoutMs, ctx.signal);
      const output = await HANDLERS[args.operation](access, repo, args);
      return { output: trimOutput(output, undefined, 'open the page linked above') };
    },
  });
}

/** DESIGN.md: delete_*, merge_pr, create_repo and update_repo ask; the rest never does. */
export function approvalReason(args: RepoGitArgs): string | undefined {
  const where = `${args.repo_type ?? 'model'} ${args.repo_id}`;
  switch (args.operation) {
    case 'delete_branch':
      return `Delete branch ${args.branch ?? '(none given)'} of ${where}`;
    case 'delete_tag':
      return `Delete tag ${args.tag ?? '(none given)'} of ${where}`;
    case 'merge_pr':
      return `Merge pull request #${args.pr_num ?? '?'} of ${where}`;
    case 'create_repo':
      return `Create ${args.private === false ? 'public' : 'private'} ${where}${args.space_sdk ? ` (${args.space_sdk} Space)` : ''}`;
    case 'update_repo':
      return `Change the settings of ${where}: ${describeSettings(args)}`;
    default:
      return undefined;
  }
}
