import { z } from 'zod';
import { repoIdField, repoTypeField } from './repo-ref.js';

/** `hf_repo_files`' arguments: DESIGN.md's contract, the reference agent's names. */
export const repoFilesParameters = z.object({
  operation: z
    .enum(['list', 'read', 'upload', 'delete'])
    .describe(
      'list: every file with its size (recursive); read: one text file; upload: write a text file; delete: remove a file.',
    ),
  repo_id: repoIdField,
  repo_type: repoTypeField,
  revision: z
    .string()
    .min(1)
    .optional()
    .describe(
      'Branch, tag or commit to read, or the branch to commit to (default: main). Use "refs/pr/N" to add a commit to pull request N.',
    ),
  path: z
    .string()
    .optional()
    .describe(
      'File path in the repo (read, upload, delete), or the folder to list (list; default: the whole repo).',
    ),
  content: z.string().optional().describe('The whole text of the file (upload).'),
  create_pr: z
    .boolean()
    .optional()
    .describe('upload/delete: open a pull request with the change instead of committing to the branch.'),
  commit_message: z
    .string()
    .optional()
    .describe('upload/delete: the commit title (default: "Upload <path>").'),
});

export type RepoFilesArgs = z.infer<typeof repoFilesParameters>;
