import { parse } from 'yaml';

/**
 * The front matter of a `SKILL.md`, checked against the Agent Skills format
 * (https://agentskills.io/specification): `name` is 1–64 lowercase letters, digits and hyphens, with
 * no hyphen at either end and none doubled, and equals the skill's folder name; `description` is
 * 1–1,024 characters. Other fields (`license`, `compatibility`, `metadata`, `allowed-tools`) are
 * allowed and not used.
 */
export interface SkillFrontMatter {
  name: string;
  /** On one line (a folded or multi-line YAML value is joined with spaces). */
  description: string;
  /** The Markdown after the front matter. */
  body: string;
}

export type FrontMatterResult = { ok: true; skill: SkillFrontMatter } | { ok: false; reason: string };

export const MAX_NAME_CHARS = 64;
export const MAX_DESCRIPTION_CHARS = 1_024;

const NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// `---` alone on the first line, the YAML, `---` alone on a line; a byte-order mark and CRLF are fine.
const FENCED = /^\uFEFF?---[ \t]*\r?\n(?:([\s\S]*?)\r?\n)?---[ \t]*(?:\r?\n|$)/;

/** Parses and checks `text` (a whole `SKILL.md`) found in the folder `folderName`. */
export function parseSkillFile(text: string, folderName: string): FrontMatterResult {
  const fenced = FENCED.exec(text);
  if (!fenced) {
    return { ok: false, reason: 'SKILL.md has no front matter (it must start with a --- fenced YAML block)' };
  }
  let data: unknown;
  try {
    // An empty block parses to null: it then lacks its fields rather than being malformed.
    data = parse(fenced[1] ?? '') ?? {};
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
    return { ok: false, reason: `the front matter is not valid YAML (${first})` };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, reason: 'the front matter is not a YAML mapping of fields' };
  }
  const fields = data as Record<string, unknown>;
  const nameProblem = checkName(fields.name, folderName);
  if (nameProblem) return { ok: false, reason: nameProblem };
  const description = typeof fields.description === 'string' ? oneLine(fields.description) : undefined;
  if (description === undefined || description === '') {
    return { ok: false, reason: 'the front matter has no description (a non-empty string is required)' };
  }
  if (description.length > MAX_DESCRIPTION_CHARS) {
    return {
      ok: false,
      reason: `the description has ${description.length} characters (at most ${MAX_DESCRIPTION_CHARS})`,
    };
  }
  return {
    ok: true,
    skill: { name: fields.name as string, description, body: text.slice(fenced[0].length).trim() },
  };
}

/** Why `name` is not a valid skill name for the folder `folderName`, or undefined. */
export function checkName(name: unknown, folderName: string): string | undefined {
  if (name === undefined || name === null) return 'the front matter has no name';
  if (typeof name !== 'string') return 'the name is not a string';
  if (name.length === 0 || name.length > MAX_NAME_CHARS) {
    return `the name "${shorten(name)}" has ${name.length} characters (1 to ${MAX_NAME_CHARS})`;
  }
  if (!NAME.test(name)) {
    return `the name "${shorten(name)}" is not lowercase letters, digits and single hyphens (no hyphen at either end)`;
  }
  if (name !== folderName) return `the name "${name}" is not the folder's name "${folderName}"`;
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
