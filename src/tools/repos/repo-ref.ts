import type { RepoDesignation } from '@huggingface/hub';
import { z } from 'zod';
import { ToolInputError } from '../shared/service-error.js';

/**
 * Which repo a call is about, and the three ways to name it: the designation `@huggingface/hub`
 * takes, the `/api/{type}s/{id}` path of the plain-HTTP calls, and the public page the model links to.
 */

export const REPO_TYPES = ['model', 'dataset', 'space'] as const;
export type RepoType = (typeof REPO_TYPES)[number];

export interface RepoRef {
  id: string;
  type: RepoType;
}

/** The public site, for links only: requests go to `services.hub.url`. */
export const PUBLIC_HUB = 'https://huggingface.co';

export const repoIdField = z
  .string()
  .min(1)
  .describe("Repository id, 'namespace/name' (e.g. 'openai-community/gpt2', 'my-user/my-model').");

export const repoTypeField = z.enum(REPO_TYPES).optional().describe('Repository type (default: model).');

// A Hub name: letters, digits, '-', '_', '.'; one optional namespace.
const REPO_ID = /^[A-Za-z0-9][\w.-]*(\/[A-Za-z0-9][\w.-]*)?$/;
const TYPE_PREFIXES: Record<string, RepoType> = {
  'models/': 'model',
  'datasets/': 'dataset',
  'spaces/': 'space',
};

/**
 * Reads `repo_id` and `repo_type` as the model sends them. A `datasets/…` or `spaces/…` prefix (how
 * repos appear in URLs) sets the type when `repo_type` is absent; a conflicting pair is refused.
 */
export function repoRef(repoId: string, repoType: RepoType | undefined): RepoRef {
  let id = repoId.trim().replace(/^https?:\/\/(www\.)?huggingface\.co\//, '');
  let type = repoType;
  for (const [prefix, prefixType] of Object.entries(TYPE_PREFIXES)) {
    if (!id.startsWith(prefix)) continue;
    if (type !== undefined && type !== prefixType) {
      throw new ToolInputError(
        `repo_id "${repoId}" names a ${prefixType} but repo_type is ${type}; give one of them.`,
      );
    }
    id = id.slice(prefix.length);
    type = prefixType;
  }
  if (!REPO_ID.test(id)) {
    throw new ToolInputError(
      `"${repoId}" is not a repo id; use 'namespace/name' (letters, digits, '-', '_', '.').`,
    );
  }
  return { id, type: type ?? 'model' };
}

export function hubDesignation(repo: RepoRef): RepoDesignation {
  return { type: repo.type, name: repo.id };
}

/** `/api/models/org/name`: the prefix of every plain-HTTP repo endpoint. */
export function apiRepoPath(repo: RepoRef): string {
  return `/api/${repo.type}s/${repo.id}`;
}

/** The repo's public page, with more path segments appended as they are (callers encode them). */
export function repoLink(repo: RepoRef, ...rest: string[]): string {
  const prefix = repo.type === 'model' ? '' : `${repo.type}s/`;
  return [`${PUBLIC_HUB}/${prefix}${repo.id}`, ...rest].join('/');
}

/** "model org/name", "dataset org/name": how results and approval reasons name a repo. */
export function repoLabel(repo: RepoRef): string {
  return `${repo.type} ${repo.id}`;
}

/** A revision as one URL segment (`refs/pr/1` → `refs%2Fpr%2F1`, as the Hub's own links have it). */
export function revisionSegment(revision: string): string {
  return encodeURIComponent(revision);
}

/** A path inside a repo, each segment encoded, the slashes kept. */
export function pathSegments(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
