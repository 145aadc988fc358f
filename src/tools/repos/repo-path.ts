import { ToolInputError } from '../shared/service-error.js';

/**
 * A path inside a repo as the model writes it: no leading `./` or `/`, no `..`, no empty segment.
 * The Hub's own rules are stricter on some characters; this only catches what would address
 * something else than the model means.
 */
export function repoFilePath(path: string | undefined, operation: string): string {
  const cleaned = (path ?? '').trim().replace(/^\.?\/+/, '');
  if (!cleaned) throw new ToolInputError(`${operation} needs \`path\`: the file's path in the repo.`);
  if (cleaned.endsWith('/')) {
    throw new ToolInputError(`${operation} works on one file; "${path}" names a folder.`);
  }
  assertPlainSegments(cleaned, path ?? '');
  return cleaned;
}

/** The folder to list; empty for the whole repo. */
export function repoFolderPath(path: string | undefined): string {
  const cleaned = (path ?? '')
    .trim()
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '');
  if (cleaned) assertPlainSegments(cleaned, path ?? '');
  return cleaned;
}

function assertPlainSegments(cleaned: string, original: string): void {
  if (cleaned.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ToolInputError(`"${original}" is not a plain path inside the repo (no '..', '.' or '//').`);
  }
}
