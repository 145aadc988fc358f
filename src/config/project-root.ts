import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { MlInternError } from '../core/errors.js';

/** The `name` in the project's package.json; how the root is recognised. */
export const PROJECT_PACKAGE_NAME = 'ml-intern-bot';

/**
 * Finds the project root: the nearest directory, walking up from `start`, that holds a package.json
 * named `ml-intern-bot`.
 *
 * Walking up (instead of a fixed `../..`) is what makes the same code work from `src/config/` under tsx
 * and from `dist/src/config/` when compiled. `start` is a file URL or a path; it defaults to this module.
 *
 * @throws MlInternError `project_root_not_found` when no such directory exists above `start`.
 */
export function findProjectRoot(start: string | URL = import.meta.url): string {
  const startPath = start instanceof URL || start.startsWith('file:') ? fileURLToPath(start) : start;
  let dir = startPath;
  for (;;) {
    if (packageNameAt(dir) === PROJECT_PACKAGE_NAME) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new MlInternError(
    'project_root_not_found',
    `No package.json named "${PROJECT_PACKAGE_NAME}" above ${startPath}.`,
  );
}

function packageNameAt(dir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    // Absent or unreadable (or `dir` is a file): not the root, keep walking.
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'name' in parsed) {
      return typeof parsed.name === 'string' ? parsed.name : undefined;
    }
  } catch {
    // A broken package.json of some other package (e.g. a fixture) must not stop the walk.
  }
  return undefined;
}
