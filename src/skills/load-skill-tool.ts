import { z } from 'zod';
import { defineTool, type AnyToolSpec } from '../core/tool-spec.js';
import { trimOutput } from '../tools/shared/trim-output.js';
import type { Skill } from './skill.js';
import { SKILL_FILE } from './skill-folders.js';

/**
 * A result's cap. Higher than other tools' 8,000 characters: a skill is meant to be read whole
 * when it is used (the format recommends a `SKILL.md` under about 5,000 tokens, and the official
 * Hugging Face skills run to 30,000 characters), and the model loads one at a time, on purpose.
 */
export const SKILL_RESULT_CHARS = 40_000;
/** The files listed under a skill's body; a skill with more is a repository, not a skill. */
const MAX_LISTED_FILES = 200;

/** What `load_skill` needs from the catalog. */
export interface SkillLibrary {
  load(): Promise<Skill[]>;
  /** One of `skill.files`, as text; `{ binaryBytes }` for a file that is not text. */
  readFile(skill: Skill, file: string, signal: AbortSignal): Promise<string | { binaryBytes: number }>;
}

const parameters = z.object({
  name: z.string().min(1).describe('The skill\'s name, as listed under "Skills" in the system prompt.'),
  file: z
    .string()
    .min(1)
    .optional()
    .describe(
      "One of the files the skill lists, relative to the skill's folder (references/x.md, scripts/train.py). " +
        "Omit to get the skill's instructions (SKILL.md) and its list of files.",
    ),
});

/** `load_skill {name, file?}`: reads, never asks. */
export function loadSkillTool(library: SkillLibrary): AnyToolSpec {
  return defineTool({
    name: 'load_skill',
    description:
      'Load an Agent Skill listed under "Skills" in the system prompt. With only `name`: the skill\'s ' +
      'instructions (its SKILL.md) and the list of its files. With `file`: one of those files (a ' +
      "reference, a script or a template), relative to the skill's folder.",
    parameters,
    sideEffects: false,
    needsApproval: () => undefined,
    async execute(args, ctx) {
      const skills = await library.load();
      const skill = skills.find((candidate) => candidate.name === args.name);
      if (!skill) return { output: unknownSkill(args.name, skills), isError: true };
      const file = args.file === undefined ? undefined : normaliseFile(args.file);
      if (file === undefined || file === SKILL_FILE) return { output: bodyResult(skill) };
      if (file === null || !skill.files.includes(file)) {
        return { output: notAFileOf(skill, args.file ?? ''), isError: true };
      }
      const content = await library.readFile(skill, file, ctx.signal);
      if (typeof content !== 'string') {
        return {
          output: `${skill.name}/${file} is a binary file (${content.binaryBytes.toLocaleString('en')} bytes); it cannot be shown as text.`,
        };
      }
      return {
        output: trimOutput(
          `## ${skill.name}/${file}\n\n${content}`,
          SKILL_RESULT_CHARS,
          'the file is too long to show whole',
        ),
      };
    },
  });
}

function bodyResult(skill: Skill): string {
  const lines = [`# Skill: ${skill.name}`, '', skill.body];
  if (skill.files.length > 0) {
    const shown = skill.files.slice(0, MAX_LISTED_FILES);
    lines.push(
      '',
      `## Files of ${skill.name}`,
      '',
      ...shown.map((file) => `- ${file}`),
      ...(skill.files.length > shown.length ? [`- … and ${skill.files.length - shown.length} more`] : []),
      '',
      `Read one with load_skill {"name": "${skill.name}", "file": "<path above>"}; paths in the instructions are relative to the skill's folder.`,
    );
  }
  return trimOutput(
    lines.join('\n'),
    SKILL_RESULT_CHARS,
    'the skill is too long to show whole; the details are usually in its files, which load_skill with file reads',
  );
}

function unknownSkill(name: string, skills: readonly Skill[]): string {
  if (skills.length === 0) return `No skill named "${name}": no skills are loaded.`;
  return `No skill named "${name}". The skills are: ${skills.map((skill) => skill.name).join(', ')}.`;
}

function notAFileOf(skill: Skill, file: string): string {
  const files = skill.files.slice(0, 50).join(', ');
  return skill.files.length === 0
    ? `"${file}" is not a file of skill ${skill.name}: it has no files besides SKILL.md.`
    : `"${file}" is not a file of skill ${skill.name}. Its files are: ${files}${skill.files.length > 50 ? ', …' : ''}.`;
}

/**
 * The file as the skill lists it (`./references/x.md` → `references/x.md`), or `null` for a path
 * that leaves the skill's folder (`..`, absolute, a backslash): such a file is never read.
 */
function normaliseFile(file: string): string | null {
  const trimmed = file.trim();
  if (trimmed.startsWith('/') || trimmed.includes('\\') || /^[A-Za-z]:/.test(trimmed)) return null;
  const segments = trimmed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.includes('..')) return null;
  return segments.join('/');
}
