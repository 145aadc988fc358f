import { deleteFile, uploadFile, type CommitOutput } from '@huggingface/hub';
import { ServiceError, ToolInputError } from '../shared/service-error.js';
import { formatSize, shortOid } from './format.js';
import { hubFetch, viaHubLibrary, writeToken, type HubAccess } from './hub-access.js';
import { repoFilePath } from './repo-path.js';
import {
  hubDesignation,
  pathSegments,
  repoLabel,
  repoLink,
  revisionSegment,
  type RepoRef,
} from './repo-ref.js';

/**
 * The Hub takes a file up to 10 MB inline in the commit (larger ones go through LFS); a text the
 * model writes stays well under this, which keeps every upload a plain NDJSON commit.
 */
export const UPLOAD_MAX_BYTES = 2_000_000;

interface WriteArgs {
  revision?: string | undefined;
  path?: string | undefined;
  content?: string | undefined;
  create_pr?: boolean | undefined;
  commit_message?: string | undefined;
}

/**
 * `upload`: one text file in one commit, through `@huggingface/hub`'s `uploadFile` (`POST
 * /api/{type}s/{repo}/preupload/{rev}`, then `POST .../commit/{rev}` with an NDJSON body;
 * `create_pr` is its `isPullRequest`, the commit API's `?create_pr=1`).
 */
export async function uploadRepoFile(access: HubAccess, repo: RepoRef, args: WriteArgs): Promise<string> {
  const path = repoFilePath(args.path, 'upload');
  if (args.content === undefined)
    throw new ToolInputError('upload needs `content`: the whole text of the file.');
  const bytes = new TextEncoder().encode(args.content);
  if (bytes.length > UPLOAD_MAX_BYTES) {
    throw new ToolInputError(
      `content is ${formatSize(bytes.length)}; upload takes text up to ${formatSize(UPLOAD_MAX_BYTES)}. Upload large files from code (huggingface_hub's upload_file).`,
    );
  }
  const token = writeToken(access, `Uploading ${path}`);
  const revision = args.revision ?? 'main';
  const output = await viaHubLibrary(access, `the upload of ${path} to ${repoLabel(repo)}`, () =>
    uploadFile({
      repo: hubDesignation(repo),
      file: { path, content: new Blob([bytes]) },
      commitTitle: args.commit_message?.trim() || `Upload ${path}`,
      branch: revision,
      isPullRequest: args.create_pr ?? false,
      hubUrl: access.url,
      fetch: hubFetch(access),
      accessToken: token,
    }),
  );
  return committed(repo, revision, path, `${formatSize(bytes.length)} written`, output, args.create_pr);
}

/** `delete`: one file in one commit, through `deleteFile` (the same commit API, a `deletedFile` line). */
export async function deleteRepoFile(access: HubAccess, repo: RepoRef, args: WriteArgs): Promise<string> {
  const path = repoFilePath(args.path, 'delete');
  const token = writeToken(access, `Deleting ${path}`);
  const revision = args.revision ?? 'main';
  const output = await viaHubLibrary(access, `the deletion of ${path} from ${repoLabel(repo)}`, () =>
    deleteFile({
      repo: hubDesignation(repo),
      path,
      commitTitle: args.commit_message?.trim() || `Delete ${path}`,
      branch: revision,
      isPullRequest: args.create_pr ?? false,
      hubUrl: access.url,
      fetch: hubFetch(access),
      accessToken: token,
    }),
  );
  return committed(repo, revision, path, 'deleted', output, args.create_pr);
}

function committed(
  repo: RepoRef,
  revision: string,
  path: string,
  change: string,
  output: CommitOutput | undefined,
  createPr: boolean | undefined,
): string {
  if (!output?.commit?.oid) {
    throw new ServiceError(
      'The Hub accepted the commit but did not say which commit it made; list the repo to check.',
    );
  }
  const commitLink = repoLink(repo, 'commit', output.commit.oid);
  if (createPr) {
    const num = /\/discussions\/(\d+)/.exec(output.pullRequestUrl ?? '')?.[1];
    if (!num) return `Committed ${path} (${change}) as a pull request on ${repoLabel(repo)}: ${commitLink}`;
    return [
      `Opened pull request #${num} on ${repoLabel(repo)} against \`${revision}\`: ${path} ${change} (commit ${shortOid(output.commit.oid)}).`,
      repoLink(repo, 'discussions', num),
      `Add commits to it with revision "refs/pr/${num}"; hf_repo_git merge_pr merges it.`,
    ].join('\n');
  }
  const fileLink =
    change === 'deleted'
      ? repoLink(repo, 'tree', revisionSegment(revision))
      : repoLink(repo, 'blob', revisionSegment(revision), pathSegments(path));
  return `Committed to ${repoLabel(repo)} at \`${revision}\`: ${path} ${change} (commit ${shortOid(output.commit.oid)}).\n${fileLink}\n${commitLink}`;
}
