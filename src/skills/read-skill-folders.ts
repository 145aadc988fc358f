import type { SkillFolder } from './skill.js';
import { SKILL_FILE, joinPath, type FoundFolder } from './skill-folders.js';

/** At most this many `SKILL.md` reads at once: quick, without tripping a service's abuse limits. */
const PARALLEL_READS = 6;

/**
 * Reads the `SKILL.md` of each found folder, a few at a time. A read that fails stays in its
 * folder (`skillMd.error`), so one missing or oversized file costs one skill, not the source; an
 * aborted signal fails the whole listing (the source's deadline passed).
 */
export async function readSkillFolders(
  found: readonly FoundFolder[],
  read: (path: string, signal: AbortSignal) => Promise<Buffer>,
  signal: AbortSignal,
): Promise<SkillFolder[]> {
  const results: SkillFolder[] = new Array<SkillFolder>(found.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < found.length; index = next++) {
      const folder = found[index] as FoundFolder;
      signal.throwIfAborted();
      try {
        const bytes = await read(joinPath(folder.dir, SKILL_FILE), signal);
        results[index] = { ...folder, skillMd: { text: bytes.toString('utf8') } };
      } catch (err) {
        signal.throwIfAborted();
        results[index] = { ...folder, skillMd: { error: err instanceof Error ? err.message : String(err) } };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, found.length) }, worker));
  return results;
}
