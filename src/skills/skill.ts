/**
 * One Agent Skill as the catalog holds it: what the system prompt lists (name, description), what
 * `load_skill` returns (the body and the list of the skill's other files), and where it came from,
 * so that a file can be fetched later. JSON-serialisable: it is cached in Redis per source.
 */
export interface Skill {
  /** The front matter's `name`, equal to the folder's name. */
  name: string;
  /** The front matter's `description`, on one line. */
  description: string;
  /** The source string as configured (`github:huggingface/skills`, `./team-skills`, …). */
  source: string;
  /** The skill's folder, relative to the source's root (POSIX; `''` when the root is the skill). */
  dir: string;
  /** `SKILL.md` after its front matter. */
  body: string;
  /** Every other file of the skill, relative to its folder, sorted (`references/x.md`, `scripts/y.py`). */
  files: string[];
}

/** A folder that looked like a skill and was not loaded, with why (for the log and `doctor`). */
export interface RejectedSkill {
  source: string;
  dir: string;
  reason: string;
}

/** What one source yielded. */
export interface SourceListing {
  skills: Skill[];
  rejected: RejectedSkill[];
}

/** A folder of a source holding a `SKILL.md`, as a reader found it, before validation. */
export interface SkillFolder {
  /** Relative to the source's root (POSIX; `''` for the root itself). */
  dir: string;
  /** The folder's own name, which the skill's `name` must equal. */
  folderName: string;
  /** Every other file under the folder, relative to it, sorted. */
  files: string[];
  /** The `SKILL.md` text, or why it could not be read. */
  skillMd: { text: string } | { error: string };
}

/**
 * Reads one source (a GitHub repository, a Hub repository, a local folder). `list` finds every
 * skill folder and reads each `SKILL.md`; `read` fetches one other file when the model asks for it.
 * Both throw on a source that cannot be reached; `list` reports a single unreadable `SKILL.md`
 * in its folder instead, so that one bad file does not cost the whole source.
 */
export interface SkillSourceReader {
  list(signal: AbortSignal): Promise<SkillFolder[]>;
  /** `path` is relative to the source's root and is one of the listed files. */
  read(path: string, signal: AbortSignal): Promise<Buffer>;
}

/** A skill file larger than this is not read (GitHub's contents API stops inlining at 1 MB too). */
export const MAX_SKILL_FILE_BYTES = 1_000_000;
