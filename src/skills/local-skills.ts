import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { ServiceError } from '../tools/shared/service-error.js';
import { MAX_SKILL_FILE_BYTES, type SkillFolder, type SkillSourceReader } from './skill.js';
import { findSkillFolders } from './skill-folders.js';
import { readSkillFolders } from './read-skill-folders.js';

/** Deep enough for `skills/<name>/references/<topic>/x.md`; a folder deeper than this is not a skill's. */
const MAX_DEPTH = 8;
/** A folder with more files than this is not a folder of skills (a home directory named by mistake). */
const MAX_FILES = 10_000;

/**
 * Skills in a folder of this machine (a team's own), relative to the project root unless absolute.
 * Symbolic links, hidden entries (`.git`) and `node_modules` are not listed, so nothing outside the
 * folder is ever offered; `read` checks the real path again before reading.
 */
export class LocalSkillReader implements SkillSourceReader {
  readonly root: string;

  constructor(path: string, projectRoot: string) {
    this.root = isAbsolute(path) ? resolve(path) : resolve(projectRoot, path);
  }

  async list(signal: AbortSignal): Promise<SkillFolder[]> {
    try {
      if (!(await stat(this.root)).isDirectory()) throw new ServiceError(`${this.root} is not a folder.`);
    } catch (err) {
      if (err instanceof ServiceError) throw err;
      throw new ServiceError(`The skills folder ${this.root} cannot be read (${codeOf(err)}).`, {
        cause: err,
      });
    }
    const files: string[] = [];
    await this.walk(this.root, 0, files, signal);
    return readSkillFolders(
      findSkillFolders(files, basename(this.root)),
      (file, s) => this.read(file, s),
      signal,
    );
  }

  async read(file: string, signal: AbortSignal): Promise<Buffer> {
    signal.throwIfAborted();
    const target = resolve(this.root, file);
    let real: string;
    let realRoot: string;
    try {
      [real, realRoot] = await Promise.all([realpath(target), realpath(this.root)]);
    } catch (err) {
      throw new ServiceError(`${file} cannot be read (${codeOf(err)}).`, { cause: err });
    }
    const inside = relative(realRoot, real);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
      throw new ServiceError(`${file} is outside the skills folder.`);
    }
    const info = await stat(real);
    if (!info.isFile()) throw new ServiceError(`${file} is not a file.`);
    if (info.size > MAX_SKILL_FILE_BYTES)
      throw new ServiceError(`${file} is too large to read (${info.size} bytes).`);
    return readFile(real, { signal });
  }

  private async walk(dir: string, depth: number, files: string[], signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (depth > MAX_DEPTH || files.length >= MAX_FILES) return;
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = resolve(dir, entry.name);
      if (entry.isDirectory()) await this.walk(full, depth + 1, files, signal);
      else if (entry.isFile() && files.length < MAX_FILES)
        files.push(relative(this.root, full).split(sep).join('/'));
    }
  }
}

function codeOf(err: unknown): string {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}
