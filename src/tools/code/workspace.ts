import { lstat, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { ToolInputError } from '../shared/service-error.js';

/** Where session workspaces live unless `code.workspaceRoot` says otherwise. */
export const DEFAULT_WORKSPACE_ROOT = '.data/workspaces';

/**
 * The session's own folder, `<root>/<sessionId>`, created on first use. The session id becomes one
 * path segment: anything that could climb out of the root (`/`, `..`) is encoded or refused.
 */
export async function sessionWorkspace(root: string, sessionId: string): Promise<string> {
  const segment = encodeURIComponent(sessionId);
  if (segment === '' || segment === '.' || segment === '..') {
    throw new ToolInputError(`The session id ${JSON.stringify(sessionId)} cannot name a workspace.`);
  }
  const dir = path.join(path.resolve(root), segment);
  await mkdir(dir, { recursive: true });
  // The real path, so that a root reached through a symlink still compares equal below.
  return realpath(dir);
}

/**
 * Resolves `requested` (relative to the workspace, or absolute inside it) to a real absolute path
 * inside the session's workspace, or throws a ToolInputError. Symlinks are followed with realpath
 * on the nearest existing ancestor, so neither `..` nor a link pointing out gets around the check.
 */
export async function resolveInWorkspace(
  root: string,
  sessionId: string,
  requested: string,
): Promise<string> {
  if (requested.trim() === '' || requested.includes('\0')) {
    throw new ToolInputError('Give a file path (relative to your workspace).');
  }
  const workspace = await sessionWorkspace(root, sessionId);
  const lexicalWorkspace = path.join(path.resolve(root), encodeURIComponent(sessionId));
  // An absolute path may name the workspace by its configured or by its real location.
  const target = path.isAbsolute(requested)
    ? rebase(path.resolve(requested), lexicalWorkspace, workspace)
    : path.resolve(workspace, requested);
  const real = await realpathOfNearestAncestor(target, requested);
  if (!isInside(real, workspace)) {
    throw new ToolInputError(
      `${requested} is outside this session's workspace; use a path inside it (relative paths resolve there).`,
    );
  }
  return real;
}

/** The path as the model should see it in results: relative to its workspace. */
/** A path of a call, resolved in the session's workspace: where it is, and how to name it to the model. */
export async function locate(
  root: string,
  sessionId: string,
  file: string,
): Promise<{ workspace: string; absolute: string; shown: string }> {
  const workspace = await sessionWorkspace(root, sessionId);
  const absolute = await resolveInWorkspace(root, sessionId, file);
  return { workspace, absolute, shown: displayPath(workspace, absolute) };
}

export function displayPath(workspace: string, absolute: string): string {
  return path.relative(workspace, absolute) || '.';
}

function isInside(candidate: string, dir: string): boolean {
  return candidate === dir || candidate.startsWith(dir + path.sep);
}

function rebase(absolute: string, from: string, to: string): string {
  if (!isInside(absolute, from)) return absolute;
  return path.join(to, path.relative(from, absolute));
}

/**
 * realpath of `target` when it exists; else realpath of its nearest existing ancestor with the
 * missing tail appended. A dangling symlink on the way is refused: writing through it would land
 * wherever it points.
 */
async function realpathOfNearestAncestor(target: string, requested: string): Promise<string> {
  const tail: string[] = [];
  let current = target;
  for (;;) {
    try {
      return path.join(await realpath(current), ...tail);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
    if (await exists(current)) {
      throw new ToolInputError(`${requested} goes through a symlink that points nowhere; refusing.`);
    }
    const parent = path.dirname(current);
    if (parent === current) return target;
    tail.unshift(path.basename(current));
    current = parent;
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
