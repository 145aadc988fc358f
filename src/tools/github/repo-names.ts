import { ToolInputError } from '../shared/service-error.js';

/** A GitHub repository named by its owner and name. */
export interface RepoName {
  owner: string;
  name: string;
}

/** GitHub logins: letters, digits and single hyphens, up to 39 characters. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Repository names: letters, digits, `.`, `-`, `_`, up to 100 characters. */
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Accepts what a model tends to write: `owner`, `@owner`, `https://github.com/owner`. */
export function parseOwner(input: string): string {
  const owner = stripGitHubUrl(input).replace(/^@/, '').split('/')[0] ?? '';
  if (!OWNER.test(owner)) {
    throw new ToolInputError(`'${input}' is not a GitHub user or organization name (like 'huggingface').`);
  }
  return owner;
}

/**
 * `owner/name`, a github.com URL of the repository (or of a file in it), or, when `defaultOwner` is
 * given, a bare `name` ("trl" in the org "huggingface").
 */
export function parseRepo(input: string, defaultOwner?: string): RepoName {
  const parts = stripGitHubUrl(input)
    .replace(/\.git$/, '')
    .split('/')
    .filter((part) => part.length > 0);
  const [owner, name] =
    parts.length === 1 && defaultOwner ? [defaultOwner, parts[0]] : [parts[0] ?? '', parts[1] ?? ''];
  if (!owner || !name || !OWNER.test(owner) || !NAME.test(name) || name === '.' || name === '..') {
    throw new ToolInputError(
      `'${input}' is not a GitHub repository; write it as owner/name (like 'huggingface/trl').`,
    );
  }
  return { owner, name };
}

export function repoId(repo: RepoName): string {
  return `${repo.owner}/${repo.name}`;
}

function stripGitHubUrl(input: string): string {
  return input.trim().replace(/^(?:https?:\/\/)?(?:www\.)?github\.com\//i, '');
}
