import { defineTool, type AnyToolSpec } from '../../core/tool-spec.js';
import type { ToolServices } from '../tool-services.js';
import { trimOutput } from '../shared/trim-output.js';
import { listRepoFiles } from './files-list.js';
import { readRepoFile } from './files-read.js';
import { repoFilesParameters, type RepoFilesArgs } from './files-schema.js';
import { deleteRepoFile, uploadRepoFile } from './files-write.js';
import { hubAccess } from './hub-access.js';
import { repoRef } from './repo-ref.js';
import type { RepoToolOptions } from './repo-tool-options.js';

const DESCRIPTION = [
  'Read and write files in Hugging Face repos (models, datasets, spaces).',
  '',
  'Operations:',
  '- list: every file with its size (recursive; `path` lists one folder).',
  '- read: one text file (config.json, README.md, a script); binary and huge files are refused.',
  '- upload: write `content` as the file at `path` in one commit (or a pull request with create_pr).',
  '- delete: remove the file at `path` in one commit (or a pull request with create_pr).',
  '',
  'Examples:',
  '{"operation": "list", "repo_id": "openai-community/gpt2"}',
  '{"operation": "read", "repo_id": "openai-community/gpt2", "path": "config.json"}',
  '{"operation": "upload", "repo_id": "my-user/my-model", "path": "README.md", "content": "# My model"}',
  '{"operation": "upload", "repo_id": "org/model", "path": "fix.py", "content": "...", "create_pr": true}',
  '',
  'upload and delete wait for a human to approve. To add commits to an open PR, use revision "refs/pr/N".',
].join('\n');

/** `hf_repo_files`: list, read, upload, delete. Writes ask first; reads never do. */
export function repoFilesTool(services: ToolServices, options: RepoToolOptions): AnyToolSpec {
  return defineTool({
    name: 'hf_repo_files',
    description: DESCRIPTION,
    parameters: repoFilesParameters,
    // A write interrupted mid-call may or may not have landed: never replay it blindly.
    sideEffects: true,
    needsApproval: (args) => approvalReason(args),
    async execute(args, ctx) {
      const repo = repoRef(args.repo_id, args.repo_type);
      const access = hubAccess(services.hub, options.timeoutMs, ctx.signal);
      const output =
        args.operation === 'list'
          ? await listRepoFiles(access, repo, args)
          : args.operation === 'read'
            ? await readRepoFile(access, repo, args)
            : args.operation === 'upload'
              ? await uploadRepoFile(access, repo, args)
              : await deleteRepoFile(access, repo, args);
      return { output: trimOutput(output, undefined, 'list one folder with `path`') };
    },
  });
}

/** upload and delete change the repo: each asks, naming what it writes where. */
export function approvalReason(args: RepoFilesArgs): string | undefined {
  if (args.operation === 'list' || args.operation === 'read') return undefined;
  const where = `${args.repo_type ?? 'model'} ${args.repo_id}`;
  const how = args.create_pr
    ? `as a pull request against ${args.revision ?? 'main'}`
    : `committing to ${args.revision ?? 'main'}`;
  const path = args.path?.trim() || '(no path given)';
  if (args.operation === 'upload') {
    const size = new TextEncoder().encode(args.content ?? '').length;
    return `Upload ${path} (${size.toLocaleString('en')} bytes) to ${where}, ${how}`;
  }
  return `Delete ${path} from ${where}, ${how}`;
}
