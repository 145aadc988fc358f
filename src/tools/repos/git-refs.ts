import { createBranch, deleteBranch } from '@huggingface/hub';
import { ToolInputError } from '../shared/service-error.js';
import { shortOid } from './format.js';
import type { RepoGitArgs } from './git-schema.js';
import { readAnswer, gitRefsAnswer } from './hub-answers.js';
import {
  hubFetch,
  hubRequest,
  hubRequestJson,
  viaHubLibrary,
  writeToken,
  type HubAccess,
} from './hub-access.js';
import {
  apiRepoPath,
  hubDesignation,
  repoLabel,
  repoLink,
  revisionSegment,
  type RepoRef,
} from './repo-ref.js';

/**
 * Branches and tags. Branches through `@huggingface/hub` (`POST`/`DELETE /api/{type}s/{repo}/branch/{name}`);
 * tags and the refs listing have no JS function, so they are the plain calls of `hf_api.py`'s
 * `create_tag` (`POST .../tag/{revision}` with `{tag, message}`), `delete_tag` (`DELETE .../tag/{tag}`)
 * and `list_repo_refs` (`GET .../refs?include_prs=1`).
 */

export async function createRepoBranch(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const branch = required(args.branch, 'branch', 'create_branch');
  const token = writeToken(access, `Creating branch ${branch}`);
  await viaHubLibrary(access, `branch ${branch} of ${repoLabel(repo)}`, () =>
    createBranch({
      repo: hubDesignation(repo),
      branch,
      ...(args.from_rev ? { revision: args.from_rev } : {}),
      hubUrl: access.url,
      accessToken: token,
      fetch: hubFetch(access),
    }),
  );
  return `Created branch \`${branch}\` on ${repoLabel(repo)} from \`${args.from_rev ?? 'main'}\`.\n${repoLink(repo, 'tree', revisionSegment(branch))}`;
}

export async function deleteRepoBranch(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const branch = required(args.branch, 'branch', 'delete_branch');
  const token = writeToken(access, `Deleting branch ${branch}`);
  await viaHubLibrary(access, `branch ${branch} of ${repoLabel(repo)}`, () =>
    deleteBranch({
      repo: hubDesignation(repo),
      branch,
      hubUrl: access.url,
      accessToken: token,
      fetch: hubFetch(access),
    }),
  );
  return `Deleted branch \`${branch}\` of ${repoLabel(repo)}.\n${repoLink(repo)}`;
}

export async function createRepoTag(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const tag = required(args.tag, 'tag', 'create_tag');
  writeToken(access, `Creating tag ${tag}`);
  const revision = args.revision ?? 'main';
  await hubRequest(access, `${apiRepoPath(repo)}/tag/${revisionSegment(revision)}`, {
    method: 'post',
    json: { tag, ...(args.tag_message ? { message: args.tag_message } : {}) },
  });
  return `Tagged \`${revision}\` of ${repoLabel(repo)} as \`${tag}\`.\n${repoLink(repo, 'tree', revisionSegment(tag))}`;
}

export async function deleteRepoTag(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const tag = required(args.tag, 'tag', 'delete_tag');
  writeToken(access, `Deleting tag ${tag}`);
  await hubRequest(access, `${apiRepoPath(repo)}/tag/${revisionSegment(tag)}`, { method: 'delete' });
  return `Deleted tag \`${tag}\` of ${repoLabel(repo)}.\n${repoLink(repo)}`;
}

export async function listRepoRefs(access: HubAccess, repo: RepoRef): Promise<string> {
  const answer = await hubRequestJson<unknown>(access, `${apiRepoPath(repo)}/refs`, {
    searchParams: { include_prs: '1' },
  });
  const refs = readAnswer(gitRefsAnswer, answer, `the refs of ${repoLabel(repo)}`);
  const section = (title: string, items: { name: string; targetCommit: string }[]): string[] =>
    items.length === 0
      ? [`${title}: none`]
      : [
          `${title} (${items.length}):`,
          ...items.map((ref) => `- ${ref.name} → ${shortOid(ref.targetCommit)}`),
        ];
  const lines = [
    `**${repo.id}** (${repo.type}): branches and tags`,
    repoLink(repo),
    '',
    ...section('Branches', refs.branches),
    ...section('Tags', refs.tags),
  ];
  if (refs.pullRequests?.length) lines.push(...section('Pull request refs', refs.pullRequests));
  if (refs.converts?.length) lines.push(...section('Converted refs', refs.converts));
  return lines.join('\n');
}

export function required(value: string | undefined, field: string, operation: string): string {
  const trimmed = value?.trim();
  if (!trimmed) throw new ToolInputError(`${operation} needs \`${field}\`.`);
  return trimmed;
}
