import { z } from 'zod';
import { repoIdField, repoTypeField } from './repo-ref.js';

export const GIT_OPERATIONS = [
  'create_branch',
  'delete_branch',
  'create_tag',
  'delete_tag',
  'list_refs',
  'create_pr',
  'list_prs',
  'get_pr',
  'merge_pr',
  'close_pr',
  'comment_pr',
  'create_repo',
  'update_repo',
] as const;

/** `hf_repo_git`'s arguments: DESIGN.md's contract, the reference agent's field names. */
export const repoGitParameters = z.object({
  operation: z.enum(GIT_OPERATIONS).describe('The operation to run.'),
  repo_id: repoIdField,
  repo_type: repoTypeField,
  branch: z.string().min(1).optional().describe('Branch name (create_branch, delete_branch).'),
  from_rev: z
    .string()
    .min(1)
    .optional()
    .describe('create_branch: start the branch from this revision (default: main).'),
  tag: z.string().min(1).optional().describe('Tag name (create_tag, delete_tag).'),
  revision: z.string().min(1).optional().describe('create_tag: the revision to tag (default: main).'),
  tag_message: z.string().optional().describe('create_tag: the tag message.'),
  title: z.string().optional().describe('create_pr: the pull request title (3-200 characters).'),
  description: z.string().optional().describe('create_pr: the pull request description (Markdown).'),
  pr_num: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('The pull request or discussion number (get_pr, merge_pr, close_pr, comment_pr).'),
  comment: z
    .string()
    .optional()
    .describe('comment_pr: the comment (Markdown); merge_pr and close_pr: an optional comment.'),
  status: z
    .enum(['open', 'closed', 'all'])
    .optional()
    .describe('list_prs: which discussions to list (default: all).'),
  private: z
    .boolean()
    .optional()
    .describe('create_repo (default: true) and update_repo: whether the repo is private.'),
  gated: z
    .enum(['auto', 'manual', 'false'])
    .optional()
    .describe(
      "update_repo: gated access: 'auto' (approved at once), 'manual' (reviewed), 'false' (not gated).",
    ),
  space_sdk: z
    .enum(['gradio', 'streamlit', 'docker', 'static'])
    .optional()
    .describe('create_repo with repo_type space: the Space SDK (required).'),
});

export type RepoGitArgs = z.infer<typeof repoGitParameters>;
