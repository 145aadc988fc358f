import { MlInternError } from '../core/errors.js';

/**
 * Where skills come from, as config `skills` names it:
 * - `github:owner/repo[@ref][/path]`: a GitHub repository (the default branch without `@ref`);
 * - `hf:[datasets/|spaces/]owner/repo[@revision][/path]`: a Hub repository (a model repo without a type);
 * - anything else without a scheme: a local folder, relative to the project root unless absolute.
 *
 * A ref or revision cannot hold a `/` in this form (`@v1.2`, `@main`, a commit sha); everything after
 * the first `/` following it is the path.
 */
export type SkillSource =
  | { kind: 'github'; text: string; owner: string; repo: string; ref: string | undefined; path: string }
  | {
      kind: 'hub';
      text: string;
      repoType: 'model' | 'dataset' | 'space';
      /** `owner/name`. */
      repoId: string;
      revision: string | undefined;
      path: string;
    }
  | { kind: 'local'; text: string; path: string };

/** A `skills` entry that names no source this reads; its message says what the forms are. */
export class SkillSourceError extends MlInternError {
  constructor(message: string) {
    super('skill_source', message);
  }
}

const FORMS = 'use github:owner/repo[@ref][/path], hf:owner/repo[@revision][/path] or a folder path';

// GitHub: owners are letters, digits and single hyphens (≤ 39); repositories letters, digits, `.`, `_`, `-`.
const GITHUB = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})(?:@([^/\s]+))?(?:\/(.*))?$/;
// The Hub: `owner/name` of letters, digits, `.`, `_`, `-`, after an optional `datasets/` or `spaces/`.
const HUB = /^(?:(datasets|spaces|models)\/)?([\w.-]{1,96})\/([\w.-]{1,96})(?:@([^/\s]+))?(?:\/(.*))?$/;
// A scheme (`gitlab:`, `https:`), but not a Windows drive (`C:\skills`).
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]+):/;

/** Parses one `skills` entry. @throws SkillSourceError naming what is wrong and the accepted forms. */
export function parseSkillSource(text: string): SkillSource {
  const entry = text.trim();
  if (entry === '') throw new SkillSourceError(`an empty skill source; ${FORMS}`);
  const scheme = SCHEME.exec(entry)?.[1]?.toLowerCase();
  if (scheme === 'github') return githubSource(entry, entry.slice('github:'.length));
  if (scheme === 'hf') return hubSource(entry, entry.slice('hf:'.length));
  if (scheme === 'http' || scheme === 'https') {
    throw new SkillSourceError(`skill source "${entry}" is a URL; ${FORMS} (github:huggingface/skills)`);
  }
  if (scheme !== undefined) {
    throw new SkillSourceError(`skill source "${entry}" has an unknown kind "${scheme}:"; ${FORMS}`);
  }
  return { kind: 'local', text: entry, path: entry };
}

/** The message of {@link parseSkillSource}'s error for `text`, or undefined when it parses (for the config's validation). */
export function skillSourceProblem(text: string): string | undefined {
  try {
    parseSkillSource(text);
    return undefined;
  } catch (err) {
    return err instanceof SkillSourceError ? err.message : String(err);
  }
}

function githubSource(entry: string, rest: string): SkillSource {
  const match = GITHUB.exec(rest);
  if (!match) {
    throw new SkillSourceError(`skill source "${entry}" is not github:owner/repo[@ref][/path]`);
  }
  const [, owner = '', repo = '', ref, path] = match;
  return { kind: 'github', text: entry, owner, repo, ref, path: cleanPath(entry, path) };
}

function hubSource(entry: string, rest: string): SkillSource {
  const match = HUB.exec(rest);
  if (!match) {
    throw new SkillSourceError(
      `skill source "${entry}" is not hf:owner/repo[@revision][/path] (hf:datasets/owner/repo for a dataset)`,
    );
  }
  const [, type, owner = '', name = '', revision, path] = match;
  const repoType = type === 'datasets' ? 'dataset' : type === 'spaces' ? 'space' : 'model';
  return {
    kind: 'hub',
    text: entry,
    repoType,
    repoId: `${owner}/${name}`,
    revision,
    path: cleanPath(entry, path),
  };
}

/** A path inside a repository: no leading or trailing `/`, no `.` or `..` segment. */
function cleanPath(entry: string, path: string | undefined): string {
  const segments = (path ?? '').split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment === '.' || segment === '..')) {
    throw new SkillSourceError(
      `skill source "${entry}" has a path with "." or ".."; name the folder directly`,
    );
  }
  return segments.join('/');
}
