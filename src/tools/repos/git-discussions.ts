import { ToolInputError } from '../shared/service-error.js';
import { oneLine } from './format.js';
import { formatDiscussionDetails } from './git-pr-details.js';
import type { RepoGitArgs } from './git-schema.js';
import {
  createdDiscussionAnswer,
  discussionDetailsAnswer,
  discussionsAnswer,
  readAnswer,
} from './hub-answers.js';
import { hubRequest, hubRequestJson, writeToken, type HubAccess } from './hub-access.js';
import { apiRepoPath, repoLabel, repoLink, type RepoRef } from './repo-ref.js';
import { required } from './git-refs.js';

/**
 * Pull requests and discussions: `@huggingface/hub` has none of these, so they are `hf_api.py`'s
 * plain calls under `/api/{type}s/{repo}/discussions`: list (`?p=&status=`), create (`{title,
 * description, pullRequest: true}`), details (`/{num}?diff=1`), and the changes `POST /{num}/comment`
 * (`{comment}`), `/{num}/status` (`{status, comment?}`) and `/{num}/merge` (`{comment?}`).
 */

export async function createPullRequest(
  access: HubAccess,
  repo: RepoRef,
  args: RepoGitArgs,
): Promise<string> {
  const title = required(args.title, 'title', 'create_pr');
  writeToken(access, 'Opening a pull request');
  const answer = await hubRequestJson<unknown>(access, `${apiRepoPath(repo)}/discussions`, {
    method: 'post',
    json: { title, description: args.description?.trim() || title, pullRequest: true },
  });
  const { num } = readAnswer(createdDiscussionAnswer, answer, `the new pull request on ${repoLabel(repo)}`);
  return [
    `Opened draft pull request #${num} on ${repoLabel(repo)}: ${oneLine(title)}`,
    repoLink(repo, 'discussions', String(num)),
    `It has no changes yet: add commits with hf_repo_files upload, revision "refs/pr/${num}"; merge_pr merges it.`,
  ].join('\n');
}

export async function listPullRequests(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const status = args.status && args.status !== 'all' ? args.status : undefined;
  const answer = await hubRequestJson<unknown>(access, `${apiRepoPath(repo)}/discussions`, {
    searchParams: { p: '0', ...(status ? { status } : {}) },
  });
  const page = readAnswer(discussionsAnswer, answer, `the discussions of ${repoLabel(repo)}`);
  const which = status ? `${status} ` : '';
  const link = repoLink(repo, 'discussions');
  if (page.discussions.length === 0)
    return `No ${which}pull requests or discussions on ${repoLabel(repo)}.\n${link}`;
  const lines = page.discussions.map(
    (d) =>
      `- #${d.num} ${d.isPullRequest ? 'PR' : 'discussion'}, ${d.status}: ${oneLine(d.title, 120)} (${d.author?.name ?? 'deleted'}, ${d.createdAt.slice(0, 10)})`,
  );
  const more =
    page.count > page.start + page.discussions.length
      ? `\n\nShowing the ${page.discussions.length} most recent of ${page.count}; see the rest on the page above.`
      : '';
  const counted = `${page.count} ${which}${page.count === 1 ? 'entry' : 'entries'}`;
  return `**${repo.id}** (${repo.type}): ${counted} (pull requests and discussions)\n${link}\n\n${lines.join('\n')}${more}`;
}

export async function getPullRequest(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const num = prNumber(args, 'get_pr');
  const answer = await hubRequestJson<unknown>(access, `${apiRepoPath(repo)}/discussions/${num}`, {
    searchParams: { diff: '1' },
  });
  const details = readAnswer(discussionDetailsAnswer, answer, `discussion #${num} of ${repoLabel(repo)}`);
  return formatDiscussionDetails(repo, details);
}

export async function mergePullRequest(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const num = prNumber(args, 'merge_pr');
  writeToken(access, `Merging pull request #${num}`);
  const comment = args.comment?.trim();
  await hubRequest(access, `${apiRepoPath(repo)}/discussions/${num}/merge`, {
    method: 'post',
    ...(comment ? { json: { comment } } : {}),
  });
  return `Merged pull request #${num} of ${repoLabel(repo)}.\n${repoLink(repo, 'discussions', String(num))}`;
}

export async function closePullRequest(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const num = prNumber(args, 'close_pr');
  writeToken(access, `Closing #${num}`);
  const comment = args.comment?.trim();
  await hubRequest(access, `${apiRepoPath(repo)}/discussions/${num}/status`, {
    method: 'post',
    json: { status: 'closed', ...(comment ? { comment } : {}) },
  });
  return `Closed #${num} of ${repoLabel(repo)}.\n${repoLink(repo, 'discussions', String(num))}`;
}

export async function commentPullRequest(
  access: HubAccess,
  repo: RepoRef,
  args: RepoGitArgs,
): Promise<string> {
  const num = prNumber(args, 'comment_pr');
  const comment = required(args.comment, 'comment', 'comment_pr');
  writeToken(access, `Commenting on #${num}`);
  const answer = await hubRequestJson<{ newMessage?: { id?: unknown } }>(
    access,
    `${apiRepoPath(repo)}/discussions/${num}/comment`,
    { method: 'post', json: { comment } },
  );
  const id = typeof answer?.newMessage?.id === 'string' ? `#${answer.newMessage.id}` : '';
  return `Commented on #${num} of ${repoLabel(repo)}.\n${repoLink(repo, 'discussions', String(num))}${id}`;
}

function prNumber(args: RepoGitArgs, operation: string): number {
  if (args.pr_num === undefined)
    throw new ToolInputError(`${operation} needs \`pr_num\`: the pull request's number.`);
  return args.pr_num;
}
