import { createRepo } from '@huggingface/hub';
import { ToolInputError } from '../shared/service-error.js';
import type { RepoGitArgs } from './git-schema.js';
import { createdRepoAnswer, readAnswer } from './hub-answers.js';
import {
  hubFetch,
  hubRequest,
  hubRequestJson,
  viaHubLibrary,
  writeToken,
  type HubAccess,
} from './hub-access.js';
import { apiRepoPath, PUBLIC_HUB, repoLabel, repoLink, type RepoRef } from './repo-ref.js';

/**
 * Making and configuring repos. `create_repo` is `@huggingface/hub`'s `createRepo` (`POST
 * /api/repos/create`); a bare name (no namespace) goes to the same endpoint without `organization`,
 * which the Hub reads as the token's own account (`hf_api.py`'s `create_repo` does the same).
 * `update_repo` is `hf_api.py`'s `update_repo_settings`: `PUT /api/{type}s/{repo}/settings`.
 */

export async function createHubRepo(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  if (repo.type === 'space' && !args.space_sdk) {
    throw new ToolInputError(
      'create_repo for a space needs `space_sdk`: gradio, streamlit, docker or static.',
    );
  }
  const token = writeToken(access, `Creating ${repoLabel(repo)}`);
  // The reference agent's default: a new repo is private until someone decides otherwise.
  const isPrivate = args.private ?? true;
  const visibility = isPrivate ? 'private' : 'public';
  let url: string;
  if (repo.id.includes('/')) {
    const created = await viaHubLibrary(access, `the creation of ${repoLabel(repo)}`, () =>
      createRepo({
        repo: { type: repo.type, name: repo.id },
        visibility,
        ...(repo.type === 'space' && args.space_sdk ? { sdk: args.space_sdk } : {}),
        hubUrl: access.url,
        accessToken: token,
        fetch: hubFetch(access),
      }),
    );
    url = created.repoUrl;
  } else {
    const answer = await hubRequestJson<unknown>(access, '/api/repos/create', {
      method: 'post',
      json: {
        name: repo.id,
        type: repo.type,
        visibility,
        ...(repo.type === 'space' ? { sdk: args.space_sdk } : {}),
      },
    });
    url = readAnswer(createdRepoAnswer, answer, `the creation of ${repoLabel(repo)}`).url;
  }
  const created: RepoRef = { type: repo.type, id: idFromUrl(url, repo) };
  return `Created ${visibility} ${repoLabel(created)}.\n${repoLink(created)}`;
}

export async function updateHubRepo(access: HubAccess, repo: RepoRef, args: RepoGitArgs): Promise<string> {
  const settings: { private?: boolean; gated?: 'auto' | 'manual' | false } = {};
  if (args.private !== undefined) settings.private = args.private;
  if (args.gated !== undefined) settings.gated = args.gated === 'false' ? false : args.gated;
  if (Object.keys(settings).length === 0) {
    throw new ToolInputError(
      "update_repo needs `private` (true/false) or `gated` ('auto', 'manual' or 'false').",
    );
  }
  writeToken(access, `Changing the settings of ${repoLabel(repo)}`);
  await hubRequest(access, `${apiRepoPath(repo)}/settings`, { method: 'put', json: settings });
  return `Updated ${repoLabel(repo)}: ${describeSettings(args)}.\n${repoLink(repo, 'settings')}`;
}

export function describeSettings(args: Pick<RepoGitArgs, 'private' | 'gated'>): string {
  const parts: string[] = [];
  if (args.private !== undefined) parts.push(args.private ? 'private' : 'public');
  if (args.gated !== undefined) parts.push(args.gated === 'false' ? 'not gated' : `gated (${args.gated})`);
  return parts.join(', ') || 'no change';
}

/** The created repo's id from the URL the Hub answers (`https://huggingface.co/datasets/user/name`). */
function idFromUrl(url: string, asked: RepoRef): string {
  try {
    const segments = new URL(url, PUBLIC_HUB).pathname.split('/').filter(Boolean);
    const rest = segments[0] === `${asked.type}s` ? segments.slice(1) : segments;
    if (rest.length === 2) return rest.join('/');
  } catch {
    // Fall through: the name asked for is the best we know.
  }
  return asked.id;
}
