/** The file that makes a folder a skill. */
export const SKILL_FILE = 'SKILL.md';

/** A skill folder found in a file list, before its `SKILL.md` is read. */
export interface FoundFolder {
  /** Relative to the listing's root (POSIX; `''` for the root itself). */
  dir: string;
  folderName: string;
  /** Every other file under the folder, relative to it, sorted. */
  files: string[];
}

/**
 * Finds the skills in a flat list of file paths (relative to a source's root, POSIX): every folder
 * holding a `SKILL.md`. A `SKILL.md` deeper inside a skill's folder is one of that skill's files,
 * not a skill of its own (a skill may bundle examples of skills). `rootName` is the folder name of
 * the root itself (a repository's or folder's name), for a source that is one skill.
 */
export function findSkillFolders(paths: readonly string[], rootName: string): FoundFolder[] {
  const skillDirs = paths
    .filter((path) => path === SKILL_FILE || path.endsWith(`/${SKILL_FILE}`))
    .map((path) => path.slice(0, Math.max(0, path.length - SKILL_FILE.length - 1)))
    .sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  const outer: string[] = [];
  for (const dir of skillDirs) {
    if (!outer.some((parent) => isInside(dir, parent))) outer.push(dir);
  }
  const files = new Map<string, string[]>(outer.map((dir) => [dir, []]));
  for (const path of paths) {
    const owner = outer.find((dir) => isInside(path, dir));
    if (owner === undefined) continue;
    const relative = owner === '' ? path : path.slice(owner.length + 1);
    if (relative !== SKILL_FILE) files.get(owner)?.push(relative);
  }
  return outer
    .map((dir) => ({
      dir,
      folderName: dir === '' ? rootName : (dir.split('/').pop() ?? dir),
      files: (files.get(dir) ?? []).sort(),
    }))
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

/** Joins a folder and a path inside it (either may be `''`). */
export function joinPath(dir: string, path: string): string {
  return dir === '' ? path : path === '' ? dir : `${dir}/${path}`;
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length;
}

/** Whether `path` is strictly under `dir` (the root `''` holds everything). */
function isInside(path: string, dir: string): boolean {
  return dir === '' ? path !== '' : path.startsWith(`${dir}/`);
}
