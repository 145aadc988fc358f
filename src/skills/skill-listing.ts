import { z } from 'zod';
import type { Skill, SkillFolder, SourceListing } from './skill.js';
import { parseSkillFile } from './skill-front-matter.js';

/**
 * Turns the folders a reader found into skills, checking each `SKILL.md`'s front matter; a folder
 * that breaks the Agent Skills rules (or whose `SKILL.md` could not be read) is rejected with why.
 */
export function toListing(source: string, folders: readonly SkillFolder[]): SourceListing {
  const listing: SourceListing = { skills: [], rejected: [] };
  for (const folder of folders) {
    if ('error' in folder.skillMd) {
      listing.rejected.push({
        source,
        dir: folder.dir,
        reason: `SKILL.md could not be read: ${folder.skillMd.error}`,
      });
      continue;
    }
    const parsed = parseSkillFile(folder.skillMd.text, folder.folderName);
    if (!parsed.ok) {
      listing.rejected.push({ source, dir: folder.dir, reason: parsed.reason });
      continue;
    }
    const skill: Skill = {
      name: parsed.skill.name,
      description: parsed.skill.description,
      source,
      dir: folder.dir,
      body: parsed.skill.body,
      files: [...folder.files],
    };
    listing.skills.push(skill);
  }
  return listing;
}

/** A listing as read back from the cache: anything else (a foreign or damaged entry) is not used. */
export const sourceListingSchema: z.ZodType<SourceListing> = z.object({
  skills: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      source: z.string(),
      dir: z.string(),
      body: z.string(),
      files: z.array(z.string()),
    }),
  ),
  rejected: z.array(z.object({ source: z.string(), dir: z.string(), reason: z.string() })),
});
